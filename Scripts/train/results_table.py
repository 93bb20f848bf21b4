"""The demo results table (markdown) from evaluate_demo.sh's reports: one row per
evaluated source plus the ground truth, mean +- 95% interval over the repeats; then the
captioning metrics.

    python3 Scripts/train/results_table.py OUT
"""
import json
import os
import sys

ROWS = [("generate", "Single-shot T2M (Generate)"), ("explicit", "EXPLICIT loop (best by reward)"),
        ("explicit-final", "EXPLICIT loop (final round, as IRG)"), ("native", "NATIVE (final motion)"),
        ("best-of-4", "BEST_OF_N, 4 candidates"), ("motion-agent", "Motion-Agent format (t2m adapter)")]
METRICS = [("r_precision_top1", "R@1"), ("r_precision_top2", "R@2"), ("r_precision_top3", "R@3"), ("fid", "FID"),
           ("mm_dist", "MM-Dist"), ("diversity", "Diversity"), ("multimodality", "MModality")]


def cell(stats):
    return f"{stats['mean']:.3f} ± {stats['ci95']:.3f}" if stats else "-"


def main(out):
    lines = ["| source | repeats | " + " | ".join(m[1] for m in METRICS) + " |", "|---" * (len(METRICS) + 2) + "|"]
    truth_done = False
    for name, title in ROWS:
        path = os.path.join(out, name, "report.json")
        if not os.path.exists(path):
            continue
        report = json.load(open(path))
        repeats = len(report["model"]["per_repeat"]["fid"])
        if not truth_done:
            lines.append(f"| Ground truth | {repeats} | " + " | ".join(cell(report["ground_truth"].get(k)) for k, _ in METRICS) + " |")
            truth_done = True
        lines.append(f"| {title} | {repeats} | " + " | ".join(cell(report["model"].get(k)) for k, _ in METRICS) + " |")
    print("\n".join(lines))
    mm = os.path.join(out, "generate-multimodality", "report.json")
    if os.path.exists(mm):
        report = json.load(open(mm))
        print(f"\nMultiModality of single-shot T2M (100 texts x 30 motions, {len(report['model']['per_repeat']['fid'])} repeats): "
              f"{cell(report['model'].get('multimodality'))}")
    captions = os.path.join(out, "captions", "metrics.json")
    if os.path.exists(captions):
        metrics = json.load(open(captions))
        print("\nCaptioning (test split, greedy): " + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items() if isinstance(v, float)))


if __name__ == "__main__":
    main(sys.argv[1])
