"""Selection on the LM pair's one-pool construction: cached last-token activations of MiniLM-L6 (weak) and SmolLM2-135M
(strong) on the review snippets. The weak model is a logistic probe on MiniLM activations of the weak-training split
(gold labels); the pool is the strong-training split, cut into two sources by a pool-level detection (10% / 90% of
the detected overlap points), since these points have no true types: every density and regret printed here is
measured against that detection. Prints each source's density, each policy's best-source share, and the w2s test
accuracy of what each policy collected.

Run:  python benchmarks/eval_selection_lm.py --cache DIR   (DIR holds activations/<model>/<task>/<split>-<hash>/)"""
import argparse, glob, time, warnings
from pathlib import Path

import numpy as np
import pandas as pd

from w2s_nb.core import torch_threads
from w2s_nb.probes import LogisticProbe
from w2s_nb.selection import compare_policies, selection_summary
from w2s_nb.sources import setup_from_pool


def load_split(cache, model, split):
    "(activations, labels) of one cached split (the first matching folder)"
    folder = Path(sorted(glob.glob(str(Path(cache) / "activations" / model / "*" / f"{split}-*")))[0])
    acts = np.load(next(folder.glob("layer*.npy")), allow_pickle=False).astype(np.float64)
    return acts, np.load(folder / "labels.npy", allow_pickle=False).astype(np.float64)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", required=True)
    ap.add_argument("--weak", default="minilm-l6"); ap.add_argument("--strong", default="smollm2-135m")
    ap.add_argument("--T", type=int, default=25); ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--estimators", nargs="+", default=["calibrated", "batch", "true_types"])
    args = ap.parse_args()
    warnings.simplefilter("ignore"); pd.set_option("display.width", 200)
    (w_train, y_wtrain), (w_pool, y_pool) = (load_split(args.cache, args.weak, s) for s in ("weak_train", "strong_train"))
    (s_pool, _), (s_test, y_test) = (load_split(args.cache, args.strong, s) for s in ("strong_train", "test"))
    weak = LogisticProbe(l2=1e-3, solver="lbfgs").fit(w_train, y_wtrain)
    weak_proba = weak.predict_proba1(w_pool)
    strong_acc = LogisticProbe(l2=1e-3, solver="lbfgs").fit(s_pool, y_pool).score(s_test, y_test)
    print(f"pool {len(s_pool)} points; weak (MiniLM probe) test acc {weak.score(load_split(args.cache, args.weak, 'test')[0], y_test):.3f}, "
          f"strong ceiling (SmolLM2 probe, gold labels on the pool) {strong_acc:.3f}")
    build = lambda s: setup_from_pool(s_pool, weak_proba, y_pool, s_test, y_test, weak_acts=w_pool, seed=s)
    first = build(0)
    print("sources (density against the pool detection, " + first.sources[0].types_from + "): "
          + ", ".join(f"{s.name}: n={s.n}, density={s.overlap_density:.3f}" for s in first.sources))
    for est in args.estimators:
        start = time.perf_counter()
        with torch_threads(1):
            rounds = compare_policies(build, ("ucb", "ucb_reference", "thompson", "random", "oracle"), seeds=range(args.seeds),
                                      T=args.T, eval_every=args.T, progress=False, estimator=est)
        summ = selection_summary(rounds)
        print(f"\n== estimator {est} ({'detected types of the pool as reward' if est == 'true_types' else 'batch detection'}): "
              f"{args.seeds} seeds, T={args.T}, batch {int(rounds.batch_size.iloc[0])}, {time.perf_counter() - start:.0f} s")
        print(summ[["best_share_mean", "true_fraction_mean", "regret_mean", "acc_all_mean", "acc_all_sd", "acc_overlap_mean"]].round(3).to_string())


if __name__ == "__main__":
    main()
