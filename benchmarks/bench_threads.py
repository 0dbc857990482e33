"""Wall time of a small-model fit with one torch CPU thread against several: the weak-supervision MLP end model
(`w2s_nb.weak_supervision.MLPEndModel`, the paper's 3 x 32 ReLU MLP, 10 epochs of Adam on batches of 32).

    python benchmarks/bench_threads.py [--n 2000] [--d 300] [--threads 1 2] [--repeats 3]

Prints the median seconds per thread count beside the load average: on cores that other processes share, torch's
thread pool costs more than it gains for matrices this small, which is why `MLPConfig.num_threads` defaults to 1
(see `w2s_nb.core.torch_threads`)."""
import argparse, os, statistics, time
from dataclasses import replace

import numpy as np

from w2s_nb.weak_supervision import MLPConfig, MLPEndModel


def fit_seconds(X, y, threads:int, repeats:int)->float:
    "Median wall time of `repeats` fits of the MLP end model with `threads` torch CPU threads"
    config = replace(MLPConfig(), device="cpu", num_threads=threads)
    times = []
    for r in range(repeats):
        start = time.perf_counter(); MLPEndModel(config, seed=r).fit(X, y); times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="training points")
    ap.add_argument("--d", type=int, default=300, help="features per point")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="torch CPU thread counts to compare")
    ap.add_argument("--repeats", type=int, default=3, help="fits per thread count (the median is printed)")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.n, args.d)).astype(np.float32); y = (X[:, 0] > 0).astype(np.float32)
    print(f"load average {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores; {args.n} x {args.d} points, 10 epochs")
    for t in args.threads: print(f"{t} thread(s): {fit_seconds(X, y, t, args.repeats):.2f} s per fit (median of {args.repeats})")


if __name__ == "__main__":
    main()
