/// The skeleton HumanML3D scales every clip to: the bone vectors of
/// `humanml3d-samples/new_joints/000000.npy` frame 0 (every processed clip
/// has the same bone lengths). Regenerate with Scripts/reference/target_skeleton.py.
public enum TargetSkeleton {
    public static let humanML3DBoneLengths: [Float] = [0.0, 0.10307399183511734, 0.1098833829164505, 0.13156820833683014, 0.3936232030391693, 0.39018821716308594, 0.14319021999835968, 0.43243297934532166, 0.4256434142589569, 0.057364773005247116, 0.14338181912899017, 0.14941908419132233, 0.21936003863811493, 0.13748683035373688, 0.14338278770446777, 0.10303924232721329, 0.13161402940750122, 0.12298436462879181, 0.25683993101119995, 0.2630918622016907, 0.2660117745399475, 0.2698763608932495]

    public static var humanML3DOffsets: [SIMD3<Float>] {
        zip(Skeleton.humanML3D.rawOffsets, humanML3DBoneLengths).map { $0 * $1 }
    }
}
