"""Wall time of concurrent runs with each process's default thread pools against one thread per process: the
situation of `w2s-nb batch --workers 2` or `w2s-nb reproduce` on a 2-core machine, where each run's kernel would
otherwise start torch and BLAS with one thread per core.

    python benchmarks/bench_pool_threads.py [--procs 2] [--texts 96] [--threads default 1]

Each of `--procs` concurrent processes loads the bundled strong model (SmolLM2-135M), extracts the final-layer
activations of `--texts` reviews and fits a logistic probe on them, 5 times over. Prints the wall time of all the
processes together per thread setting, beside the load average before it started. `w2s_nb.batch.open_executor`
gives every pool worker `cores // workers` threads (`threads_per_worker`), because of what this prints.
"""
import argparse, os, subprocess, sys, time

WORK = """
import time, numpy as np
from w2s_nb.models import load_model
from w2s_nb.activations import extract_activations
from w2s_nb.data import load_task
from w2s_nb.probes import LogisticProbe
task = load_task("rotten_tomatoes", "small", seed=0)
split = task["strong_train"].select(range({n}))
texts, y = list(split["txt"]), np.asarray(split["label"])
model = load_model("smollm2-135m")
for r in range(5):
    X = extract_activations(model, texts, progress=False)[-1]
    LogisticProbe().fit(X, y)
"""


def wall(procs:int, threads:str, n:int)->float:
    "Seconds until `procs` concurrent workload processes with this thread setting have all finished"
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        if threads == "default": env.pop(var, None)
        else: env[var] = threads
    start = time.perf_counter()
    ps = [subprocess.Popen([sys.executable, "-c", WORK.format(n=n)], env=env) for _ in range(procs)]
    if any(p.wait() for p in ps): raise SystemExit("a workload process failed")
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--procs", type=int, default=2, help="concurrent processes (batch workers)")
    ap.add_argument("--texts", type=int, default=96, help="reviews per extraction")
    ap.add_argument("--threads", nargs="+", default=["default", "1"], help="thread settings to compare ('default': unset)")
    args = ap.parse_args()
    print(f"{os.cpu_count()} cores, {args.procs} concurrent processes, {args.texts} texts x 5 extractions + probe fits each")
    for t in args.threads:
        load = os.getloadavg()[0]
        print(f"threads per process {t:>7}: {wall(args.procs, t, args.texts):6.1f} s (load average before: {load:.2f})", flush=True)


if __name__ == "__main__":
    main()
