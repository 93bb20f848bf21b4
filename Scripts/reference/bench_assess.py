"""The Python peer of `irg bench assess`: IRG-MotionLLM's stage-3 rewards
(guo_tm_distance, guo_mm_distance, min-max within groups of 4) for 64
completions, computed in-process as its GRPO code computes them: one batched
PyTorch pass of the evaluator (HumanML3D sizes, deterministic weights) over the
64 candidates and 64 references, normalised, cut to floor(T/4)*4 frames and
padded to 196, and over the 64 captions; then the norms and the normalisation.
Prints JSON (seconds, median)."""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluator_reference import bench_evaluator  # noqa: E402
from timing import median  # noqa: E402

LENGTHS = [40 + (i * 37) % 157 for i in range(64)]


def main():
    threads, repeats = int(sys.argv[1]), int(sys.argv[2])
    model = bench_evaluator(threads)
    rng = np.random.default_rng(0)
    mean, std = np.zeros(263, np.float32), np.ones(263, np.float32)

    def batch(lengths):
        raw = [rng.uniform(-1, 1, size=(n, 263)).astype(np.float32) for n in lengths]
        x = np.zeros((len(raw), 196, 263), np.float32)
        kept = []
        for i, m in enumerate(raw):
            n = min(len(m) // 4 * 4, 196)
            x[i, :n] = (m[:n] - mean) / std
            kept.append(n)
        return torch.from_numpy(x), kept

    candidates, candidate_lens = batch(LENGTHS)
    references, reference_lens = batch([LENGTHS[(i + 7) % 64] for i in range(64)])
    words = torch.from_numpy(rng.normal(size=(64, 22, 300)).astype(np.float32))
    pos = torch.zeros(64, 22, 15)
    pos[:, :, 1] = 1
    cap_lens = [min(22, 6 + i % 17) for i in range(64)]

    def motion_embeddings(x, lens):
        return model.motion_encoder(model.movement_encoder(x[..., :-4]), [n // 4 for n in lens])

    def rewards():
        text = model.text_encoder(words, cap_lens, pos)
        motion = motion_embeddings(candidates, candidate_lens)
        reference = motion_embeddings(references, reference_lens)
        tm = -torch.norm(text - motion, dim=-1)
        mm = -torch.norm(reference - motion, dim=-1)
        total = torch.zeros(64)
        for r in (tm, mm):
            g = r.view(16, 4)
            low, high = g.min(dim=1, keepdim=True).values, g.max(dim=1, keepdim=True).values
            total += ((g - low) / (high - low + 1e-4)).view(64)
        return total

    print(json.dumps({"assess_64": median(rewards, repeats)}))


if __name__ == "__main__":
    main()
