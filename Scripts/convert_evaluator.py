"""Converts the text-motion matching evaluator (Guo et al. 2022) into the folder
irg-evaluator loads:
- evaluator.safetensors: finest.tar's `movement_encoder`, `text_encoder` and
  `motion_encoder` state dicts, their names prefixed with the module's name;
- mean.npy, std.npy: the evaluator's own normalisation (t2m/text_mot_match/meta);
- words.txt + word_vectors.npy: the GloVe vocabulary (our_vab_data.npy,
  our_vab_words.pkl, our_vab_idx.pkl), line i of words.txt naming row i;
- config.json.

    python3 Scripts/convert_evaluator.py finest.tar --mean mean.npy --std std.npy \\
        --glove GLOVE_DIR --out DIR [--dtype f32|f16|bf16] [--config '{"dim_motion_hidden": 1024}']
"""
import json
import os
import pickle
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "reference")]
from converters import argument_parser, checked_tensor, torch_dtype, without_module_prefix, write_folder  # noqa: E402
from evaluator_reference import DEFAULT, Evaluator  # noqa: E402

def convert(checkpoint, config, dtype):
    """The tensors irg-evaluator needs, checked by name and shape."""
    expected = {k: tuple(v.shape) for k, v in Evaluator(config).state_dict().items()}
    out = {}
    for name, shape in expected.items():
        module, key = name.split(".", 1)
        if module not in checkpoint:
            raise SystemExit(f"error: the checkpoint has no '{module}' state dict (keys: {sorted(checkpoint)})")
        out[name] = checked_tensor(without_module_prefix(checkpoint[module]), key, shape, dtype, name=name,
                                   where=f"'{module}' (config {config})")
    return out


def glove(folder, prefix="our_vab"):
    """(words in row order, vectors): only the words of the _words.pkl list, as WordVectorizer."""
    vectors = np.load(os.path.join(folder, f"{prefix}_data.npy"))
    with open(os.path.join(folder, f"{prefix}_words.pkl"), "rb") as f:
        words = pickle.load(f)
    with open(os.path.join(folder, f"{prefix}_idx.pkl"), "rb") as f:
        index = pickle.load(f)
    for word in words:
        if "\n" in word:
            raise SystemExit(f"error: word {word!r} contains a newline")
    return list(words), np.stack([vectors[index[w]] for w in words]).astype(np.float32)


def main():
    parser = argument_parser(__doc__, "JSON overriding the HumanML3D evaluator's sizes")
    parser.add_argument("--glove", help="folder with our_vab_data.npy, our_vab_words.pkl, our_vab_idx.pkl")
    args = parser.parse_args()
    config = dict(DEFAULT, **json.loads(args.config))
    checkpoint = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    tensors = convert(checkpoint, config, torch_dtype(args.dtype))
    write_folder(args, "evaluator.safetensors", tensors, config)
    if args.glove:
        words, vectors = glove(args.glove)
        with open(os.path.join(args.out, "words.txt"), "w") as f:
            f.write("\n".join(words) + "\n")
        np.save(os.path.join(args.out, "word_vectors.npy"), vectors)
    print(f"wrote {args.out}: {len(tensors)} tensors ({args.dtype})" + (f", {len(words)} words" if args.glove else ""))


if __name__ == "__main__":
    main()
