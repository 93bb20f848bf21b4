"""Writes Tests/LanguageModelTests/Fixtures/gemma2/: fidelity fixtures for the
Gemma2 + LoRA engine, made with HF `tokenizers` and `transformers` (eager
attention, float32) as the independent reference.

- tokenizer: a Gemma-style tokenizer.json (Replace " " -> "▁" normalizer, no
  pre-tokenizer, BPE with byte fallback over <0x00>..<0xFF>, <pad>/<eos>/<bos>/<unk>
  = 0/1/2/3, <bos> added in front, special <start_of_turn>/<end_of_turn>/<mask>,
  and the 514 motion tokens added as ordinary tokens), trained on KIT-ML captions.
  tokenizer_cases.json: 2,000+ strings (real captions, unicode, emoji, whitespace
  runs, motion spans, literal special tokens, prompt templates) with HF's ids
  and its decoding.
- model_a/: BF16 on disk, config.json in the new form (rope_parameters,
  layer_types, here not the default alternation), merges as [a, b] arrays.
- model_b/: F32 in two shards with an index, config.json in the old form
  (rope_theta, no layer_types), merges as "a b" strings.
- adapter_t2m/ (r 4, alpha 8, F32) and adapter_m2t/ (r 2, alpha 2, rslora, BF16):
  peft folders for model_a with non-zero B on q, k, v, o, gate, up, down.
- task_prompts.json: each MotionLLM task's prompt, filled here from the
  templates of REFERENCE-NOTES section 4 (written out independently of the
  Swift code), with HF's ids; and a constrained greedy continuation of the
  text-to-motion prompt (after <Motion> only </Motion> or a code may follow).
- converted_motion_agent/: Scripts/convert_motionllm.py run on a Motion-Agent-style
  motionllm.pth written here from model_a's motion rows and adapter_t2m (peft
  keys with the adapter name, `embeddings`/`lm_head` holding the 514 rows);
  with the adapter (and the softcap it switches off switched back on) it must
  give logits_a_t2m.
- converted_from_base/ and converted_irg_full/ (+ logits_irg_full.npy): the
  converter on a base without the motion tokens and on an IRG-MotionLLM
  full-tuning file (see convert_from_base_and_full_tuned).
- cases.json + logits_<case>.npy: each case's prompt ids, logits (T, V) after
  the final softcap, and a 32-token greedy continuation computed without a
  cache (the whole sequence re-run each step).

The reference runs in float64, so a float32 engine's error is measured
against the exact result; cases.json also records transformers' own float32
error against it (the float32 peer's error on the same fixture). Weights are
scaled so that both softcaps engage (the script checks it; the caps are 10
here, not Gemma2's 50/30, so that moderate weights reach them without making
float32 ill-conditioned), and the prompt is longer than the sliding window. Run: python3 make_gemma2_fixtures.py
(needs ../shared/data/kit-ml and `pip install transformers tokenizers`).
"""
import json
import lzma
import os
import random
import shutil

import numpy as np
import torch
from safetensors.torch import save_file
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, processors

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "Tests", "LanguageModelTests", "Fixtures", "gemma2")
KIT = os.path.join(REPO, "..", "shared", "data", "kit-ml", "annotations.json.xz")

SPECIALS = ["<pad>", "<eos>", "<bos>", "<unk>"]
MOTION_TOKENS = ["<Motion>", "</Motion>"] + [f"<Motion_{i}>" for i in range(512)]
GREEDY_TOKENS = 32


def kit_captions():
    data = json.load(lzma.open(KIT))
    return [a["text"] for entry in data.values() for a in entry["annotations"]]


def train_merges(corpus, vocab_size=900, alphabet_size=60):
    """A deterministic BPE: SentencePiece-style pieces ("▁word"), the most
    frequent characters as the alphabet, then the most frequent adjacent pair
    merged repeatedly (ties by the pair's text). `tokenizers`' own trainer
    breaks ties by hash order, so its output changes from run to run."""
    import collections
    import re
    pieces = collections.Counter()
    for text in corpus:
        pieces.update(re.findall(r"▁+[^▁]*|[^▁]+", text.replace(" ", "▁")))
    chars = collections.Counter()
    for piece, n in pieces.items():
        for c in piece:
            chars[c] += n
    alphabet = sorted(chars, key=lambda c: (-chars[c], c))[:alphabet_size]
    words = {tuple(piece): n for piece, n in pieces.items()}
    merges, vocab = [], list(alphabet)
    while len(vocab) + len(SPECIALS) < vocab_size:
        pairs = collections.Counter()
        for word, n in words.items():
            for a, b in zip(word, word[1:]):
                if a in vocab and b in vocab:
                    pairs[a, b] += n
        if not pairs:
            break
        (a, b), _ = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        merges.append((a, b))
        vocab.append(a + b)
        merged = {}
        for word, n in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and word[i] == a and word[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        words = merged
    return vocab, merges


def build_tokenizer(corpus):
    """Gemma's layout: specials, the 256 byte tokens, then the trained pieces."""
    pieces, merges = train_merges(corpus)
    vocab = {t: i for i, t in enumerate(SPECIALS)}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    for token in pieces:
        vocab.setdefault(token, len(vocab))
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizers.Replace(" ", "▁")
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()])
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in SPECIALS])
    tok.add_tokens([AddedToken(t, special=False, normalized=True) for t in MOTION_TOKENS])
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False)
                            for t in ["<start_of_turn>", "<end_of_turn>", "<mask>"]])
    tok.post_processor = processors.TemplateProcessing(single="<bos> $A", special_tokens=[("<bos>", 2)])
    return tok


def motion_span(rng, n):
    return "<Motion>" + "".join(f"<Motion_{rng.randrange(512)}>" for _ in range(n)) + "</Motion>"


def test_strings(captions):
    rng = random.Random(5)
    strings = rng.sample(captions, 1400)
    pieces = ["walk", "jump", " ", "  ", "   ", "\t", "\n", "\n\n", "é", "ñ", "ß", "Ω", "中文", "日本語", "한국어",
              "🏃", "🏃‍♂️", "👋🏽", "🤸", "∑", "→", "\u00a0", "\u200b", "<bos>", "<eos>", "<pad>", "<unk>", "<mask>",
              "<start_of_turn>", "<end_of_turn>", "<Motion>", "</Motion>", "<Motion_7>", "<Motion_511>",
              "<Motion_512>", "<Motion_", "<Motion_3", "Motion", "<", ">", "<<", "..", "a person", "A", "1234",
              "'", "\"", "\\", "ʼ", "𝔸", "\u0301"]
    for _ in range(500):
        strings.append("".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))))
    for _ in range(60):
        strings.append(motion_span(rng, rng.randrange(0, 40)))
    system = "You are an assistant who helps users understand or generate 3D human motion representations."
    for caption in rng.sample(captions, 60):
        strings.append(f"{system}\n\nUser: Generate a motion that depicts {caption}\n\n Response:<Motion>")
        strings.append(f"{system}\n\nUser: Motion: {motion_span(rng, 20)}. Goal text: {caption} "
                       "Assess the alignment between the motion and the goal.\n\n Response:")
    strings += ["", " ", "  leading", "trailing  ", "\n", "a  b   c    d", "x" * 300, "é" * 50, "<bos><bos>",
                "<Motion><Motion>", "text<eos>more", " <Motion_1> ", "<Motion_01>", "<MOTION>"]
    return strings


def gemma2_config(vocab, new_form, **extra):
    config = dict(
        architectures=["Gemma2ForCausalLM"], model_type="gemma2", vocab_size=vocab, hidden_size=64,
        intermediate_size=96, num_hidden_layers=4, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
        query_pre_attn_scalar=24, sliding_window=8, attn_logit_softcapping=10.0, final_logit_softcapping=10.0,
        rms_norm_eps=1e-6, hidden_activation="gelu_pytorch_tanh", max_position_embeddings=256,
        pad_token_id=0, eos_token_id=1, bos_token_id=2, tie_word_embeddings=True, attention_bias=False,
        torch_dtype="float32")
    if new_form:
        config["rope_parameters"] = {"rope_type": "default", "rope_theta": 10000.0}
        config["layer_types"] = ["full_attention", "sliding_attention", "sliding_attention", "full_attention"]
    else:
        config["rope_theta"] = 10000.0
    config.update(extra)
    return config


def hf_model(folder, lora=None, attention_softcap=True, dtype=torch.float64):
    from transformers import Gemma2ForCausalLM
    model = Gemma2ForCausalLM.from_pretrained(folder, torch_dtype=dtype, attn_implementation="eager")
    if not attention_softcap:
        model.config.attn_logit_softcapping = None
        for layer in model.model.layers:
            layer.self_attn.attn_logit_softcapping = None
    if lora:
        merge_lora(model, lora)
    return model.eval()


def merge_lora(model, adapter):
    """W' = W + scale * B A, the peft formula (scale alpha/r, or alpha/sqrt(r) with rslora)."""
    config, tensors = adapter
    scale = config["lora_alpha"] / (config["r"] ** 0.5 if config["use_rslora"] else config["r"])
    params = dict(model.named_parameters())
    for key, a in tensors.items():
        if ".lora_A." not in key:
            continue
        module = key[len("base_model.model."):].split(".lora_A.")[0]
        b = tensors[key.replace("lora_A", "lora_B")]
        with torch.no_grad():
            params[module + ".weight"] += scale * (b.to(params[module + ".weight"].dtype) @ a.to(params[module + ".weight"].dtype))


def random_weights(config, seed, dtype, qk=0.3, post_gain=2, final_gain=1, embedding=0.4):
    """Gemma2 tensors, scaled so that both softcaps matter. The post-norms'
    large gains let the layers outweigh the token's own embedding (else the
    tied output layer just repeats the last token), so greedy decoding varies."""
    g = torch.Generator().manual_seed(seed)
    h, inter, v = config["hidden_size"], config["intermediate_size"], config["vocab_size"]
    q, kv = config["num_attention_heads"] * config["head_dim"], config["num_key_value_heads"] * config["head_dim"]

    def rand(*shape, std):
        return (torch.randn(*shape, generator=g) * std).to(dtype)

    tensors = {"model.embed_tokens.weight": rand(v, h, std=embedding), "model.norm.weight": rand(h, std=0.5) + final_gain}
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        tensors.update({
            p + "self_attn.q_proj.weight": rand(q, h, std=qk), p + "self_attn.k_proj.weight": rand(kv, h, std=qk),
            p + "self_attn.v_proj.weight": rand(kv, h, std=0.2), p + "self_attn.o_proj.weight": rand(h, q, std=0.2),
            p + "mlp.gate_proj.weight": rand(inter, h, std=0.2), p + "mlp.up_proj.weight": rand(inter, h, std=0.2),
            p + "mlp.down_proj.weight": rand(h, inter, std=0.15),
        })
        for norm in ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                     "post_feedforward_layernorm"]:
            tensors[p + norm + ".weight"] = rand(h, std=0.3) + (post_gain if norm.startswith("post") else 0)
    return tensors


def write_model(folder, config, tensors, tokenizer_json, shards=1):
    os.makedirs(folder, exist_ok=True)
    json.dump(config, open(os.path.join(folder, "config.json"), "w"), indent=1)
    open(os.path.join(folder, "tokenizer.json"), "w").write(tokenizer_json)
    names = sorted(tensors)
    if shards == 1:
        save_file(tensors, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        return
    weight_map = {}
    for s in range(shards):
        file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[s::shards]}
        save_file(part, os.path.join(folder, file), metadata={"format": "pt"})
        weight_map.update({n: file for n in part})
    json.dump({"metadata": {}, "weight_map": weight_map},
              open(os.path.join(folder, "model.safetensors.index.json"), "w"), indent=1)


def write_adapter(folder, config, seed, r, alpha, rslora, dtype):
    g = torch.Generator().manual_seed(seed)
    h, inter = config["hidden_size"], config["intermediate_size"]
    q, kv = config["num_attention_heads"] * config["head_dim"], config["num_key_value_heads"] * config["head_dim"]
    shapes = {"self_attn.q_proj": (q, h), "self_attn.k_proj": (kv, h), "self_attn.v_proj": (kv, h),
              "self_attn.o_proj": (h, q), "mlp.gate_proj": (inter, h), "mlp.up_proj": (inter, h),
              "mlp.down_proj": (h, inter)}
    tensors = {}
    for i in range(config["num_hidden_layers"]):
        for module, (out, inp) in shapes.items():
            key = f"base_model.model.model.layers.{i}.{module}"
            tensors[key + ".lora_A.weight"] = (torch.randn(r, inp, generator=g) * 0.1).to(dtype)
            tensors[key + ".lora_B.weight"] = (torch.randn(out, r, generator=g) * 0.1).to(dtype)
    adapter_config = {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": r, "lora_alpha": alpha,
                      "use_rslora": rslora, "lora_dropout": 0.0, "bias": "none", "fan_in_fan_out": False,
                      "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]}
    os.makedirs(folder, exist_ok=True)
    json.dump(adapter_config, open(os.path.join(folder, "adapter_config.json"), "w"), indent=1)
    save_file(tensors, os.path.join(folder, "adapter_model.safetensors"))
    return adapter_config, tensors


@torch.no_grad()
def logits_of(model, ids):
    return model(torch.tensor([ids])).logits[0]


@torch.no_grad()
def greedy(model, ids, steps):
    """Argmax continuation, re-running the whole sequence each step (no cache)."""
    seq, margins = list(ids), []
    for _ in range(steps):
        last = logits_of(model, seq)[-1]
        top = torch.topk(last, 2).values
        margins.append(float(top[0] - top[1]))
        seq.append(int(last.argmax()))
    return seq[len(ids):], min(margins)


@torch.no_grad()
def check_softcaps_engaged(model, ids, attention=True):
    """Both caps must matter: logits and attention scores past the cap."""
    out = model(torch.tensor([ids]), output_hidden_states=True)
    raw = out.hidden_states[-1][0] @ model.model.embed_tokens.weight.T
    cap = model.config.final_logit_softcapping
    assert raw.abs().max() > cap, f"final softcap not engaged ({raw.abs().max():.1f})"
    off = hf_model_like(model)
    diff = (off(torch.tensor([ids])).logits - out.logits).abs().max()
    assert diff > 0.1 or not attention, f"attention softcap not engaged ({diff})"
    return float(raw.abs().max()), float(diff)


@torch.no_grad()
def beam_case(model, prompt, beams=3, steps=10):
    """transformers' beam search (length penalty 1, default early stopping)."""
    out = model.generate(torch.tensor([prompt]), num_beams=beams, max_new_tokens=steps, do_sample=False,
                         length_penalty=1.0, early_stopping=False, eos_token_id=1, pad_token_id=0,
                         output_scores=True, return_dict_in_generate=True)
    tokens = out.sequences[0, len(prompt):].tolist()
    print(f"beam search ({beams} beams, {steps} tokens): {tokens}, score {float(out.sequences_scores[0]):.4f}")
    return {"beams": beams, "max_new_tokens": steps, "tokens": tokens, "score": float(out.sequences_scores[0])}


SYSTEM = "You are an assistant who helps users understand or generate 3D human motion representations."
MOTION_AGENT_SYSTEM = ("Below is an instruction that describes a task, paired with an input that provides further context. "
                       "Write a response that appropriately completes the request.")
INTERLEAVED = ("Given a text outlining a human motion objective, employ a step-by-step thought process to realize the "
               "motion: (1) analyze the text, providing a clear explanation of the reasoning to identify essential "
               "elements; (2) conduct several rounds of motion generation and self-assessment until the motion is "
               "satisfactory. Wrap all responses in <think> and </think> tags, and formulate a plan before each step."
               "\nGoal Text: <Goal_Caption>")
TEMPLATES = {
    "generate": "Generate a motion that depicts <Goal_Caption>.",
    "caption": "<Goal_Motion>\nProvide a detailed description of the motion.",
    "analyze": "Determine the critical aspects to address prior to generating a motion that represents <Goal_Caption>.",
    "refine_instruction": "Motion: <Generated_Motion>. Goal text: <Goal_Caption>. Determine how to refine the "
                          "generated motion for better alignment.",
    "refine": "Motion: <Generated_Motion>. Goal text: <Goal_Caption>. Refine the motion according to the "
              "instruction: <Refinement_Instruction>.",
    "interleave": INTERLEAVED,
}


def fill_irg(task, caption="", motion=(), instruction=""):
    span = "<Motion>" + "".join(f"<Motion_{c}>" for c in motion) + "</Motion>"
    user = (TEMPLATES[task].replace("<Goal_Caption>", caption).replace("<Goal_Motion>", span)
            .replace("<Generated_Motion>", span).replace("<Refinement_Instruction>", instruction))
    text = (SYSTEM + "\n\nUser: " + user + "\n\n Response:").replace("..", ".")
    return text + " <Motion>" if task in ("generate", "refine") else text  # both answers are a motion span


def task_prompts(tok):
    motion = [5, 300, 17, 511, 0]
    caption = "a person walks forward and waves.."
    rows = [dict(task=t, caption=caption, motion=motion, instruction="Raise the left arm higher.")
            for t in TEMPLATES]
    for row in rows:
        row["text"] = fill_irg(row["task"], row["caption"], row["motion"], row["instruction"])
    rows.append(dict(task="generate_motion_agent", caption=caption, motion=[], instruction="",
                     text=MOTION_AGENT_SYSTEM + "\n\n### Instruction:\nGenerate a motion matching the following "
                     "input human motion description\n\n### Input:\n" + caption + "\n\nResponse: <Motion>"))
    for row in rows:
        row["ids"] = tok.encode(row["text"]).ids
    return rows


@torch.no_grad()
def constrained_greedy(model, ids, steps, open_id):
    """Argmax, restricted to </Motion> and the 512 codes while inside a span (no cache)."""
    seq, in_span = list(ids), ids[-1] == open_id
    for _ in range(steps):
        last = logits_of(model, seq)[-1]
        if in_span:
            token = open_id + 1 + int(last[open_id + 1:open_id + 2 + 512].argmax())
        else:
            token = int(last.argmax())
        seq.append(token)
        in_span = token == open_id or (in_span and token != open_id + 1)
        if token == 1:
            break
    return seq[len(ids):]


def motion_agent_checkpoint(path, model_folder, adapter_folder):
    """A motionllm.pth as Motion-Agent saves it: peft LoRA tensors named with the adapter, plus the 514 rows."""
    from safetensors.torch import load_file
    embedding = load_file(os.path.join(model_folder, "model.safetensors"))["model.embed_tokens.weight"]
    first = Tokenizer.from_file(os.path.join(model_folder, "tokenizer.json")).token_to_id("<Motion>")
    rows = embedding[first:first + 514].clone()
    state = {k.replace(".lora_A.", ".lora_A.t2m.").replace(".lora_B.", ".lora_B.t2m."): v
             for k, v in load_file(os.path.join(adapter_folder, "adapter_model.safetensors")).items()}
    state.update(embeddings=rows, lm_head=rows.clone())
    torch.save(state, path)


def convert_motion_agent():
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        pth = os.path.join(tmp, "motionllm.pth")
        motion_agent_checkpoint(pth, os.path.join(OUT, "model_a"), os.path.join(OUT, "adapter_t2m"))
        subprocess.run(["python3", os.path.join(REPO, "Scripts", "convert_motionllm.py"), pth, "--base",
                        os.path.join(OUT, "model_a"), "--out", os.path.join(OUT, "converted_motion_agent"),
                        "--alpha", "t2m=8"], check=True)


def convert_from_base_and_full_tuned(prompt):
    """The converter's other two paths. converted_from_base/: the Motion-Agent
    file against a base without the motion tokens (model_a cut to its 1,156
    text rows and tokens), so the converter appends the 514 rows and tokens
    itself; its logits must equal a_t2m's over those 1,670 columns.
    converted_irg_full/: an IRG-MotionLLM full-tuning file ({'epoch',
    'state_dict'} with `llm.`/`base_model.model.`/`.base_layer` names and full
    `embeddings`/`lm_head`) whose weights differ from model_a in two places by
    factors exact in BF16; logits_irg_full.npy is transformers (float64) on
    those weights built here without the converter."""
    import subprocess
    import tempfile
    from safetensors.torch import load_file
    model_a = os.path.join(OUT, "model_a")
    weights = load_file(os.path.join(model_a, "model.safetensors"))
    config = json.load(open(os.path.join(model_a, "config.json")))
    tokenizer = json.load(open(os.path.join(model_a, "tokenizer.json")))
    first = next(t["id"] for t in tokenizer["added_tokens"] if t["content"] == "<Motion>")
    convert = os.path.join(REPO, "Scripts", "convert_motionllm.py")
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base")
        os.makedirs(base)
        cut = dict(weights, **{"model.embed_tokens.weight": weights["model.embed_tokens.weight"][:first].clone()})
        save_file(cut, os.path.join(base, "model.safetensors"), metadata={"format": "pt"})
        json.dump(dict(config, vocab_size=first), open(os.path.join(base, "config.json"), "w"), indent=1)
        json.dump(dict(tokenizer, added_tokens=[t for t in tokenizer["added_tokens"] if t["id"] < first]),
                  open(os.path.join(base, "tokenizer.json"), "w"), ensure_ascii=False)
        pth = os.path.join(tmp, "motionllm.pth")
        motion_agent_checkpoint(pth, model_a, os.path.join(OUT, "adapter_t2m"))
        subprocess.run(["python3", convert, pth, "--base", base, "--out", os.path.join(OUT, "converted_from_base"),
                        "--alpha", "t2m=8"], check=True)

        tuned = dict(weights)
        tuned["model.layers.0.self_attn.q_proj.weight"] = weights["model.layers.0.self_attn.q_proj.weight"] * 2
        tuned["model.layers.1.mlp.up_proj.weight"] = -weights["model.layers.1.mlp.up_proj.weight"]
        embedding = weights["model.embed_tokens.weight"].clone()
        embedding[first:first + 514] *= -1
        tuned["model.embed_tokens.weight"] = embedding
        state = {"llm." + k: v for k, v in tuned.items() if k != "model.embed_tokens.weight"}
        state["llm.base_model.model.model.layers.1.mlp.up_proj.base_layer.weight"] = state.pop("llm.model.layers.1.mlp.up_proj.weight")
        state.update({"llm.embeddings": embedding, "llm.lm_head": embedding.clone()})
        pth = os.path.join(tmp, "irg_sft.pth")
        torch.save({"epoch": 3, "state_dict": state}, pth)
        subprocess.run(["python3", convert, pth, "--base", model_a, "--out", os.path.join(OUT, "converted_irg_full")],
                       check=True)

        expected = os.path.join(tmp, "expected")
        write_model(expected, config, tuned, open(os.path.join(model_a, "tokenizer.json")).read())
        exact = logits_of(hf_model(expected), prompt)
        np.save(os.path.join(OUT, "logits_irg_full.npy"), exact.numpy())
        return greedy(hf_model(expected), prompt, GREEDY_TOKENS)[0]


def hf_model_like(model):
    import copy
    off = copy.deepcopy(model)
    for layer in off.model.layers:
        layer.self_attn.attn_logit_softcapping = None
    return off


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    captions = kit_captions()
    tok = build_tokenizer(captions + ["a  person   walks\n\n\tforward    quickly"] * 20)
    tokenizer_arrays = tok.to_str()
    as_strings = json.loads(tokenizer_arrays)
    as_strings["model"]["merges"] = [" ".join(m) for m in as_strings["model"]["merges"]]
    tokenizer_strings = json.dumps(as_strings, ensure_ascii=False)
    assert Tokenizer.from_str(tokenizer_strings).encode("a person walks").ids == tok.encode("a person walks").ids

    strings = test_strings(captions)
    cases = [{"text": s, "ids": tok.encode(s).ids, "decoded": tok.decode(tok.encode(s).ids)} for s in strings]
    json.dump(cases, open(os.path.join(OUT, "tokenizer_cases.json"), "w"), ensure_ascii=False)
    vocab = tok.get_vocab_size()
    print(f"tokenizer: vocabulary {vocab}, {len(cases)} strings")

    config_a = gemma2_config(vocab, new_form=True)
    config_b = gemma2_config(vocab, new_form=False, torch_dtype="float32")
    config_a["torch_dtype"] = "bfloat16"
    write_model(os.path.join(OUT, "model_a"), config_a, random_weights(config_a, 1, torch.bfloat16), tokenizer_arrays)
    write_model(os.path.join(OUT, "model_b"), config_b, random_weights(config_b, 2, torch.float32), tokenizer_strings,
                shards=2)
    t2m = write_adapter(os.path.join(OUT, "adapter_t2m"), config_a, 3, r=4, alpha=8, rslora=False,
                        dtype=torch.float32)
    m2t = write_adapter(os.path.join(OUT, "adapter_m2t"), config_a, 4, r=2, alpha=2, rslora=True,
                        dtype=torch.bfloat16)

    prompt = tok.encode("a person walks forward, turns around, jumps twice and waves with the left hand. "
                        "<Motion><Motion_5><Motion_300><Motion_17>").ids
    model_args = {
        "a": dict(folder=os.path.join(OUT, "model_a")),
        "b": dict(folder=os.path.join(OUT, "model_b")),
        "a_t2m": dict(folder=os.path.join(OUT, "model_a"), lora=t2m),
        "a_m2t": dict(folder=os.path.join(OUT, "model_a"), lora=m2t),
        "a_no_attention_softcap": dict(folder=os.path.join(OUT, "model_a"), attention_softcap=False),
    }
    assert len(prompt) > config_a["sliding_window"]
    manifest = {"prompt": prompt, "greedy_tokens": GREEDY_TOKENS, "cases": {}}
    for name, args in model_args.items():
        model = hf_model(**args)
        exact = logits_of(model, prompt)
        np.save(os.path.join(OUT, f"logits_{name}.npy"), exact.numpy())
        peer_error = float((logits_of(hf_model(**args, dtype=torch.float32), prompt).double() - exact).abs().max())
        continuation, margin = greedy(model, prompt, GREEDY_TOKENS)
        manifest["cases"][name] = {"greedy": continuation, "min_greedy_margin": margin,
                                   "transformers_float32_error": peer_error}
        raw, softcap_effect = check_softcaps_engaged(model, prompt, attention=name != "a_no_attention_softcap")
        print(f"{name}: transformers float32 error {peer_error:.2e}, greedy: {len(set(continuation))} distinct, margin >= {margin:.4f}, "
              f"max logit before cap {raw:.1f}, attention softcap changes logits by {softcap_effect:.2f}")
    manifest["beam"] = beam_case(hf_model(**model_args["b"]), prompt)
    json.dump(manifest, open(os.path.join(OUT, "cases.json"), "w"), indent=1)

    tasks = task_prompts(tok)
    generate = next(row for row in tasks if row["task"] == "generate")
    continuation = constrained_greedy(hf_model(**model_args["a_t2m"]), generate["ids"], 24, tok.token_to_id("<Motion>"))
    print(f"task prompts: {len(tasks)}; constrained greedy t2m: {continuation}")
    convert_motion_agent()
    manifest["cases"]["irg_full"] = {"greedy": convert_from_base_and_full_tuned(prompt)}
    json.dump(manifest, open(os.path.join(OUT, "cases.json"), "w"), indent=1)
    json.dump({"prompts": tasks, "generate_t2m_greedy": continuation}, open(os.path.join(OUT, "task_prompts.json"), "w"),
              indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
