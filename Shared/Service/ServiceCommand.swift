import ArgumentParser
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

    public func run() async throws {
        try await ServiceHost.run(Self.spec, options: service, implement: implement)
    }
}
