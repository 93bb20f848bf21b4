"""The NumPy peer of `irg bench motion`: times process_file and
recover_from_ric over every (T, 22, 3) .npy in a folder; prints JSON."""
import glob
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import humanml3d_reference as ref  # noqa: E402

folder, target_path = sys.argv[1], sys.argv[2]
target = ref.offsets_of_pose(np.load(target_path)[0])
clips = [np.load(p) for p in sorted(glob.glob(os.path.join(folder, "*.npy")))]
start = time.perf_counter()
features = [ref.features(c, target) for c in clips]
feature_seconds = time.perf_counter() - start
start = time.perf_counter()
for f in features:
    ref.recover_from_ric(f)
recover_seconds = time.perf_counter() - start
print(json.dumps({
    "clips": len(clips),
    "frames": int(sum(len(c) for c in clips)),
    "feature_frames": int(sum(len(f) for f in features)),
    "features_seconds": feature_seconds,
    "recover_seconds": recover_seconds,
}))
