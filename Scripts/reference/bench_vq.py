"""The PyTorch peer of `irg bench vq`: encode/decode latency of the default
T2M-GPT VQ-VAE (deterministic weights; speed does not depend on them) for one
196-frame motion and a batch of 32, on THREADS threads. Prints JSON."""
import json
import os
import resource
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import median  # noqa: E402
from vq_reference import DEFAULT, VQVAE, fill_deterministic  # noqa: E402

threads, repeats = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.set_grad_enabled(False)
model = VQVAE(DEFAULT).eval()
fill_deterministic(model, 7)
model.quantizer.codebook.normal_()
results = {}
for batch in (1, 32):
    x = torch.randn(batch, 263, 196)
    codes = torch.randint(0, 512, (batch, 49))

    def encode():
        z = model.encoder(x)
        return model.quantizer.quantize(z.permute(0, 2, 1).reshape(-1, 512))

    def decode():
        return model.decoder(model.quantizer.codebook[codes].permute(0, 2, 1))

    for name, fn in (("encode", encode), ("decode", decode)):
        results[f"{name}_{batch}"] = median(fn, repeats)
results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(results))
