"""Identification of the overlap effect on the synthetic mixture: per-unit effect, placebo detections, detector vs baseline.

    python benchmarks/identification.py                          # 20 pools per noise level, 30 placebo draws each
    python benchmarks/identification.py --seeds 3 --placebo 5 --out /tmp/ident    # quick look

For each pool of arXiv 2412.03881's Gaussian mixture (200 easy-only, 200 hard-only, 200 overlap points in train, pool
and test; weak model on the easy block; w2s probe l2 = 0.01 on hard weak labels) and each partition (the true types,
the paper's detector, the confidence baseline), it runs the mixing experiment (overlap against the rest, 11
proportions, with its confidence-matched control) recording every training set's TRUE realised overlap share. Then:

- per noise level and partition, the per-unit overlap effect (`w2s_nb.mixing.overlap_effect`): accuracy on the
  realised share with mean confidence as a covariate, with and without pseudolabel accuracy, pools as fixed effects,
  cluster-robust by pool;
- per detector, `--placebo` random confidence-matched detections of the same size per pool
  (`placebo_detections`), each run through the same experiment: the detector's mean excess slope is placed as a
  percentile among the placebo means (draw i averaged over the pools);
- the paired difference of excess slopes, paper detector minus confidence baseline, over the pools.

Writes OUT/synthetic_per_unit.csv (one row per noise, partition and covariate set), OUT/per_seed.csv (excess slope
per pool and partition), OUT/placebo.csv (excess slope per placebo draw) and OUT/estimates.csv (`w2s_nb.stats`
estimate columns).
"""
import argparse, os, time, warnings
from pathlib import Path

import numpy as np
import pandas as pd

from w2s_nb.core import torch_threads
from w2s_nb.mixing import excess_slope, overlap_effect, placebo_detections, run_mixing, detector_difference
from w2s_nb.overlap import detect_overlap
from w2s_nb.stats import Estimate, mean_interval, placebo_percentile, write_estimates
from w2s_nb.synthetic import synthetic_task

PARTITIONS = ("true", "paper", "confidence")
PROBE = dict(l2=1e-2, solver="newton")


def partition_idx(task, name):
    "Pool indices of the overlap side under a partition"
    if name == "true": return np.flatnonzero(task.pool.types == 2)
    return detect_overlap(task.weak_pool_proba, task.pool.X, method=name, weak_acts=task.pool.X[:, :task.pool.d_easy]).overlap_idx


def mixing(task, overlap_idx, seed):
    "The mixing rows of one partition, with the true realised overlap share"
    return run_mixing(task.pool.X, task.weak_pool_proba, overlap_idx, task.test.X, task.test.y, hard_labels=True, gold_labels=task.pool.y,
                      true_types=task.pool.types, references=False, probe_kwargs=PROBE, seed=seed)


def run(noise_stds, n_seeds, n_placebo, seed):
    "Rows of every mixing run, per-pool excess slopes and placebo excess slopes"
    rows, per_seed, placebo = [], [], []
    for j, noise in enumerate(noise_stds):
        for r in range(n_seeds):
            task = synthetic_task(200, 200, 200, noise_std=noise, seed=np.random.default_rng([seed, j, r]))
            for name in PARTITIONS:
                idx = partition_idx(task, name)
                mix = mixing(task, idx, np.random.default_rng([seed, j, r, 1]))
                rows.append(mix.assign(noise_std=noise, partition=name, seed=r))
                per_seed.append(dict(noise_std=noise, partition=name, seed=r, n_overlap=len(idx), excess_slope=excess_slope(mix)))
                if name == "true": continue
                for k, fake in enumerate(placebo_detections(idx, task.weak_pool_proba, n_placebo, seed=np.random.default_rng([seed, j, r, 2]))):
                    placebo.append(dict(noise_std=noise, partition=name, seed=r, draw=k,
                                        excess_slope=excess_slope(mixing(task, fake, np.random.default_rng([seed, j, r, 3, k])))))
    return pd.concat(rows, ignore_index=True), pd.DataFrame(per_seed), pd.DataFrame(placebo)


def per_unit_table(rows):
    "The per-unit effect per noise level and partition, with and without the pseudolabel covariate"
    out = []
    for (noise, name), g in rows.groupby(["noise_std", "partition"], sort=False):
        for plab in (False, True):
            e = overlap_effect(g, pseudolabel=plab)
            out.append(dict(noise_std=noise, partition=name, pseudolabel_covariate=plab, **e))
    return pd.DataFrame(out)


def estimates(per_unit, per_seed, placebo):
    "One Estimate per claim: per-unit effects, excess slopes, placebo percentiles, paper minus confidence"
    est = []
    for r in per_unit.itertuples():
        est.append(Estimate(f"per_unit_effect:{r.partition}:noise{r.noise_std:g}" + (":pseudolabel" if r.pseudolabel_covariate else ""),
                            r.estimate, r.ci_low, r.ci_high, "cluster-robust OLS, pool fixed effects", "pools", r.n_units))
    for (noise, name), g in per_seed.groupby(["noise_std", "partition"], sort=False):
        m, lo, hi = mean_interval(g.excess_slope)
        est.append(Estimate(f"excess_slope:{name}:noise{noise:g}", m, lo, hi, "t", "pools", g.excess_slope.notna().sum()))
        if name == "true": continue
        null = placebo[(placebo.noise_std == noise) & (placebo.partition == name)].groupby("draw").excess_slope.mean()
        est.append(Estimate(f"placebo_percentile:{name}:noise{noise:g}", placebo_percentile(m, null.to_numpy()), method="placebo",
                            units="placebo draws (mean over pools)", n_units=len(null)))
    for noise, g in per_seed.groupby("noise_std"):
        m, lo, hi = detector_difference(g, "paper", "confidence", by="partition")
        est.append(Estimate(f"paper_minus_confidence:noise{noise:g}", m, lo, hi, "paired t", "pools", g.seed.nunique()))
    return est


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20, help="pools per noise level")
    ap.add_argument("--placebo", type=int, default=30, help="placebo detections per pool and detector")
    ap.add_argument("--noise", default="0,0.2", help="noise stds in place of the zeroed blocks")
    ap.add_argument("--seed", type=int, default=2024, help="base seed")
    ap.add_argument("--out", default="benchmarks/results/identification", help="output folder")
    args = ap.parse_args()
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with torch_threads(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")                    # small strata and unfit rows are recorded in the rows
        rows, per_seed, placebo = run(tuple(float(z) for z in args.noise.split(",")), args.seeds, args.placebo, args.seed)
    per_unit = per_unit_table(rows)
    per_unit.to_csv(out / "synthetic_per_unit.csv", index=False); per_seed.to_csv(out / "per_seed.csv", index=False)
    placebo.to_csv(out / "placebo.csv", index=False)
    write_estimates(estimates(per_unit, per_seed, placebo), out)
    seconds = time.perf_counter() - start
    print(per_unit[["noise_std", "partition", "pseudolabel_covariate", "estimate", "ci_low", "ci_high", "n_units", "n_rows"]].round(4).to_string(index=False))
    print(pd.read_csv(out / "estimates.csv")[["estimand", "estimate", "ci_low", "ci_high", "n_units"]].round(4).to_string(index=False))
    print(f"{args.seeds} pools x {args.placebo} placebo draws: {seconds:.0f} s (load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
