"""Drives irg-orchestrator's loop from a script: starts a Generate, watches
its session round by round while it runs, then saves the chosen motion.

    python3 Scripts/python/examples/drive_loop.py ipc:///tmp/irg-0/orchestrator.ipc "a person waves" --out waves.npy
"""
import argparse
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402

from irg.v1 import orchestrator_pb2  # noqa: E402
from irg_client import Client  # noqa: E402

GENERATE = "irg.v1.MotionOrchestrator/Generate"
GET_SESSION = "irg.v1.MotionOrchestrator/GetSession"


def drive(address, text, rounds=3, seed=1, timeout_ms=600_000, on_round=print, **sampling):
    """Runs the loop; calls on_round(round) as each round is stored; returns the OrchestrateResponse."""
    key = str(uuid.uuid4())
    request = orchestrator_pb2.OrchestrateRequest(text=text, idempotency_key=key)
    request.options.max_rounds = rounds
    request.options.sampling.seed = seed
    for name, value in sampling.items():
        setattr(request.options.sampling, name, value)
    result = {}

    def generate():  # the loop runs while this call waits; a socket per thread (pynng's REQ is one at a time)
        try:
            with Client(address, timeout_ms=timeout_ms) as client:
                result["reply"] = client.call(GENERATE, request, orchestrator_pb2.OrchestrateResponse)
        except Exception as error:  # noqa: BLE001 - handed to the caller below
            result["error"] = error

    worker = threading.Thread(target=generate)
    worker.start()
    seen = 0
    with Client(address, timeout_ms=5_000) as watcher:
        while True:
            done = not worker.is_alive()  # read before the poll, so the last poll sees the final rounds
            try:
                session = watcher.call(GET_SESSION, orchestrator_pb2.GetSessionRequest(idempotency_key=key),
                                       orchestrator_pb2.Session)
                for r in session.turns[0].rounds[seen:]:
                    on_round(r)
                seen = len(session.turns[0].rounds)
            except Exception:  # noqa: BLE001 - the session may not exist yet
                pass
            if done:
                break
            time.sleep(0.1)
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["reply"]


def features(motion):
    """A Motion's features as a (T, 263) float32 array."""
    t = motion.features
    return np.frombuffer(t.data, dtype="<f4").reshape(tuple(t.shape))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address")
    parser.add_argument("text")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="motion_features.npy")
    args = parser.parse_args()
    reply = drive(args.address, args.text, args.rounds, args.seed,
                  on_round=lambda r: print(f"round {r.index}: reward {r.reward:.4f} {r.instruction[:60]!r}"))
    print(f"best round {reply.best_round}, stopped: {reply.stop_reason}, session {reply.session_id}")
    np.save(args.out, features(reply.motion))
    print("wrote", args.out)


if __name__ == "__main__":
    main()
