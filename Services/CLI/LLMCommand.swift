import ArgumentParser
import Foundation
import IRGModels
import IRGMotion
import IRGText

/// `irg llm ...`: the Gemma2 + LoRA engine from the command line.
struct LLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm", abstract: "Gemma2 + LoRA: tokenize, logits, greedy generation, chat, 8-bit weights.",
        subcommands: [LLMTokenizeCommand.self, LLMLogitsCommand.self, LLMGenerateCommand.self, LLMChatCommand.self,
                      LLMQuantizeCommand.self])
}

/// --model and --adapter, as every llm subcommand that runs the model takes them.
struct LLMModelOptions: ParsableArguments {
    @Option(help: "HF model folder: config.json, model.safetensors (or shards + index), tokenizer.json, irg_options.json if any.")
    var model: String

    @Option(help: "peft LoRA adapter folder (adapter_config.json, adapter_model.safetensors), applied to every token.")
    var adapter: String?

    /// The model with the adapter loaded (unmerged), and the adapter's name.
    func load() throws -> (Gemma2Model, String?) {
        var gemma = try motionStep(model) { try Gemma2Model(folder: URL(fileURLWithPath: model)) }
        guard let adapter else { return (gemma, nil) }
        let url = URL(fileURLWithPath: adapter)
        let name = url.lastPathComponent
        try motionStep(adapter) { try gemma.add(LoRAAdapter(peftFolder: url, name: name, config: gemma.config)) }
        return (gemma, name)
    }

    func tokenizer() throws -> BPETokenizer { try loadTokenizer(model) }
}

/// The tokenizer.json of a model folder; errors name the folder.
func loadTokenizer(_ folder: String) throws -> BPETokenizer {
    try motionStep(folder) { try BPETokenizer(contentsOf: URL(fileURLWithPath: folder)) }
}

/// "2,17,9" -> [2, 17, 9]; anything else is a usage error.
func parseIds(_ text: String) throws -> [Int] {
    let ids = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else {
        throw ValidationError("--ids must be comma-separated integers, e.g. 2,17,9")
    }
    return ids.map { $0! }
}

struct LLMTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Text -> token ids, comma separated, <bos> first (as HF tokenizers).")

    @Option(help: "Model folder holding tokenizer.json.")
    var model: String

    @Argument(help: "The text (put -- before text that starts with a dash).")
    var text: String

    func run() throws {
        let tokenizer = try loadTokenizer(model)
        let ids = try motionStep(model) { try tokenizer.encode(text) }
        print(ids.map(String.init).joined(separator: ","))
    }
}

struct LLMLogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits", abstract: "Token ids -> float32 logits (T, V) after the final softcap, as .npy.")

    @OptionGroup var model: LLMModelOptions

    @Option(help: "Token ids, comma separated.")
    var ids: String

    @Option(help: "Output .npy.")
    var out: String

    func run() throws {
        let ids = try parseIds(ids)
        let (gemma, adapter) = try model.load()
        let logits = try motionStep(model.model) {
            try gemma.forward([SequenceInput(tokens: ids, cache: gemma.makeCache(), adapter: adapter)], logits: .all)
        }
        try motionStep(out) {
            try NPYArray(shape: [ids.count, gemma.config.vocabSize], floats: logits.flatMap { $0 }).write(URL(fileURLWithPath: out))
        }
    }
}

struct LLMGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Token ids -> the new ids, comma separated; stops after <eos> (not printed).")

    @OptionGroup var model: LLMModelOptions

    @Option(help: "Prompt token ids, comma separated.")
    var ids: String

    @Option(help: "Most new tokens.")
    var maxNewTokens: Int = 64

    @Flag(help: "Greedy decoding (argmax).")
    var greedy = false

    func validate() throws {
        guard greedy else { throw ValidationError("only --greedy decoding is available from this command") }
        guard maxNewTokens > 0 else { throw ValidationError("--max-new-tokens must be positive") }
    }

    func run() throws {
        let ids = try parseIds(ids)
        let (gemma, adapter) = try model.load()
        let eos = Set(gemma.config.eosTokenIds)
        var generated = try motionStep(model.model) {
            try gemma.greedy(prompt: ids, maxNewTokens: maxNewTokens, adapter: adapter, stopIds: eos)
        }
        if let last = generated.last, eos.contains(last) { generated.removeLast() }
        print(generated.map(String.init).joined(separator: ","))
    }
}

struct LLMChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Try MotionLLM's tasks by hand: one line a turn, /generate, /caption, /assess, /refine, /interleave or free text (IRG template).")

    @OptionGroup var model: LLMModelOptions

    @Option(help: "Most new tokens per answer (0: each task's default).")
    var maxNewTokens: Int = 0

    @Option(help: "Sample at this temperature instead of greedy decoding (seeded by --seed).")
    var temperature: Float?

    @Option var seed: UInt64 = 1

    func run() throws {
        let (gemma, adapter) = try model.load()
        let llm = try motionStep(model.model) { try MotionLLM(model: gemma, tokenizer: model.tokenizer()) }
        FileHandle.standardError.write(Data("Commands: \(ChatLine.help)\nCtrl-D ends.\n".utf8))
        var lastMotion: [Int]?
        while let line = readLine() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            do {
                try answer(try ChatLine(line, lastMotion: lastMotion), llm: llm, adapter: adapter, lastMotion: &lastMotion)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            }
        }
    }

    private func answer(_ line: ChatLine, llm: MotionLLM, adapter: String?, lastMotion: inout [Int]?) throws {
        let task: MotionLLMTask
        switch line {
        case .text(let text):
            let prompt = try llm.tokenizer.encode(MotionLLMPrompt.irg(user: text))
            let request = GenerationRequest(prompt: prompt, adapter: adapter, settings: settings(defaultLength: 256), motion: llm.motion)
            let result = try llm.generator.generate([request])[0]
            print(try llm.text(of: result))
            return
        case .task(let t): task = t
        }
        let request = try llm.request(for: task, settings: settings(defaultLength: task.defaultMaxNewTokens), adapter: adapter)
        let result = try llm.generator.generate([request])[0]
        let text = try llm.text(of: result)
        switch task {
        case .generate, .refine:
            let codes = try llm.codes(of: result, request: request)
            lastMotion = codes
            print("motion (\(codes.count) codes): \(codes.map(String.init).joined(separator: ","))")
        case .refineInstruction:
            let reply = AssessmentReply(parsing: text)
            print("assessment: \(reply.assessment)\ninstruction: \(reply.instruction)\(reply.satisfied ? " (satisfied)" : "")")
        case .interleave:
            let transcript = InterleaveTranscript(parsing: text)
            print(text)
            if let codes = transcript.rounds.last.flatMap({ try? llm.codes(inText: $0.generation) }) {
                lastMotion = codes
                print("final motion (\(codes.count) codes, \(transcript.rounds.count) rounds): \(codes.map(String.init).joined(separator: ","))")
            }
        case .caption, .analyze:
            print(text)
        }
    }

    private func settings(defaultLength: Int) -> SamplingSettings {
        let length = maxNewTokens > 0 ? maxNewTokens : defaultLength
        guard let temperature else { return SamplingSettings(greedy: true, maxNewTokens: length) }
        return SamplingSettings(temperature: temperature, seed: seed, maxNewTokens: length)
    }
}

struct LLMQuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Writes the model with int8 weights (a float32 scale per 64 inputs) into a new folder; load it like any other.")

    @Option(help: "HF model folder to quantize.")
    var model: String

    @Option(help: "Output folder: model.safetensors plus copies of config.json, the tokenizer and irg_options.json.")
    var out: String

    func validate() throws {
        let (source, target) = (URL(fileURLWithPath: model).standardizedFileURL, URL(fileURLWithPath: out).standardizedFileURL)
        guard source.path != target.path else { throw ValidationError("--out must be a different folder from --model") }
    }

    func run() throws {
        let target = URL(fileURLWithPath: out)
        try motionStep(model) { try Int8Checkpoint.quantizeFolder(URL(fileURLWithPath: model), into: target) }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: target.appendingPathComponent("model.safetensors").path)[.size] as? Int) ?? 0
        print(String(format: "wrote %@/model.safetensors (%.1f MB)", out, Double(bytes) / 1e6))
    }
}
