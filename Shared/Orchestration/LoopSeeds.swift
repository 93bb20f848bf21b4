/// The seed of each downstream call, derived from the request's seed, the
/// round and the candidate, so a run is reproducible and every call is safe
/// to retry (the same request gives the same answer). Never 0: the generator
/// reads 0 as "a fresh random seed".
public enum LoopSeeds {
    public static func seed(base: UInt64, round: Int, candidate: Int = 0) -> UInt64 {
        var z = base &+ UInt64(truncatingIfNeeded: round) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: candidate) &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9  // SplitMix64's finaliser
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return z == 0 ? 1 : z
    }
}
