"""Writes Tests/MetricTests/Fixtures/embedding/: fixed embedding sets and the
metrics of Scripts/reference/t2m_metrics_reference.py on them.

- full/: 456 texts/motions (14 whole batches of 32 and a partial one that must be
  dropped) and 400 ground-truth rows, 64-d, well conditioned (FID's real path).
- singular/: 40 rows, 64-d: rank-deficient covariances, so sqrtm(S1 S2) is not
  finite or not real and the eps retry and the imaginary-part rule decide.
- numpy_choice.json: np.random.seed(s); np.random.choice(n, k, replace=False) twice.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import t2m_metrics_reference as ref  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "Tests", "MetricTests", "Fixtures", "embedding")


def embeddings(rng, rows, dim, spread):
    """Texts near their motions (so R-precision is neither 0 nor 1)."""
    base = rng.normal(size=(rows, dim)) * spread
    texts = base + rng.normal(size=(rows, dim))
    motions = base + rng.normal(size=(rows, dim))
    return texts.astype(np.float32), motions.astype(np.float32)


def write_case(name, texts, motions, gt, seed, pairs):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    np.save(os.path.join(folder, "texts.npy"), texts)
    np.save(os.path.join(folder, "motions.npy"), motions)
    np.save(os.path.join(folder, "gt.npy"), gt)
    t, m, g = (x.astype(np.float64) for x in (texts, motions, gt))
    rprec, mm = ref.matching(t, m)
    expected = {"r_precision": rprec.tolist(), "mm_dist": mm, "seed": seed, "diversity_pairs": pairs}
    try:
        expected["fid"] = float(np.real(ref.fid(g, m)))
    except ValueError as error:
        expected["fid_error"] = str(error)
    expected["diversity"] = ref.diversity(m, pairs, seed) if len(m) > pairs else None
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


def main():
    rng = np.random.default_rng(20261121)
    texts, motions = embeddings(rng, 456, 64, 0.6)
    gt = (rng.normal(size=(400, 64)) * 1.1 + 0.2).astype(np.float32)
    write_case("full", texts, motions, gt, seed=7, pairs=300)
    texts, motions = embeddings(rng, 40, 64, 0.25)
    gt = rng.normal(size=(40, 64)).astype(np.float32)
    write_case("singular", texts, motions, gt, seed=3, pairs=30)

    choices = []
    for seed, n, k in [(0, 10, 10), (7, 456, 300), (123456789, 1000, 5), (4294967295, 33, 32)]:
        np.random.seed(seed)
        choices.append({"seed": seed, "n": n, "k": k,
                        "first": np.random.choice(n, k, replace=False).tolist(),
                        "second": np.random.choice(n, k, replace=False).tolist()})
    generations = rng.normal(size=(6, 30, 16)).astype(np.float32)
    np.save(os.path.join(OUT, "generations.npy"), generations)
    with open(os.path.join(OUT, "numpy_choice.json"), "w") as f:
        json.dump({"choices": choices,
                   "multimodality": {"seed": 11, "pairs": 10,
                                     "value": ref.multimodality(generations.astype(np.float64), 10, 11)}}, f)


if __name__ == "__main__":
    main()
