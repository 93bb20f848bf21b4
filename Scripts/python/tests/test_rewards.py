"""The RL hooks of irg_rewards.py against a real irg-assessor (small evaluator,
real irg-tokenizer): the rewards are the service's, grouped by prompt, and a
failure raises instead of returning 0."""
import asyncio
import time

import pytest

from irg.v1 import assessor_pb2
from irg_rewards import AssessorError, completion_text, compute_score, ids_to_span, reward_func, trl_reward

GOAL = "a person walks forward"


def span(codes):
    return "<Motion>" + "".join(f"<Motion_{c}>" for c in codes) + "</Motion>"


def trace(codes):
    return (f"<think>[plan]p[/plan][analyze]walk[/analyze][plan]p[/plan][generate]{span(codes)}[/generate]"
            "[plan]p[/plan][assess]ok[/assess][plan]done[/plan]</think>")


COMPLETIONS = [trace([1, 2, 3, 4, 5]), trace([9, 9, 9, 9]), span([40, 41, 42, 43, 44, 45]), "no motion at all"]
PROMPTS = ["p1", "p1", "p2", "p2"]


def test_ids_become_the_last_span():
    ids = [5, 256000, 256002 + 7, 256002 + 511, 256001, 256000, 256002 + 3, 256001, 1]
    assert ids_to_span(ids) == span([3])
    assert completion_text("text only", ids) == "text only" + span([3])
    assert completion_text([{"role": "assistant", "content": span([1])}]) == span([1])


def test_trl_reward_is_the_services_grouped_by_prompt(assessor_address):
    reward = trl_reward(assessor_address, text_column="goal")
    got = reward(prompts=PROMPTS, completions=COMPLETIONS, completion_ids=None, goal=[GOAL] * 4)
    # The same batch sent by hand: groups are the prompts, min-max as IRG's stage 3.
    items = [reward.assessor.item(GOAL, c, p) for c, p in zip(COMPLETIONS, PROMPTS)]
    direct = reward.assessor.assess_batch(items)
    assert got == [r.reward for r in direct]
    assert direct[0].has_format and direct[0].format == 1.0 and direct[2].format == 0.0
    assert direct[3].motion_missing
    # within a group, min-max puts each normalised term in [0, 1)
    for r in direct:
        assert 0.0 <= r.terms["tm_distance"] < 1.0
    assert asyncio.run(reward.async_(prompts=PROMPTS, completions=COMPLETIONS, goal=[GOAL] * 4)) == got


def test_trl_reward_needs_the_goal_column(assessor_address):
    with pytest.raises(AssessorError, match="no 'goal' column"):
        trl_reward(assessor_address, text_column="goal")(prompts=["p"], completions=["x"], text=["t"])


def test_a_refused_item_raises_instead_of_a_silent_zero(assessor_address):
    reward = trl_reward(assessor_address, text_column="goal", missing_motion="ERROR")
    with pytest.raises(AssessorError, match="refused item 1: INVALID_ARGUMENT"):
        reward(prompts=["p", "p"], completions=[span([1, 2, 3, 4]), "no motion"], goal=[GOAL, GOAL])


def test_an_unreachable_assessor_raises_after_bounded_retries(tmp_path):
    reward = trl_reward(f"ipc://{tmp_path}/nobody.ipc", text_column="goal", timeout_ms=300, retries=1)
    start = time.time()
    with pytest.raises(AssessorError, match="after 2 attempts"):
        reward(prompts=["p"], completions=[span([1, 2, 3, 4])], goal=[GOAL])
    assert time.time() - start < 5


def test_verl_and_openrlhf_hooks(assessor_address):
    one = asyncio.run(compute_score("irg", COMPLETIONS[0], GOAL, {"assessor_address": assessor_address}))
    alone = trl_reward(assessor_address, text_column="goal", normalization="NONE")
    assert one == alone(prompts=["p"], completions=[COMPLETIONS[0]], goal=[GOAL])[0]
    queries = [p + c for p, c in zip(PROMPTS, COMPLETIONS)]
    out = reward_func(queries, PROMPTS, [GOAL] * 4, assessor_address=assessor_address)
    expected = trl_reward(assessor_address, text_column="goal")(prompts=PROMPTS, completions=COMPLETIONS, goal=[GOAL] * 4)
    rewards = [float(r) for r in out["rewards"]]
    assert rewards == pytest.approx(expected, abs=1e-6) and set(out["extra_logs"]) == {"tm_distance", "format"}
    assert assessor_pb2.MotionAssessRequest.MissingMotion.Name(0) == "ZERO_MOTION"
