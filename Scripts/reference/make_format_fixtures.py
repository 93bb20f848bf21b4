"""Writes Tests/MotionTests/Fixtures/formats/: safetensors files written by
the official `safetensors` package (F32, F16, BF16, I32, I64, metadata, and a
sharded folder with model.safetensors.index.json), .npz files written by
NumPy (np.savez and np.savez_compressed) and expected.json with the values.
Needs: pip install safetensors torch (CPU wheel: pip install --find-links /opt/wheels torch)."""
import json
import os

import numpy as np
import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "MotionTests", "Fixtures", "formats")
os.makedirs(os.path.join(OUT, "sharded"), exist_ok=True)

tensors = {
    "encoder.weight": torch.tensor([[1.5, -2.25, 3.0], [0.125, 1e-3, -7.0]], dtype=torch.float32),
    "half": torch.tensor([0.5, -1.0, 65504.0, 6.1e-5], dtype=torch.float16),
    "brain": torch.tensor([[1.0, -0.5], [3.140625, 1e30]], dtype=torch.bfloat16),
    "ids32": torch.tensor([1, -2, 2147483647], dtype=torch.int32),
    "ids64": torch.tensor([[7, -9]], dtype=torch.int64),
}
save_file(tensors, os.path.join(OUT, "mixed.safetensors"), metadata={"format": "pt", "note": "irg fixture"})
save_file({"a": tensors["encoder.weight"]}, os.path.join(OUT, "sharded", "model-00001-of-00002.safetensors"))
save_file({"b": tensors["half"]}, os.path.join(OUT, "sharded", "model-00002-of-00002.safetensors"))
with open(os.path.join(OUT, "sharded", "model.safetensors.index.json"), "w") as f:
    json.dump({"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors",
                                              "b": "model-00002-of-00002.safetensors"}}, f, indent=2)

arrays = {"x": np.arange(6, dtype=np.float32).reshape(2, 3) / 4, "y": np.array([1, -2], dtype=np.int64),
          "z": np.array([[0.1, 0.2]], dtype=np.float64)}
np.savez(os.path.join(OUT, "stored.npz"), **arrays)
np.savez_compressed(os.path.join(OUT, "compressed.npz"), **arrays)

expected = {name: {"shape": list(t.shape), "values": t.float().flatten().tolist()} for name, t in tensors.items()}
expected["npz"] = {name: {"shape": list(a.shape), "values": a.astype(np.float64).flatten().tolist()} for name, a in arrays.items()}
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", os.path.normpath(OUT))
