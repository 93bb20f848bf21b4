"""What the checkpoint converters share: DataParallel prefixes stripped, and
each tensor checked by name and shape before it is written."""


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
