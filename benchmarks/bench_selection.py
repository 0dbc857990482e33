"""Wall time of the data-source selection setting: 10 seeds x 4 policies x T=50 on three synthetic sources.

Target: a few minutes on 2 shared CPU cores. Run:  python benchmarks/bench_selection.py [--threads N]
On a shared machine PyTorch's default intra-op threads can oversubscribe the cores; --threads 1 pins them."""
import argparse, time, warnings

import torch

from w2s_nb.selection import compare_policies
from w2s_nb.pools import synthetic_sources


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--T", type=int, default=50)
    ap.add_argument("--n-per-source", type=int, default=1000, help="points per source; batch = n_per_source // T")
    ap.add_argument("--eval-every", type=int, default=5)
    args = ap.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    warnings.simplefilter("ignore")
    build = lambda s: synthetic_sources((0.1, 0.5, 0.9), n_per_source=args.n_per_source, seed=s)
    policies = ("ucb", "thompson", "random", "oracle")
    start = time.perf_counter()
    res = compare_policies(build, policies, seeds=range(args.seeds), T=args.T, eval_every=args.eval_every, progress=False)
    secs = time.perf_counter() - start
    n_rounds = args.seeds * len(policies) * args.T
    print(f"torch threads {torch.get_num_threads()}, batch {int(res.batch_size.iloc[0])}, eval every {args.eval_every}")
    print(f"{'setting':<44}{'target':>12}{'measured':>12}")
    print(f"{f'{args.seeds} seeds x {len(policies)} policies x T={args.T}':<44}{'< ~180 s':>12}{secs:>10.1f} s")
    print(f"{'per round (detect + amortized eval)':<44}{'':>12}{1000 * secs / n_rounds:>9.1f} ms")


if __name__ == "__main__":
    main()
