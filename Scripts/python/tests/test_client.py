"""The Python client against a real service process."""
import pynng
import pytest

import os

from irg.v1 import (admin_pb2, envelope_pb2, evaluator_pb2, health_pb2, motion_pb2, reflection_pb2, tensor_pb2,
                    tokenizer_pb2)
from irg_client import Client, RpcError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def test_health(tokenizer_address):
    with Client(tokenizer_address) as client:
        reply = client.call("irg.v1.Health/Check", health_pb2.HealthCheckRequest(),
                            health_pb2.HealthCheckResponse)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        own = client.call("irg.v1.Health/Check",
                          health_pb2.HealthCheckRequest(service="irg.v1.MotionTokenizer"),
                          health_pb2.HealthCheckResponse)
        assert own.status == health_pb2.HealthCheckResponse.SERVING


def test_list_methods(tokenizer_address):
    with Client(tokenizer_address) as client:
        reply = client.call("irg.v1.Reflection/ListMethods", reflection_pb2.ListMethodsRequest(),
                            reflection_pb2.ListMethodsResponse)
    assert reply.server == "irg-tokenizer"
    methods = {m.name: m for m in reply.methods}
    assert {"irg.v1.MotionTokenizer/Encode", "irg.v1.MotionTokenizer/Decode",
            "irg.v1.MotionTokenizer/Info", "irg.v1.Health/Check"} <= set(methods)
    assert methods["irg.v1.Health/Check"].implemented
    assert methods["irg.v1.MotionTokenizer/Decode"].input_type == "irg.v1.DecodeRequest"
    assert methods["irg.v1.MotionTokenizer/Decode"].idempotent


def test_stats_count_calls(tokenizer_address):
    with Client(tokenizer_address) as client:
        for _ in range(3):
            client.call("irg.v1.Health/Check", health_pb2.HealthCheckRequest(),
                        health_pb2.HealthCheckResponse)
        stats = client.call("irg.v1.Admin/Stats", admin_pb2.StatsRequest(), admin_pb2.StatsResponse)
    assert stats.server == "irg-tokenizer"
    by_name = {m.method: m for m in stats.methods}
    assert by_name["irg.v1.Health/Check"].calls == 3
    assert by_name["irg.v1.Health/Check"].codes[0].code == envelope_pb2.OK
    assert len(by_name["irg.v1.Health/Check"].latency.counts) == len(
        by_name["irg.v1.Health/Check"].latency.bucket_upper_ms)


def test_unimplemented_method(tokenizer_address):
    # A method of another service: this process does not serve it.
    with Client(tokenizer_address) as client:
        with pytest.raises(RpcError) as error:
            client.call("irg.v1.MotionEvaluator/Metrics", evaluator_pb2.MetricsRequest(),
                        evaluator_pb2.MetricsResponse)
    assert error.value.code == envelope_pb2.UNIMPLEMENTED
    assert "unknown method" in error.value.message


def test_tokenizer_without_checkpoint_says_so(tokenizer_address):
    with Client(tokenizer_address) as client:
        with pytest.raises(RpcError) as error:
            client.call("irg.v1.MotionTokenizer/Info", tokenizer_pb2.InfoRequest(), tokenizer_pb2.InfoResponse)
    assert error.value.code == envelope_pb2.FAILED_PRECONDITION
    assert "--checkpoint" in error.value.message


def test_tokenizer_encode_from_python(tokenizer_with_checkpoint):
    import numpy as np
    features = np.load(os.path.join(REPO, "Tests", "MotionTests", "Fixtures", "humanml3d", "012314_vecs.npy"))
    expected = np.load(os.path.join(REPO, "Tests", "ModelTests", "Fixtures", "vq", "small_f32", "012314_codes.npy"))
    motion = motion_pb2.Motion(features=tensor_pb2.Tensor(shape=list(features.shape),
                                                          data=features.astype("<f4").tobytes()))
    with Client(tokenizer_with_checkpoint) as client:
        info = client.call("irg.v1.MotionTokenizer/Info", tokenizer_pb2.InfoRequest(), tokenizer_pb2.InfoResponse)
        reply = client.call("irg.v1.MotionTokenizer/Encode", tokenizer_pb2.EncodeRequest(motions=[motion]),
                            tokenizer_pb2.EncodeResponse)
    assert (info.codebook_size, info.downsample) == (64, 4)
    assert list(reply.codes[0].codes) == expected.tolist()


def test_echo_and_garbage(tokenizer_address):
    with Client(tokenizer_address) as client:
        data = bytes(range(256)) * 100
        reply = client.call("irg.v1.Admin/Echo", admin_pb2.EchoRequest(data=data), admin_pb2.EchoResponse)
        assert reply.data == data
    with pynng.Req0(dial=tokenizer_address, recv_timeout=2000) as raw:
        raw.send(b"\xff\xfe not an envelope")
        reply = envelope_pb2.Envelope()
        reply.ParseFromString(raw.recv())
    assert reply.status.code == envelope_pb2.INVALID_ARGUMENT
    with Client(tokenizer_address) as client:  # still serving
        client.call("irg.v1.Health/Check", health_pb2.HealthCheckRequest(), health_pb2.HealthCheckResponse)
