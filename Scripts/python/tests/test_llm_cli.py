"""The `irg llm` command contracts (tokenize, logits, generate), checked
against the Gemma2 fixtures made with HF tokenizers/transformers
(Scripts/reference/make_gemma2_fixtures.py)."""
import json
import os
import subprocess

import numpy as np
import pytest

from conftest import REPO, bin_dir

FIXTURES = os.path.join(REPO, "Tests", "LanguageModelTests", "Fixtures", "gemma2")


def irg(*args):
    executable = os.path.join(bin_dir(), "irg")
    if not os.path.exists(executable):
        pytest.fail(f"{executable} not found: run `swift build` first or set IRG_BIN_DIR")
    return subprocess.run([executable, "llm", *args], capture_output=True, text=True, timeout=60)


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


def manifest():
    with open(fixture("cases.json")) as f:
        return json.load(f)


def test_tokenize_prints_hf_ids_with_bos_first():
    with open(fixture("tokenizer_cases.json")) as f:
        cases = json.load(f)
    for case in [c for c in cases if c["text"].strip() and not c["text"].startswith("-")][:20] + [cases[-1]]:
        run = irg("tokenize", "--model", fixture("model_a"), "--", case["text"])
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == ",".join(map(str, case["ids"])), case["text"]
        assert run.stdout.startswith("2,")


def test_logits_are_float32_t_by_v_within_1e_4(tmp_path):
    prompt = manifest()["prompt"]
    out = tmp_path / "l.npy"
    run = irg("logits", "--model", fixture("model_a"), "--adapter", fixture("adapter_t2m"),
              "--ids", ",".join(map(str, prompt)), "--out", str(out))
    assert run.returncode == 0, run.stderr
    got = np.load(out)
    want = np.load(fixture("logits_a_t2m.npy"))
    assert got.dtype == np.float32 and got.shape == want.shape
    assert np.abs(got - want).max() <= 1e-4


def test_generate_greedy_prints_the_new_ids():
    m = manifest()
    run = irg("generate", "--model", fixture("model_b"), "--ids", ",".join(map(str, m["prompt"])),
              "--max-new-tokens", "32", "--greedy")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ",".join(map(str, m["cases"]["b"]["greedy"]))


def test_bad_ids_are_refused_with_a_message():
    run = irg("generate", "--model", fixture("model_a"), "--ids", "2,99999", "--greedy")
    assert run.returncode != 0 and "outside the vocabulary" in run.stderr
    run = irg("logits", "--model", fixture("model_a"), "--ids", "2,x", "--out", "/dev/null")
    assert run.returncode != 0 and "comma-separated" in run.stderr
