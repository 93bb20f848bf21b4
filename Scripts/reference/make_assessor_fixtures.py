"""Writes Tests/AssessmentTests/Fixtures/assessor.json: the rewards of
IRG-MotionLLM's stage 3 (`strict_format guo_tm_distance guo_mm_distance`,
`--reward_norm_before_add`) computed the way its GRPO code computes them, in
PyTorch, with the small evaluator of Tests/ModelTests/Fixtures/evaluator/small_f32:

- a motion is normalised with the evaluator's mean/std, cut to its first
  floor(T/4)*4 frames (at most 196), zero-padded to 196, and embedded with
  that length (m_lens // 4 movement steps);
- a completion without a motion is 196 zero (normalised) frames, length 196;
- guo_tm_distance = -|E_text - E_motion|, guo_mm_distance = -|E_ref - E_motion|;
- strict_format = re.search on the completion;
- each reward but the format is min-max normalised within its group,
  (r - min) / (max - min + 1e-4), then all are summed with weight 1.

The Swift assessor (Shared/Assessment, irg-assessor) must give the same terms
to 1e-4. Needs torch and safetensors (pip install ... --find-links /opt/wheels).
"""
import json
import math
import os
import re
import sys

import numpy as np
import torch
from safetensors.numpy import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from evaluator_reference import Evaluator  # noqa: E402
from make_reward_fixtures import GOOD, STRICT_FORMAT  # noqa: E402

EVALUATOR = os.path.join(REPO, "Tests", "ModelTests", "Fixtures", "evaluator", "small_f32")
MOTIONS = os.path.join(REPO, "Tests", "MotionTests", "Fixtures")
OUT = os.path.join(REPO, "Tests", "AssessmentTests", "Fixtures", "assessor.json")

# Motions by name: (file under Tests/MotionTests/Fixtures, frames kept).
CLIPS = {
    "walk": ("reference/dataset-1_walk_normal_002_features.npy", None),
    "run": ("reference/dataset-1_run_normal_001_features.npy", None),
    "wave": ("reference/dataset-1_byebye_angry_001_features.npy", None),
    "h3d": ("humanml3d/012314_vecs.npy", None),
    "h3d_long": ("humanml3d/012314_vecs.npy", 230),  # tiled past the 196-frame limit
    "h3d_7": ("humanml3d/012314_vecs.npy", 7),
    "h3d_41": ("humanml3d/012314_vecs.npy", 41),
}

ITEMS = [
    # group "a": four completions of one prompt, as GRPO sends them
    dict(text="a/DET person/NOUN walk/VERB forward/ADV", candidate="walk", reference="h3d", group="a",
         transcript=GOOD),
    dict(text="a/DET person/NOUN walk/VERB forward/ADV", candidate="run", reference="h3d", group="a",
         transcript=GOOD.replace("</think>", "")),
    dict(text="a/DET person/NOUN walk/VERB forward/ADV", candidate="h3d_41", reference="h3d", group="a",
         transcript="no thinking here"),
    dict(text="a/DET person/NOUN walk/VERB forward/ADV", candidate=None, reference="h3d", group="a",
         transcript="<think>[plan]a[/plan]</think>"),
    # group "b": no reference, no transcript
    dict(text="someone/PRON wave/VERB with/ADP hand/NOUN", candidate="wave", group="b"),
    dict(text="someone/PRON wave/VERB with/ADP hand/NOUN", candidate="h3d_7", group="b"),
    dict(text="someone/PRON wave/VERB with/ADP hand/NOUN", candidate="h3d_long", group="b"),
]


def load_model():
    config = json.load(open(os.path.join(EVALUATOR, "config.json")))
    model = Evaluator(config).eval()
    weights = {k: torch.from_numpy(v.astype(np.float32)) for k, v in load_file(os.path.join(EVALUATOR, "evaluator.safetensors")).items()}
    model.load_state_dict(weights)
    words = open(os.path.join(EVALUATOR, "words.txt")).read().split("\n")
    words = [w for w in words if w]
    vectors = np.load(os.path.join(EVALUATOR, "word_vectors.npy"))
    mean, std = np.load(os.path.join(EVALUATOR, "mean.npy")), np.load(os.path.join(EVALUATOR, "std.npy"))
    return model, words, vectors, mean, std


def clip(name):
    path, frames = CLIPS[name]
    x = np.load(os.path.join(MOTIONS, path)).astype(np.float32)
    if frames is None:
        return x
    return np.concatenate([x] * (frames // len(x) + 1))[:frames]


def embed_motion(model, features, mean, std):
    """IRG's preparation: normalise, keep floor(T/4)*4 (<= 196) frames, pad to 196."""
    x = np.zeros((196, 263), np.float32)
    if features is None:
        length = 196
    else:
        length = min(len(features) // 4 * 4, 196)
        x[:length] = (features[:length] - mean) / std
    movement = model.movement_encoder(torch.from_numpy(x[None, :, :-4]))
    return model.motion_encoder(movement, [length // 4])[0]


def main():
    torch.set_grad_enabled(False)
    model, words, vectors, mean, std = load_model()
    rows = []
    for item in ITEMS:
        text = torch.from_numpy(model.embed_captions([item["text"]], words, vectors))[0]
        motion = embed_motion(model, clip(item["candidate"]) if item["candidate"] else None, mean, std)
        terms = {
            "alignment": float(torch.nn.functional.cosine_similarity(text, motion, dim=0)),
            "matching_distance": float(torch.norm(text - motion)),
        }
        terms["tm_distance"] = -terms["matching_distance"]
        terms["similarity"] = (1 + terms["alignment"]) / 2
        if item.get("reference"):
            terms["mm_distance"] = -float(torch.norm(embed_motion(model, clip(item["reference"]), mean, std) - motion))
        if "transcript" in item:
            terms["format"] = 1.0 if re.search(STRICT_FORMAT, item["transcript"]) else 0.0
        rows.append(terms)

    for normalization in ("NONE", "MIN_MAX"):
        for group in sorted({i["group"] for i in ITEMS}):
            members = [k for k, i in enumerate(ITEMS) if i["group"] == group]
            for term in ("tm_distance", "mm_distance", "format"):
                having = [k for k in members if term in rows[k]]
                values = [rows[k][term] for k in having]
                if normalization == "MIN_MAX" and term != "format" and values:
                    low, high = min(values), max(values)
                    values = [(v - low) / (high - low + 1e-4) for v in values]
                for k, v in zip(having, values):
                    rows[k].setdefault("summed_" + normalization, {})[term] = v
        for terms in rows:
            terms["reward_" + normalization] = sum(terms["summed_" + normalization].values())

    out = {"clips": {k: {"file": v[0], "frames": v[1]} for k, v in CLIPS.items()}, "items": ITEMS, "expected": rows}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(OUT, REPO))
    for item, terms in zip(ITEMS, rows):
        print(item["candidate"], {k: (round(v, 4) if isinstance(v, float) else v) for k, v in terms.items() if not k.startswith("summed")})


if __name__ == "__main__":
    main()
