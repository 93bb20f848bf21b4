import ArgumentParser
import Foundation
import IRGNumerics
import IRGRPC

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
    public func loadModel<Service>(_ checkpoint: String?, _ load: (URL?) throws -> Service) throws -> Service {
        OpenBLASCoreType.preferSkylakeX()
        do {
            return try load(checkpoint.map { URL(fileURLWithPath: $0) })
        } catch {
            throw ValidationError("cannot load the checkpoint \(checkpoint ?? ""): \(error)")
        }
    }

    public func run() async throws {
        try await ServiceHost.run(Self.spec, options: service, implement: implement)
    }
}
