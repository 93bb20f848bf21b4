import ArgumentParser
import Foundation
import IRGProto
import IRGRPC
import IRGService

/// What `irg generate`, `irg converse` and `irg chat` share: where the
/// orchestrator is, the loop each request runs, its seed and deadline.
struct OrchestratorCallOptions: ParsableArguments {
    @OptionGroup var loop: LoopOptionGroup
    @Option(help: "Seed of the loop (0: a fresh one; the session records it).")
    var seed: UInt64 = 0
    @Flag(help: "Argmax decoding.")
    var greedy = false
    @Option(help: "The orchestrator's address.")
    var orchestrator = ServiceSpec.orchestrator.defaultAddress
    @Option(help: "Deadline of one request in milliseconds.")
    var timeout: Int64 = 600_000
    @Option(help: "Shared secret sent as 'authorization' metadata (default: $IRG_AUTH_TOKEN).")
    var authToken: String?
    @OptionGroup var tls: TLSOptionGroup

    func client() throws -> NngClient {
        tls.apply()
        return try NngClient(dialing: [orchestrator], authToken: resolvedAuthToken(authToken))
    }

    var loopOptions: Irg_V1_LoopOptions {
        loop.message(sampling: .with {
            $0.seed = seed
            $0.greedy = greedy
        })
    }
}
