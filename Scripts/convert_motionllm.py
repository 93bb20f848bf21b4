"""Converts a Motion-Agent `motionllm.pth` or an IRG-MotionLLM SFT `.pth` into
what irg-generator loads (REFERENCE-NOTES section 3):

  OUT/config.json, model.safetensors   the base Gemma2 with the 514 motion rows
                                       (and, for full tuning, the tuned weights)
  OUT/tokenizer.json                   the base tokenizer plus <Motion>, </Motion>,
                                       <Motion_0>..<Motion_511> at 256000.. (ordinary tokens)
  OUT/irg_options.json                 {"attention_softcap": false} when switched off
  OUT/adapters/<name>/                 peft folders (adapter_config.json,
                                       adapter_model.safetensors), one per LoRA adapter

Motion-Agent's file is a dict of peft LoRA tensors (adapters t2m r=64 alpha=64
and m2t r=32 alpha=32) plus `embeddings` and `lm_head` holding the 514 new
rows; it was trained with transformers 4.44, whose default attention skipped
the attention softcap, so its folder gets attention_softcap false. IRG-MotionLLM's
is {'epoch', 'state_dict'}; prefixes `llm.`, `base_model.model.` and
`.base_layer` are stripped.

  python3 Scripts/convert_motionllm.py CHECKPOINT --base GEMMA2_DIR --out OUT
      [--alpha t2m=64 --alpha m2t=32] [--attention-softcap off|config]

--alpha defaults to each adapter's rank (Motion-Agent's values); the softcap
defaults to off for a Motion-Agent file, to config.json's value otherwise.
"""
import argparse
import json
import os
import re
import shutil

import torch
from safetensors import safe_open
from safetensors.torch import save_file

MOTION_TOKENS = ["<Motion>", "</Motion>"] + [f"<Motion_{i}>" for i in range(512)]
LORA_KEY = re.compile(r"^(model\.layers\.\d+\.(?:self_attn|mlp)\.[a-z]+_proj)\.lora_([AB])\.([\w-]+)\.weight$")
PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def stripped(key):
    for prefix in ("llm.", "base_model.model."):
        if key.startswith(prefix):
            key = key[len(prefix):]
    return key.replace(".base_layer", "")


def split_checkpoint(state):
    """(LoRA tensors by adapter and module, new embedding rows, lm_head rows, full Gemma2 weights)."""
    adapters, rows, head, weights, unknown = {}, None, None, {}, []
    for raw, tensor in state.items():
        key = stripped(raw)
        lora = LORA_KEY.match(key)
        if lora:
            module, ab, name = lora.groups()
            adapters.setdefault(name, {})[f"base_model.model.{module}.lora_{ab}.weight"] = tensor
        elif key in ("embeddings", "embed_tokens.weight"):
            rows = tensor
        elif key in ("lm_head", "lm_head.weight"):
            head = tensor
        elif key.startswith("model."):
            weights[key] = tensor
        else:
            unknown.append(raw)
    if unknown:
        raise SystemExit(f"error: tensors that are neither Gemma2 weights nor LoRA nor motion rows: {unknown[:5]}")
    return adapters, rows, head, weights


def load_base(folder):
    tensors = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".safetensors"):
            with safe_open(os.path.join(folder, name), "pt") as f:
                tensors.update({k: f.get_tensor(k) for k in f.keys()})
    return tensors


def with_motion_rows(embedding, rows, text_vocab):
    """The embedding matrix with the 514 motion rows at text_vocab.. (replacing them when present)."""
    if rows is None:
        if embedding.shape[0] < text_vocab + 514:
            raise SystemExit("error: the checkpoint has no motion rows (embeddings) and the base has none either")
        return embedding
    rows = rows.to(embedding.dtype)
    if rows.shape[0] == 514 and embedding.shape[0] == text_vocab:
        return torch.cat([embedding, rows])
    if rows.shape[0] == 514 and embedding.shape[0] >= text_vocab + 514:
        return torch.cat([embedding[:text_vocab], rows, embedding[text_vocab + 514:]])
    if rows.shape[0] == embedding.shape[0] + 514 or rows.shape[0] == embedding.shape[0]:
        return rows
    raise SystemExit(f"error: embeddings has {rows.shape[0]} rows; expected 514 or the full vocabulary")


def tokenizer_with_motion(base, out):
    from tokenizers import AddedToken, Tokenizer
    tokenizer = Tokenizer.from_file(os.path.join(base, "tokenizer.json"))
    if tokenizer.token_to_id("<Motion>") is None:
        tokenizer.add_tokens([AddedToken(t, normalized=False, special=False) for t in MOTION_TOKENS])
    ids = [tokenizer.token_to_id(t) for t in MOTION_TOKENS]
    if ids != list(range(ids[0], ids[0] + 514)):
        raise SystemExit("error: the motion tokens did not get consecutive ids")
    tokenizer.save(os.path.join(out, "tokenizer.json"))
    return ids[0]


def write_adapter(folder, tensors, alpha, base):
    ranks = {t.shape[0] for k, t in tensors.items() if ".lora_A." in k}
    if len(ranks) != 1:
        raise SystemExit(f"error: adapter {folder} has LoRA A tensors of ranks {sorted(ranks)}")
    rank = ranks.pop()
    os.makedirs(folder, exist_ok=True)
    save_file({k: t.contiguous() for k, t in tensors.items()}, os.path.join(folder, "adapter_model.safetensors"))
    config = {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": rank, "lora_alpha": alpha or rank, "use_rslora": False,
              "lora_dropout": 0.0, "bias": "none", "fan_in_fan_out": False, "target_modules": PROJECTIONS,
              "base_model_name_or_path": base}
    json.dump(config, open(os.path.join(folder, "adapter_config.json"), "w"), indent=1)
    return rank


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--base", required=True, help="HF Gemma2 folder (config.json, safetensors, tokenizer.json)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--alpha", action="append", default=[], help="NAME=ALPHA (default: the adapter's rank)")
    parser.add_argument("--attention-softcap", choices=["off", "config"])
    args = parser.parse_args()

    state = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    motion_agent = "state_dict" not in state
    adapters, rows, head, tuned = split_checkpoint(state if motion_agent else state["state_dict"])
    if head is not None and rows is not None and not torch.equal(head.to(rows.dtype), rows):
        raise SystemExit("error: lm_head's rows differ from the embeddings'; Gemma2 ties them and so does irg")

    os.makedirs(args.out, exist_ok=True)
    config = json.load(open(os.path.join(args.base, "config.json")))
    first_motion_id = tokenizer_with_motion(args.base, args.out)
    weights = load_base(args.base)
    unknown = sorted(set(tuned) - set(weights))
    if unknown:
        raise SystemExit(f"error: tuned weights the base model lacks: {unknown[:5]}")
    weights.update({k: t.to(weights[k].dtype) for k, t in tuned.items() if k != "model.embed_tokens.weight"})
    embedding = with_motion_rows(weights["model.embed_tokens.weight"], rows if rows is not None else tuned.get("model.embed_tokens.weight"),
                                 first_motion_id)
    weights["model.embed_tokens.weight"] = embedding
    config["vocab_size"] = embedding.shape[0]
    save_file({k: t.contiguous() for k, t in weights.items()}, os.path.join(args.out, "model.safetensors"),
              metadata={"format": "pt", "source": os.path.basename(args.checkpoint)})
    json.dump(config, open(os.path.join(args.out, "config.json"), "w"), indent=1)

    softcap = args.attention_softcap or ("off" if motion_agent else "config")
    options = os.path.join(args.out, "irg_options.json")
    if softcap == "off":
        json.dump({"attention_softcap": False,
                   "note": "trained with transformers 4.44, whose default attention skipped the attention softcap"},
                  open(options, "w"), indent=1)
    elif os.path.exists(options):
        os.remove(options)

    alphas = dict(a.split("=", 1) for a in args.alpha)
    adapters_dir = os.path.join(args.out, "adapters")
    shutil.rmtree(adapters_dir, ignore_errors=True)
    for name, tensors in sorted(adapters.items()):
        rank = write_adapter(os.path.join(adapters_dir, name), tensors, float(alphas[name]) if name in alphas else None,
                             args.base)
        print(f"adapter {name}: rank {rank}, {len(tensors) // 2} projections")
    print(f"{args.out}: vocabulary {config['vocab_size']}, motion tokens from {first_motion_id}, "
          f"attention softcap {softcap}, {len(tuned)} tuned tensors")


if __name__ == "__main__":
    main()
