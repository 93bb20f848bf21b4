"""The peer of `irg bench llm`: HF transformers (BF16, default attention) on
the same checkpoint, prompt length and thread count. Prints one JSON object:
prefill tokens/s and time to first token for a PROMPT-token prompt, decode
tokens/s at batch 1 and 4 (greedy, KV cache, DECODE steps after the prompt).
Run: python3 Scripts/reference/bench_llm.py MODEL_DIR THREADS PROMPT DECODE
"""
import json
import resource
import sys
import time

import torch
from transformers import AutoModelForCausalLM


@torch.no_grad()
def decode_rate(model, batch, prompt, steps):
    ids = torch.randint(3, 256000, (batch, prompt), generator=torch.Generator().manual_seed(batch))
    out = model(ids, use_cache=True)
    past, token = out.past_key_values, out.logits[:, -1].argmax(-1, keepdim=True)
    start = time.perf_counter()
    for _ in range(steps):
        out = model(token, past_key_values=past, use_cache=True)
        past, token = out.past_key_values, out.logits[:, -1].argmax(-1, keepdim=True)
    return batch * steps / (time.perf_counter() - start)


@torch.no_grad()
def prefill_seconds(model, prompt):
    ids = torch.randint(3, 256000, (1, prompt), generator=torch.Generator().manual_seed(0))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        model(ids, use_cache=True).logits[:, -1].argmax(-1)
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


def main(folder, threads, prompt, steps):
    torch.set_num_threads(threads)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16).eval()
    decode_rate(model, 1, 8, 2)  # warm-up
    prefill = prefill_seconds(model, prompt)
    print(json.dumps({
        "transformers": __import__("transformers").__version__, "torch": torch.__version__, "threads": threads,
        "prefill_tokens_per_s": prompt / prefill, "ttft_s": prefill,
        "decode_tokens_per_s": {"1": decode_rate(model, 1, prompt, steps), "4": decode_rate(model, 4, prompt, steps)},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
