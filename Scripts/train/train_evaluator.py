"""Stage 3 of the demo: Guo et al.'s text-motion matching evaluator (REFERENCE-NOTES
section 5), trained as text-to-motion trains it: first the movement encoder as the
encoder of a movement autoencoder (features without foot contacts -> T/4 latents ->
features), then, with it frozen, the text and motion BiGRU co-encoders with the
contrastive loss (matched pairs pulled together, pairs shifted within the batch pushed
beyond the margin of 10). Word vectors are learned with the text encoder (no pretrained
set ships on PyPI that we can use here) and exported as the GloVe-style vocabulary
irg-evaluator reads. Captions are the dataset's tagged ones (the Swift tagger's output).

    python3 Scripts/train/train_evaluator.py DATA OUT [--smoke]

Writes OUT/{evaluator.safetensors, mean.npy, std.npy, words.txt, word_vectors.npy,
config.json, results.json}; results hold the ground truth's R-precision and MM-Dist on
the test split (held-out phrasings), computed by the reference protocol.
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from demo_common import Progress, stage_parser, device, load_dataset, normalisation, seed_everything, write_json
from evaluator_reference import DEFAULT, POS, VIP, Evaluator
from t2m_metrics_reference import matching

DEMO = dict(DEFAULT, dim_word=128, dim_text_hidden=256, dim_coemb_hidden=256, dim_movement_enc_hidden=256,
            dim_movement_latent=256, dim_motion_hidden=256)
MAX_FRAMES, MAX_WORDS, MARGIN = 196, 20, 10.0


class MovementDecoder(nn.Module):
    """text-to-motion's MovementConvDecoder: T/4 latents back to the features."""

    def __init__(self, latent, hidden, output):
        super().__init__()
        self.main = nn.Sequential(nn.ConvTranspose1d(latent, hidden, 4, 2, 1), nn.LeakyReLU(0.2),
                                  nn.ConvTranspose1d(hidden, output, 4, 2, 1), nn.LeakyReLU(0.2))
        self.out_net = nn.Linear(output, output)

    def forward(self, x):
        return self.out_net(self.main(x.permute(0, 2, 1)).permute(0, 2, 1))


def vocabulary(motions):
    words = {"unk", "sos", "eos"}
    for m in motions:
        for caption in m.tagged:
            words.update(token.split("/")[0] for token in caption.split())
    return sorted(words)


def encode_caption(tagged, index):
    """(word ids, POS one-hots, length) as evaluator_reference.embed_captions builds them."""
    tokens = ["sos/OTHER"] + tagged.split()[:MAX_WORDS] + ["eos/OTHER"]
    length = len(tokens)
    tokens += ["unk/OTHER"] * (MAX_WORDS + 2 - len(tokens))
    ids, pos = [], np.zeros((len(tokens), len(POS)), np.float32)
    for row, token in enumerate(tokens):
        word, tag = token.split("/")
        if word in index:
            tag = next((k for k, v in VIP.items() if word in v), None) or tag
            ids.append(index[word])
        else:
            tag = "OTHER"
            ids.append(index["unk"])
        pos[row, POS.index(tag) if tag in POS else POS.index("OTHER")] = 1
    return ids, pos, length


def motion_batch(motions, mean, std, rng, crop=True):
    """Normalised motions padded with zeros to 196 frames; lengths cropped to multiples of 4."""
    x = np.zeros((len(motions), MAX_FRAMES, mean.shape[0]), np.float32)
    lengths = []
    for row, m in enumerate(motions):
        n = min(len(m.features), MAX_FRAMES) // 4 * 4
        if crop and n > 8 and rng.random() < 1 / 3:  # upstream's coin: sometimes one unit shorter
            n -= 4
        start = rng.integers(0, len(m.features) - n + 1) if crop else 0
        x[row, :n] = (m.features[start:start + n] - mean) / std
        lengths.append(n)
    return torch.from_numpy(x), np.array(lengths)


class Trainable(nn.Module):
    """The evaluator plus the learned word table it is trained with."""

    def __init__(self, config, words):
        super().__init__()
        self.evaluator = Evaluator(config)
        self.words = nn.Embedding(len(words), config["dim_word"])
        nn.init.normal_(self.words.weight, std=0.3)

    def texts(self, captions, index, dev):
        encoded = [encode_caption(c, index) for c in captions]
        ids = torch.tensor([e[0] for e in encoded], device=dev)
        pos = torch.from_numpy(np.stack([e[1] for e in encoded])).to(dev)
        return self.evaluator.text_encoder(self.words(ids), [e[2] for e in encoded], pos)

    def motions(self, x, lengths):
        movement = self.evaluator.movement_encoder(x[..., :-4])
        return self.evaluator.motion_encoder(movement, list(lengths // 4))


def contrastive(a, b, label):
    d = F.pairwise_distance(a, b)
    return ((1 - label) * d ** 2 + label * torch.clamp(MARGIN - d, min=0) ** 2).mean()


def train_movement(model, data, mean, std, iterations, batch, rng, dev, log):
    encoder = model.evaluator.movement_encoder
    decoder = MovementDecoder(DEMO["dim_movement_latent"], DEMO["dim_movement_enc_hidden"], DEMO["dim_pose"] - 4).to(dev)
    optimiser = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=1e-3)
    for step in range(1, iterations + 1):
        picks = [data[i] for i in rng.integers(len(data), size=batch)]
        x, lengths = motion_batch(picks, mean, std, rng)
        x = x[:, :lengths.min() // 4 * 4, :-4].to(dev)  # one common length: no padding in the autoencoder
        latents = encoder(x)
        loss = F.smooth_l1_loss(decoder(latents), x) + 0.001 * latents.abs().mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if step % 200 == 0 or step == iterations:
            log(f"movement autoencoder {step}/{iterations}: loss {loss.item():.4f}")


def train_coembedding(model, data, index, mean, std, iterations, batch, rng, dev, log):
    for p in model.evaluator.movement_encoder.parameters():
        p.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.Adam(params, lr=2e-4)
    model.evaluator.movement_encoder.eval()
    for step in range(1, iterations + 1):
        picks = [data[i] for i in rng.choice(len(data), size=batch, replace=False)]
        captions = [m.tagged[rng.integers(len(m.tagged))] for m in picks]
        x, lengths = motion_batch(picks, mean, std, rng)
        text = model.texts(captions, index, dev)
        motion = model.motions(x.to(dev), lengths)
        shift = int(rng.integers(1, batch))
        shifted = torch.roll(motion, shift, 0)
        # A shifted pair with the same content is not a negative (the dataset repeats labels).
        negative = torch.tensor([float(picks[i].content != picks[(i - shift) % batch].content or
                                       picks[i].style != picks[(i - shift) % batch].style) for i in range(batch)], device=dev)
        loss = contrastive(text, motion, torch.zeros(batch, device=dev)) + \
            (negative * ((MARGIN - F.pairwise_distance(text, shifted)).clamp(min=0) ** 2)).mean()
        optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        if step % 200 == 0 or step == iterations:
            log(f"co-embedding {step}/{iterations}: loss {loss.item():.4f}")


def ground_truth_matching(model, motions, index, mean, std, dev, repeats=20, seed=0):
    """R-precision (top 1-3) and MM-Dist of real motions against their own captions, batches of 32."""
    rng = np.random.default_rng(seed)
    results = []
    with torch.no_grad():
        for _ in range(repeats):
            order = rng.permutation(len(motions))
            picked = [motions[i] for i in order]
            captions = [m.tagged[rng.integers(len(m.tagged))] for m in picked]
            text = model.texts(captions, index, dev).cpu().numpy()
            x, lengths = motion_batch(picked, mean, std, rng, crop=False)
            motion = torch.cat([model.motions(x[i:i + 1].to(dev), lengths[i:i + 1]) for i in range(len(picked))]).cpu().numpy()
            precision, mm = matching(text, motion, batch=min(32, len(picked)))  # smoke runs have fewer
            results.append(list(precision) + [mm])
    results = np.array(results)
    return {"top1": results[:, 0].mean(), "top2": results[:, 1].mean(), "top3": results[:, 2].mean(),
            "mm_dist": results[:, 3].mean(), "repeats": repeats,
            "top1_interval": 1.96 * results[:, 0].std() / np.sqrt(repeats)}


def main():
    parser = stage_parser(__doc__, "data", "out")
    parser.add_argument("--movement-iterations", type=int, default=1500)
    parser.add_argument("--iterations", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    if args.smoke:
        args.movement_iterations, args.iterations = 3, 3
    seed_everything(args.seed)
    log, dev = Progress("evaluator"), device()
    data = load_dataset(args.data, ("train", "test"))
    mean, std = normalisation(args.data)
    words = vocabulary(data["train"])
    index = {w: i for i, w in enumerate(words)}
    model = Trainable(DEMO, words).to(dev)
    rng = np.random.default_rng(args.seed)
    log(f"{len(data['train'])} train motions, {len(words)} words, "
        f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f}M parameters on {dev}")
    train_movement(model, data["train"], mean, std, args.movement_iterations, args.batch, rng, dev, log)
    train_coembedding(model, data["train"], index, mean, std, args.iterations, args.batch, rng, dev, log)
    model.eval()
    test = data["test"] if not args.smoke else data["test"][:64]
    results = ground_truth_matching(model, test, index, mean, std, dev, repeats=20 if not args.smoke else 1)
    log("ground truth on the test split: " + ", ".join(f"{k} {v:.3f}" for k, v in results.items()))
    os.makedirs(args.out, exist_ok=True)
    from safetensors.torch import save_file
    state = {k: v.detach().float().contiguous().cpu() for k, v in model.evaluator.state_dict().items()}
    save_file(state, os.path.join(args.out, "evaluator.safetensors"), metadata={"source": "Scripts/train/train_evaluator.py"})
    np.save(os.path.join(args.out, "mean.npy"), mean)
    np.save(os.path.join(args.out, "std.npy"), std)
    with open(os.path.join(args.out, "words.txt"), "w") as f:
        f.write("\n".join(words) + "\n")
    np.save(os.path.join(args.out, "word_vectors.npy"), model.words.weight.detach().cpu().numpy().astype(np.float32))
    write_json(os.path.join(args.out, "config.json"), DEMO)
    write_json(os.path.join(args.out, "results.json"), dict(results, test_motions=len(test), words=len(words),
                                                            word_vectors="learned with the text encoder"))
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
