"""A tokenizer.json in Gemma's form (REFERENCE-NOTES section 3): normalizer " " -> "▁",
no pre-tokenizer, BPE with byte fallback, <pad> <eos> <bos> <unk> at 0-3, <bos> added
in front, and MotionLLM's 514 tokens (<Motion>, </Motion>, <Motion_0..511>) added as
ordinary tokens right after the text vocabulary. Used by the bench checkpoint writer and
by the demo's tokenizer trainer."""

SPECIALS = ["<pad>", "<eos>", "<bos>", "<unk>"]
MOTION_TOKENS = ["<Motion>", "</Motion>"] + [f"<Motion_{i}>" for i in range(512)]


def byte_tokens():
    return [f"<0x{b:02X}>" for b in range(256)]


def added_token(ident, content, special):
    return {"id": ident, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": not special, "special": special}


def gemma_tokenizer(vocab, merges):
    """vocab: token -> id with the specials at 0-3; merges: [left, right] pairs by rank.
    The motion tokens go at len(vocab).. (256000.. for Gemma2's own vocabulary)."""
    vocab = dict(vocab)
    added = [added_token(vocab[t], t, True) for t in SPECIALS]
    first = len(vocab)
    for i, token in enumerate(MOTION_TOKENS):
        vocab[token] = first + i
        added.append(added_token(first + i, token, False))
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
        "pre_tokenizer": None,
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
                           "special_tokens": {"<bos>": {"id": "<bos>", "ids": [2], "tokens": ["<bos>"]}}},
        "decoder": {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
                                                     {"type": "ByteFallback"}, {"type": "Fuse"}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
    }
