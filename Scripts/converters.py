"""What the checkpoint converters share: their arguments, DataParallel prefixes
stripped, each tensor checked by name and shape, and the folder they write."""


def without_module_prefix(state):
    """A state dict with DataParallel's 'module.' prefixes removed."""
    return {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}


def checked_tensor(state, key, shape, dtype, name=None, where="the checkpoint"):
    """state[key] as a contiguous tensor of dtype; a missing or misshapen tensor stops the converter."""
    name = name or key
    if key not in state:
        raise SystemExit(f"error: {where} has no tensor '{key}'")
    if tuple(state[key].shape) != tuple(shape):
        raise SystemExit(f"error: tensor '{name}' has shape {tuple(state[key].shape)}, expected {tuple(shape)}")
    return state[key].detach().to(dtype).contiguous()


DTYPES = ("f32", "f16", "bf16")


def argument_parser(description, config_help):
    """The arguments every converter takes: checkpoint, --mean, --std, --out, --dtype, --config."""
    import argparse
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--mean", required=True)
    parser.add_argument("--std", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--dtype", default="f32", choices=DTYPES)
    parser.add_argument("--config", default="{}", help=config_help)
    return parser


def torch_dtype(name):
    import torch
    return {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}[name]


def write_folder(args, weights_file, tensors, config):
    """The model folder the services load: weights, mean.npy/std.npy as float32, config.json."""
    import json
    import os

    import numpy as np
    from safetensors.torch import save_file
    os.makedirs(args.out, exist_ok=True)
    save_file(tensors, os.path.join(args.out, weights_file), metadata={"source": os.path.basename(args.checkpoint)})
    for name, src in (("mean.npy", args.mean), ("std.npy", args.std)):
        np.save(os.path.join(args.out, name), np.load(src).astype(np.float32))
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
