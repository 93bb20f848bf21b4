"""T2M-GPT's motion VQ-VAE in PyTorch, built from the published layer list
(REFERENCE-NOTES section 2) with the same state-dict names
(vqvae.encoder.model.*, vqvae.decoder.model.*, vqvae.quantizer.codebook),
and the deterministic weights the Swift tests regenerate
(DeterministicWeights: SplitMix64 seeded by FNV-1a(name) ^ seed)."""
import numpy as np
import torch
from torch import nn

DEFAULT = dict(nb_code=512, code_dim=512, output_emb_width=512, width=512, depth=3, down_t=2, stride_t=2,
               dilation_growth_rate=3, input_dim=263)


class ResBlock(nn.Module):
    def __init__(self, width, dilation):
        super().__init__()
        self.conv1 = nn.Conv1d(width, width, 3, 1, dilation, dilation)
        self.conv2 = nn.Conv1d(width, width, 1, 1, 0)

    def forward(self, x):
        return x + self.conv2(torch.relu(self.conv1(torch.relu(x))))


class Resnet1D(nn.Module):
    def __init__(self, width, depth, growth):
        super().__init__()
        # reverse_dilation: growth^(depth-1) first, in the encoder and the decoder alike
        self.model = nn.Sequential(*[ResBlock(width, growth ** d) for d in range(depth)][::-1])

    def forward(self, x):
        return self.model(x)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        s = c["stride_t"]
        blocks = [nn.Conv1d(c["input_dim"], c["width"], 3, 1, 1), nn.ReLU()]
        for _ in range(c["down_t"]):
            blocks.append(nn.Sequential(nn.Conv1d(c["width"], c["width"], 2 * s, s, s // 2),
                                        Resnet1D(c["width"], c["depth"], c["dilation_growth_rate"])))
        blocks.append(nn.Conv1d(c["width"], c["output_emb_width"], 3, 1, 1))
        self.model = nn.Sequential(*blocks)

    def forward(self, x):
        return self.model(x)


class Decoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        blocks = [nn.Conv1d(c["output_emb_width"], c["width"], 3, 1, 1), nn.ReLU()]
        for _ in range(c["down_t"]):
            blocks.append(nn.Sequential(Resnet1D(c["width"], c["depth"], c["dilation_growth_rate"]),
                                        nn.Upsample(scale_factor=2, mode="nearest"),
                                        nn.Conv1d(c["width"], c["width"], 3, 1, 1)))
        blocks += [nn.Conv1d(c["width"], c["width"], 3, 1, 1), nn.ReLU(), nn.Conv1d(c["width"], c["input_dim"], 3, 1, 1)]
        self.model = nn.Sequential(*blocks)

    def forward(self, x):
        return self.model(x)


class Quantizer(nn.Module):
    def __init__(self, nb_code, code_dim):
        super().__init__()
        self.register_buffer("codebook", torch.zeros(nb_code, code_dim))

    def quantize(self, x):  # (N, dim)
        k = self.codebook.t()
        distance = (x ** 2).sum(-1, keepdim=True) - 2 * x @ k + (k ** 2).sum(0, keepdim=True)
        return distance.argmin(-1)


class VQVAE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.encoder = Encoder(c)
        self.decoder = Decoder(c)
        self.quantizer = Quantizer(c["nb_code"], c["code_dim"])

    def encode_latents(self, x):  # x (T, dim) normalised, T a multiple of the downsampling
        return self.encoder(x.t()[None])[0].t()  # (T/4, code_dim)

    def encode(self, x):
        return self.quantizer.quantize(self.encode_latents(x))

    def decode(self, codes):
        return self.decoder(self.quantizer.codebook[codes].t()[None])[0].t()


class Checkpoint(nn.Module):
    """Holds the model under `vqvae.`, as T2M-GPT's HumanVQVAE does."""

    def __init__(self, c):
        super().__init__()
        self.vqvae = VQVAE(c)


def fnv1a(text):
    h = 0xCBF29CE484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def deterministic_tensor(name, shape, seed):
    """Uniform in +-1/sqrt(fan_in) (weights) or +-0.05 (biases), SplitMix64 by index."""
    count = int(np.prod(shape))
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    bound = 0.05 if name.endswith(".bias") else 1 / np.sqrt(fan_in)
    with np.errstate(over="ignore"):
        z = np.uint64(fnv1a(name) ^ seed) + (np.arange(count, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    return ((2 * u - 1) * bound).astype(np.float32).reshape(shape)


def fill_deterministic(model, seed):
    with torch.no_grad():
        for name, p in model.state_dict().items():
            if not name.endswith("codebook"):
                p.copy_(torch.from_numpy(deterministic_tensor(name, tuple(p.shape), seed)))
