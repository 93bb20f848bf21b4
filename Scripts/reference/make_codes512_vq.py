"""Writes Tests/ModelTests/Fixtures/vq/codes512/: a small VQ-VAE with
MotionLLM's 512 codes (PyTorch's initialisation and a random codebook, seed 0), converted by
Scripts/convert_vqvae.py, so that the loop's and the RL hooks' tests can
decode any code the tiny Gemma2 fixture writes (<Motion_0> to <Motion_511>).
Its reconstructions mean nothing; its shapes and code range are the point."""
import json
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from vq_reference import Checkpoint  # noqa: E402

CONFIG = dict(nb_code=512, code_dim=32, output_emb_width=32, width=48, depth=2, down_t=2, stride_t=2,
              dilation_growth_rate=3, input_dim=263)


def main():
    torch.manual_seed(0)
    motion = os.path.join(REPO, "Tests", "MotionTests", "Fixtures", "humanml3d")
    with tempfile.TemporaryDirectory() as tmp:
        pth = os.path.join(tmp, "vqvae.pth")
        model = Checkpoint(CONFIG)
        # T2M-GPT's EMA codebook starts at zeros (filled from data in training): random codes
        # here, so that different codes decode to different motions.
        model.vqvae.quantizer.codebook.copy_(torch.randn(CONFIG["nb_code"], CONFIG["code_dim"]))
        torch.save({"net": model.state_dict()}, pth)
        subprocess.run([sys.executable, os.path.join(REPO, "Scripts", "convert_vqvae.py"), pth,
                        "--mean", os.path.join(motion, "Mean.npy"), "--std", os.path.join(motion, "Std.npy"),
                        "--out", os.path.join(REPO, "Tests", "ModelTests", "Fixtures", "vq", "codes512"),
                        "--config", json.dumps(CONFIG)], check=True)


if __name__ == "__main__":
    main()
