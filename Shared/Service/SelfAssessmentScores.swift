import Foundation
import IRGAssessment
import IRGModels
import IRGMotion
import IRGProto
import IRGRPC

/// The `self_assessment` term: log P(the model's refinement instruction for
/// this text and motion is exactly "No refinements needed."), by the
/// generator's Score on IRG's refine-instruction prompt. The continuation is
/// the answer as the model writes it after "Response:" (a space, the
/// instruction, `<eos>`). Computed only for items whose weights name it,
/// since each costs a forward pass of the generator.
struct SelfAssessmentScores {
    let generator: NngClient?
    let tokenizer: NngClient?

    static let continuation = " \(AssessmentReply.satisfiedInstruction)<eos>"

    func fill(_ inputs: inout [Result<AssessmentInput, RPCError>], candidateCodes: [Int: [Int32]]) async throws {
        let wanted = inputs.indices.filter { (try? inputs[$0].get())?.weights[.selfAssessment] != nil }
        guard !wanted.isEmpty, let generator else { return }  // without one, the library says which option is missing
        var codes = candidateCodes
        let toEncode = wanted.filter { codes[$0] == nil && (try? inputs[$0].get())?.candidate != nil }
        if let tokenizer, !toEncode.isEmpty {
            let motions = toEncode.map { TensorMessages.motion(features: try! inputs[$0].get().candidate!, joints: nil) }
            let encoded = try await tokenizer.call(Irg_V1_MotionTokenizer.encode, .with { $0.motions = motions })
            for (i, c) in zip(toEncode, encoded.codes) { codes[i] = c.codes }
        } else {  // left without codes, these items are skipped below
            for i in toEncode { inputs[i] = .failure(Self.failure(i, "self_assessment of a motion given as features needs --tokenizer ADDR to encode it")) }
        }
        try await withThrowingTaskGroup(of: (Int, Result<Double, RPCError>).self) { group in
            for i in wanted {
                guard case .success(let input) = inputs[i], let motion = codes[i] else { continue }
                group.addTask {
                    do {
                        let prompt = try MotionLLMTask.refineInstruction(caption: input.text, motion: motion.map { Int($0) }).prompt()
                        let reply = try await generator.call(Irg_V1_MotionGenerator.score, .with {
                            $0.prompt = prompt
                            $0.continuation = Self.continuation
                        })
                        return (i, .success(reply.totalLogProb))
                    } catch let error as RPCError {
                        return (i, .failure(RPCError(error.code, "items[\(i)]: the generator's Score: \(error.message)", details: ["item": "\(i)"])))
                    } catch {
                        return (i, .failure(Self.failure(i, "\(error)")))
                    }
                }
            }
            for try await (i, score) in group {
                switch score {
                case .success(let value):
                    if case .success(var input) = inputs[i] {
                        input.selfAssessment = value
                        inputs[i] = .success(input)
                    }
                case .failure(let error): inputs[i] = .failure(error)
                }
            }
        }
    }

    static func failure(_ item: Int, _ message: String) -> RPCError {
        RPCError(.failedPrecondition, "items[\(item)]: \(message)", details: ["item": "\(item)"])
    }
}
