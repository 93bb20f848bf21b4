import Foundation
import IRGEvaluation
import IRGModels
import IRGMotion
import IRGProto
import IRGRPC
import IRGService
import Logging
import Testing

/// The protocol against a generator service, over real sockets: irg-generator
/// (the tiny Gemma2 fixture with its t2m adapter) makes codes for each caption,
/// irg-tokenizer decodes them, irg-evaluator runs the job with MultiModality.
@Suite struct EvaluationAgainstServicesTests {
    static let gemma2: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        dir.deleteLastPathComponent()
        return dir.deletingLastPathComponent().appendingPathComponent("LanguageModelTests/Fixtures/gemma2")
    }()

    /// The small VQ-VAE with its 64 codebook rows repeated to the 512 codes the
    /// generator speaks.
    static func tokenizerWith512Codes(in dir: URL) throws -> URL {
        let source = VQVAETests.fixture("small_f32"), folder = dir.appendingPathComponent("vq512")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["mean.npy", "std.npy"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("config.json"))) as! [String: Any]
        config["nb_code"] = 512
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        let weights = try SafeTensorsCheckpoint(source.appendingPathComponent("vqvae.safetensors"))
        var tensors = weights.tensors
        let codebook = try weights.tensor("vqvae.quantizer.codebook")
        let rows = codebook.floats()
        tensors["vqvae.quantizer.codebook"] = SafeTensor(shape: [512, codebook.shape[1]], floats: Array(repeating: rows, count: 512 / codebook.shape[0]).flatMap { $0 })
        try SafeTensorsCheckpoint(tensors: tensors).write(folder.appendingPathComponent("vqvae.safetensors"))
        return folder
    }

    static func serve(_ service: String, _ install: (Router) throws -> Void) throws -> (NngServer, String) {
        let address = "ipc://\(NSTemporaryDirectory())irg-eval-e2e-\(getpid())-\(UUID().uuidString.prefix(8)).ipc"
        let router = Router()
        router.register(service: service)
        try install(router)
        let server = NngServer(dispatcher: Dispatcher(router: router, options: ServerOptions(name: service),
                                                      logger: Logger(label: service, factory: { _ in SwiftLogNoOpLogHandler() })))
        try server.start([.listen(address)])
        return (server, address)
    }

    @Test func aJobAgainstAGeneratorReportsEveryMetricWithMultiModality() async throws {
        let dir = try EvaluationProtocolTests.dataset()
        defer { try? FileManager.default.removeItem(at: dir) }
        let llm = try MotionLLM(folder: Self.gemma2.appendingPathComponent("model_a"),
                                adapters: [("t2m", Self.gemma2.appendingPathComponent("adapter_t2m"))])
        let (generator, generatorAddress) = try Self.serve("irg.v1.MotionGenerator") { GeneratorService(llm: llm).install(on: $0) }
        let vq = try Self.tokenizerWith512Codes(in: dir)
        let (tokenizer, tokenizerAddress) = try Self.serve("irg.v1.MotionTokenizer") { try TokenizerService(checkpoint: vq).install(on: $0) }
        let (evaluator, evaluatorAddress) = try Self.serve("irg.v1.MotionEvaluator") {
            try EvaluatorService(checkpoint: EvaluatorTests.fixture("small_f32"), jobsFolder: dir.appendingPathComponent("jobs")).install(on: $0)
        }
        let client = try NngClient(dialing: [evaluatorAddress])
        defer { client.close(); evaluator.close(); tokenizer.close(); generator.close() }

        var sampling = ProtoMessage(type: "irg.v1.SamplingParams")
        sampling["max_new_tokens"] = .uint(6)
        sampling["top_k"] = .uint(50)
        var generation = ProtoMessage(type: "irg.v1.GenerationOptions")
        generation["sampling"] = .message(sampling)
        var request = ProtoMessage(type: "irg.v1.StartJobRequest")
        request["dataset_dir"] = .string(dir.path)
        request["generator_address"] = .string(generatorAddress)
        request["tokenizer_address"] = .string(tokenizerAddress)
        request["generation"] = .message(generation)
        request["repeats"] = .uint(1)
        request["seed"] = .uint(3)
        request["multimodality"] = .bool(true)
        request["multimodality_texts"] = .uint(6)
        request["multimodality_samples"] = .uint(12)
        let id = try await client.call("irg.v1.MotionEvaluator/StartJob", request).string("job_id")

        var status = ProtoMessage(type: "irg.v1.JobStatusResponse")
        for _ in 0..<1200 {
            var ask = ProtoMessage(type: "irg.v1.JobStatusRequest")
            ask["job_id"] = .string(id)
            status = try await client.call("irg.v1.MotionEvaluator/JobStatus", ask)
            if status.enumValue("state") >= 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status.enumValue("state") == 3, "\(status.message("error")?.string("message") ?? "")")
        // 32 scored samples plus MultiModality's 6 texts x 12 motions.
        #expect(status.uint("done") == 32 + 6 * 12 && status.uint("total") == status.uint("done"))
        let report = try #require(status.message("report"))
        for metric in ["r_precision_top1", "r_precision_top3", "mm_dist", "fid", "multimodality"] {
            let value = try #require(report.message(metric), "\(metric)").double("mean")
            #expect(value.isFinite && value >= 0, "\(metric) = \(value)")
        }
        #expect(report.message("multimodality")!.double("mean") > 0, "sampled motions of one caption differ")
        let written = try String(contentsOf: URL(fileURLWithPath: status.string("report_path")).deletingLastPathComponent()
                                     .appendingPathComponent("report.md"), encoding: .utf8)
        #expect(written.contains("MultiModality"))

        // A generator that does not answer is refused at once, and so is MultiModality with greedy decoding.
        request["generator_address"] = .string("ipc:///tmp/irg-no-generator-here.ipc")
        let unreachable = await #expect(throws: RPCError.self) { try await client.call("irg.v1.MotionEvaluator/StartJob", request) }
        #expect(unreachable?.code == .unavailable)
        request["generator_address"] = .string(generatorAddress)
        request["multimodality_samples"] = .uint(10)
        let fewSamples = await #expect(throws: RPCError.self) { try await client.call("irg.v1.MotionEvaluator/StartJob", request) }
        #expect(fewSamples?.code == .invalidArgument, "10 motions cannot give 10 pairs")
        request["generator_address"] = .string(generatorAddress)
        sampling["greedy"] = .bool(true)
        generation["sampling"] = .message(sampling)
        request["generation"] = .message(generation)
        let greedy = await #expect(throws: RPCError.self) { try await client.call("irg.v1.MotionEvaluator/StartJob", request) }
        #expect(greedy?.code == .invalidArgument)
    }
}
