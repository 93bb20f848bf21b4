"""Prints the bone lengths of the HumanML3D target skeleton (frame 0 of
humanml3d-samples/new_joints/000000.npy), in float32, for
Shared/Motion/TargetSkeleton.swift."""
import os
import sys

import numpy as np

CHAINS = [[0, 2, 5, 8, 11], [0, 1, 4, 7, 10], [0, 3, 6, 9, 12, 15], [9, 14, 17, 19, 21], [9, 13, 16, 18, 20]]

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "shared", "data", "humanml3d-samples")
pose = np.load(os.path.join(data, "new_joints", "000000.npy"))[0].astype(np.float32)
parents = [-1] * 22
for chain in CHAINS:
    for a, b in zip(chain, chain[1:]):
        parents[b] = a
lengths = [np.float32(0)] + [np.linalg.norm(pose[j] - pose[parents[j]]).astype(np.float32) for j in range(1, 22)]
print("[" + ", ".join(repr(float(x)) for x in lengths) + "]")
