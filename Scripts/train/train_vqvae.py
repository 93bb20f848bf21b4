"""Stage 2 of the demo: T2M-GPT's motion VQ-VAE (REFERENCE-NOTES section 2), trained
with its recipe: 64-frame windows, smooth-L1 reconstruction plus a velocity term on the
joint positions, a commitment term, and an EMA codebook (mu 0.99) whose unused codes
are reset to encoder outputs. Width and code size shrink for the demo; the layer list,
names and the 512 codes are T2M-GPT's, so irg-tokenizer loads the folder as it loads
T2M-GPT's own (Scripts/convert_vqvae.py's checks are applied).

    python3 Scripts/train/train_vqvae.py DATA OUT [--iterations N] [--smoke]

Writes OUT/{vqvae.safetensors, mean.npy, std.npy, config.json, results.json}.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

from demo_common import Progress, stage_parser, device, load_dataset, normalisation, seed_everything, write_json
from convert_vqvae import convert
from humanml3d_reference import recover_from_ric
from vq_reference import DEFAULT, Checkpoint

DEMO = dict(DEFAULT, code_dim=256, output_emb_width=256, width=256)
POSITIONS = slice(4, 4 + 21 * 3)  # root-relative joint positions inside the 263 features


class EMAResetCodebook:
    """T2M-GPT's QuantizeEMAReset: codes move to the EMA mean of what they quantise;
    a code that quantised (almost) nothing is reset to a random encoder output."""

    def __init__(self, nb_code, dim, mu=0.99):
        self.nb_code, self.dim, self.mu = nb_code, dim, mu
        self.codebook = None

    def initialise(self, x):
        picks = x[torch.randint(len(x), (self.nb_code,))] if len(x) < self.nb_code else x[torch.randperm(len(x))[:self.nb_code]]
        self.codebook = picks.clone()
        self.code_sum, self.code_count = self.codebook.clone(), torch.ones(self.nb_code, device=x.device)

    def nearest(self, x):
        k = self.codebook.t()
        distance = (x ** 2).sum(-1, keepdim=True) - 2 * x @ k + (k ** 2).sum(0, keepdim=True)
        return distance.argmin(-1)

    @torch.no_grad()
    def update(self, x, codes):
        onehot = F.one_hot(codes, self.nb_code).type(x.dtype)  # (N, K)
        self.code_sum = self.mu * self.code_sum + (1 - self.mu) * onehot.t() @ x
        self.code_count = self.mu * self.code_count + (1 - self.mu) * onehot.sum(0)
        used = (self.code_count >= 1.0).float()[:, None]
        fresh = x[torch.randint(len(x), (self.nb_code,), device=x.device)]
        self.codebook = used * self.code_sum / self.code_count[:, None].clamp(min=1e-6) + (1 - used) * fresh
        self.code_sum = used * self.code_sum + (1 - used) * fresh
        self.code_count = used[:, 0] * self.code_count + (1 - used[:, 0])
        return int(used.sum())

    def quantise(self, latents, train):
        """latents (B, dim, T) -> straight-through quantised latents, commitment loss, live codes."""
        x = latents.permute(0, 2, 1).reshape(-1, self.dim)
        if self.codebook is None:
            self.initialise(x.detach())
        codes = self.nearest(x.detach())
        live = self.update(x.detach(), codes) if train else None
        chosen = self.codebook[codes]
        commit = F.mse_loss(x, chosen)
        straight = x + (chosen - x).detach()
        return straight.view(latents.shape[0], -1, self.dim).permute(0, 2, 1), commit, live


def windows(motions, mean, std, length, batch, rng):
    picks = rng.integers(len(motions), size=batch)
    out = np.empty((batch, length, mean.shape[0]), np.float32)
    for row, i in enumerate(picks):
        m = motions[i].features
        start = rng.integers(0, max(1, len(m) - length + 1))
        clip = m[start:start + length]
        if len(clip) < length:  # short motions: repeat the last frame (few clips are under 64 frames)
            clip = np.concatenate([clip, np.repeat(clip[-1:], length - len(clip), 0)])
        out[row] = (clip - mean) / std
    return torch.from_numpy(out)


def reconstruct(vqvae, codebook, features, mean, std, dev):
    """Whole motion (cropped to a multiple of 4) through encode -> nearest code -> decode."""
    t = len(features) // 4 * 4
    x = torch.from_numpy((features[:t] - mean) / std).to(dev)
    latents = vqvae.encoder(x.t()[None])[0].t()
    codes = codebook.nearest(latents)
    decoded = vqvae.decoder(codebook.codebook[codes].t()[None])[0].t()
    return decoded.cpu().numpy() * std + mean, codes.cpu().numpy()


def evaluate(vqvae, codebook, motions, mean, std, dev):
    """Test-split MPJPE in mm, joints from recover_from_ric as the services compute them:
    root-aligned per frame (MoMask's calculate_mpjpe, the figure papers report) and
    global (the root's integrated drift included); and the codes used."""
    aligned, global_, used = [], [], set()
    with torch.no_grad():
        for m in motions:
            decoded, codes = reconstruct(vqvae, codebook, m.features, mean, std, dev)
            truth = recover_from_ric(m.features[:len(decoded)])
            joints = recover_from_ric(decoded)
            global_.append(np.linalg.norm(joints - truth, axis=-1).mean())
            aligned.append(np.linalg.norm((joints - joints[:, :1]) - (truth - truth[:, :1]), axis=-1).mean())
            used.update(codes.tolist())
    return float(np.mean(aligned) * 1000), float(np.mean(global_) * 1000), len(used)


def main():
    parser = stage_parser(__doc__, "data", "out")
    parser.add_argument("--iterations", type=int, default=3500)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--window", type=int, default=64)
    parser.add_argument("--lr", type=float, default=5e-4)
    args = parser.parse_args()
    if args.smoke:
        args.iterations = 5
    seed_everything(args.seed)
    log, dev = Progress("vqvae"), device()
    data = load_dataset(args.data, ("train", "test"))
    mean, std = normalisation(args.data)
    config = DEMO
    model = Checkpoint(config).to(dev)
    vqvae = model.vqvae
    codebook = EMAResetCodebook(config["nb_code"], config["code_dim"])
    params = list(vqvae.encoder.parameters()) + list(vqvae.decoder.parameters())
    optimiser = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.99))
    warmup = max(1, args.iterations // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda i: min(1.0, (i + 1) / warmup) * (0.1 if i > 0.8 * args.iterations else 1.0))
    rng = np.random.default_rng(args.seed)
    log(f"{len(data['train'])} train motions, {sum(p.numel() for p in params) / 1e6:.2f}M parameters, "
        f"{args.iterations} iterations of {args.batch} x {args.window} frames on {dev}")
    for step in range(1, args.iterations + 1):
        x = windows(data["train"], mean, std, args.window, args.batch, rng).to(dev)
        latents = vqvae.encoder(x.permute(0, 2, 1))
        quantised, commit, live = codebook.quantise(latents, train=True)
        out = vqvae.decoder(quantised).permute(0, 2, 1)
        recon = F.smooth_l1_loss(out, x)
        velocity = F.smooth_l1_loss(out[:, 1:, POSITIONS] - out[:, :-1, POSITIONS], x[:, 1:, POSITIONS] - x[:, :-1, POSITIONS])
        loss = recon + 0.5 * velocity + 0.02 * commit
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 100 == 0 or step == args.iterations:
            log(f"step {step}/{args.iterations}: recon {recon.item():.4f} velocity {velocity.item():.4f} "
                f"commit {commit.item():.4f} live codes {live}")
    vqvae.eval()
    with torch.no_grad():
        vqvae.quantizer.codebook.copy_(codebook.codebook)
    test = data["test"] if not args.smoke else data["test"][:8]
    mpjpe, drift, used = evaluate(vqvae, codebook, test, mean, std, dev)
    log(f"test split: MPJPE {mpjpe:.1f} mm root-aligned ({drift:.1f} mm global) over {len(test)} motions; "
        f"{used} of {config['nb_code']} codes used")
    os.makedirs(args.out, exist_ok=True)
    tensors = convert(model.cpu().state_dict(), config, torch.float32)
    from safetensors.torch import save_file
    save_file(tensors, os.path.join(args.out, "vqvae.safetensors"), metadata={"source": "Scripts/train/train_vqvae.py"})
    np.save(os.path.join(args.out, "mean.npy"), mean)
    np.save(os.path.join(args.out, "std.npy"), std)
    write_json(os.path.join(args.out, "config.json"), config)
    write_json(os.path.join(args.out, "results.json"), {"test_mpjpe_mm": mpjpe, "test_global_mpjpe_mm": drift, "test_codes_used": used,
                                                        "test_motions": len(test), "iterations": args.iterations})
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
