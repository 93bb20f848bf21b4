import Foundation
import IRGAssessment
import IRGMotion
import IRGProto
import IRGRPC

/// MotionAssessRequest items -> the library's inputs, each item on its own:
/// its bad input is its INVALID_ARGUMENT, never the batch's. Codes (given,
/// or the transcript's motion spans) are decoded by the tokenizer in one
/// Decode call for the whole batch, after a range check against its codebook.
struct AssessmentRequests {
    let limits: AssessorService.Limits
    let tokenizer: NngClient?

    /// Codes an item needs decoded, with where they go.
    private enum CodesRole { case candidate, round(Int) }

    /// The items' inputs, and the codes of each candidate that came as codes (given, or
    /// the transcript's last span), by item.
    func prepare(_ items: [Irg_V1_MotionAssessRequest]) async throws
        -> (inputs: [Result<AssessmentInput, RPCError>], candidateCodes: [Int: [Int32]]) {
        var inputs: [Result<AssessmentInput, RPCError>] = []
        var pending: [(item: Int, role: CodesRole, codes: [Int32])] = []
        for (i, item) in items.enumerated() {
            do {
                let (input, codes) = try prepare(item, index: i)
                inputs.append(.success(input))
                pending += codes.map { (i, $0.0, $0.1) }
            } catch let error as RPCError {
                inputs.append(.failure(error))
            }
        }
        var candidateCodes: [Int: [Int32]] = [:]
        for (item, role, codes) in pending { if case .candidate = role { candidateCodes[item] = codes } }
        guard !pending.isEmpty else { return (inputs, candidateCodes) }
        let decoded = try await decode(pending.map(\.codes), inputs: &inputs, items: pending.map(\.item))
        for ((item, role, _), motion) in zip(pending, decoded) {
            guard case .success(var input) = inputs[item], let motion else { continue }
            switch role {
            case .candidate: input.candidate = motion
            case .round(let r): input.rounds[r] = motion
            }
            inputs[item] = .success(input)
        }
        return (inputs, candidateCodes)
    }

    private func prepare(_ item: Irg_V1_MotionAssessRequest, index i: Int) throws -> (AssessmentInput, [(CodesRole, [Int32])]) {
        let field = { (name: String) in "items[\(i)].\(name)" }
        func invalid(_ message: String, _ name: String) -> RPCError {
            RPCError(.invalidArgument, "\(field(name)) \(message)", details: ["item": "\(i)", "field": field(name)])
        }
        guard !item.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw invalid("is empty", "text") }
        var codes: [(CodesRole, [Int32])] = []
        var input = AssessmentInput(text: item.text, candidate: nil)
        input.group = item.group
        do {
            input.weights = try RewardTerm.weights(item.weights)
        } catch {
            throw invalid("names \(error)".replacingOccurrences(of: "weights: ", with: ""), "weights")
        }
        let spans = TranscriptMotions.spans(in: item.transcript)
        if !item.transcript.isEmpty {
            input.transcript = item.transcript
            input.rounds = spans.map { _ in MotionFeatures(frames: 0, dim: 263, values: []) }
            codes += spans.enumerated().map { (.round($0), $1.map { Int32(clamping: $0) }) }
        }
        switch item.candidate {
        case .motion(let motion)?:
            input.candidate = try features(motion, field: field("motion"), index: i)
        case .codes(let c)?:
            guard !c.codes.isEmpty else { throw invalid("is empty", "codes") }
            codes.append((.candidate, c.codes))
        case nil:
            if let last = spans.last {
                codes.append((.candidate, last.map { Int32(clamping: $0) }))
            } else if item.transcript.isEmpty {
                throw invalid("has no candidate: give motion, codes or a transcript", "candidate")
            } else if item.missingMotion == .error {
                throw invalid("has no motion span (missing_motion: ERROR)", "transcript")
            }
        }
        if item.hasReference { input.reference = try features(item.reference, field: field("reference"), index: i) }
        return (input, codes)
    }

    /// Features of a Motion message: (T, 263) or joints (T, 22, 3), finite, within the frame limit.
    private func features(_ motion: Irg_V1_Motion, field: String, index i: Int) throws -> MotionFeatures {
        let frames = motion.hasFeatures ? motion.features.shape.first : motion.joints.shape.first
        if let frames, frames > UInt64(limits.maxFrames) {
            throw RPCError(.resourceExhausted, "\(field) has \(frames) frames; this assessor takes at most \(limits.maxFrames) (--max-frames)",
                           details: ["item": "\(i)", "field": field])
        }
        do {
            return try TensorMessages.features(of: motion, field: field, dim: 263)
        } catch let error as RPCError {  // the library's own messages (feature extraction) get the field too
            let message = error.message.hasPrefix(field) ? error.message : "\(field): \(error.message)"
            throw RPCError(error.code, message, details: ["item": "\(i)", "field": field])
        }
    }

    /// One Decode call for every code list; a list outside the codebook fails its item.
    private func decode(_ lists: [[Int32]], inputs: inout [Result<AssessmentInput, RPCError>], items: [Int]) async throws -> [MotionFeatures?] {
        guard let tokenizer else {
            for item in Set(items) {
                inputs[item] = .failure(RPCError(.failedPrecondition, "items[\(item)] carries motion codes; start irg-assessor with --tokenizer ADDR to decode them",
                                                 details: ["item": "\(item)"]))
            }
            return lists.map { _ in nil }
        }
        let codebook = Int32(try await tokenizer.call(Irg_V1_MotionTokenizer.info, .init()).codebookSize)
        var valid: [Int] = []
        for (k, list) in lists.enumerated() {
            if let bad = list.first(where: { $0 < 0 || $0 >= codebook }) {
                inputs[items[k]] = .failure(RPCError(.invalidArgument, "items[\(items[k])]: code \(bad) is outside the codebook (0..<\(codebook))",
                                                     details: ["item": "\(items[k])"]))
            } else {
                valid.append(k)
            }
        }
        var out = [MotionFeatures?](repeating: nil, count: lists.count)
        guard !valid.isEmpty else { return out }
        let reply = try await tokenizer.call(Irg_V1_MotionTokenizer.decode, .with {
            $0.codes = valid.map { k in .with { $0.codes = lists[k] } }
            $0.skipJoints = true
        })
        for (k, motion) in zip(valid, reply.motions) { out[k] = try TensorMessages.features(of: motion, index: k, dim: 263) }
        return out
    }
}
