"""Writes Tests/ModelTests/Fixtures/vq/: fidelity fixtures for the motion VQ-VAE.

- default/: T2M-GPT's default config with deterministic weights (seed 7, regenerated
  by the Swift tests; too large to commit) and a codebook of encoder outputs of real
  frames (shifted and time-reversed copies of the clips, so the test inputs'
  nearest codes are real decisions, not exact matches); codes and reconstructions.
- small_f32/, small_bf16/: a small config with PyTorch's own initialisation, saved with
  torch.save({'net': ...}) and converted by Scripts/convert_vqvae.py (F32 and BF16).

Inputs: HumanML3D 012314 and three Bandai-Namco clips (features committed in
Tests/MotionTests/Fixtures), plus 000000 and 000612 from shared/data for the codebook.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from vq_reference import DEFAULT, Checkpoint, fill_deterministic  # noqa: E402

MOTION = os.path.join(REPO, "Tests", "MotionTests", "Fixtures")
OUT = os.path.join(REPO, "Tests", "ModelTests", "Fixtures", "vq")
SHARED = os.path.abspath(os.path.join(REPO, "..", "shared", "data", "humanml3d-samples"))
INPUTS = {
    "012314": os.path.join(MOTION, "humanml3d", "012314_vecs.npy"),
    "walk": os.path.join(MOTION, "reference", "dataset-1_walk_normal_002_features.npy"),
    "run": os.path.join(MOTION, "reference", "dataset-1_run_normal_001_features.npy"),
    "byebye": os.path.join(MOTION, "reference", "dataset-1_byebye_angry_001_features.npy"),
}
SMALL = dict(nb_code=64, code_dim=32, output_emb_width=32, width=48, depth=2, down_t=2, stride_t=2,
             dilation_growth_rate=3, input_dim=263)

torch.set_grad_enabled(False)
mean = np.load(os.path.join(MOTION, "humanml3d", "Mean.npy")).astype(np.float32)
std = np.load(os.path.join(MOTION, "humanml3d", "Std.npy")).astype(np.float32)
inputs = {k: np.load(v).astype(np.float32) for k, v in INPUTS.items()}
extra = [np.load(os.path.join(SHARED, "new_joint_vecs", f)).astype(np.float32) for f in ("000000.npy", "000612.npy")]


def crop(x):
    return x[: len(x) // 4 * 4]


def normalised(x):
    return torch.from_numpy((x - mean) / std)


def codebook_from_latents(model, size, seed):
    """Encoder outputs of shifted (1-3 frames) and time-reversed clips: real frames,
    never the test inputs' own windows."""
    pool = []
    for clip in list(inputs.values()) + extra:
        for variant in [clip[s:] for s in (1, 2, 3)] + [clip[::-1][s:] for s in (0, 1, 2, 3)]:
            if len(variant) >= 4:
                pool.append(model.encode_latents(normalised(crop(np.ascontiguousarray(variant)))))
    pool = torch.cat(pool)
    pick = torch.randperm(len(pool), generator=torch.Generator().manual_seed(seed))[:size]
    return pool[pick].clone()


def record(model, folder):
    """Codes and reconstructions of every input; the smallest relative margin between
    the nearest and second-nearest code."""
    os.makedirs(folder, exist_ok=True)
    margins = []
    for name, x in inputs.items():
        z = model.encode_latents(normalised(crop(x)))
        k = model.quantizer.codebook
        d = (z ** 2).sum(-1, keepdim=True) - 2 * z @ k.t() + (k ** 2).sum(-1)[None]
        best = d.topk(2, largest=False)
        margins.append(((best.values[:, 1] - best.values[:, 0]) / best.values[:, 1].abs().clamp(min=1e-6)).min().item())
        codes = best.indices[:, 0]
        recon = model.decode(codes).numpy() * std + mean
        np.save(os.path.join(folder, f"{name}_codes.npy"), np.ascontiguousarray(codes.numpy().astype(np.int32)))
        np.save(os.path.join(folder, f"{name}_recon.npy"), np.ascontiguousarray(recon.astype(np.float32)))
    return min(margins)


def main():
    # Default config, deterministic weights.
    model = Checkpoint(DEFAULT)
    fill_deterministic(model, 7)
    model.vqvae.quantizer.codebook.copy_(codebook_from_latents(model.vqvae, 512, 0))
    folder = os.path.join(OUT, "default")
    margin = record(model.vqvae, folder)
    np.save(os.path.join(folder, "codebook.npy"), np.ascontiguousarray(model.vqvae.quantizer.codebook.numpy()))
    print(f"default: smallest relative code margin {margin:.2e}")

    # Small config, PyTorch's initialisation, through the converter.
    torch.manual_seed(0)
    small = Checkpoint(SMALL)
    small.vqvae.quantizer.codebook.copy_(codebook_from_latents(small.vqvae, SMALL["nb_code"], 1))
    with tempfile.TemporaryDirectory() as tmp:
        pth = os.path.join(tmp, "vqvae.pth")
        torch.save({"net": small.state_dict()}, pth)
        for dtype in ("f32", "bf16"):
            folder = os.path.join(OUT, f"small_{dtype}")
            subprocess.run([sys.executable, os.path.join(REPO, "Scripts", "convert_vqvae.py"), pth,
                            "--mean", os.path.join(MOTION, "humanml3d", "Mean.npy"),
                            "--std", os.path.join(MOTION, "humanml3d", "Std.npy"),
                            "--out", folder, "--dtype", dtype, "--config", json.dumps(SMALL)], check=True)
            if dtype == "bf16":  # the reference runs the bf16-rounded weights in float32
                for p in small.state_dict().values():
                    p.copy_(p.to(torch.bfloat16).float())
            print(f"small_{dtype}: smallest relative code margin {record(small.vqvae, folder):.2e}")


if __name__ == "__main__":
    main()
