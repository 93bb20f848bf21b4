import os
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def bin_dir() -> str:
    """The built executables: $IRG_BIN_DIR, or `swift build`'s debug folder."""
    return os.environ.get("IRG_BIN_DIR") or os.path.join(REPO, ".build", "debug")


def start_service(executable_name, *extra):
    """A real service process on a fresh ipc address, once its socket exists."""
    executable = os.path.join(bin_dir(), executable_name)
    if not os.path.exists(executable):
        pytest.fail(f"{executable} not found: run `swift build` first or set IRG_BIN_DIR")
    folder = tempfile.mkdtemp(prefix="irg-py-")
    path = f"{folder}/{executable_name}.ipc"
    process = subprocess.Popen([executable, "--listen", f"ipc://{path}", "--log-level", "warning", *extra])
    deadline = time.time() + 10
    while not os.path.exists(path) and time.time() < deadline:
        time.sleep(0.02)
    return f"ipc://{path}", process


def start_tokenizer(*extra):
    return start_service("irg-tokenizer", *extra)


def stop(process):
    process.terminate()
    assert process.wait(timeout=10) == 0


@pytest.fixture
def tokenizer_address():
    """A real irg-tokenizer process (no checkpoint) on a fresh ipc address."""
    address, process = start_tokenizer("--no-demo-model")  # a service with no model: what it says
    yield address
    stop(process)


@pytest.fixture
def tokenizer_with_checkpoint():
    """irg-tokenizer serving the small VQ-VAE checkpoint of the Swift tests."""
    address, process = start_tokenizer(
        "--checkpoint", os.path.join(REPO, "Tests", "ModelTests", "Fixtures", "vq", "small_f32"))
    yield address
    stop(process)


FIXTURES = os.path.join(REPO, "Tests", "ModelTests", "Fixtures")


@pytest.fixture
def assessor_address():
    """irg-assessor with the small evaluator, decoding codes with a real irg-tokenizer: the VQ-VAE
    fixture with MotionLLM's 512 codes, so any code a model writes decodes."""
    tokenizer, tokenizer_process = start_tokenizer("--checkpoint", os.path.join(FIXTURES, "vq", "codes512"))
    address, process = start_service("irg-assessor", "--evaluator", os.path.join(FIXTURES, "evaluator", "small_f32"),
                                     "--tokenizer", tokenizer)
    yield address
    stop(process)
    stop(tokenizer_process)


@pytest.fixture
def orchestrator_address(tmp_path):
    """The loop's four services on the fixture models: the tiny Gemma2 with a 2,048-token
    context (same weights), the 512-code VQ-VAE, the small evaluator; sessions in tmp_path."""
    import json
    import shutil
    model = tmp_path / "model"
    shutil.copytree(os.path.join(REPO, "Tests", "LanguageModelTests", "Fixtures", "gemma2", "model_a"), model)
    config = json.load(open(model / "config.json"))
    config["max_position_embeddings"] = 2048
    json.dump(config, open(model / "config.json", "w"))
    tokenizer, p1 = start_tokenizer("--checkpoint", os.path.join(FIXTURES, "vq", "codes512"))
    generator, p2 = start_service("irg-generator", "--model", str(model))
    assessor, p3 = start_service("irg-assessor", "--evaluator", os.path.join(FIXTURES, "evaluator", "small_f32"),
                                 "--tokenizer", tokenizer)
    address, p4 = start_service("irg-orchestrator", "--generator", generator, "--tokenizer", tokenizer,
                                "--assessor", assessor, "--sessions", str(tmp_path / "sessions.sqlite"))
    yield address
    for process in (p4, p3, p2, p1):
        stop(process)
