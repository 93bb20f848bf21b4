"""Writes the wire fixtures of Tests/ProtoTests/Fixtures: messages serialized by
Python's protobuf (protoc --python_out code, as external clients use it),
which the Swift tests decode into the generated types and must re-encode to
the same bytes.

- python_assess_request.bin: the first fixture (a MotionAssessRequest).
- wire/<type>.bin and wire/<type>.json: at least one request and one reply
  of every service, with every field kind (nested and repeated messages,
  packed scalars, oneofs, maps, enums, 64-bit integers, bytes, unicode);
  the JSON is json_format's proto3 JSON of the same message, defaults
  included, for comparing decoded values.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "python"))
from google.protobuf import json_format  # noqa: E402
from irg.v1 import (admin_pb2, assessor_pb2, envelope_pb2, evaluator_pb2, generator_pb2,  # noqa: E402
                    health_pb2, motion_pb2, orchestrator_pb2, reflection_pb2, tensor_pb2,
                    tokenizer_pb2)

fixtures = os.path.join(here, "..", "Tests", "ProtoTests", "Fixtures")


def tensor(shape, dtype=tensor_pb2.FLOAT32):
    count = 1
    for n in shape:
        count *= n
    return tensor_pb2.Tensor(shape=shape, dtype=dtype, data=bytes((i * 7) % 256 for i in range(count * 4)))


def motion():
    return motion_pb2.Motion(features=tensor([3, 263]), joints=tensor([3, 22, 3]), skeleton=motion_pb2.KIT, fps=12.5)


def codes(*values):
    return motion_pb2.MotionCodes(codes=list(values))


def sampling():
    return motion_pb2.SamplingParams(greedy=False, temperature=0.7, top_k=40, top_p=0.95, seed=2**63 + 5,
                                     max_new_tokens=300, num_beams=1, stop=["</Motion>", "ünïcode"])


def options():
    return generator_pb2.GenerationOptions(sampling=sampling(), adapter="t2m", format=generator_pb2.MOTION_AGENT)


def quality():
    return motion_pb2.QualityMetrics(jitter=0.25, dynamic=1e-300, foot_sliding=0.0, ground_penetration=3.5,
                                     foot_floating=1e300)


def status():
    return envelope_pb2.Status(code=envelope_pb2.INVALID_ARGUMENT, message="items[3].motion: NaN",
                               details={"field": "items[3].motion", "item": "3"})


MESSAGES = [
    envelope_pb2.Envelope(method="irg.v1.MotionGenerator/Generate", request_id=2**64 - 1, deadline_unix_ms=-5,
                          metadata={"authorization": "s3cret", "trace-id": "abc"}, payload=b"\x00\x01\xff",
                          status=status()),
    health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.NOT_SERVING),
    reflection_pb2.ListMethodsResponse(server="irg-tokenizer", methods=[
        reflection_pb2.MethodInfo(name="irg.v1.MotionTokenizer/Encode", input_type="irg.v1.EncodeRequest",
                                  output_type="irg.v1.EncodeResponse", idempotent=True, implemented=True),
        reflection_pb2.MethodInfo(name="irg.v1.MotionTokenizer/Info")]),
    admin_pb2.StatsResponse(server="irg-generator", uptime_ms=123456789012, in_flight=3, malformed=2, methods=[
        admin_pb2.MethodStats(method="irg.v1.MotionGenerator/Generate", calls=10, codes=[
            admin_pb2.CodeCount(code=envelope_pb2.OK, count=9), admin_pb2.CodeCount(code=envelope_pb2.UNAVAILABLE, count=1)],
            latency=admin_pb2.LatencyHistogram(bucket_upper_ms=[0.05, 1.0, float("inf")], counts=[1, 8, 1],
                                               mean_ms=3.25, p50_ms=1.0, p90_ms=1.0, p99_ms=float("inf"), max_ms=120.5))]),
    tokenizer_pb2.EncodeRequest(motions=[motion(), motion_pb2.Motion(joints=tensor([5, 22, 3]))]),
    tokenizer_pb2.DecodeRequest(codes=[codes(0, 511, 7), codes(-1, 2**31 - 1)], skip_joints=True),
    tokenizer_pb2.InfoResponse(codebook_size=512, code_dim=512, feature_dim=251, num_joints=21, downsample=4, fps=12.5,
                               checkpoint_id="cbf29ce484222325", skeleton=motion_pb2.KIT),
    generator_pb2.GenerateRequest(text="a person walks forward 🚶, then waves", options=options(), num_samples=4),
    generator_pb2.GenerateResponse(samples=[
        generator_pb2.GeneratedMotion(codes=codes(1, 2, 3), raw_text="<Motion><Motion_1></Motion>", log_prob=-12.5,
                                      num_tokens=5),
        generator_pb2.GeneratedMotion(raw_text="no span", error="the response holds no motion span")]),
    generator_pb2.InterleaveResponse(analysis="key elements: walk", rounds=[
        generator_pb2.InterleaveRound(motion=codes(4, 5), assessment="too slow", instruction="walk faster",
                                      plans=["plan a", "plan b"])], final_motion=codes(9), finished=True,
                                     transcript="<think>...</think>"),
    generator_pb2.ScoreRequest(prompt="p", prompt_ids=[2, 17, 4294967295], continuation="c", continuation_ids=[9],
                               adapter="m2t"),
    generator_pb2.ScoreResponse(continuation_ids=[9, 10], token_log_probs=[-0.5, -1e-7], total_log_prob=-0.5000001),
    evaluator_pb2.MetricsRequest(text_embeddings=tensor([2, 4]), motion_embeddings=tensor([2, 4]), seed=2**32 - 1,
                                 diversity_pairs=300, batch_size=32),
    evaluator_pb2.MetricsResponse(r_precision=[0.5, 0.75, 1.0], mm_dist=3.2, fid=0.0, has_fid=True, diversity=9.5,
                                  has_diversity=False),
    evaluator_pb2.CaptionMetricsRequest(predictions=["a", "b"], references=[
        evaluator_pb2.References(texts=["x", "y"]), evaluator_pb2.References()], bertscore_model="/m",
        bertscore_layers=9, bertscore_without_idf=True),
    evaluator_pb2.StartJobRequest(dataset_dir="/data", generator_address="", repeats=3, seed=7, multimodality=True,
                                  generation=options(), multimodality_texts=5, multimodality_samples=6),
    evaluator_pb2.StartJobRequest(motions_dir="/motions"),
    evaluator_pb2.JobStatusResponse(job_id="job-1", state=evaluator_pb2.FAILED, done=10, total=20,
                                    samples_per_second=1.5, eta_seconds=6.5, report=evaluator_pb2.EvaluationReport(
                                        r_precision_top1=evaluator_pb2.MetricSummary(mean=0.5, ci95=0.01),
                                        fid=evaluator_pb2.MetricSummary(), num_samples=4384, repeats=20),
                                    error=status()),
    assessor_pb2.AssessBatchRequest(items=[
        assessor_pb2.MotionAssessRequest(text="walk", motion=motion(), reference=motion(), group="p1",
                                         weights={"tm_distance": 1.0, "mm_distance": 0.5, "jitter": -2.0}),
        assessor_pb2.MotionAssessRequest(text="run", codes=codes(3, 3, 3), group="p1"),
        assessor_pb2.MotionAssessRequest(text="no candidate", transcript="<think>[plan]x[/plan]</think>",
                                         missing_motion=assessor_pb2.MotionAssessRequest.ERROR)],
        normalization=assessor_pb2.AssessBatchRequest.MIN_MAX),
    assessor_pb2.AssessBatchResponse(results=[
        assessor_pb2.AssessBatchResult(status=envelope_pb2.Status(), result=assessor_pb2.MotionAssessResponse(
            alignment=0.5, matching_distance=3.0, quality=quality(), reward=-3.0, tm_distance=-3.0, similarity=0.75,
            mm_distance=-1.25, has_mm_distance=True, format=1.0, has_format=True, self_assessment=-0.5,
            has_self_assessment=True, process=assessor_pb2.ProcessTerms(
                round_tm_distance=[-4.0, -3.0], first=-4.0, last=-3.0, best=-3.0, mean=-3.5, last_is_best=1.0,
                ranking=1.0), terms={"tm_distance": 0.25, "format": 1.0}, motion_missing=False)),
        assessor_pb2.AssessBatchResult(status=status())]),
    orchestrator_pb2.OrchestrateRequest(text="jump", idempotency_key="key-1", options=orchestrator_pb2.LoopOptions(
        mode=orchestrator_pb2.BEST_OF_N, max_rounds=3, num_candidates=4, sampling=sampling(), skip_joints=True,
        patience=orchestrator_pb2.Patience(rounds=0), refine_best=True)),
    orchestrator_pb2.OrchestrateResponse(motion=motion(), codes=codes(1), best_round=1, trace=[
        orchestrator_pb2.Round(index=0, codes=codes(1, 2), assessment="a", instruction="i", reward=-2.5,
                               quality=quality(), elapsed_ms=12.25,
                               terms=assessor_pb2.MotionAssessResponse(reward=-2.5, tm_distance=-2.5,
                                                                       terms={"tm_distance": -2.5}),
                               calls=[orchestrator_pb2.CallTiming(method="irg.v1.MotionGenerator/Generate", elapsed_ms=9.5)],
                               candidate=2),
        orchestrator_pb2.Round(index=1, codes=codes(1), satisfied=True),
        orchestrator_pb2.Round(index=2, error="no motion span")], stop_reason="satisfied", session_id="s-1", final_round=2,
        calls=[orchestrator_pb2.CallTiming(method="irg.v1.MotionTokenizer/Decode", elapsed_ms=1.5)]),
    orchestrator_pb2.Session(session_id="s-2", created_unix_ms=1764806400000, updated_unix_ms=-1, turns=[
        orchestrator_pb2.Turn(index=0, user_message="walk, then bow", reply="2 steps", plan=[
            orchestrator_pb2.PlanStep(text="walk", duration_frames=80, codes=codes(5)),
            orchestrator_pb2.PlanStep(text="bow")], codes=codes(5, 6), created_unix_ms=1,
            rounds=[orchestrator_pb2.Round(index=0, codes=codes(5, 6), reward=-1.0)],
            options=orchestrator_pb2.LoopOptions(max_rounds=2), state="interrupted", stop_reason="",
            best_round=0, idempotency_key="k", error=status())]),
    orchestrator_pb2.ListSessionsResponse(sessions=[
        orchestrator_pb2.SessionSummary(session_id="s-2", created_unix_ms=5, updated_unix_ms=6, turns=1,
                                        first_message="walk")], next_page_token="tok"),
]


def main():
    request = assessor_pb2.MotionAssessRequest(
        text="a person waves — énergiquement 👋",
        motion=motion_pb2.Motion(
            features=tensor_pb2.Tensor(shape=[2, 3], dtype=tensor_pb2.INT32, data=bytes(range(24))),
            fps=20.0,
        ),
    )
    with open(os.path.join(fixtures, "python_assess_request.bin"), "wb") as f:
        f.write(request.SerializeToString())

    wire = os.path.join(fixtures, "wire")
    os.makedirs(wire, exist_ok=True)
    for name in os.listdir(wire):
        os.remove(os.path.join(wire, name))
    seen = {}
    for message in MESSAGES:
        type_name = message.DESCRIPTOR.full_name
        seen[type_name] = seen.get(type_name, 0) + 1
        stem = type_name if seen[type_name] == 1 else f"{type_name}.{seen[type_name]}"
        with open(os.path.join(wire, stem + ".bin"), "wb") as f:
            f.write(message.SerializeToString(deterministic=True))
        as_json = json_format.MessageToDict(message, including_default_value_fields=True)
        with open(os.path.join(wire, stem + ".json"), "w") as f:
            json.dump(as_json, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write("\n")
    print(f"wrote {len(MESSAGES)} wire fixtures to {os.path.normpath(wire)}")


if __name__ == "__main__":
    main()
