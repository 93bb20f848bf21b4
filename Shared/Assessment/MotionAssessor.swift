import IRGMetrics
import IRGModels
import IRGMotion

/// IRG-MotionLLM's stage-3 rewards for a batch of items: one evaluator pass
/// over every text and every motion of the batch, then the terms, the
/// group's normalisation and the weighted sum, item by item. One bad item
/// gets its own error and never fails the others.
public struct MotionAssessor: Sendable {
    public let evaluator: EvaluatorCheckpoint?

    public init(evaluator: EvaluatorCheckpoint?) { self.evaluator = evaluator }

    public func assess(_ items: [AssessmentInput], normalization: GroupNormalization = .none) throws
        -> [Result<AssessmentTerms, AssessmentError>] {
        let embeddings = try embed(items)
        var results = items.enumerated().map { i, item in
            Result { try terms(of: item, embeddings: embeddings?.item(i)) }.mapError { $0 as? AssessmentError ?? .invalid("\($0)") }
        }
        weigh(&results, items: items, normalization: normalization)
        return results
    }

    // MARK: embeddings

    /// Rows of one batched evaluator pass, per item.
    struct BatchEmbeddings {
        let dim: Int
        let texts: [Float], motions: [Float]
        /// Per item: its text row, and its motion rows (candidate, reference?, rounds...).
        let layout: [(text: Int, candidate: Int, reference: Int?, rounds: Range<Int>)]

        func item(_ i: Int) -> ItemEmbeddings {
            let l = layout[i]
            let row = { (buffer: [Float], r: Int) in Array(buffer[r * dim ..< (r + 1) * dim]) }
            return ItemEmbeddings(text: row(texts, l.text), candidate: row(motions, l.candidate),
                                  reference: l.reference.map { row(motions, $0) }, rounds: l.rounds.map { row(motions, $0) })
        }
    }

    struct ItemEmbeddings {
        let text: [Float], candidate: [Float], reference: [Float]?, rounds: [[Float]]
    }

    private func embed(_ items: [AssessmentInput]) throws -> BatchEmbeddings? {
        guard let evaluator else { return nil }
        let model = evaluator.evaluator
        let zeroMotion = MotionFeatures(frames: EvaluatorCrop.maxFrames, dim: model.config.dimPose,
                                        values: (0..<EvaluatorCrop.maxFrames).flatMap { _ in model.featureMean })
        var motions: [MotionFeatures] = []
        var layout: [(text: Int, candidate: Int, reference: Int?, rounds: Range<Int>)] = []
        for (i, item) in items.enumerated() {
            // An item whose motions cannot be cropped is embedded as the zero motion;
            // `terms` then reports its error.
            let crop = { (m: MotionFeatures, field: String) in (try? EvaluatorCrop.apply(m, field: field)) ?? zeroMotion }
            let candidate = motions.count
            motions.append(item.candidate.map { crop($0, "items[\(i)].motion") } ?? zeroMotion)
            let reference = item.reference.map { r -> Int in
                motions.append(crop(r, "items[\(i)].reference"))
                return motions.count - 1
            }
            let roundsStart = motions.count
            motions += item.rounds.map { crop($0, "items[\(i)].transcript") }
            layout.append((i, candidate, reference, roundsStart ..< motions.count))
        }
        let texts = try evaluator.embed(texts: items.map(\.text))
        return BatchEmbeddings(dim: model.embeddingDim, texts: texts, motions: try model.embed(motions: motions), layout: layout)
    }

    // MARK: terms of one item

    private func terms(of item: AssessmentInput, embeddings: ItemEmbeddings?) throws -> AssessmentTerms {
        var out = AssessmentTerms()
        out.motionMissing = item.candidate == nil
        if let candidate = item.candidate {
            _ = try EvaluatorCrop.apply(candidate, field: "motion")
            out.quality = try? Self.quality(candidate)
        }
        if let reference = item.reference { _ = try EvaluatorCrop.apply(reference, field: "reference") }
        for round in item.rounds { _ = try EvaluatorCrop.apply(round, field: "a motion span of the transcript") }
        if let transcript = item.transcript { out.format = StrictFormat.reward(transcript) }
        out.selfAssessment = item.selfAssessment
        if let e = embeddings {
            out.alignment = Self.cosine(e.text, e.candidate)
            out.matchingDistance = Self.distance(e.text, e.candidate)
            out.mmDistance = e.reference.map { -Self.distance($0, e.candidate) }
            out.roundTmDistances = e.rounds.map { -Self.distance(e.text, $0) }
            out.process = ProcessRewards(scores: out.roundTmDistances)
        }
        for term in item.effectiveWeights.keys.sorted() where out.value(term) == nil {
            throw Self.missing(term, evaluator: embeddings != nil)
        }
        return out
    }

    static func missing(_ term: RewardTerm, evaluator: Bool) -> AssessmentError {
        if term.needsEvaluator && !evaluator {
            return .unavailable("'\(term.rawValue)' needs the evaluator: start irg-assessor with --evaluator DIR")
        }
        switch term {
        case .mmDistance: return .invalid("weights name 'mm_distance' but the item has no reference motion")
        case .format: return .invalid("weights name 'format' but the item has no transcript")
        case .selfAssessment: return .unavailable("'self_assessment' needs a generator: start irg-assessor with --generator ADDR")
        default: return .invalid("weights name '\(term.rawValue)' but the item has no transcript with motion spans")
        }
    }

    // MARK: normalisation and reward

    /// Each weighted term is normalised within the item's group (format
    /// excepted), then weighted and summed.
    private func weigh(_ results: inout [Result<AssessmentTerms, AssessmentError>], items: [AssessmentInput],
                       normalization: GroupNormalization) {
        var groups: [String: [Int]] = [:]
        for (i, result) in results.enumerated() where (try? result.get()) != nil { groups[items[i].group, default: []].append(i) }
        for members in groups.values {
            var normalized: [Int: [RewardTerm: Double]] = [:]
            let terms = Set(members.flatMap { items[$0].effectiveWeights.keys })
            for term in terms {
                let having = members.filter { items[$0].effectiveWeights[term] != nil }
                let raw = having.map { try! results[$0].get().value(term)! }
                let scaled = term.isNormalizedInGroup ? normalization.apply(raw) : raw
                for (i, v) in zip(having, scaled) { normalized[i, default: [:]][term] = v }
            }
            for i in members {
                guard case .success(var t) = results[i] else { continue }
                t.summed = normalized[i] ?? [:]
                t.reward = t.summed.reduce(0) { $0 + items[i].effectiveWeights[$1.key]! * $1.value }
                results[i] = .success(t)
            }
        }
    }

    /// MBench's terms on the joints the features describe.
    static func quality(_ features: MotionFeatures) throws -> MotionQuality {
        let joints = try FeatureRecovery.joints(features, jointCount: 22)
        return try MotionQuality(ZUpJoints(yUp: joints.values, frames: joints.frames, joints: joints.joints))
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / max((na * nb).squareRoot(), 1e-12)
    }

    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }.squareRoot()
    }
}
