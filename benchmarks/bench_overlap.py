"""Peak memory and wall time of `detect_overlap` on large pools (CPU, float32), against the |C|x|H| matrix it avoids.

    python benchmarks/bench_overlap.py                       # 20,000 / 50,000 / 200,000 points x 1,024 dims
    python benchmarks/bench_overlap.py --sizes 200000 --chunk-size 1024

The pool is random: representations N(0, 1) in float32, and weak probabilities such that the weak model is unsure on
`--hard-frac` of the points (so the change point puts about that share in H). The alignment step costs
|C|·|H|·d multiply-adds, so a 50/50 split at 200,000 x 1,024 would take ~10 minutes on 2 cores; 5% hard points keep
the run within a few minutes while the full matrix would still need |C|·|H|·4 bytes (~7 GB).
Peak memory is the process's resident set size sampled every 2 ms, minus its size just before the call; "of it:
check" is the peak of the input check alone (`w2s_nb.core.check_matrix`, whose `np.isfinite` makes an n x d bool array).
"""
import argparse, os, resource, threading, time

import numpy as np

from w2s_nb.core import check_matrix
from w2s_nb.overlap import detect_overlap


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    "Context manager sampling the resident set size in a thread; `.peak` is the largest value seen"
    def __enter__(self):
        self.peak, self._stop = rss_bytes(), threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True); self._thread.start()
        return self

    def _poll(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes()); time.sleep(0.002)

    def __exit__(self, *exc):
        self._stop.set(); self._thread.join(); self.peak = max(self.peak, rss_bytes())


def make_pool(n, d, hard_frac, seed):
    "Random float32 representations (filled in slices, no float64 copy) and weak probabilities"
    rng = np.random.default_rng(seed)
    acts = np.empty((n, d), dtype=np.float32)
    for lo in range(0, n, 10_000): rng.standard_normal(acts[lo:lo + 10_000].shape, dtype=np.float32, out=acts[lo:lo + 10_000])
    unsure = rng.uniform(size=n) < hard_frac
    conf = np.where(unsure, rng.uniform(0, 0.05, n), rng.uniform(0.8, 1.0, n))   # two clear groups
    proba = 0.5 + rng.choice([-0.5, 0.5], n) * conf
    return proba, acts


def run(n, d, hard_frac, chunk_size, seed=0):
    proba, acts = make_pool(n, d, hard_frac, seed)
    base = rss_bytes()
    with PeakRSS() as check: check_matrix(acts, "strong_acts")          # the input check alone, for comparison
    with PeakRSS() as mem:
        start = time.perf_counter(); res = detect_overlap(proba, acts, chunk_size=chunk_size); wall = time.perf_counter() - start
    n_hard, n_cand = len(res.hard_idx), n - len(res.hard_idx)
    block = 4 * (chunk_size * chunk_size + 2 * chunk_size * d)        # one similarity block + its two row blocks
    return dict(n=n, d=d, chunk=chunk_size, n_hard=n_hard, n_cand=n_cand, input_mb=acts.nbytes / 2**20,
                full_matrix_mb=4 * n_hard * n_cand / 2**20, block_mb=block / 2**20, peak_extra_mb=(mem.peak - base) / 2**20, check_mb=(check.peak - base) / 2**20,
                wall_s=wall, density=res.density, rules=f"{res.hard_rule}/{res.overlap_rule}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="20000,50000,200000", help="comma-separated pool sizes n")
    ap.add_argument("--d", type=int, default=1024, help="representation dimension")
    ap.add_argument("--hard-frac", type=float, default=0.05, help="share of points the weak model is unsure about")
    ap.add_argument("--chunk-size", type=int, default=2048, help="block side of the chunked alignment")
    args = ap.parse_args()
    import torch
    run(2_000, 64, args.hard_frac, 256)                                  # warm-up: torch's one-time allocations
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU, float32")
    head = f"{'n':>8} {'d':>5} {'chunk':>6} {'|H|':>7} {'|C|':>7} {'input MB':>9} {'|C|x|H| MB':>11} {'block MB':>9} {'peak extra MB':>14} {'of it: check':>13} {'wall s':>7}  rules"
    print(head)
    for n in (int(s) for s in args.sizes.split(",")):
        r = run(n, args.d, args.hard_frac, args.chunk_size)
        print(f"{r['n']:>8} {r['d']:>5} {r['chunk']:>6} {r['n_hard']:>7} {r['n_cand']:>7} {r['input_mb']:>9.0f} "
              f"{r['full_matrix_mb']:>11.0f} {r['block_mb']:>9.1f} {r['peak_extra_mb']:>14.1f} {r['check_mb']:>13.1f} {r['wall_s']:>7.1f}  {r['rules']}",
              flush=True)
    print(f"max RSS of the process (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:.0f} MB")


if __name__ == "__main__":
    main()
