"""The Python peer of `irg bench eval`: the PyTorch evaluator (HumanML3D sizes,
deterministic weights; speed does not depend on them) embedding a batch of 32
motions (all 196 frames, and a mix of lengths padded to 196 as the reference
batches them) and 32 captions, and the NumPy/SciPy metrics over 4,384
embeddings, on THREADS threads. Prints JSON (seconds, medians)."""
import json
import os
import resource
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import t2m_metrics_reference as metrics  # noqa: E402
from evaluator_reference import bench_evaluator  # noqa: E402
from timing import median  # noqa: E402

MIXED = [40 + (i * 5 * 4) % 160 for i in range(32)]  # 40..196 frames, multiples of 4


def main():
    threads, repeats = int(sys.argv[1]), int(sys.argv[2])
    model = bench_evaluator(threads)
    rng = np.random.default_rng(0)

    def motions(lengths):
        x = torch.from_numpy(rng.normal(size=(32, 196, 259)).astype(np.float32))
        for i, n in enumerate(lengths):
            x[i, n:] = 0
        order = sorted(range(32), key=lambda i: -lengths[i])  # the reference sorts a batch by length
        x, lens = x[order], [lengths[i] // 4 for i in order]
        return lambda: model.motion_encoder(model.movement_encoder(x), lens)

    words = torch.from_numpy(rng.normal(size=(32, 22, 300)).astype(np.float32))
    pos = torch.zeros(32, 22, 15)
    pos[:, :, 1] = 1
    cap_lens = sorted([int(n) for n in rng.integers(6, 23, size=32)], reverse=True)
    results = {
        "motion_32_196": median(motions([196] * 32), repeats),
        "motion_32_mixed": median(motions(MIXED), repeats),
        "text_32": median(lambda: model.text_encoder(words, cap_lens, pos), repeats),
    }
    t, m, g = (rng.normal(size=(4384, 512)).astype(np.float32) for _ in range(3))

    def one_repeat():
        metrics.matching(t, m)
        metrics.fid(g, m)
        metrics.diversity(m, 300, 0)

    results["metrics_4384"] = median(one_repeat, max(1, repeats // 3))
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(results))


if __name__ == "__main__":
    main()
