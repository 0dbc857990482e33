"""Score every overlap detector (`w2s_nb.overlap.METHODS`: paper, subspace, residual, confidence) on the synthetic mixture.

    python benchmarks/eval_detectors.py                      # 50 pools per grid row, writes to results/detectors
    python benchmarks/eval_detectors.py --seeds 5 --ablation-seeds 2 --noise-seeds 2 --out /tmp/det   # quick look

Four parts, each on fresh pools (the same pools for every method), saved as csv (with a figure for 1-3):
1. the detection grid, (100,100,20), (100,100,50), (100,100,90), (500,500,500), with exact zeros and with noise std
   0.2 in the zeroed blocks: overlap precision / recall / F1 and density error for every method (`score_detectors`);
2. the paper's ablations, (5k, 100, 10) and (100, 5k, 10), where one type becomes rare or absent;
3. a noise sweep: how much noise in the "absent" blocks the detectors tolerate;
4. the label-free detection check (`detection_check`: w2s trained on the detected overlap set vs confidence-matched
   random sets, scored on the least weak-confident third of the test set) beside the true hard-only gain it stands
   for, 200/200/200 pools at noise 0 and 0.2.
Weak model: logistic regression (C = 1) on the easy block of a training sample with gold labels; detection sees its
probabilities on a separate pool, the pool's full features (strong representation) and its easy block (weak one).
"""
import argparse
from pathlib import Path

import pandas as pd

from w2s_nb.core import torch_threads, write_json
from w2s_nb.detectors import (DETECTION_GRID, plot_detection_scores, score_detectors, summarize_detection,
                              summarize_detection_checks, synthetic_detection_checks)
from w2s_nb.overlap import METHODS


def markdown(table: pd.DataFrame) -> str:
    "A summary table as GitHub markdown, one row per (method, noise, setting)"
    cols = ["method", "noise_std", "setting", "overlap_precision", "overlap_recall", "overlap_f1", "density_error", "failed"]
    t = table.assign(setting=[f"({e}, {h}, {o})" for e, h, o in zip(table.n_easy, table.n_hard, table.n_overlap)])[cols]
    lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for row in t.itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:+.2f}" if c == "density_error" else f"{v:.2f}" if isinstance(v, float) and c != "noise_std"
                                       else str(v) for c, v in zip(cols, row)) + " |")
    return "\n".join(lines)


def goal_met(table: pd.DataFrame) -> pd.Series:
    "Per method: overlap F1 >= 0.8 and |density error| <= 0.05 on every row, no failed pool"
    ok = (table.overlap_f1 >= 0.8) & (table.density_error.abs() <= 0.05) & (table.failed == 0)
    return ok.groupby(table.method, sort=False).all()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=50, help="pools per row of the main grid")
    ap.add_argument("--ablation-seeds", type=int, default=20, help="pools per ablation setting")
    ap.add_argument("--noise-seeds", type=int, default=20, help="pools per noise level of the sweep")
    ap.add_argument("--ks", default="0,1,2,4,8,12,16,19", help="k of the ablations (5k, 100, 10) and (100, 5k, 10)")
    ap.add_argument("--noise-levels", default="0,0.2,0.5,1,1.5,2", help="noise stds of the sweep")
    ap.add_argument("--check-seeds", type=int, default=20, help="pools per noise level of the detection check")
    ap.add_argument("--parts", default="1,2,3,4", help="which parts to run")
    ap.add_argument("--seed", type=int, default=2024, help="base seed (the notebooks develop with 0)")
    ap.add_argument("--out", default="results/detectors", help="output folder")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest for these small problems)")
    args = ap.parse_args()
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    parts = {int(p) for p in args.parts.split(",")}
    print(f"methods: {list(METHODS)}; writing to {out}")
    with torch_threads(args.threads): run(args, out, parts)


def check_markdown(table: pd.DataFrame) -> str:
    "The detection-check summary as GitHub markdown"
    cols = ["partition", "noise_std", "check", "check_sd", "hard_only_gain", "hard_only_gain_sd", "mean_abs_diff", "n_ok"]
    lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for row in table[cols].itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:+.3f}" if isinstance(v, float) and c != "noise_std" else str(v) for c, v in zip(cols, row)) + " |")
    return "\n".join(lines)


def run(args, out, parts):
    metrics = dict(seeds=args.seeds, ablation_seeds=args.ablation_seeds, noise_seeds=args.noise_seeds,
                   check_seeds=args.check_seeds, seed=args.seed, parts=sorted(parts))
    if 4 in parts:
        checks = synthetic_detection_checks((200, 200, 200), (0.0, 0.2), args.check_seeds, seed=args.seed + 4, progress=False)
        checks.to_csv(out / "check_per_pool.csv", index=False)
        check_table = summarize_detection_checks(checks); check_table.to_csv(out / "check_summary.csv", index=False)
        print(f"\n## Label-free detection check vs the true hard-only gain, {args.check_seeds} pools per row\n\n{check_markdown(check_table)}")
        metrics["detection_check"] = check_table.to_dict("records")
    if parts & {1, 2, 3}: metrics |= run_scoring(args, out, parts)
    write_json(metrics, out / "metrics.json")


def run_scoring(args, out, parts) -> dict:
    "Parts 1-3: detection quality against the true types"
    metrics = {}
    if 1 in parts: metrics |= grid_part(args, out)
    if 2 in parts: ablation_part(args, out)
    if 3 in parts: noise_part(args, out)
    return metrics


def grid_part(args, out) -> dict:
    grid = score_detectors(DETECTION_GRID, (0.0, 0.2), args.seeds, seed=args.seed, progress=False)
    grid.to_csv(out / "grid_scores.csv", index=False)
    grid_table = summarize_detection(grid); grid_table.to_csv(out / "grid_summary.csv", index=False)
    plot_detection_scores(grid, path=out / "grid")
    print(f"\n## Detection grid, {args.seeds} pools per row\n\n{markdown(grid_table)}")
    met = goal_met(grid_table)
    print("\nGoal (detection grid: overlap F1 >= 0.8 and |density error| <= 0.05 on every row, both noise levels):")
    for method, ok in met.items(): print(f"  {method:>10}: {'met' if ok else 'NOT met'}")
    return dict(goal_met=met.to_dict(), grid=grid_table.to_dict("records"))


def ablation_part(args, out):
    ks = [int(k) for k in args.ks.split(",")]
    abl = pd.concat([score_detectors([(5 * k, 100, 10) for k in ks], (0.0, 0.2), args.ablation_seeds, seed=args.seed + 1, progress=False)
                     .assign(ablation="easy ratio (5k, 100, 10)", k=lambda d: d.n_easy // 5),
                     score_detectors([(100, 5 * k, 10) for k in ks], (0.0, 0.2), args.ablation_seeds, seed=args.seed + 3, progress=False)
                     .assign(ablation="hard ratio (100, 5k, 10)", k=lambda d: d.n_hard // 5)], ignore_index=True)
    abl.to_csv(out / "ablation_scores.csv", index=False)
    abl_table = summarize_detection(abl); abl_table.to_csv(out / "ablation_summary.csv", index=False)
    plot_detection_scores(abl[abl.noise_std == 0.2], x="k", col="ablation", xlabel="k: 5k points of the varied type", path=out / "ablations")
    print(f"\n## Ablations, {args.ablation_seeds} pools per row\n\n{markdown(abl_table)}")


def noise_part(args, out):
    noise_levels = [float(z) for z in args.noise_levels.split(",")]
    sweep = score_detectors(((100, 100, 50), (500, 500, 500)), noise_levels, args.noise_seeds, seed=args.seed + 2, progress=False)
    sweep.to_csv(out / "noise_scores.csv", index=False)
    sweep_table = summarize_detection(sweep); sweep_table.to_csv(out / "noise_summary.csv", index=False)
    plot_detection_scores(sweep, x="noise_std", col="setting", path=out / "noise")
    print(f"\n## Noise sweep, {args.noise_seeds} pools per row\n\n{markdown(sweep_table)}")


if __name__ == "__main__":
    main()
