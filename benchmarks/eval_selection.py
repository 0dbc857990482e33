"""Does selection find the richer source? Synthetic sources of true overlap density 0.1 / 0.5 / 0.9, noise 0 and 0.2
in the absent blocks, T = 50, 10 seeds, for each batch estimator: mean estimated density per source (last round),
best-source share, final regret and cumulative regret per policy, and the average regret at rounds 10, 25, 50.

Run:  python benchmarks/eval_selection.py [--seeds 10] [--T 50] [--estimators calibrated true_types] [--noise 0 0.2]"""
import argparse, time, warnings

import numpy as np
import pandas as pd

from w2s_nb.core import torch_threads
from w2s_nb.selection import POLICIES, compare_policies, selection_summary
from w2s_nb.pools import synthetic_sources


def estimated_densities(rounds, names):
    "Mean over runs of each source's final estimate ô(s) (runs that never pulled a source are left out)"
    last = rounds.sort_values("round").groupby(["policy", "seed"]).last()
    return [float(last[f"est:{n}"].mean()) for n in names]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--T", type=int, default=50)
    ap.add_argument("--n-per-source", type=int, default=1000)
    ap.add_argument("--noise", type=float, nargs="+", default=[0.0, 0.2])
    ap.add_argument("--estimators", nargs="+", default=["calibrated", "batch", "true_types"])
    ap.add_argument("--eval-every", type=int, default=50)
    ap.add_argument("--ridge", type=float, default=None, help="ridge of the calibrated residual detector (default: the library's)")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    pd.set_option("display.width", 200)
    checkpoints = sorted({10, args.T // 2, args.T})
    for noise in args.noise:
        build = lambda s: synthetic_sources((0.1, 0.5, 0.9), n_per_source=args.n_per_source, noise_std=noise, seed=s)
        names = [s.name for s in build(0).sources]
        for est in args.estimators:
            start = time.perf_counter()
            with torch_threads(1):
                rounds = compare_policies(build, POLICIES, seeds=range(args.seeds), T=args.T, eval_every=args.eval_every,
                                          progress=False, estimator=est,
                                          detect_kwargs=None if args.ridge is None or est != "calibrated" else dict(ridge=args.ridge))
            secs = time.perf_counter() - start
            summ = selection_summary(rounds)
            regret_t = rounds.groupby(["policy", "round"]).regret.mean().unstack()[checkpoints]
            regret_t.columns = [f"regret@{t}" for t in checkpoints]
            table = summ[["best_share_mean", "best_share_sd", "regret_mean", "cum_regret_mean", "acc_all_mean"]].join(regret_t)
            dens = estimated_densities(rounds[rounds.policy != "oracle"], names)
            print(f"\n== noise {noise}, estimator {est}: {args.seeds} seeds x {len(POLICIES)} policies x T={args.T}, {secs:.0f} s")
            print("estimated densities (final ô, mean over non-oracle runs): " + " / ".join(f"{d:.2f}" for d in dens) + "   (true 0.10 / 0.50 / 0.90)")
            print(table.round(3).to_string())


if __name__ == "__main__":
    main()
