"""Makes the motion fidelity fixtures in Tests/MotionTests/Fixtures/reference/
with the independent NumPy/SciPy reference (humanml3d_reference.py):
for three real Bandai-Namco clips (copied into Fixtures/bandai-namco/ with
their licence) the SMPL-22 joints at 20 fps and their features, and for the
HumanML3D clip 012314 the features of its joints.

    python3 Scripts/reference/make_motion_fixtures.py [SHARED_DATA_DIR]
"""
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import humanml3d_reference as ref  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.abspath(os.path.join(REPO, "..", "shared", "data"))
FIXTURES = os.path.join(REPO, "Tests", "MotionTests", "Fixtures")
CLIPS = ["dataset-1_walk_normal_002", "dataset-1_run_normal_001", "dataset-1_byebye_angry_001"]


def main():
    samples = os.path.join(DATA, "humanml3d-samples")
    target = ref.offsets_of_pose(np.load(os.path.join(samples, "new_joints", "000000.npy"))[0])
    out = os.path.join(FIXTURES, "reference")
    os.makedirs(out, exist_ok=True)

    joints = np.load(os.path.join(FIXTURES, "humanml3d", "012314_joints.npy"))
    np.save(os.path.join(out, "012314_features.npy"), ref.features(joints, target))

    bvh_dir = os.path.join(FIXTURES, "bandai-namco")
    os.makedirs(bvh_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["tar", "-xJf", os.path.join(DATA, "bandai-namco", "dataset-1.tar.xz"), "-C", tmp], check=True)
        root = os.path.join(tmp, "dataset", "Bandai-Namco-Research-Motiondataset-1")
        shutil.copy(os.path.join(root, "LICENSE"), os.path.join(bvh_dir, "LICENSE"))
        for clip in CLIPS:
            shutil.copy(os.path.join(root, "data", clip + ".bvh"), bvh_dir)
    # KIT-ML topology (21 joints, millimetres) built from a real walk, since no
    # KIT motion is available here: SMPL joints mapped onto KIT's, toes 5 cm
    # ahead of the foot joints. Target skeleton: its own frame 0.
    smpl = ref.bandai_namco_joints(os.path.join(bvh_dir, CLIPS[0] + ".bvh"))
    kit_from_smpl = [0, 3, 9, 12, 15, 17, 19, 21, 16, 18, 20, 2, 5, 8, 11, None, 1, 4, 7, 10, None]
    toe = lambda foot, ankle: smpl[:, foot] + 0.05 * (smpl[:, foot] - smpl[:, ankle]) / np.linalg.norm(
        smpl[:, foot] - smpl[:, ankle], axis=-1, keepdims=True)
    kit = np.stack([smpl[:, j] if j is not None else toe(11, 8) if k == 15 else toe(10, 7)
                    for k, j in enumerate(kit_from_smpl)], axis=1).astype(np.float32) * 1000
    np.save(os.path.join(out, "kit_walk_joints.npy"), kit)
    kit_target = ref.offsets_of_pose(kit[0], ref.KIT)
    np.save(os.path.join(out, "kit_walk_features.npy"), ref.features(kit, kit_target, 0.05, ref.KIT))
    print("kit_walk", kit.shape)

    for clip in CLIPS:
        j = ref.bandai_namco_joints(os.path.join(bvh_dir, clip + ".bvh"))
        np.save(os.path.join(out, clip + "_joints.npy"), j)
        np.save(os.path.join(out, clip + "_features.npy"), ref.features(j, target))
        print(clip, j.shape)


if __name__ == "__main__":
    main()
