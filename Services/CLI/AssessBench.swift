import ArgumentParser
import Foundation
import IRGAssessment
import IRGModels
import IRGMotion
import IRGNumerics
import IRGProto
import IRGRPC
import IRGService
import Logging

/// `irg bench assess`: one AssessBatch of 64 motions (40 to 196 frames) with
/// texts and references (tm_distance and mm_distance, min-max in groups of 4,
/// as IRG's stage 3) through a real irg.v1.MotionAssessor over ipc://, against
/// the same rewards computed in-process by PyTorch (Scripts/reference/bench_assess.py)
/// on the same threads in the same run; and the call's share spent outside the
/// library (decode, queueing, encode, sockets).
struct AssessBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess", abstract: "AssessBatch of 64 motions against PyTorch in-process rewards.")

    @Option(help: "Timed repetitions per case (the median is reported).")
    var repeats: Int = 7

    @Option(help: "The Python peer.")
    var reference: String = "Scripts/reference/bench_assess.py"

    /// 40..196 frames, the peer's lengths.
    static let lengths = (0..<64).map { 40 + ($0 * 37) % 157 }

    func run() async throws {
        OpenBLASCoreType.preferSkylakeX()
        MallocTuning.keepFreedMessageBuffers()
        let threads = referenceThreads()
        var random = SeededRandom(seed: 1)
        let noise = { Float(Double(random.next() >> 11) * 0x1p-53 * 2 - 1) }
        let evaluator = try TextMotionEvaluator(DeterministicWeights(seed: 11), normalization: Normalization(
            mean: [Float](repeating: 0, count: 263), std: [Float](repeating: 1, count: 263)))
        let words = (0..<200).map { "w\($0)" } + ["unk", "sos", "eos"]
        let vectorizer = try WordVectorizer(words: words, vectors: (0..<words.count * 300).map { _ in noise() })
        let assessor = MotionAssessor(evaluator: EvaluatorCheckpoint(evaluator: evaluator, vectorizer: vectorizer))
        let motion = { (frames: Int) in MotionFeatures(frames: frames, dim: 263, values: (0..<frames * 263).map { _ in noise() }) }
        let inputs = Self.lengths.enumerated().map { i, n -> AssessmentInput in
            var input = AssessmentInput(text: (0..<(4 + i % 17)).map { "w\(($0 * 31 + i) % 200)/NOUN" }.joined(separator: " "),
                                        candidate: motion(n))
            input.reference = motion(Self.lengths[(i + 7) % 64])
            input.group = "g\(i / 4)"
            return input
        }
        let request = Irg_V1_AssessBatchRequest.with { request in
            request.normalization = .minMax
            request.items = inputs.map { input in
                .with {
                    $0.text = input.text
                    $0.motion = TensorMessages.motion(features: input.candidate!, joints: nil)
                    $0.reference = TensorMessages.motion(features: input.reference!, joints: nil)
                    $0.group = input.group
                }
            }
        }

        let url = "ipc://\(NSTemporaryDirectory())irg-bench-assess-\(getpid()).ipc"
        let router = Router()
        AssessorService(assessor: assessor, tokenizer: nil).install(on: router)
        let server = NngServer(dispatcher: Dispatcher(router: router, options: ServerOptions(name: "irg-assessor"),
                                                      logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })))
        try server.start([.listen(url)])
        defer { server.close() }
        let client = try NngClient(dialing: [url])
        defer { client.close() }
        // The library alone and the whole call alternate, so both see the same machine state
        // (this VM's speed drifts from minute to minute).
        var calls: [Double] = [], alone: [Double] = []
        for k in 0...repeats {
            var start = ContinuousClock.now
            _ = try assessor.assess(inputs, normalization: .minMax)
            if k > 0 { alone.append((ContinuousClock.now - start).seconds) }
            start = ContinuousClock.now
            let reply = try await client.call(Irg_V1_MotionAssessor.assessBatch, request, options: CallOptions(timeoutMilliseconds: 120_000))
            precondition(reply.results.allSatisfy { $0.status.code == .ok })
            if k > 0 { calls.append((ContinuousClock.now - start).seconds) }
        }
        let median = { (x: [Double]) in x.sorted()[x.count / 2] }
        let (call, library) = (median(calls), median(alone))
        // Where the rest goes: the request's encode and its decode into the generated types.
        let bytes = try request.serializedData()
        let encode = try medianSeconds(repeats) { _ = try request.serializedData() }
        let decode = try medianSeconds(repeats) {
            let decoded = try Irg_V1_AssessBatchRequest(serializedData: bytes)
            for (i, item) in decoded.items.enumerated() { _ = try TensorMessages.features(of: item.motion, index: i, dim: 263) }
        }
        let python = try runReferenceScript(reference, ["\(threads)", "\(repeats)"]).compactMapValues { $0 as? Double }
        let torch = python["assess_64"]!
        print("AssessBatch of 64 motions (40-196 frames) + 64 references + 64 texts, HumanML3D-sized evaluator; \(threads) threads for both; median of \(repeats)")
        print("case                                   ms    items/s")
        print(String(format: "PyTorch in-process (IRG's path)  %9.1f  %9.1f", torch * 1e3, 64 / torch))
        print(String(format: "irg-assessor, library alone      %9.1f  %9.1f", library * 1e3, 64 / library))
        print(String(format: "irg-assessor, AssessBatch RPC    %9.1f  %9.1f", call * 1e3, 64 / call))
        print(String(format: "ratio (RPC items/s / PyTorch): %.2fx; RPC's share of the call: %.1f%% (%.1f ms); request %.1f MB",
                     torch / call, max(0, call - library) / call * 100, max(0, call - library) * 1e3,
                     Double(bytes.count) / 1e6))
        print(String(format: "of which: encode the request %.1f ms, decode it into the generated types and tensors %.1f ms", encode * 1e3, decode * 1e3))
    }
}
