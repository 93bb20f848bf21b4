"""The `irg eval` building blocks' command contracts (keys, order of rows,
null rules), checked against the committed reference fixtures."""
import json
import os
import subprocess

import pytest

from conftest import REPO, bin_dir

FIXTURES = os.path.join(REPO, "Tests", "MetricTests", "Fixtures")


def irg(*args):
    executable = os.path.join(bin_dir(), "irg")
    if not os.path.exists(executable):
        pytest.fail(f"{executable} not found: run `swift build` first or set IRG_BIN_DIR")
    return subprocess.run([executable, *args], capture_output=True, text=True, timeout=60)


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


def test_metrics_json_matches_the_reference():
    run = irg("eval", "metrics", "--text", fixture("embedding", "full", "texts.npy"),
              "--motion", fixture("embedding", "full", "motions.npy"), "--gt", fixture("embedding", "full", "gt.npy"),
              "--seed", "7", "--json")
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    with open(fixture("embedding", "full", "expected.json")) as f:
        want = json.load(f)
    assert set(got) == {"r_precision", "mm_dist", "fid", "diversity"}
    assert got["r_precision"] == pytest.approx(want["r_precision"], rel=1e-5)
    for key in ("mm_dist", "fid", "diversity"):
        assert got[key] == pytest.approx(want[key], rel=1e-5), key


def test_metrics_without_gt_or_enough_rows_give_null():
    run = irg("eval", "metrics", "--text", fixture("embedding", "singular", "texts.npy"),
              "--motion", fixture("embedding", "singular", "motions.npy"), "--seed", "3", "--json")
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got["fid"] is None and got["diversity"] is None
    assert "diversity" in run.stderr


def test_captions_json_matches_pycocoevalcap():
    run = irg("eval", "captions", "--pred", fixture("captions", "pred.txt"), "--refs", fixture("captions", "refs.json"), "--json")
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    with open(fixture("captions", "expected.json")) as f:
        want = json.load(f)
    assert set(got) == {"bleu1", "bleu4", "rouge_l", "cider"}
    for key in got:
        assert got[key] == pytest.approx(want[key], abs=1e-4), key


def test_quality_json_matches_mbench():
    run = irg("eval", "quality", fixture("quality", "jittered.npy"), "--json")
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    with open(fixture("quality", "expected.json")) as f:
        want = json.load(f)["jittered"]
    assert set(got) == {"jitter", "dynamic", "foot_sliding", "ground_penetration", "foot_floating"}
    for key in got:
        assert got[key] == pytest.approx(want[key], rel=1e-5, abs=1e-9), key


def test_bad_input_is_a_clear_error():
    run = irg("eval", "quality", fixture("embedding", "full", "gt.npy"), "--json")
    assert run.returncode != 0 and "(T, 22, 3)" in run.stderr
