"""Converts a T2M-GPT / Motion-Agent VQ-VAE checkpoint (`torch.save({'net': state_dict})`)
into the folder irg-tokenizer loads: vqvae.safetensors (T2M-GPT's tensor names),
mean.npy, std.npy (the features' normalisation, from the training dataset), config.json.

    python3 Scripts/convert_vqvae.py vqvae.pth --mean Mean.npy --std Std.npy --out DIR \\
        [--dtype f32|f16|bf16] [--config '{"nb_code": 512, ...}']
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference"))
from vq_reference import DEFAULT, Checkpoint  # noqa: E402


def expected_shapes(config):
    return {k: tuple(v.shape) for k, v in Checkpoint(config).state_dict().items()}


def convert(state, config, dtype):
    """The tensors irg-tokenizer needs, checked by name and shape."""
    state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
    out = {}
    for name, shape in expected_shapes(config).items():
        if name not in state:
            raise SystemExit(f"error: the checkpoint has no tensor '{name}' (config {config})")
        if tuple(state[name].shape) != shape:
            raise SystemExit(f"error: tensor '{name}' has shape {tuple(state[name].shape)}, expected {shape}")
        out[name] = state[name].detach().to(dtype).contiguous()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--mean", required=True)
    parser.add_argument("--std", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--dtype", default="f32", choices=["f32", "f16", "bf16"])
    parser.add_argument("--config", default="{}", help="JSON overriding T2M-GPT's defaults")
    args = parser.parse_args()
    config = dict(DEFAULT, **json.loads(args.config))
    loaded = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    state = loaded["net"] if isinstance(loaded, dict) and "net" in loaded else loaded
    dtype = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}[args.dtype]
    tensors = convert(state, config, dtype)
    os.makedirs(args.out, exist_ok=True)
    save_file(tensors, os.path.join(args.out, "vqvae.safetensors"), metadata={"source": os.path.basename(args.checkpoint)})
    for name, src in (("mean.npy", args.mean), ("std.npy", args.std)):
        np.save(os.path.join(args.out, name), np.load(src).astype(np.float32))
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    print(f"wrote {args.out}: {len(tensors)} tensors ({args.dtype})")


if __name__ == "__main__":
    main()
