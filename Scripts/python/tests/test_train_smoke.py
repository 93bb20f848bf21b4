"""Scripts/train/train_demo.sh --smoke: every stage of the demo training (dataset,
tokenizer, VQ-VAE, evaluator, IRG-MotionLLM, Motion-Agent adapters) for a few steps
on a slice of ../shared/data, and each folder it writes loads in the Swift services'
loaders (`irg vq encode`, `irg llm tokenize`, `irg eval run`).

Needs torch, transformers and tokenizers (not installed by Scripts/setup.sh, since CI
runs without PyTorch) and the shared mocap: skipped, saying so, where either is missing.
"""
import os
import subprocess
import tempfile

import pytest

from conftest import REPO, bin_dir

pytest.importorskip("torch", reason="needs PyTorch (pip install torch --find-links /opt/wheels)")
pytest.importorskip("transformers", reason="needs transformers (pip install transformers)")
pytest.importorskip("tokenizers", reason="needs tokenizers (pip install tokenizers)")
SHARED = os.environ.get("IRG_SHARED_DATA", os.path.join(REPO, "..", "shared", "data"))


@pytest.mark.skipif(not os.path.isdir(os.path.join(SHARED, "bandai-namco")), reason="needs ../shared/data (the mocap)")
def test_every_stage_runs_and_its_output_loads():
    irg = os.path.join(bin_dir(), "irg")
    out = tempfile.mkdtemp(prefix="irg-train-smoke-")
    env = dict(os.environ, IRG_BIN=irg)
    run = subprocess.run([os.path.join(REPO, "Scripts", "train", "train_demo.sh"), out, "--smoke"], env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "[demo] done" in run.stdout
    for path in ["tokenizer/vqvae.safetensors", "evaluator/word_vectors.npy", "motionllm/model.safetensors",
                 "motionllm/tokenizer.json", "motion-agent/t2m/adapter_config.json", "motion-agent/m2t/adapter_model.safetensors"]:
        assert os.path.exists(os.path.join(out, path)), path
    motion = os.path.join(out, "data", "new_joint_vecs", sorted(os.listdir(os.path.join(out, "data", "new_joint_vecs")))[0])
    codes = os.path.join(out, "codes.npy")
    subprocess.run([irg, "vq", "encode", "--checkpoint", os.path.join(out, "tokenizer"), motion, "--out", codes], check=True)
    ids = subprocess.run([irg, "llm", "tokenize", "--model", os.path.join(out, "motionllm"), "walk <Motion><Motion_5></Motion>"],
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    assert ids.startswith("2,")
    report = subprocess.run([irg, "eval", "run", "--dataset", os.path.join(out, "data"), "--motions",
                             os.path.join(out, "data", "new_joint_vecs"), "--evaluator", os.path.join(out, "evaluator"),
                             "--repeats", "1", "--out", os.path.join(out, "eval")], capture_output=True, text=True)
    assert report.returncode == 0, report.stderr
