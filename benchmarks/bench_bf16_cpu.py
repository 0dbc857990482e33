"""float32 against bfloat16 extraction of the bundled strong model on this CPU, side by side in one process: the
seconds each format takes over the same reviews (model loaded once per format, warm-up excluded), the activations'
relative distance, and the accuracy of the same linear probe on each format's activations.

    HF_HUB_OFFLINE=1 python benchmarks/bench_bf16_cpu.py --n 500 --threads 2

Writes benchmarks/bf16_cpu.csv (committed: the activations notebook reads it) (one row per format) and prints it with the load average beside it.
`w2s_nb.models.auto_dtype` picks bfloat16 on CPUs with AVX512-BF16/AMX: this is the measurement behind that choice.
"""
import argparse, os, time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from w2s_nb.activations import extract_activations
from w2s_nb.data import SplitSizes, load_task
from w2s_nb.models import _cpu_has_bf16, _quiet_transformers, load_model
from w2s_nb.probes import LogisticProbe


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--n", type=int, default=500, help="reviews for the probe's training set, and as many for its test set")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "bf16_cpu.csv")
    args = ap.parse_args()
    torch.set_num_threads(args.threads); _quiet_transformers()
    data = load_task("rotten_tomatoes", SplitSizes(weak_train=2, strong_train=args.n, val=0, test=args.n), seed=0)
    train, test = data["strong_train"], data["test"]
    rows, acts = [], {}
    for dtype in ("float32", "bfloat16"):
        loaded = load_model(args.model, dtype=dtype, device="cpu")
        extract_activations(loaded, list(train["txt"][:32]), progress=False)            # warm-up
        start = time.perf_counter()
        acts[dtype] = [extract_activations(loaded, list(s["txt"]), progress=False)[-1] for s in (train, test)]
        seconds = time.perf_counter() - start
        probe = LogisticProbe(l2=1e-3, device="cpu").fit(acts[dtype][0], np.asarray(train["label"]))
        rows.append(dict(model=args.model, dtype=dtype, texts=2 * args.n, threads=args.threads, seconds=round(seconds, 1),
                         texts_per_s=round(2 * args.n / seconds, 1),
                         probe_acc=round(probe.score(acts[dtype][1], np.asarray(test["label"])), 4)))
    ref, low = np.concatenate(acts["float32"]), np.concatenate(acts["bfloat16"])
    table = pd.DataFrame(rows).assign(
        speedup_vs_float32=lambda t: (t.seconds.iloc[0] / t.seconds).round(2),
        rel_distance_to_float32=[0.0, round(float(np.linalg.norm(low - ref) / np.linalg.norm(ref)), 4)],
        cpu_native_bf16=_cpu_has_bf16(), load_avg_1m=round(os.getloadavg()[0], 2))
    args.out.parent.mkdir(parents=True, exist_ok=True); table.to_csv(args.out, index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
