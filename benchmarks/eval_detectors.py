"""Score every overlap detector (`w2s_nb.overlap.METHODS`) against ground truth on the synthetic mixture (issue 8).

    python benchmarks/eval_detectors.py                      # 50 pools per grid row, writes to results/detectors
    python benchmarks/eval_detectors.py --seeds 5 --ablation-seeds 2 --noise-seeds 2 --out /tmp/det   # quick look

Three parts, each a `score_detectors` run (same pools for every method), saved as csv with a figure:
1. issue 8's grid, (100,100,20), (100,100,50), (100,100,90), (500,500,500), with exact zeros and with noise std 0.2
   in the zeroed blocks: the table of the issue for every method;
2. the paper's ablations, (5k, 100, 10) and (100, 5k, 10), where one type becomes rare or absent;
3. a noise sweep: how much noise in the "absent" blocks the detectors tolerate.
Weak model: logistic regression (C = 1) on the easy block of a training sample with gold labels; detection sees its
probabilities on a separate pool, the pool's full features (strong representation) and its easy block (weak one).
"""
import argparse
from pathlib import Path

import pandas as pd
import torch

from w2s_nb.core import write_json
from w2s_nb.overlap import DETECTION_GRID, METHODS, plot_detection_scores, score_detectors, summarize_detection


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
    ap.add_argument("--seed", type=int, default=2024, help="base seed (the notebooks develop with 0)")
    ap.add_argument("--out", default="results/detectors", help="output folder")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest for these small problems)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    print(f"methods: {list(METHODS)}; writing to {out}")

    grid = score_detectors(DETECTION_GRID, (0.0, 0.2), args.seeds, seed=args.seed)
    grid.to_csv(out / "grid_scores.csv", index=False)
    grid_table = summarize_detection(grid); grid_table.to_csv(out / "grid_summary.csv", index=False)
    plot_detection_scores(grid, path=out / "grid")
    print(f"\n## Issue 8 grid, {args.seeds} pools per row\n\n{markdown(grid_table)}")

    ks = [int(k) for k in args.ks.split(",")]
    abl = pd.concat([score_detectors([(5 * k, 100, 10) for k in ks], (0.0, 0.2), args.ablation_seeds, seed=args.seed + 1)
                     .assign(ablation="easy ratio (5k, 100, 10)", k=lambda d: d.n_easy // 5),
                     score_detectors([(100, 5 * k, 10) for k in ks], (0.0, 0.2), args.ablation_seeds, seed=args.seed + 3)
                     .assign(ablation="hard ratio (100, 5k, 10)", k=lambda d: d.n_hard // 5)], ignore_index=True)
    abl.to_csv(out / "ablation_scores.csv", index=False)
    abl_table = summarize_detection(abl); abl_table.to_csv(out / "ablation_summary.csv", index=False)
    plot_detection_scores(abl[abl.noise_std == 0.2], x="k", col="ablation", path=out / "ablations")
    print(f"\n## Ablations, {args.ablation_seeds} pools per row\n\n{markdown(abl_table)}")

    noise_levels = [float(z) for z in args.noise_levels.split(",")]
    sweep = score_detectors(((100, 100, 50), (500, 500, 500)), noise_levels, args.noise_seeds, seed=args.seed + 2)
    sweep.to_csv(out / "noise_scores.csv", index=False)
    sweep_table = summarize_detection(sweep); sweep_table.to_csv(out / "noise_summary.csv", index=False)
    plot_detection_scores(sweep, x="noise_std", col="setting", path=out / "noise")
    print(f"\n## Noise sweep, {args.noise_seeds} pools per row\n\n{markdown(sweep_table)}")

    met = goal_met(grid_table)
    print("\nGoal (issue 8 grid: overlap F1 >= 0.8 and |density error| <= 0.05 on every row, both noise levels):")
    for method, ok in met.items(): print(f"  {method:>9}: {'met' if ok else 'NOT met'}")
    write_json(dict(seeds=args.seeds, ablation_seeds=args.ablation_seeds, noise_seeds=args.noise_seeds, seed=args.seed,
                    goal_met=met.to_dict(), grid=grid_table.to_dict("records")), out / "metrics.json")


if __name__ == "__main__":
    main()
