"""Stage 4 and 5 of the demo: a small IRG-MotionLLM (the Gemma2 architecture) trained
from scratch on IRG's eight stage-1 tasks, then on stage-2 interleaved traces (with
stage-1 replay), all built by the data engine (data_engine.py) from the training split
and written with IRG's prompts, tags and plan sentences verbatim; then Motion-Agent's
t2m and m2t LoRA adapters on it (Alpaca prompt for t2m, the caption prompt for m2t).

    python3 Scripts/train/train_motionllm.py DATA VQ_DIR TOKENIZER OUT [--smoke]

Writes OUT/motionllm/{config.json, model.safetensors, tokenizer.json} (loaded by
irg-generator --model) and OUT/motion-agent/{t2m,m2t}/ (peft folders, --adapter).
"""
import json
import math
import os
import random
import shutil

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file
from tokenizers import Tokenizer

import data_engine as engine
from demo_common import Progress, stage_parser, device, load_dataset, seed_everything, write_json
from vq_reference import Checkpoint

SYSTEM = "You are an assistant who helps users understand or generate 3D human motion representations."
ALPACA = ("Below is an instruction that describes a task, paired with an input that provides further context. "
          "Write a response that appropriately completes the request.")
INTERLEAVED = ("Given a text outlining a human motion objective, employ a step-by-step thought process to realize the "
               "motion: (1) analyze the text, providing a clear explanation of the reasoning to identify essential "
               "elements; (2) conduct several rounds of motion generation and self-assessment until the motion is "
               "satisfactory. Wrap all responses in <think> and </think> tags, and formulate a plan before each step.\n"
               "Goal Text: {}")
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
EOS = 1


def gemma2_config(vocab, hidden=256, layers=4, heads=4, kv_heads=2, head_dim=64, intermediate=768):
    """config.json in the old (rope_theta) form, as Gemma2-2b ships it."""
    return {
        "architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "vocab_size": vocab,
        "hidden_size": hidden, "intermediate_size": intermediate, "num_hidden_layers": layers,
        "num_attention_heads": heads, "num_key_value_heads": kv_heads, "head_dim": head_dim,
        "query_pre_attn_scalar": head_dim, "sliding_window": 4096, "attn_logit_softcapping": 50.0,
        "final_logit_softcapping": 30.0, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
        "hidden_activation": "gelu_pytorch_tanh", "max_position_embeddings": 2048,
        "pad_token_id": 0, "eos_token_id": 1, "bos_token_id": 2, "tie_word_embeddings": True,
        "attention_bias": False, "torch_dtype": "float32",
    }


def irg(user):
    return (SYSTEM + "\n\nUser: " + user + "\n\n Response:").replace("..", ".")


def span(codes):
    return "<Motion>" + "".join(f"<Motion_{c}>" for c in codes) + "</Motion>"


def motion_codes(vq_dir, motions):
    """Each motion's codes from the trained VQ-VAE (whole motion, cut to a multiple of 4 frames)."""
    from safetensors.torch import load_file
    config = json.load(open(os.path.join(vq_dir, "config.json")))
    model = Checkpoint(config)
    model.load_state_dict(load_file(os.path.join(vq_dir, "vqvae.safetensors")))
    mean, std = np.load(os.path.join(vq_dir, "mean.npy")), np.load(os.path.join(vq_dir, "std.npy"))
    out = {}
    with torch.no_grad():
        for m in motions:
            t = len(m.features) // 4 * 4
            out[m.id] = model.vqvae.encode(torch.from_numpy((m.features[:t] - mean) / std)).tolist()
    return out


class Tasks:
    """IRG's eight stage-1 tasks and the stage-2 trace, as (prompt, target) texts."""

    def __init__(self, motions, codes, rng):
        self.motions, self.codes, self.rng = motions, codes, rng
        self.negatives = engine.Negatives(motions)

    def caption(self, goal):
        return self.rng.choice(goal.captions)

    def stage1(self, goal):
        rng, caption = self.rng, self.caption(goal)
        goal_span = span(self.codes[goal.id])
        shown = self.rng.choice(self.negatives.of(goal, rng) + [goal])
        assessment, refinement = engine.assess(goal, shown, rng, is_goal=shown is goal)
        shown_span = span(self.codes[shown.id])
        task = rng.randrange(8)
        if task == 0:
            return irg(f"{goal_span}\nProvide a detailed description of the motion."), " " + caption
        if task == 1:
            return irg(f"Generate a motion that depicts {caption}."), " " + goal_span
        if task == 2:
            detailed = engine.detailed_caption(goal, caption, rng)
            return irg(f"Generate a motion that depicts {detailed}."), " " + goal_span
        if task == 3:
            return irg(f"Determine the critical aspects to address prior to generating a motion that represents {caption}."), \
                " " + engine.analysis(goal, rng)
        if task == 4:
            return irg(f"Motion: {shown_span}. Goal text: {caption}. Assess the alignment between the motion and the goal."), \
                " " + assessment
        if task == 5:
            return irg(f"Motion: {shown_span}. Goal text: {caption}. Determine how to refine the generated motion for better alignment."), \
                f" Assessment: {assessment}\nRefinement: {refinement}"
        if task == 6:
            return irg(f"Motion: {shown_span}. Goal text: {caption}. {engine.DIRECT_REFINEMENT}"), " " + goal_span
        if shown is goal:
            shown = self.negatives.of(goal, rng)[-1]
            assessment, refinement = engine.assess(goal, shown, rng)
        return irg(f"Motion: {span(self.codes[shown.id])}. Goal text: {caption}. Refine the motion according to the "
                   f"instruction: {refinement}."), " " + goal_span

    def stage2(self, goal):
        rng, caption = self.rng, self.caption(goal)
        negatives = self.negatives.of(goal, rng)
        chosen = sorted(rng.sample(range(len(negatives)), rng.randint(0, len(negatives))))
        plan = lambda key: f"[plan]{engine.PLANS[key]}[/plan]\n"
        text = "<think>" + plan("analysis") + f"[analyze]{engine.analysis(goal, rng)}[/analyze]\n" + plan("generation")
        for shown in [negatives[i] for i in chosen] + [goal]:
            assessment, refinement = engine.assess(goal, shown, rng, is_goal=shown is goal)
            text += f"[generate]{span(self.codes[shown.id])}[/generate]\n" + plan("assessment")
            text += f"[assess]Assessment: {assessment}\nRefinement: {refinement}[/assess]\n"
            text += plan("finish" if shown is goal else "refinement")
        return irg(INTERLEAVED.format(caption)), " " + text + "</think>"

    def motion_agent_t2m(self, goal):
        prompt = (ALPACA + "\n\n### Instruction:\nGenerate a motion matching the following input human motion description"
                  f"\n\n### Input:\n{self.caption(goal)}\n\nResponse:")
        return prompt, " " + span(self.codes[goal.id])

    def motion_agent_m2t(self, goal):
        return irg(f"{span(self.codes[goal.id])}\nProvide a detailed description of the motion."), " " + self.caption(goal)


def encode(tokenizer, prompt, target):
    """(ids, labels): <bos> prompt target <eos>, loss on the target only."""
    prompt_ids = tokenizer.encode(prompt).ids
    ids = tokenizer.encode(prompt + target).ids + [EOS]
    shared = 0
    while shared < len(prompt_ids) and ids[shared] == prompt_ids[shared]:
        shared += 1
    return ids, [-100] * shared + ids[shared:]


def batches(samples, tokens_per_batch, rng):
    """Length-sorted chunks (little padding), in random order."""
    order = sorted(range(len(samples)), key=lambda i: len(samples[i][0]) + rng.random())
    out, current, longest = [], [], 0
    for i in order:
        n = len(samples[i][0])
        if current and max(longest, n) * (len(current) + 1) > tokens_per_batch:
            out.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, n)
    if current:
        out.append(current)
    rng.shuffle(out)
    return out


def collate(samples, indices, dev):
    length = max(len(samples[i][0]) for i in indices)
    ids = torch.zeros((len(indices), length), dtype=torch.long)
    labels = torch.full((len(indices), length), -100, dtype=torch.long)
    mask = torch.zeros((len(indices), length), dtype=torch.long)
    for row, i in enumerate(indices):
        a, b = samples[i]
        ids[row, :len(a)], labels[row, :len(b)], mask[row, :len(a)] = torch.tensor(a), torch.tensor(b), 1
    return ids.to(dev), labels.to(dev), mask.to(dev)


def train(model, make_samples, epochs, lr, tokens_per_batch, rng, dev, log, name, params=None):
    """AdamW with warm-up and a cosine decay to 10%; fresh samples (new captions, negatives) each epoch."""
    params = params or [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.95), weight_decay=0.0)
    samples = make_samples()
    total = len(batches(samples, tokens_per_batch, rng)) * epochs
    step, report_every = 0, max(1, total // 40)
    for epoch in range(epochs):
        samples = samples if epoch == 0 else make_samples()
        for chunk in batches(samples, tokens_per_batch, rng):
            ids, labels, mask = collate(samples, chunk, dev)
            progress = min(1.0, step / max(1, total))
            for group in optimiser.param_groups:
                group["lr"] = lr * min(1.0, (step + 1) / 50) * (0.1 + 0.45 * (1 + math.cos(math.pi * progress)))
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            step += 1
            if step % report_every == 0:
                log(f"{name} epoch {epoch + 1}/{epochs} step {step}/~{total}: loss {loss.item():.3f}")
    return step


class LoRALinear(nn.Module):
    """W x + (alpha / r) B A x, with W frozen (peft's LoRA)."""

    def __init__(self, base, r, alpha):
        super().__init__()
        self.base, self.scale = base, alpha / r
        self.lora_A = nn.Parameter(torch.randn(r, base.in_features) / math.sqrt(base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))

    def forward(self, x):
        return self.base(x) + (x @ self.lora_A.t() @ self.lora_B.t()) * self.scale


def with_lora(model, r, alpha):
    wrapped = {}
    for i, layer in enumerate(model.model.layers):
        for owner in (layer.self_attn, layer.mlp):
            for name in LORA_TARGETS:
                if hasattr(owner, name):
                    lora = LoRALinear(getattr(owner, name), r, alpha)
                    setattr(owner, name, lora)
                    wrapped[f"base_model.model.model.layers.{i}.{'self_attn' if owner is layer.self_attn else 'mlp'}.{name}"] = lora
    return wrapped


def without_lora(model, wrapped):
    for layer in model.model.layers:
        for owner in (layer.self_attn, layer.mlp):
            for name in LORA_TARGETS:
                module = getattr(owner, name, None)
                if isinstance(module, LoRALinear):
                    setattr(owner, name, module.base)


def save_adapter(wrapped, r, alpha, out):
    os.makedirs(out, exist_ok=True)
    tensors = {}
    for prefix, lora in wrapped.items():
        tensors[f"{prefix}.lora_A.weight"] = lora.lora_A.detach().cpu().contiguous()
        tensors[f"{prefix}.lora_B.weight"] = lora.lora_B.detach().cpu().contiguous()
    save_file(tensors, os.path.join(out, "adapter_model.safetensors"), metadata={"format": "pt"})
    write_json(os.path.join(out, "adapter_config.json"), {
        "peft_type": "LORA", "r": r, "lora_alpha": alpha, "use_rslora": False, "lora_dropout": 0.0,
        "target_modules": LORA_TARGETS, "bias": "none", "task_type": "CAUSAL_LM", "base_model_name_or_path": "../motionllm"})


def save_model(model, config, tokenizer_file, out):
    os.makedirs(out, exist_ok=True)
    state = {k: v.detach().cpu().float().contiguous() for k, v in model.state_dict().items() if k != "lm_head.weight"}
    save_file(state, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    write_json(os.path.join(out, "config.json"), config)
    shutil.copy(tokenizer_file, os.path.join(out, "tokenizer.json"))


def main():
    parser = stage_parser(__doc__, "data", "vq", "tokenizer", "out")
    parser.add_argument("--stage1-epochs", type=int, default=6)
    parser.add_argument("--stage2-epochs", type=int, default=2)
    parser.add_argument("--adapter-epochs", type=int, default=1)
    parser.add_argument("--tokens-per-batch", type=int, default=6144)
    parser.add_argument("--lr", type=float, default=2e-3)
    args = parser.parse_args()
    from transformers import Gemma2Config, Gemma2ForCausalLM
    seed_everything(args.seed)
    log, dev, rng = Progress("motionllm"), device(), random.Random(args.seed)
    train_motions = load_dataset(args.data, ("train",))["train"]
    if args.smoke:
        train_motions = train_motions[::50]
        args.stage1_epochs, args.stage2_epochs, args.adapter_epochs = 1, 1, 1
    tokenizer = Tokenizer.from_file(args.tokenizer)
    codes = motion_codes(args.vq, train_motions)
    tasks = Tasks(train_motions, codes, rng)
    config = gemma2_config(tokenizer.get_vocab_size(with_added_tokens=True))
    if args.smoke:
        config.update(hidden_size=32, intermediate_size=64, num_hidden_layers=2, head_dim=16, query_pre_attn_scalar=16)
    model = Gemma2ForCausalLM(Gemma2Config(**{k: v for k, v in config.items() if k not in ("architectures", "torch_dtype")},
                                           attn_implementation="eager")).to(dev)
    log(f"{len(train_motions)} goal motions, {sum(p.numel() for p in model.parameters()) / 1e6:.2f}M parameters on {dev}")

    def samples(make, repeats=1):
        return lambda: [encode(tokenizer, *make(goal)) for goal in train_motions for _ in range(repeats)]

    train(model, samples(tasks.stage1, 2), args.stage1_epochs, args.lr, args.tokens_per_batch, rng, dev, log, "stage 1")
    mixed = lambda: samples(tasks.stage2)() + samples(tasks.stage1)()
    train(model, mixed, args.stage2_epochs, args.lr / 2, args.tokens_per_batch, rng, dev, log, "stage 2")
    model.eval()
    save_model(model, config, args.tokenizer, os.path.join(args.out, "motionllm"))
    log(f"wrote {os.path.join(args.out, 'motionllm')}")

    for p in model.parameters():
        p.requires_grad_(False)
    for name, make, r in (("t2m", tasks.motion_agent_t2m, 8), ("m2t", tasks.motion_agent_m2t, 4)):
        wrapped = with_lora(model, r, 2 * r)
        model.train()
        params = [p for lora in wrapped.values() for p in (lora.lora_A, lora.lora_B)]
        train(model, samples(make), args.adapter_epochs, args.lr / 2, args.tokens_per_batch, rng, dev, log,
              f"adapter {name}", params)
        save_adapter(wrapped, r, 2 * r, os.path.join(args.out, "motion-agent", name))
        without_lora(model, wrapped)
        log(f"wrote adapter {name}")


if __name__ == "__main__":
    main()
