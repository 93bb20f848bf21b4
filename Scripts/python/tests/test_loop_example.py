"""The Python example that drives the loop, against the real services."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
from drive_loop import drive, features  # noqa: E402


def test_the_example_watches_the_rounds_and_fetches_the_motion(orchestrator_address):
    seen = []
    reply = drive(orchestrator_address, "a person walks forward", rounds=2, seed=3, max_new_tokens=24,
                  on_round=seen.append)
    assert [r.index for r in seen] == [r.index for r in reply.trace]
    assert reply.stop_reason in ("satisfied", "plateau", "max_rounds")
    x = features(reply.motion)
    assert x.shape == (len(reply.codes.codes) * 4, 263)
