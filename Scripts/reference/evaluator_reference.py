"""Guo et al.'s text-motion matching evaluator rebuilt in PyTorch from its layer
list (REFERENCE-NOTES section 5), with the reference's batching: motions
zero-padded (in normalised space) to 196 frames and packed by length // 4,
captions as sos + 20 word/POS tokens + eos padded with unk, packed by length.
The independent reference for the Swift evaluator."""
import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

POS = ["VERB", "NOUN", "DET", "ADP", "NUM", "AUX", "PRON", "ADJ", "ADV",
       "Loc_VIP", "Body_VIP", "Obj_VIP", "Act_VIP", "Desc_VIP", "OTHER"]
VIP = {
    "Loc_VIP": ("left", "right", "clockwise", "counterclockwise", "anticlockwise", "forward", "back", "backward",
                "up", "down", "straight", "curve"),
    "Body_VIP": ("arm", "chin", "foot", "feet", "face", "hand", "mouth", "leg", "waist", "eye", "knee", "shoulder", "thigh"),
    "Obj_VIP": ("stair", "dumbbell", "chair", "window", "floor", "car", "ball", "handrail", "baseball", "basketball"),
    "Act_VIP": ("walk", "run", "swing", "pick", "bring", "kick", "put", "squat", "throw", "hop", "dance", "jump", "turn",
                "stumble", "dance", "stop", "sit", "lift", "lower", "raise", "wash", "stand", "kneel", "stroll",
                "rub", "bend", "balance", "flap", "jog", "shuffle", "lean", "rotate", "spin", "spread", "climb"),
    "Desc_VIP": ("slowly", "carefully", "fast", "careful", "slow", "quickly", "happy", "angry", "sad", "happily",
                 "angrily", "sadly"),
}
DEFAULT = dict(dim_pose=263, dim_word=300, dim_pos_ohot=15, dim_text_hidden=512, dim_coemb_hidden=512,
               dim_movement_enc_hidden=512, dim_movement_latent=512, dim_motion_hidden=1024)


class MovementConvEncoder(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv1d(input_size, hidden_size, 4, 2, 1), nn.Dropout(0.2), nn.LeakyReLU(0.2),
            nn.Conv1d(hidden_size, output_size, 4, 2, 1), nn.Dropout(0.2), nn.LeakyReLU(0.2))
        self.out_net = nn.Linear(output_size, output_size)

    def forward(self, x):
        return self.out_net(self.main(x.permute(0, 2, 1)).permute(0, 2, 1))


class BiGRUCo(nn.Module):
    """TextEncoderBiGRUCo (with pos_emb) and MotionEncoderBiGRUCo (without)."""

    def __init__(self, input_size, hidden_size, output_size, pos_size=None):
        super().__init__()
        if pos_size is not None:
            self.pos_emb = nn.Linear(pos_size, input_size)
        self.input_emb = nn.Linear(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True, bidirectional=True)
        self.output_net = nn.Sequential(nn.Linear(hidden_size * 2, hidden_size), nn.LayerNorm(hidden_size),
                                        nn.LeakyReLU(0.2, inplace=True), nn.Linear(hidden_size, output_size))
        self.hidden = nn.Parameter(torch.randn((2, 1, hidden_size), requires_grad=True))

    def forward(self, inputs, lengths, pos_onehot=None):
        if pos_onehot is not None:
            inputs = inputs + self.pos_emb(pos_onehot)
        emb = pack_padded_sequence(self.input_emb(inputs), lengths, batch_first=True, enforce_sorted=False)
        _, last = self.gru(emb, self.hidden.repeat(1, inputs.shape[0], 1))
        return self.output_net(torch.cat([last[0], last[1]], dim=-1))


class Evaluator(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.movement_encoder = MovementConvEncoder(c["dim_pose"] - 4, c["dim_movement_enc_hidden"], c["dim_movement_latent"])
        self.text_encoder = BiGRUCo(c["dim_word"], c["dim_text_hidden"], c["dim_coemb_hidden"], pos_size=c["dim_pos_ohot"])
        self.motion_encoder = BiGRUCo(c["dim_movement_latent"], c["dim_motion_hidden"], c["dim_coemb_hidden"])

    def embed_motions(self, motions, mean, std, padded=196):
        """Un-normalised (T, 263) arrays; each batch padded to max(padded, T)."""
        out = []
        for m in motions:
            x = np.zeros((max(padded, len(m)), m.shape[1]), np.float32)
            x[:len(m)] = (m - mean) / std
            movement = self.movement_encoder(torch.from_numpy(x[None, :, :-4]))
            out.append(self.motion_encoder(movement, [len(m) // 4]))
        return torch.cat(out).numpy()

    def embed_captions(self, captions, words, vectors, max_len=20):
        """Tagged captions ('word/POS ...'); words -> row of vectors."""
        index = {w: i for i, w in enumerate(words)}
        word_embs, pos_ohots, lengths = [], [], []
        for caption in captions:
            tokens = caption.split()[:max_len]
            tokens = ["sos/OTHER"] + tokens + ["eos/OTHER"]
            lengths.append(len(tokens))
            tokens += ["unk/OTHER"] * (max_len + 2 - len(tokens))
            w_rows, p_rows = [], []
            for token in tokens:
                word, pos = token.split("/")
                if word in index:
                    vip = next((k for k, v in VIP.items() if word in v), None)
                    pos = vip or pos
                    w_rows.append(vectors[index[word]])
                else:
                    pos = "OTHER"
                    w_rows.append(vectors[index["unk"]])
                onehot = np.zeros(len(POS), np.float32)
                onehot[POS.index(pos) if pos in POS else POS.index("OTHER")] = 1
                p_rows.append(onehot)
            word_embs.append(np.stack(w_rows))
            pos_ohots.append(np.stack(p_rows))
        return self.text_encoder(torch.from_numpy(np.stack(word_embs).astype(np.float32)), lengths,
                                 torch.from_numpy(np.stack(pos_ohots))).numpy()


def bench_evaluator(threads):
    """The benchmarks' peer: HumanML3D sizes with the deterministic weights the Swift
    benches regenerate (seed 11), inference only, on `threads` threads."""
    from vq_reference import fill_deterministic
    torch.set_num_threads(threads)
    torch.set_grad_enabled(False)
    model = Evaluator(DEFAULT).eval()
    fill_deterministic(model, 11)
    return model
