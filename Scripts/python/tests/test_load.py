"""The load run of Scripts/load.sh, shortened to 60 seconds for CI: 20 clients
against the whole suite on the demo models mixing loops, AssessBatch, Embed,
Caption and Health. Every method is called and no call fails; the figures
(requests/s, p50/p99, each service's memory) are printed for the log. The
10-minute run and its memory goal are in docs/scale.md."""
import json
import os
import subprocess
import tempfile

from conftest import REPO, bin_dir


def test_sixty_seconds_of_mixed_load_without_errors():
    out = os.path.join(tempfile.mkdtemp(prefix="irg-load-"), "report.json")
    run = subprocess.run([os.path.join(REPO, "Scripts", "load.sh"), "60", out], capture_output=True, text=True,
                         timeout=400, env={**os.environ, "IRG_BIN": bin_dir()})
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    with open(out) as f:
        report = json.load(f)
    assert report["errors"] == 0
    assert set(report["methods"]) == {"MotionOrchestrator/Generate", "MotionAssessor/AssessBatch", "MotionEvaluator/Embed",
                                      "MotionGenerator/Caption", "Health/Check"}
    assert all(m["calls"] > 0 for m in report["methods"].values())
    assert set(report["memoryMiB"]) == {"orchestrator", "generator", "tokenizer", "assessor", "evaluator"}
    assert all(len(m["samples"]) == 20 and m["samples"][-1] > 0 for m in report["memoryMiB"].values())
