"""A small external client for IRG Motion Suite services: nng (pynng) plus
the protobuf classes compiled from Protos/ (irg/v1/*_pb2.py).

    from irg_client import Client
    from irg.v1 import health_pb2
    with Client("tcp://127.0.0.1:7101") as c:
        reply = c.call("irg.v1.Health/Check", health_pb2.HealthCheckRequest(),
                       health_pb2.HealthCheckResponse)

Every call is one Envelope (irg/v1/envelope.proto) on a REQ socket; a
status other than OK raises RpcError with the code's name and message, and
no reply before the call's deadline raises RpcError(DEADLINE_EXCEEDED).
"""
import itertools
import os
import random
import time

import pynng

from irg.v1 import envelope_pb2


class RpcError(Exception):
    def __init__(self, code: int, message: str, details=None):
        self.code = code
        self.code_name = envelope_pb2.Code.Name(code)
        self.message = message
        self.details = dict(details or {})
        super().__init__(f"{self.code_name}: {message}")


class Client:
    def __init__(self, address: str, timeout_ms: int = 30_000, auth_token=None):
        self.timeout_ms = timeout_ms
        self.auth_token = auth_token or os.environ.get("IRG_AUTH_TOKEN") or None
        # nng's own resend is off, as in the Swift client: one call runs once.
        self._socket = pynng.Req0(dial=address, resend_time=-1, recv_timeout=timeout_ms,
                                  send_timeout=timeout_ms)
        self._ids = itertools.count(random.randrange(1, 1 << 40))

    def close(self):
        self._socket.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def call_raw(self, method: str, payload: bytes, metadata=None, timeout_ms=None) -> bytes:
        timeout_ms = timeout_ms or self.timeout_ms
        request = envelope_pb2.Envelope(
            method=method,
            request_id=next(self._ids),
            deadline_unix_ms=int(time.time() * 1000) + timeout_ms,
            payload=payload,
        )
        request.metadata.update(metadata or {})
        if self.auth_token and "authorization" not in request.metadata:
            request.metadata["authorization"] = self.auth_token
        self._socket.send(request.SerializeToString())
        # A server sends nothing once a request's deadline has passed (docs/rpc.md), so the
        # deadline is kept here too.
        self._socket.recv_timeout = timeout_ms
        try:
            answer = self._socket.recv()
        except pynng.exceptions.Timeout:
            raise RpcError(envelope_pb2.DEADLINE_EXCEEDED, f"no reply to {method} before the deadline") from None
        reply = envelope_pb2.Envelope()
        reply.ParseFromString(answer)
        if reply.status.code != envelope_pb2.OK:
            raise RpcError(reply.status.code, reply.status.message, reply.status.details)
        return reply.payload

    def call(self, method: str, request, response_type, **kwargs):
        reply = response_type()
        reply.ParseFromString(self.call_raw(method, request.SerializeToString(), **kwargs))
        return reply
