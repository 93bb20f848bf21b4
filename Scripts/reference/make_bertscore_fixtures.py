"""Writes Tests/LanguageModelTests/Fixtures/bertscore/: fidelity fixtures for
BERTScore with a supplied BERT model, made with HF `tokenizers`,
`transformers` (float64 reference) and the `bert_score` package itself.

- model/: a tiny random BertModel (3 layers, hidden 32, 4 heads), F32
  safetensors, with a WordPiece tokenizer.json (BertNormalizer lowercasing
  and stripping accents, BertPreTokenizer, [CLS] ... [SEP] template) trained
  on motion captions; tokenizer_config.json sets model_max_length, which
  bert_score needs.
- tokenizer_cases.json: strings (captions, punctuation, accents, CJK, emoji,
  control characters, whitespace runs, long words) with HF's ids.
- hidden.json: the hidden states after each layer for two sentences,
  computed in float64.
- baseline.tsv: a rescale baseline in bert_score's format (LAYER,P,R,F; row
  i is layer i), made up here.
- scores.json: bert_score.score's per-candidate P, R, F on candidates with
  one to three references, with and without idf, at 2 and 3 layers, and
  rescaled with baseline.tsv.

Run: python3 make_bertscore_fixtures.py (needs transformers, tokenizers,
bert-score and pandas from PyPI).
"""
import json
import os

import bert_score
import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertConfig, BertModel, BertTokenizerFast

OUT = os.path.join(os.path.dirname(__file__), "../../Tests/LanguageModelTests/Fixtures/bertscore")

CAPTIONS = [
    "a person walks forward and waves with the left hand",
    "someone jumps up high, then lands softly.",
    "the man turns left and runs in a circle",
    "a woman dances happily while spinning around",
    "a person kicks with the right leg",
    "the figure crouches down and stands back up",
    "someone throws a ball overhand",
    "a person walks backwards slowly",
    "the person raises both arms above the head",
    "a man is jogging in place",
    "a person sits down on a chair and gets up again",
    "somebody waves hello with their right hand",
]


def tokenizer():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=220, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tok.train_from_iterator(CAPTIONS * 5, trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return BertTokenizerFast(tokenizer_object=tok, do_lower_case=True, model_max_length=64)


TOKENIZER_CASES = CAPTIONS + [
    "A PERSON Walks!", "café résumé naïve", "it's 3.5 m/s -- fast?!", "a\tperson\n\nwalks   forward ",
    "人が歩く walks", "a person 🙂 waves", "x" * 120, "unbelievablyunrecognizablewordhere", "", "   ",
    "a\u0000person\u200bwaves", "(left) [right] {up} <down>", "hand-in-hand, step_by_step", "Ｆｕｌｌｗｉｄｔｈ",
    "[CLS] literal [SEP]", "wave##s", "über straße", "a ​ b",
]


def main():
    os.makedirs(f"{OUT}/model", exist_ok=True)
    fast = tokenizer()
    fast.save_pretrained(f"{OUT}/model")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(fast), hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=64, type_vocab_size=2)
    model = BertModel(config).eval()
    with torch.no_grad():  # larger than the init so that layers differ visibly
        for p in model.parameters():
            p.mul_(3.0)
    model.save_pretrained(f"{OUT}/model")

    cases = [{"text": t, "ids": fast(t)["input_ids"]} for t in TOKENIZER_CASES]
    json.dump(cases, open(f"{OUT}/tokenizer_cases.json", "w"), indent=0, ensure_ascii=False)

    reference = BertModel.from_pretrained(f"{OUT}/model").double().eval()
    hidden = []
    for text in ["a person walks forward and waves", "Someone jumps; then runs!"]:
        ids = fast(text, return_tensors="pt")["input_ids"]
        with torch.no_grad():
            states = reference(ids, output_hidden_states=True).hidden_states
        hidden.append({"ids": ids[0].tolist(), "layers": [s[0].tolist() for s in states]})
    json.dump(hidden, open(f"{OUT}/hidden.json", "w"))

    with open(f"{OUT}/baseline.tsv", "w") as f:
        f.write("LAYER,P,R,F\n")
        for layer in range(4):
            f.write(f"{layer},{0.30 + 0.05 * layer:.6f},{0.32 + 0.04 * layer:.6f},{0.31 + 0.045 * layer:.6f}\n")

    cands = ["a person walks forward", "someone jumps up", "the man waves his hand", "a person dances", "runs"]
    refs = [[CAPTIONS[0], CAPTIONS[7]], [CAPTIONS[1]], [CAPTIONS[11], CAPTIONS[0], CAPTIONS[4]],
            [CAPTIONS[3], CAPTIONS[2]], [CAPTIONS[2]]]
    scores = []
    for layers, idf, rescale in [(3, False, False), (3, True, False), (2, True, False), (2, True, True)]:
        kwargs = dict(model_type=f"{OUT}/model", num_layers=layers, idf=idf, lang="en", batch_size=2)
        if rescale:
            kwargs.update(rescale_with_baseline=True, baseline_path=f"{OUT}/baseline.tsv")
        P, R, F = bert_score.score(cands, refs, **kwargs)
        scores.append({"layers": layers, "idf": idf, "rescale": rescale,
                       "precision": P.tolist(), "recall": R.tolist(), "f1": F.tolist()})
    json.dump({"candidates": cands, "references": refs, "cases": scores}, open(f"{OUT}/scores.json", "w"), indent=1)


if __name__ == "__main__":
    main()
