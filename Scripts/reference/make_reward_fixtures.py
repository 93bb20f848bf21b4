"""Writes Tests/AssessmentTests/Fixtures/rewards.json: IRG-MotionLLM's reward
code paths that need no model, computed the way its stage-3 code computes them
(Python's `re.search` on the completion for strict_format; min-max within the
group, (r - min) / (max - min + 1e-4)), plus the process terms and the z-score
option as the assessor defines them (REFERENCE-NOTES section 9). The Swift
implementation (Shared/Assessment) must give the same values."""
import json
import math
import os
import re

STRICT_FORMAT = (r"<think>\s*\[plan\].*?\[/plan\]\s*\[analyze\].*?\[/analyze\]\s*\[plan\].*?\[/plan\]\s*"
                 r"(?:(?:\[generate\]<Motion>(?:<Motion_\d{1,3}>)+</Motion>\[/generate\]\s*\[plan\].*?\[/plan\]\s*"
                 r"\[assess\].*?\[/assess\])\s*\[plan\].*?\[/plan\]\s*)*</think>\s*")

GOOD = ("<think>[plan]I will analyze.[/plan] [analyze]walk, forward[/analyze]\n[plan]generate[/plan]"
        "[generate]<Motion><Motion_12><Motion_501></Motion>[/generate] [plan]assess[/plan]"
        "[assess]Assessment: too slow. Refinement: walk faster.[/assess]\n[plan]I need to finish thinking as the "
        "satisfactory motion is generated.[/plan]</think>")

TRANSCRIPTS = {
    "complete trace": GOOD,
    "no rounds": "<think>[plan]a[/plan][analyze]b[/analyze][plan]c[/plan]</think>",
    "text before and after": "Sure. " + GOOD + "<eos> trailing",
    "newline inside a plan": GOOD.replace("I will analyze.", "I will\nanalyze."),
    "carriage return inside a plan": GOOD.replace("I will analyze.", "I will\ranalyze."),
    "line separator inside a plan": GOOD.replace("I will analyze.", "I will\u2028analyze."),
    "unit separator as space": GOOD.replace("[/plan] [analyze]", "[/plan]\x1f[analyze]"),
    "four-digit code": GOOD.replace("<Motion_501>", "<Motion_5012>"),
    "arabic-indic digits": GOOD.replace("<Motion_12>", "<Motion_\u0661\u0662>"),
    "empty motion span": GOOD.replace("<Motion_12><Motion_501>", ""),
    "unclosed think": GOOD.replace("</think>", ""),
    "missing analyze": GOOD.replace("[analyze]walk, forward[/analyze]", ""),
    "empty": "",
}

SCORES = {
    "one round": [-3.5],
    "improving": [-5.0, -4.0, -3.0],
    "last ties the best": [-3.0, -4.0, -3.0],
    "within the margin": [-3.0, -3.005, -2.0],
    "falling": [-1.0, -2.0, -3.0, -0.5],
    "equal": [-2.0, -2.0],
}

GROUPS = {
    "four completions": [-3.2, -4.1, -2.7, -5.0],
    "constant": [-2.0, -2.0, -2.0],
    "one": [1.5],
    "wide": [1e3, -1e3, 0.25],
}


def process(scores):
    if len(scores) == 1:
        last_is_best, ranking = 0.5, 0.5
    else:
        last_is_best = 1.0 if all(s < scores[-1] for s in scores[:-1]) else 0.0
        ranking = sum(1.0 if max(scores[:t]) <= scores[t] + 0.01 else 0.0 for t in range(1, len(scores))) / (len(scores) - 1)
    return {"first": scores[0], "last": scores[-1], "best": max(scores), "mean": sum(scores) / len(scores),
            "last_is_best": last_is_best, "ranking": ranking}


def min_max(values):
    low, high = min(values), max(values)
    return [(v - low) / (high - low + 1e-4) for v in values]


def z_score(values):
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return [(v - mean) / (std + 1e-4) for v in values]


def main():
    out = {
        "strict_format": {name: 1.0 if re.search(STRICT_FORMAT, text) else 0.0 for name, text in TRANSCRIPTS.items()},
        "transcripts": TRANSCRIPTS,
        "process": {name: {"scores": s, **process(s)} for name, s in SCORES.items()},
        "normalization": {name: {"values": v, "min_max": min_max(v), "z_score": z_score(v)} for name, v in GROUPS.items()},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "AssessmentTests", "Fixtures",
                        "rewards.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=True)
        f.write("\n")
    print("wrote", os.path.normpath(path), out["strict_format"])


if __name__ == "__main__":
    main()
