"""Writes a Gemma2-2b-shaped checkpoint with random weights for `irg bench llm`:
the real shapes (26 layers, hidden 2304, 8 heads / 4 KV heads of 256, MLP 9216)
and Gemma2's 256,000 tokens plus MotionLLM's 514, 2.6B parameters in BF16
(5.2 GB) in one model.safetensors, with config.json in the old (rope_theta) form.
Needs numpy only. Run: python3 Scripts/make_bench_gemma2.py OUT_DIR

It also writes a tokenizer.json in Gemma's form (Replace " " -> "▁", BPE with byte
fallback, <pad> <eos> <bos> <unk> at 0-3, MotionLLM's tokens at 256000..) whose
merges make each word of the prompt templates one token, as Gemma's vocabulary
does for common English, so prompts have realistic lengths; the other ids up to
256,000 are filler. It lets irg-generator serve the model (`irg bench loop`).
"""
import json
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gemma_tokenizer_json import gemma_tokenizer  # noqa: E402

HIDDEN, INTERMEDIATE, LAYERS, HEADS, KV_HEADS, HEAD_DIM = 2304, 9216, 26, 8, 4, 256
VOCAB = 256000 + 514


def config():
    return {
        "architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "vocab_size": VOCAB,
        "hidden_size": HIDDEN, "intermediate_size": INTERMEDIATE, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "head_dim": HEAD_DIM,
        "query_pre_attn_scalar": 256, "sliding_window": 4096, "attn_logit_softcapping": 50.0,
        "final_logit_softcapping": 30.0, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
        "hidden_activation": "gelu_pytorch_tanh", "max_position_embeddings": 8192,
        "pad_token_id": 0, "eos_token_id": 1, "bos_token_id": 2, "tie_word_embeddings": True,
        "attention_bias": False, "torch_dtype": "bfloat16",
    }


def shapes():
    yield "model.embed_tokens.weight", (VOCAB, HIDDEN)
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        yield p + "self_attn.q_proj.weight", (HEADS * HEAD_DIM, HIDDEN)
        yield p + "self_attn.k_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN)
        yield p + "self_attn.v_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN)
        yield p + "self_attn.o_proj.weight", (HIDDEN, HEADS * HEAD_DIM)
        yield p + "mlp.gate_proj.weight", (INTERMEDIATE, HIDDEN)
        yield p + "mlp.up_proj.weight", (INTERMEDIATE, HIDDEN)
        yield p + "mlp.down_proj.weight", (HIDDEN, INTERMEDIATE)
        for norm in ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"]:
            yield p + norm + ".weight", (HIDDEN,)
    yield "model.norm.weight", (HIDDEN,)


def bf16(rng, shape):
    """Normal(0, 0.02) weights; norm weights small (Gemma's RMSNorm scales by 1 + w)."""
    scale = 0.02 if len(shape) == 2 else 0.1
    values = (rng.standard_normal(shape, dtype=np.float32) * scale).view(np.uint32)
    return (values >> 16).astype(np.uint16)


TEMPLATE_TEXT = (
    "You are an assistant who helps users understand or generate 3D human motion representations. User: Response: "
    "Generate a motion that depicts a person walks forward and waves. Motion: Goal text: Determine how to refine the "
    "generated motion for better alignment. Refine the motion according to the instruction: Provide a detailed "
    "description of the motion. Assessment: Refinement: No refinements needed. Raise the left arm higher, move "
    "faster, slower, turn right, jump, kick, bow, sit, run, step back.")


def tokenizer():
    """Gemma-style tokenizer.json: specials, 256 byte tokens, characters, one merge chain per template word."""
    vocab = {"<pad>": 0, "<eos>": 1, "<bos>": 2, "<unk>": 3}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    for ch in sorted({c for c in TEMPLATE_TEXT.replace(" ", "\u2581")} | set("abcdefghijklmnopqrstuvwxyz0123456789.,:;!?'-")):
        vocab.setdefault(ch, len(vocab))
    merges = []
    for word in dict.fromkeys(TEMPLATE_TEXT.split()):
        for piece in ("\u2581" + word, word):
            current = piece[0]
            for ch in piece[1:]:
                merged = current + ch
                if merged not in vocab:
                    merges.append([current, ch])
                    vocab[merged] = len(vocab)
                current = merged
    # Fill the rest with short letter strings, each built by a merge, so that text made of
    # random ids (what a random model writes) re-tokenizes to about as many ids as it came
    # from, as with a real vocabulary (named fillers re-tokenized letter by letter, 10x longer).
    letters = "abcdefghijklmnopqrstuvwxyz"
    frontier = list(letters)
    while len(vocab) < 256000:
        grown = []
        for stem in frontier:
            for ch in letters:
                token = stem + ch
                if token not in vocab:
                    merges.append([stem, ch])
                    vocab[token] = len(vocab)
                    grown.append(token)
                if len(vocab) >= 256000:
                    break
            if len(vocab) >= 256000:
                break
        frontier = grown
    return gemma_tokenizer(vocab, merges)


def write_tokenizer(out):
    json.dump(tokenizer(), open(os.path.join(out, "tokenizer.json"), "w"), ensure_ascii=False)


def main(out):
    os.makedirs(out, exist_ok=True)
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape in shapes():
        size = int(np.prod(shape)) * 2
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    rng = np.random.default_rng(2024)
    with open(os.path.join(out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded)
        for name, shape in shapes():
            f.write(bf16(rng, shape).tobytes())
    json.dump(config(), open(os.path.join(out, "config.json"), "w"), indent=1)
    write_tokenizer(out)
    print(f"{out}: {offset / 1e9:.2f} GB of BF16 weights, {offset // 2 / 1e9:.2f}B parameters")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] == "--tokenizer-only":  # rewrite the tokenizer of an existing folder
        write_tokenizer(sys.argv[1])
    else:
        main(sys.argv[1])
