import Foundation
import IRGAssessment
import IRGModels
import IRGMotion
import IRGProto
import IRGRPC

/// irg.v1.MotionAssessor: IRG-MotionLLM's GRPO rewards as a batched service
/// (docs/assessor.md). Messages in, `MotionAssessor` (Shared/Assessment) on
/// the compute queue, messages out; each item of a batch has its own status.
public struct AssessorService: Sendable {
    public struct Limits: Sendable {
        public var maxItems = 256
        public var maxFrames = 4096
        public init() {}
    }

    let assessor: MotionAssessor
    let tokenizer: NngClient?
    /// Enables the self_assessment term (the generator's Score).
    let generator: NngClient?
    let limits: Limits

    public init(evaluator folder: URL?, tokenizer: NngClient?, generator: NngClient? = nil, limits: Limits = Limits()) throws {
        self.init(assessor: MotionAssessor(evaluator: try folder.map(EvaluatorCheckpoint.init)), tokenizer: tokenizer,
                  generator: generator, limits: limits)
    }

    public init(assessor: MotionAssessor, tokenizer: NngClient?, generator: NngClient? = nil, limits: Limits = Limits()) {
        self.assessor = assessor
        self.tokenizer = tokenizer
        self.generator = generator
        self.limits = limits
    }

    public func install(on router: Router) {
        router.implement(Irg_V1_MotionAssessor.assess) { request, context in
            let reply = try await assessBatch(.with { $0.items = [request] }, context: context)
            let result = reply.results[0]
            guard result.status.code == .ok else {
                throw RPCError(StatusCode(rawValue: result.status.code.rawValue) ?? .internal, result.status.message,
                               details: result.status.details)
            }
            return result.result
        }
        router.implement(Irg_V1_MotionAssessor.assessBatch) { request, context in try await assessBatch(request, context: context) }
    }

    func assessBatch(_ request: Irg_V1_AssessBatchRequest, context: CallContext) async throws -> Irg_V1_AssessBatchResponse {
        guard request.items.count <= limits.maxItems else {
            throw RPCError(.resourceExhausted, "\(request.items.count) items; this assessor takes at most \(limits.maxItems) a batch (--max-batch-items)")
        }
        guard !request.items.isEmpty else { throw RPCError(.invalidArgument, "items is empty") }
        let normalization: GroupNormalization
        switch request.normalization {
        case .none: normalization = .none
        case .minMax: normalization = .minMax
        case .zScore: normalization = .zScore
        case .UNRECOGNIZED(let n): throw RPCError(.invalidArgument, "unknown normalization \(n)")
        }
        var (prepared, candidateCodes) = try await AssessmentRequests(limits: limits, tokenizer: tokenizer).prepare(request.items)
        try await SelfAssessmentScores(generator: generator, tokenizer: tokenizer).fill(&prepared, candidateCodes: candidateCodes)
        try context.checkDeadline()
        let inputs = prepared.compactMap { try? $0.get() }
        let assessor = assessor
        let assessed = try await ComputeQueue.run {
            try LibraryErrorStatus.mapped { try assessor.assess(inputs, normalization: normalization) }
        }
        var next = assessed.makeIterator()
        let results = prepared.indices.map { i -> Irg_V1_AssessBatchResult in
            switch prepared[i] {
            case .failure(let error): return Self.failed(error)
            case .success:
                switch next.next()! {
                case .success(let terms): return .with { $0.status = .init(); $0.result = Self.message(terms) }
                case .failure(let error): return Self.failed(Self.status(error, item: i))
                }
            }
        }
        prepared.removeAll()
        return .with { $0.results = results }
    }

    static func status(_ error: AssessmentError, item: Int) -> RPCError {
        switch error {
        case .invalid(let m): return RPCError(.invalidArgument, "items[\(item)]: \(m)", details: ["item": "\(item)"])
        case .unavailable(let m): return RPCError(.failedPrecondition, "items[\(item)]: \(m)", details: ["item": "\(item)"])
        }
    }

    static func failed(_ error: RPCError) -> Irg_V1_AssessBatchResult {
        .with {
            $0.status = .with {
                $0.code = Irg_V1_Code(rawValue: error.code.rawValue)
                $0.message = error.message
                $0.details = error.details
            }
        }
    }

    static func message(_ t: AssessmentTerms) -> Irg_V1_MotionAssessResponse {
        var m = Irg_V1_MotionAssessResponse()
        m.alignment = t.alignment ?? 0
        m.matchingDistance = t.matchingDistance ?? 0
        m.tmDistance = t.tmDistance ?? 0
        m.similarity = t.similarity ?? 0
        if let q = t.quality { m.quality = EvaluatorService.message(q) }
        if let mm = t.mmDistance { (m.mmDistance, m.hasMmDistance) = (mm, true) }
        if let f = t.format { (m.format, m.hasFormat) = (f, true) }
        if let s = t.selfAssessment { (m.selfAssessment, m.hasSelfAssessment) = (s, true) }
        if let p = t.process {
            m.process = .with {
                $0.roundTmDistance = t.roundTmDistances
                ($0.first, $0.last, $0.best, $0.mean) = (p.first, p.last, p.best, p.mean)
                ($0.lastIsBest, $0.ranking) = (p.lastIsBest, p.ranking)
            }
        }
        m.terms = Dictionary(uniqueKeysWithValues: t.summed.map { ($0.key.rawValue, $0.value) })
        m.reward = t.reward
        m.motionMissing = t.motionMissing
        return m
    }
}
