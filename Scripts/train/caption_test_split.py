"""Captions of the test split's motions by irg-generator's Caption (greedy), each motion
encoded by irg-tokenizer: OUT/predictions.txt (one line per motion) and
OUT/references.json (the motion's own captions: the held-out phrasings).

    python3 Scripts/train/caption_test_split.py DATA TOKENIZER_ADDR GENERATOR_ADDR OUT
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "python")]
from demo_common import load_dataset  # noqa: E402
from irg_client import Client  # noqa: E402
from irg.v1 import generator_pb2, tokenizer_pb2  # noqa: E402
from irg_rewards import motion_message  # noqa: E402


def main(data, tokenizer, generator, out):
    os.makedirs(out, exist_ok=True)
    test = load_dataset(data, ("test",))["test"]
    predictions = []
    with Client(tokenizer, timeout_ms=60_000) as vq, Client(generator, timeout_ms=60_000) as llm:
        for m in test:
            codes = vq.call("irg.v1.MotionTokenizer/Encode", tokenizer_pb2.EncodeRequest(motions=[motion_message(m.features)]),
                            tokenizer_pb2.EncodeResponse).codes[0]
            request = generator_pb2.CaptionRequest(motion=codes)
            request.options.sampling.greedy = True
            reply = llm.call("irg.v1.MotionGenerator/Caption", request, generator_pb2.CaptionResponse)
            predictions.append(reply.captions[0].strip().replace("\n", " ") if reply.captions else "")
    with open(os.path.join(out, "predictions.txt"), "w") as f:
        f.write("\n".join(predictions) + "\n")
    with open(os.path.join(out, "references.json"), "w") as f:
        json.dump([m.captions for m in test], f, indent=1)
    print(f"{len(test)} test motions captioned: {out}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
