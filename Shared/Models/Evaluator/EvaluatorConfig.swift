/// The text-motion matching evaluator's sizes (Guo et al. 2022, `opt` of
/// text_mot_match); the defaults are the HumanML3D evaluator's.
public struct EvaluatorConfig: Codable, Sendable, Equatable {
    public var dimPose = 263
    public var dimWord = 300
    public var dimPosOneHot = 15
    public var dimTextHidden = 512
    public var dimCoembHidden = 512
    public var dimMovementEncHidden = 512
    public var dimMovementLatent = 512
    public var dimMotionHidden = 1024
    /// Text tokens kept between `sos` and `eos`.
    public var maxTextLength = 20
    /// Frames per movement step (the conv encoder halves time twice).
    public var unitLength = 4
    /// Motions are zero-padded to this many frames in the reference batches.
    public var paddedLength = 196

    enum CodingKeys: String, CodingKey {
        case dimPose = "dim_pose", dimWord = "dim_word", dimPosOneHot = "dim_pos_ohot", dimTextHidden = "dim_text_hidden"
        case dimCoembHidden = "dim_coemb_hidden", dimMovementEncHidden = "dim_movement_enc_hidden"
        case dimMovementLatent = "dim_movement_latent", dimMotionHidden = "dim_motion_hidden"
        case maxTextLength = "max_text_len", unitLength = "unit_length", paddedLength = "padded_length"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EvaluatorConfig()
        dimPose = try c.decodeIfPresent(Int.self, forKey: .dimPose) ?? d.dimPose
        dimWord = try c.decodeIfPresent(Int.self, forKey: .dimWord) ?? d.dimWord
        dimPosOneHot = try c.decodeIfPresent(Int.self, forKey: .dimPosOneHot) ?? d.dimPosOneHot
        dimTextHidden = try c.decodeIfPresent(Int.self, forKey: .dimTextHidden) ?? d.dimTextHidden
        dimCoembHidden = try c.decodeIfPresent(Int.self, forKey: .dimCoembHidden) ?? d.dimCoembHidden
        dimMovementEncHidden = try c.decodeIfPresent(Int.self, forKey: .dimMovementEncHidden) ?? d.dimMovementEncHidden
        dimMovementLatent = try c.decodeIfPresent(Int.self, forKey: .dimMovementLatent) ?? d.dimMovementLatent
        dimMotionHidden = try c.decodeIfPresent(Int.self, forKey: .dimMotionHidden) ?? d.dimMotionHidden
        maxTextLength = try c.decodeIfPresent(Int.self, forKey: .maxTextLength) ?? d.maxTextLength
        unitLength = try c.decodeIfPresent(Int.self, forKey: .unitLength) ?? d.unitLength
        paddedLength = try c.decodeIfPresent(Int.self, forKey: .paddedLength) ?? d.paddedLength
    }
}
