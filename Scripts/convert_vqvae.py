"""Converts a T2M-GPT / Motion-Agent VQ-VAE checkpoint (`torch.save({'net': state_dict})`)
into the folder irg-tokenizer loads: vqvae.safetensors (T2M-GPT's tensor names),
mean.npy, std.npy (the features' normalisation, from the training dataset), config.json.

    python3 Scripts/convert_vqvae.py vqvae.pth --mean Mean.npy --std Std.npy --out DIR \\
        [--dtype f32|f16|bf16] [--config '{"nb_code": 512, ...}']
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "reference")]
from checkpoint_tensors import checked_tensor, without_module_prefix  # noqa: E402
from vq_reference import DEFAULT, Checkpoint  # noqa: E402


def expected_shapes(config):
    return {k: tuple(v.shape) for k, v in Checkpoint(config).state_dict().items()}


def convert(state, config, dtype):
    """The tensors irg-tokenizer needs, checked by name and shape."""
    state = without_module_prefix(state)
    return {name: checked_tensor(state, name, shape, dtype, where=f"the checkpoint (config {config})")
            for name, shape in expected_shapes(config).items()}


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
