"""Writes Tests/ProtoTests/Fixtures/python_assess_request.bin: a message
serialized by Python's protobuf, which the Swift tests decode and must
re-encode to the same bytes (wire compatibility with external clients)."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "python"))
from irg.v1 import assessor_pb2, motion_pb2, tensor_pb2  # noqa: E402

request = assessor_pb2.MotionAssessRequest(
    text="a person waves — énergiquement 👋",
    motion=motion_pb2.Motion(
        features=tensor_pb2.Tensor(shape=[2, 3], dtype=tensor_pb2.INT32, data=bytes(range(24))),
        fps=20.0,
    ),
)
out = os.path.join(here, "..", "Tests", "ProtoTests", "Fixtures", "python_assess_request.bin")
with open(out, "wb") as f:
    f.write(request.SerializeToString())
print("wrote", os.path.normpath(out))
