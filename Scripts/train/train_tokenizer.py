"""Stage 1 of the demo: a BPE text tokenizer (HF `tokenizers`) in Gemma's form, trained
on the dataset's training and validation captions, the KIT-ML captions, and the texts
the data engine and IRG's templates write (never the test split's held-out phrasings),
with MotionLLM's <Motion>, </Motion> and 512 <Motion_i> added after the text vocabulary
as ordinary tokens (REFERENCE-NOTES section 3).

    python3 Scripts/train/train_tokenizer.py DATA OUT/tokenizer.json [--vocab 2048]
"""
import argparse
import json
import lzma
import os
import random

from tokenizers import Tokenizer, models, pre_tokenizers, trainers

from demo_common import Progress, load_dataset
import data_engine as engine
from gemma_tokenizer_json import SPECIALS, byte_tokens, gemma_tokenizer

IRG_TEXTS = [
    "You are an assistant who helps users understand or generate 3D human motion representations.",
    "User: Response: Generate a motion that depicts Provide a detailed description of the motion.",
    "Determine the critical aspects to address prior to generating a motion that represents",
    "Motion: Goal text: Determine how to refine the generated motion for better alignment.",
    "Refine the motion according to the instruction: Assess the alignment between the motion and the goal.",
    "Given a text outlining a human motion objective, employ a step-by-step thought process to realize the motion: "
    "(1) analyze the text, providing a clear explanation of the reasoning to identify essential elements; (2) conduct "
    "several rounds of motion generation and self-assessment until the motion is satisfactory. Wrap all responses in "
    "<think> and </think> tags, and formulate a plan before each step. Goal Text:",
    "<think> </think> [plan] [/plan] [analyze] [/analyze] [generate] [/generate] [assess] [/assess] Assessment: Refinement:",
    "Below is an instruction that describes a task, paired with an input that provides further context. Write a "
    "response that appropriately completes the request. ### Instruction: Generate a motion matching the following "
    "input human motion description ### Input:",
] + list(engine.PLANS.values()) + [engine.DIRECT_REFINEMENT, engine.SATISFIED]


def corpus(data, kit):
    """Training and validation captions, KIT-ML captions, IRG's texts and the engine's sentences."""
    split = load_dataset(data, ("train", "val"))
    motions = split["train"] + split["val"]
    texts = [c for m in motions for c in m.captions]
    with lzma.open(kit, "rt") as f:
        texts += [a["text"] for entry in json.load(f).values() for a in entry["annotations"]]
    rng, negatives = random.Random(0), engine.Negatives(split["train"])
    for goal in split["train"][::4]:
        texts.append(engine.analysis(goal, rng))
        for shown in negatives.of(goal, rng):
            texts.extend(engine.assess(goal, shown, rng))
    return texts + IRG_TEXTS * 20


def train(texts, vocab_size):
    """BPE merges learned within words ("▁" starts a word), so the Gemma-form file (no
    pre-tokenizer) tokenizes a sentence as the trainer's words."""
    model = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    model.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="never")
    reserved = len(SPECIALS) + 256
    trainer = trainers.BpeTrainer(vocab_size=vocab_size - reserved, min_frequency=2, show_progress=False,
                                  special_tokens=[], limit_alphabet=200)
    model.train_from_iterator(texts, trainer)
    learned = json.loads(model.to_str())["model"]
    vocab = {t: i for i, t in enumerate(SPECIALS + byte_tokens())}
    for token, _ in sorted(learned["vocab"].items(), key=lambda kv: kv[1]):
        vocab.setdefault(token, len(vocab))
    merges = [m.split(" ") if isinstance(m, str) else m for m in learned["merges"]]
    return gemma_tokenizer(vocab, merges)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("out")
    parser.add_argument("--vocab", type=int, default=2048, help="text tokens (specials and byte tokens included)")
    parser.add_argument("--kit", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data",
                                                      "kit-ml", "annotations.json.xz"))
    args = parser.parse_args()
    log = Progress("tokenizer")
    texts = corpus(args.data, args.kit)
    tokenizer = train(texts, args.vocab)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    check = Tokenizer.from_file(args.out)
    sample = "a person walks forward happily. <Motion><Motion_3><Motion_511></Motion>"
    ids = check.encode(sample).ids
    log(f"{len(texts)} texts -> {len(tokenizer['model']['vocab'])} tokens ({args.vocab} text + 514 motion); "
        f"'{sample}' -> {len(ids)} ids")
    assert check.decode(ids, skip_special_tokens=True) == sample, check.decode(ids)


if __name__ == "__main__":
    main()
