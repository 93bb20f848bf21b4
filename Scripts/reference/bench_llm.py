"""The peer of `irg bench llm`: HF transformers (BF16, default attention) on
the same checkpoint, prompt length and thread count. Prints one JSON object:
prefill tokens/s and time to first token for a PROMPT-token prompt, decode
tokens/s at batch 1 and 4 (greedy, KV cache, DECODE steps after the prompt).
Run: python3 Scripts/reference/bench_llm.py MODEL_DIR THREADS PROMPT DECODE

With --serve after those arguments it loads the model once, prints
{"ready": true, ...} and then answers one JSON line per command line on
stdin: "prefill", "decode B" (batch B), "rss"; end of input quits. `irg bench
llm` uses it to measure both engines in alternation, so that the machine's
drifting memory bandwidth meets both alike.
"""
import json
import resource
import sys
import time

import torch
from transformers import AutoModelForCausalLM


def text_ids(model):
    """Prompts draw from Gemma2's 256,000 text tokens (or a smaller model's vocabulary)."""
    return min(256000, model.config.vocab_size)


@torch.no_grad()
def decode_rate(model, batch, prompt, steps):
    ids = torch.randint(3, text_ids(model), (batch, prompt), generator=torch.Generator().manual_seed(batch))
    out = model(ids, use_cache=True)
    past, token = out.past_key_values, out.logits[:, -1].argmax(-1, keepdim=True)
    start = time.perf_counter()
    for _ in range(steps):
        out = model(token, past_key_values=past, use_cache=True)
        past, token = out.past_key_values, out.logits[:, -1].argmax(-1, keepdim=True)
    return batch * steps / (time.perf_counter() - start)


@torch.no_grad()
def prefill_seconds(model, prompt):
    ids = torch.randint(3, text_ids(model), (1, prompt), generator=torch.Generator().manual_seed(0))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        model(ids, use_cache=True).logits[:, -1].argmax(-1)
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(folder, threads):
    torch.set_num_threads(threads)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16).eval()
    decode_rate(model, 1, 8, 2)  # warm-up
    return model


def versions(threads):
    return {"transformers": __import__("transformers").__version__, "torch": torch.__version__, "threads": threads}


def main(folder, threads, prompt, steps):
    model = load(folder, threads)
    prefill = prefill_seconds(model, prompt)
    print(json.dumps({
        **versions(threads), "prefill_tokens_per_s": prompt / prefill, "ttft_s": prefill,
        "decode_tokens_per_s": {"1": decode_rate(model, 1, prompt, steps), "4": decode_rate(model, 4, prompt, steps)},
        "peak_rss_mb": peak_rss_mb(),
    }))


def serve(folder, threads, prompt, steps):
    model = load(folder, threads)
    print(json.dumps({"ready": True, **versions(threads)}), flush=True)
    for line in sys.stdin:
        command = line.split()
        if command == ["prefill"]:
            seconds = prefill_seconds(model, prompt)
            answer = {"prefill_tokens_per_s": prompt / seconds, "ttft_s": seconds}
        elif len(command) == 2 and command[0] == "decode":
            answer = {f"decode_{command[1]}": decode_rate(model, int(command[1]), prompt, steps)}
        elif command == ["rss"]:
            answer = {"peak_rss_mb": peak_rss_mb()}
        else:
            answer = {"error": f"unknown command {line.strip()!r}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    arguments = (sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    serve(*arguments) if sys.argv[5:] == ["--serve"] else main(*arguments)
