"""Writes a Gemma2-2b-shaped checkpoint with random weights for `irg bench llm`:
the real shapes (26 layers, hidden 2304, 8 heads / 4 KV heads of 256, MLP 9216)
and Gemma2's 256,000 tokens plus MotionLLM's 514, 2.6B parameters in BF16
(5.2 GB) in one model.safetensors, with config.json in the old (rope_theta) form.
Needs numpy only. Run: python3 Scripts/make_bench_gemma2.py OUT_DIR
"""
import json
import os
import struct
import sys

import numpy as np

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
    print(f"{out}: {offset / 1e9:.2f} GB of BF16 weights, {offset // 2 / 1e9:.2f}B parameters")


if __name__ == "__main__":
    main(sys.argv[1])
