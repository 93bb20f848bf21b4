"""Writes Tests/MetricTests/Fixtures/quality/: MBench quality of real joints
(HumanML3D 012314 and three Bandai-Namco clips, committed under
Tests/MotionTests/Fixtures) and of altered copies that engage every rule
(sunk 4 cm: penetration; lifted 12 cm: floating; jittered), by
Scripts/reference/mbench_reference.py."""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mbench_reference as ref  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
MOTION = os.path.join(REPO, "Tests", "MotionTests", "Fixtures")
OUT = os.path.join(REPO, "Tests", "MetricTests", "Fixtures", "quality")
REAL = {
    "012314": "humanml3d/012314_joints.npy",
    "walk": "reference/dataset-1_walk_normal_002_joints.npy",
    "run": "reference/dataset-1_run_normal_001_joints.npy",
    "byebye": "reference/dataset-1_byebye_angry_001_joints.npy",
}


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    clip = np.load(os.path.join(MOTION, REAL["012314"]))
    rng = np.random.default_rng(5)
    altered = {
        "sunk": clip - np.array([0, 0.04, 0], np.float32),
        "lifted": clip + np.array([0, 0.12, 0], np.float32),
        "jittered": clip + rng.normal(scale=0.01, size=clip.shape).astype(np.float32),
    }
    for name, path in REAL.items():
        expected[name] = {"path": path, **ref.quality(np.load(os.path.join(MOTION, path)))}
    for name, joints in altered.items():
        np.save(os.path.join(OUT, name + ".npy"), joints.astype(np.float32))
        expected[name] = {"path": None, **ref.quality(joints)}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
