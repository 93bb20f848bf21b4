"""TRL's GRPOTrainer with irg-assessor as its reward, over nng: two steps on a
tiny Gemma2 made from a config (random weights, the 514 motion tokens in its
vocabulary, nothing downloaded). The rewards the trainer logs must be those
the service returned.

Needs torch, trl, transformers, datasets (not installed by Scripts/setup.sh,
since CI runs without PyTorch): skipped, saying so, where they are missing.
`pip install torch --find-links /opt/wheels && pip install trl` to run it.
"""
import json
import os

import pytest

from conftest import REPO

torch = pytest.importorskip("torch", reason="needs PyTorch (pip install torch --find-links /opt/wheels)")
trl = pytest.importorskip("trl", reason="needs TRL (pip install trl)")
transformers = pytest.importorskip("transformers")
datasets = pytest.importorskip("datasets")

from irg_rewards import trl_reward  # noqa: E402

GEMMA = os.path.join(REPO, "Tests", "LanguageModelTests", "Fixtures", "gemma2", "model_a")


def tiny_gemma2():
    config = transformers.Gemma2Config(**{k: v for k, v in json.load(open(os.path.join(GEMMA, "config.json"))).items()
                                          if k not in ("architectures", "torch_dtype")})
    torch.manual_seed(1)
    model = transformers.Gemma2ForCausalLM(config)
    tokenizer = transformers.PreTrainedTokenizerFast(tokenizer_file=os.path.join(GEMMA, "tokenizer.json"),
                                                     bos_token="<bos>", eos_token="<eos>", pad_token="<pad>")
    return model, tokenizer


def test_grpo_trains_two_steps_on_the_services_rewards(assessor_address, tmp_path):
    model, tokenizer = tiny_gemma2()
    goals = ["a person walks forward", "a person waves", "someone jumps", "a person runs"]
    prompts = [f"User: Generate a motion that depicts {g}.\n\n Response: <Motion>" for g in goals]
    dataset = datasets.Dataset.from_dict({"prompt": prompts, "goal": goals})

    reward = trl_reward(assessor_address, text_column="goal", timeout_ms=60_000)
    returned = []

    def irg_assessor(prompts, completions, completion_ids=None, **kwargs):
        rewards = reward(prompts, completions, completion_ids, **kwargs)
        returned.append(rewards)
        return rewards

    config = trl.GRPOConfig(output_dir=str(tmp_path / "out"), max_steps=2, per_device_train_batch_size=4,
                            num_generations=4, max_completion_length=24, logging_steps=1, report_to=[],
                            use_cpu=True, bf16=False, save_strategy="no", seed=3, temperature=1.0,
                            learning_rate=1e-3, beta=0.0)
    trainer = trl.GRPOTrainer(model=model, processing_class=tokenizer, reward_funcs=[irg_assessor],
                              args=config, train_dataset=dataset)
    trainer.train()

    logged = [entry for entry in trainer.state.log_history if "rewards/irg_assessor/mean" in entry]
    print("service rewards per call:", [[round(r, 4) for r in call] for call in returned])
    print("trainer logged:", [(e["step"], round(e["rewards/irg_assessor/mean"], 4), round(e["reward"], 4)) for e in logged])
    assert trainer.state.global_step == 2 and len(logged) == 2 and len(returned) >= 2
    # Each logged mean is the mean of the rewards the service returned for that step.
    for entry, rewards in zip(logged, returned):
        assert entry["rewards/irg_assessor/mean"] == pytest.approx(sum(rewards) / len(rewards), abs=1e-5)
        assert entry["reward"] == pytest.approx(sum(rewards) / len(rewards), abs=1e-5)
    assert any(r != 0 for call in returned for r in call), "the service's rewards reached the trainer"
