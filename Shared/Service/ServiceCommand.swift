import ArgumentParser
import Foundation
import IRGNumerics
import IRGRPC
import Logging

/// What each service executable's `@main` command is: its spec, the common
/// options, and the handlers it implements. `run()` comes from here.
public protocol ServiceCommand: AsyncParsableCommand {
    static var spec: ServiceSpec { get }
    var service: ServiceCommandOptions { get }
    /// Implements the service's methods; those left out answer UNIMPLEMENTED.
    func implement(_ router: Router) throws
}

extension ServiceCommand {
    public func implement(_ router: Router) throws {}

    /// A model-serving command's start: OpenBLAS's faster kernels first (that
    /// restarts the process once, so before any weights are read), then the
    /// checkpoint; one that cannot be loaded stops the command, saying why.
    /// Without one, the bundled demo model of `demo` (DemoModels), saying so
    /// in one log line; `--no-demo-model` or IRG_DEMO_MODELS=none leaves it out.
    public func loadModel<Service>(_ checkpoint: String?, demo: DemoModels.Part? = nil,
                                   _ load: (URL?) throws -> Service) throws -> Service {
        OpenBLASCoreType.preferSkylakeX()
        var folder = checkpoint.map { URL(fileURLWithPath: $0) }
        if folder == nil, !service.noDemoModel, let demo, let bundled = DemoModels.folder(demo) {
            Logger(label: Self.spec.executable).notice("no model option given: loading the bundled demo model \(bundled.path) (CC BY-NC 4.0, Models/demo/README.md)")
            folder = bundled
        }
        do {
            return try load(folder)
        } catch {
            throw ValidationError("cannot load the checkpoint \(folder?.path ?? ""): \(error)")
        }
    }

    public func run() async throws {
        try await ServiceHost.run(Self.spec, options: service, implement: implement)
    }
}
