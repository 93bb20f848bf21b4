"""What every demo-training stage shares: the dataset folder `irg data build`
writes (features, captions, labels, splits), seeding, the device, and the
progress line each stage prints."""
import csv
import json
import os
import random
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE), os.path.join(os.path.dirname(HERE), "reference")]


def seed_everything(seed):
    """Seeds Python, NumPy and torch; IRG_TRAIN_THREADS caps torch's threads (two stages
    side by side on 2 cores run far faster with one thread each than oversubscribed)."""
    import torch
    if os.environ.get("IRG_TRAIN_THREADS"):
        torch.set_num_threads(int(os.environ["IRG_TRAIN_THREADS"]))
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def device():
    """CUDA when present (a lent GPU makes training faster), else the CPU."""
    import torch
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def stage_parser(doc, *positionals):
    """The arguments every training stage takes: its folders, --seed, --smoke (a few steps, for CI)."""
    import argparse
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in positionals:
        parser.add_argument(name)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smoke", action="store_true", help="a few steps on a slice of the data, for CI")
    return parser


class Progress:
    """One line per report, with the stage's name and elapsed time, flushed at once (logs are tailed)."""

    def __init__(self, stage):
        self.stage, self.start = stage, time.time()

    def __call__(self, message):
        print(f"[{self.stage} {time.time() - self.start:7.1f}s] {message}", flush=True)


class Motion:
    """One motion of the dataset: features (T, 263), its captions (plain and tagged) and labels."""

    def __init__(self, ident, features, captions, tagged, content, style, source, clip, split):
        self.id, self.features, self.captions, self.tagged = ident, features, captions, tagged
        self.content, self.style, self.source, self.clip, self.split = content, style, source, clip, split

    @property
    def mirrored(self):
        return self.id.startswith("M")


def mirror_label(content):
    """A mirrored motion's label: left and right swapped, as its captions are."""
    swap = {"left": "right", "right": "left"}
    return "-".join(swap.get(part, part) for part in content.split("-"))


def read_captions(path):
    """HumanML3D's texts/<id>.txt: 'caption#word/POS ...#start#end' per line."""
    plain, tagged = [], []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("#")
            if len(parts) >= 2 and parts[0].strip():
                plain.append(parts[0].strip())
                tagged.append(parts[1].strip())
    return plain, tagged


def load_dataset(folder, splits=("train", "val", "test")):
    """Motions by split, with labels from index.csv (mirrors get the mirrored label)."""
    labels = {}
    with open(os.path.join(folder, "index.csv")) as f:
        for row in csv.DictReader(f):
            labels[row["id"]] = row
    out = {}
    for split in splits:
        with open(os.path.join(folder, f"{split}.txt")) as f:
            ids = [line.strip() for line in f if line.strip()]
        motions = []
        for ident in ids:
            row = labels[ident.lstrip("M")]
            content = row["content"] if not ident.startswith("M") else mirror_label(row["content"])
            plain, tagged = read_captions(os.path.join(folder, "texts", f"{ident}.txt"))
            features = np.load(os.path.join(folder, "new_joint_vecs", f"{ident}.npy")).astype(np.float32)
            motions.append(Motion(ident, features, plain, tagged, content, row["style"], row["source"],
                                  row["clip"], split))
        out[split] = motions
    return out


def normalisation(folder):
    return (np.load(os.path.join(folder, "Mean.npy")).astype(np.float32),
            np.load(os.path.join(folder, "Std.npy")).astype(np.float32))


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
