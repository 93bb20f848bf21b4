"""irg-assessor as the reward of RL pipelines: TRL, verl and OpenRLHF.

Each hook sends one AssessBatch (TRL, OpenRLHF) or one Assess (verl) to an
irg-assessor over nng, with a timeout and a bounded retry on transient
failures, and raises when the assessor cannot answer or refuses an item:
a reward pipeline must never train on a silent 0.

    from irg_rewards import trl_reward
    reward = trl_reward("tcp://127.0.0.1:7103", text_column="goal")
    trainer = GRPOTrainer(model=..., reward_funcs=[reward], train_dataset=dataset, ...)

The goal text comes from a dataset column (TRL passes columns as keyword
arguments); completions are searched for their motion span, as text
(`<Motion><Motion_12>...</Motion>`) or, failing that, as token ids
(MotionLLM's `<Motion>` = 256000, `</Motion>` = 256001, `<Motion_i>` = 256002 + i).
Completions of one prompt form one group, so `normalization="MIN_MAX"` is
IRG's stage 3 (its `--reward_norm_before_add`).
"""
import asyncio
import os
import time

import pynng

from irg.v1 import assessor_pb2, envelope_pb2
from irg_client import Client, RpcError

ASSESS = "irg.v1.MotionAssessor/Assess"
ASSESS_BATCH = "irg.v1.MotionAssessor/AssessBatch"
RETRIED = {envelope_pb2.UNAVAILABLE, envelope_pb2.DEADLINE_EXCEEDED}

MOTION_START, MOTION_END, FIRST_CODE = 256000, 256001, 256002


class AssessorError(RuntimeError):
    """The assessor did not give a reward (unreachable, timed out, or refused an item)."""


def completion_text(completion, ids=None, prompt=None) -> str:
    """A completion as text: TRL gives a string, or a list of chat messages. A
    prompt that ends inside a span (MotionLLM's t2m prompt ends with "<Motion>")
    opens the completion's span; with no motion in the text at all, the span is
    rebuilt from the token ids."""
    if isinstance(completion, list):
        completion = "".join(m.get("content", "") for m in completion if isinstance(m, dict))
    text = str(completion)
    if isinstance(prompt, str) and prompt.rstrip().endswith("<Motion>") and not text.lstrip().startswith("<Motion>"):
        text = "<Motion>" + text
    if "<Motion" not in text and ids is not None:
        text += ids_to_span(ids)
    return text


def ids_to_span(ids) -> str:
    """MotionLLM token ids -> the text of their last motion span ('' if none)."""
    out, inside, spans = [], False, []
    for token in ids:
        token = int(token)
        if token == MOTION_START:
            inside, out = True, []
        elif token == MOTION_END and inside:
            spans.append(out)
            inside = False
        elif inside and token >= FIRST_CODE:
            out.append(token - FIRST_CODE)
    if inside and out:  # cut off inside a span: its codes still count, as IRG parses them
        spans.append(out)
    if not spans:
        return ""
    return "<Motion>" + "".join(f"<Motion_{c}>" for c in spans[-1]) + "</Motion>"


class Assessor:
    """A connection to irg-assessor with IRG's stage-3 settings by default."""

    def __init__(self, address=None, timeout_ms=30_000, retries=2, normalization="MIN_MAX", weights=None,
                 missing_motion="ZERO_MOTION", auth_token=None):
        self.address = address or os.environ.get("IRG_ASSESSOR_ADDRESS", "tcp://127.0.0.1:7103")
        self.timeout_ms = timeout_ms
        self.retries = retries
        self.normalization = assessor_pb2.AssessBatchRequest.Normalization.Value(normalization)
        self.weights = dict(weights or {})
        self.missing_motion = assessor_pb2.MotionAssessRequest.MissingMotion.Value(missing_motion)
        self.auth_token = auth_token

    def item(self, text, transcript, group="", reference=None):
        item = assessor_pb2.MotionAssessRequest(text=text, transcript=transcript, group=group,
                                                missing_motion=self.missing_motion)
        item.weights.update(self.weights)
        if reference is not None:
            item.reference.CopyFrom(reference)
        return item

    def assess_batch(self, items):
        """One AssessBatch; the results in order, or AssessorError naming the first refused item."""
        request = assessor_pb2.AssessBatchRequest(items=items, normalization=self.normalization)
        reply = self._call(ASSESS_BATCH, request, assessor_pb2.AssessBatchResponse)
        for i, result in enumerate(reply.results):
            if result.status.code != envelope_pb2.OK:
                raise AssessorError(f"irg-assessor refused item {i}: "
                                    f"{envelope_pb2.Code.Name(result.status.code)}: {result.status.message}")
        return [r.result for r in reply.results]

    def assess(self, item):
        return self._call(ASSESS, item, assessor_pb2.MotionAssessResponse)

    def _call(self, method, request, response_type):
        """Bounded retries with backoff on UNAVAILABLE, DEADLINE_EXCEEDED and socket time-outs
        (the assessor's methods have no side effects, so a retry is safe)."""
        last = None
        for attempt in range(self.retries + 1):
            try:
                with Client(self.address, timeout_ms=self.timeout_ms, auth_token=self.auth_token) as client:
                    return client.call(method, request, response_type)
            except RpcError as error:
                if error.code not in RETRIED:
                    raise AssessorError(f"irg-assessor at {self.address}: {error}") from error
                last = error
            except (pynng.exceptions.Timeout, pynng.exceptions.NNGException) as error:
                last = error
            if attempt < self.retries:
                time.sleep(0.2 * 2 ** attempt)
        raise AssessorError(f"irg-assessor at {self.address} gave no reward after {self.retries + 1} attempts: {last}")


def _prompt_key(prompt) -> str:
    return repr(prompt) if isinstance(prompt, list) else str(prompt)


def trl_reward(address=None, text_column="text", reference_column=None, **options):
    """A reward function with GRPOTrainer's signature
    `(prompts, completions, completion_ids, **kwargs) -> list[float]`; its `async_`
    attribute is the same as a coroutine function."""
    assessor = Assessor(address, **options)

    def irg_assessor(prompts, completions, completion_ids=None, **kwargs):
        texts = kwargs.get(text_column)
        if texts is None:
            raise AssessorError(f"the dataset has no '{text_column}' column with the goal text (columns: {sorted(kwargs)})")
        references = kwargs.get(reference_column) if reference_column else None
        items = []
        for i, completion in enumerate(completions):
            ids = completion_ids[i] if completion_ids is not None else None
            reference = motion_message(references[i]) if references is not None else None
            text = completion_text(completion, ids, prompts[i])
            items.append(assessor.item(texts[i], text, _prompt_key(prompts[i]), reference))
        return [r.reward for r in assessor.assess_batch(items)]

    async def irg_assessor_async(prompts, completions, completion_ids=None, **kwargs):
        return await asyncio.to_thread(irg_assessor, prompts, completions, completion_ids, **kwargs)

    irg_assessor.async_ = irg_assessor_async
    irg_assessor.assessor = assessor
    return irg_assessor


def motion_message(value):
    """A reference given as a Motion message or a (T, 263) float array."""
    from irg.v1 import motion_pb2, tensor_pb2
    if value is None or isinstance(value, motion_pb2.Motion):
        return value
    import numpy as np
    array = np.asarray(value, dtype="<f4")
    return motion_pb2.Motion(features=tensor_pb2.Tensor(shape=list(array.shape), dtype=tensor_pb2.FLOAT32,
                                                        data=array.tobytes()))


async def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's custom reward function: the goal text is `ground_truth` (or its "text");
    the address is `IRG_ASSESSOR_ADDRESS` or extra_info["assessor_address"]."""
    extra_info = extra_info or {}
    goal = ground_truth.get("text") if isinstance(ground_truth, dict) else ground_truth
    assessor = Assessor(extra_info.get("assessor_address"), normalization="NONE")
    item = assessor.item(str(goal), completion_text(solution_str))
    reply = await asyncio.to_thread(assessor.assess, item)
    return reply.reward


def reward_func(queries, prompts, labels, **kwargs):
    """OpenRLHF's remote reward function: `labels` are the goal texts and each
    response is its query without the prompt. Returns rewards, scores and extra_logs."""
    assessor = Assessor(kwargs.get("assessor_address"))
    items = []
    for query, prompt, label in zip(queries, prompts, labels):
        response = query[len(prompt):] if query.startswith(prompt) else query
        items.append(assessor.item(str(label), completion_text(response, prompt=prompt), _prompt_key(prompt)))
    results = assessor.assess_batch(items)
    rewards = [r.reward for r in results]
    logs = {"tm_distance": [r.tm_distance for r in results], "format": [r.format for r in results]}
    try:
        import torch
        rewards_out = torch.tensor(rewards)
        logs = {k: torch.tensor(v) for k, v in logs.items()}
    except ImportError:
        rewards_out = rewards
    return {"rewards": rewards_out, "scores": rewards_out, "extra_logs": logs}
