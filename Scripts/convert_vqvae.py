"""Converts a T2M-GPT / Motion-Agent VQ-VAE checkpoint (`torch.save({'net': state_dict})`)
into the folder irg-tokenizer loads: vqvae.safetensors (T2M-GPT's tensor names),
mean.npy, std.npy (the features' normalisation, from the training dataset), config.json.

    python3 Scripts/convert_vqvae.py vqvae.pth --mean Mean.npy --std Std.npy --out DIR \\
        [--dtype f32|f16|bf16] [--config '{"nb_code": 512, ...}']
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "reference")]
from converters import argument_parser, checked_tensor, torch_dtype, without_module_prefix, write_folder  # noqa: E402
from vq_reference import DEFAULT, Checkpoint  # noqa: E402


def expected_shapes(config):
    return {k: tuple(v.shape) for k, v in Checkpoint(config).state_dict().items()}


def convert(state, config, dtype):
    """The tensors irg-tokenizer needs, checked by name and shape."""
    state = without_module_prefix(state)
    return {name: checked_tensor(state, name, shape, dtype, where=f"the checkpoint (config {config})")
            for name, shape in expected_shapes(config).items()}


def main():
    args = argument_parser(__doc__, "JSON overriding T2M-GPT's defaults").parse_args()
    config = dict(DEFAULT, **json.loads(args.config))
    loaded = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    state = loaded["net"] if isinstance(loaded, dict) and "net" in loaded else loaded
    tensors = convert(state, config, torch_dtype(args.dtype))
    write_folder(args, "vqvae.safetensors", tensors, config)
    print(f"wrote {args.out}: {len(tensors)} tensors ({args.dtype})")


if __name__ == "__main__":
    main()
