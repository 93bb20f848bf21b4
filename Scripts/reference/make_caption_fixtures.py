"""Writes Tests/MetricTests/Fixtures/captions/: predictions, references and
pycocoevalcap's scores on them (pip install pycocoevalcap).

Captions are real KIT-ML captions (MIT, as published with TMR) from
../shared/data/kit-ml: for 80 motions with 3+ captions, the prediction is one
caption (of the same motion, or of another motion for every fourth, so scores
spread) and the references are the remaining ones. A few hand-written lines
cover punctuation, case, digits, an empty prediction and non-ASCII letters.
Tokenisation is the contract's: lowercase, non letter/digit/space -> space,
split on whitespace; pycocoevalcap then scores the space-joined tokens.
"""
import json
import lzma
import os
import random

from pycocoevalcap.bleu.bleu import Bleu
from pycocoevalcap.cider.cider import Cider
from pycocoevalcap.rouge.rouge import Rouge

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "Tests", "MetricTests", "Fixtures", "captions")
KIT = os.path.join(REPO, "..", "shared", "data", "kit-ml", "annotations.json.xz")


def tokens(text):
    text = "".join(c if c.isalpha() or c.isdigit() or c.isspace() else " " for c in text.lower())
    return " ".join(text.split())


def score(predictions, references):
    res = {i: [tokens(p)] for i, p in enumerate(predictions)}
    gts = {i: [tokens(r) for r in refs] for i, refs in enumerate(references)}
    bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
    rouge, _ = Rouge().compute_score(gts, res)
    cider, _ = Cider().compute_score(gts, res)
    return {"bleu": list(bleu), "bleu1": bleu[0], "bleu4": bleu[3], "rouge_l": float(rouge), "cider": float(cider)}


def main():
    with lzma.open(KIT) as f:
        data = json.load(f)
    rng = random.Random(11)
    motions = [m for _, m in sorted(data.items()) if len(m["annotations"]) >= 3]
    chosen = rng.sample(motions, 80)
    predictions, references = [], []
    for i, motion in enumerate(chosen):
        texts = [a["text"] for a in motion["annotations"]]
        if i % 4 == 3:
            predictions.append(rng.choice(chosen[(i + 7) % len(chosen)]["annotations"])["text"])
            references.append(texts)
        else:
            predictions.append(texts[0])
            references.append(texts[1:])
    predictions += ["A PERSON walks -- forward, then turns LEFT!!!", "", "a person waves 2 times", "jemand geht über die straße"]
    references += [["a person walks forward and turns left.", "someone walks, then turns to the left"],
                   ["a person stands still"], ["the person waves twice", "a person waves 2 times with the right hand"],
                   ["jemand geht über die Straße", "eine Person läuft"]]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "pred.txt"), "w") as f:
        f.write("\n".join(predictions) + "\n")
    with open(os.path.join(OUT, "refs.json"), "w") as f:
        json.dump(references, f, indent=0, ensure_ascii=False)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(score(predictions, references), f, indent=1)
    with open(os.path.join(OUT, "LICENSE.md"), "w") as f:
        f.write("Captions from the KIT Motion-Language Dataset (annotations as published with TMR), MIT licence.\n"
                "The last four lines are written for these tests.\n")


if __name__ == "__main__":
    main()
