"""The demo models in PyTorch against the Swift services' loaders (`irg`), on real inputs:
- motionllm: HF Gemma2ForCausalLM (eager attention) logits vs `irg llm logits`, for an IRG
  prompt holding a real motion span, with and without the Motion-Agent t2m adapter;
- tokenizer: the VQ-VAE's codes (vq_reference) vs `irg vq encode` on test motions, and the
  decoded features vs `irg vq decode`.
Prints the largest differences; exits 1 past the tolerances (logits 2e-3 absolute, features
1e-3 absolute, codes identical).

    python3 Scripts/train/check_demo_fidelity.py [MODELS_DIR] [DATA_DIR] [--irg .build/release/irg]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer

from demo_common import HERE, load_dataset
from train_motionllm import irg, span
from vq_reference import Checkpoint

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def hf_model(folder, adapter=None):
    from transformers import Gemma2Config, Gemma2ForCausalLM
    config = json.load(open(os.path.join(folder, "config.json")))
    model = Gemma2ForCausalLM(Gemma2Config(**{k: v for k, v in config.items() if k not in ("architectures", "torch_dtype")},
                                           attn_implementation="eager"))
    state = load_file(os.path.join(folder, "model.safetensors"))
    state["lm_head.weight"] = state["model.embed_tokens.weight"]
    if adapter:
        lora = load_file(os.path.join(adapter, "adapter_model.safetensors"))
        settings = json.load(open(os.path.join(adapter, "adapter_config.json")))
        scale = settings["lora_alpha"] / settings["r"]
        for key in [k for k in lora if ".lora_A." in k]:
            target = key.replace("base_model.model.", "").replace(".lora_A.weight", ".weight")
            state[target] = state[target] + scale * lora[key.replace("lora_A", "lora_B")] @ lora[key]
    model.load_state_dict(state)
    return model.eval()


def swift_logits(irg_bin, folder, ids, adapter=None):
    out = tempfile.mktemp(suffix=".npy")
    command = [irg_bin, "llm", "logits", "--model", folder, "--ids", ",".join(map(str, ids)), "--out", out]
    subprocess.run(command + (["--adapter", adapter] if adapter else []), check=True, capture_output=True)
    return np.load(out)


def check_motionllm(models, codes, irg_bin):
    folder = os.path.join(models, "motionllm")
    tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    prompt = irg(f"Motion: {span(codes)}. Goal text: a person walks forward. "
                 "Determine how to refine the generated motion for better alignment.")
    ids = tokenizer.encode(prompt).ids
    worst = 0.0
    for adapter in (None, os.path.join(models, "motion-agent", "t2m")):
        with torch.no_grad():
            reference = hf_model(folder, adapter)(torch.tensor([ids])).logits[0].numpy()
        ours = swift_logits(irg_bin, folder, ids, adapter)
        error = float(np.abs(ours - reference).max())
        print(f"motionllm{' + t2m' if adapter else ''}: {len(ids)} tokens, max |logit diff| {error:.2e} "
              f"(logits span {reference.min():.1f}..{reference.max():.1f}); argmax agree "
              f"{(ours.argmax(-1) == reference.argmax(-1)).mean():.3f}")
        worst = max(worst, error)
    return worst <= 2e-3


def check_vqvae(models, motions, irg_bin):
    folder = os.path.join(models, "tokenizer")
    config = json.load(open(os.path.join(folder, "config.json")))
    model = Checkpoint(config)
    model.load_state_dict(load_file(os.path.join(folder, "vqvae.safetensors")))
    mean, std = np.load(os.path.join(folder, "mean.npy")), np.load(os.path.join(folder, "std.npy"))
    same, worst = True, 0.0
    scratch = tempfile.mkdtemp()
    for m in motions:
        t = len(m.features) // 4 * 4
        with torch.no_grad():
            codes = model.vqvae.encode(torch.from_numpy((m.features[:t] - mean) / std)).numpy()
            decoded = model.vqvae.decode(torch.from_numpy(codes)).numpy() * std + mean
        source, ours_codes, ours_features = (os.path.join(scratch, n) for n in ("m.npy", "c.npy", "f.npy"))
        np.save(source, m.features)
        subprocess.run([irg_bin, "vq", "encode", "--checkpoint", folder, source, "--out", ours_codes], check=True, capture_output=True)
        np.save(ours_codes, np.load(ours_codes).astype(np.int32))
        subprocess.run([irg_bin, "vq", "decode", "--checkpoint", folder, ours_codes, "--out", ours_features], check=True, capture_output=True)
        same &= bool((np.load(ours_codes) == codes).all())
        worst = max(worst, float(np.abs(np.load(ours_features) - decoded).max()))
    print(f"tokenizer: {len(motions)} test motions, codes identical: {same}; max |feature diff| after decode {worst:.2e}")
    return same and worst <= 1e-3


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="?", default=os.path.join(REPO, "Models", "demo"))
    parser.add_argument("data", nargs="?", default=None, help="dataset folder (irg data build); default: build one")
    parser.add_argument("--irg", default=os.path.join(REPO, ".build", "release", "irg"))
    args = parser.parse_args()
    data = args.data or tempfile.mkdtemp(prefix="irg-data-")
    if not args.data:
        subprocess.run([args.irg, "data", "build", "--out", data], check=True, capture_output=True)
    test = load_dataset(data, ("test",))["test"][::40]
    ok = check_vqvae(args.models, test, args.irg)
    with torch.no_grad():
        folder = os.path.join(args.models, "tokenizer")
        model = Checkpoint(json.load(open(os.path.join(folder, "config.json"))))
        model.load_state_dict(load_file(os.path.join(folder, "vqvae.safetensors")))
        mean, std = np.load(os.path.join(folder, "mean.npy")), np.load(os.path.join(folder, "std.npy"))
        t = len(test[0].features) // 4 * 4
        motion_codes = model.vqvae.encode(torch.from_numpy((test[0].features[:t] - mean) / std)).tolist()
    ok &= check_motionllm(args.models, motion_codes, args.irg)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
