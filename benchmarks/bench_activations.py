"""Activation extraction speed: batched `extract_activations` vs the reference's one-example-per-forward method,
in examples/s and GFLOP/s (2 x non-embedding params x real tokens / s), next to this machine's matmul peak measured
in the same run, for float32 and bfloat16. Optionally (--probe-check) the bf16-vs-fp32 probe accuracy on
rotten_tomatoes.

    python benchmarks/bench_activations.py                       # SmolLM2-135M, 64 reviews
    python benchmarks/bench_activations.py --model minilm-l6 --n 256
    python benchmarks/bench_activations.py --probe-check --probe-n 300 --skip-speed

Run with HF_HUB_OFFLINE=1. Figures depend on the machine and on what else runs on it: the load average is printed.
"""
import argparse, os, time, warnings

import numpy as np
import pandas as pd
import torch

from w2s_nb.activations import extract_activations, extract_one_by_one
from w2s_nb.cache import cache_activations
from w2s_nb.models import _cpu_has_bf16, _quiet_transformers, load_model
from w2s_nb.data import SplitSizes, load_task


def matmul_peak(dtype, size=1024, seconds=1.5):
    "Best GFLOP/s of a square product in `dtype`, as `a @ b` and as `F.linear` (x @ W.T, what nn.Linear runs)"
    a, b = torch.randn(size, size, dtype=dtype), torch.randn(size, size, dtype=dtype)
    best = {}
    for name, fn in (("a @ b", lambda: a @ b), ("linear", lambda: torch.nn.functional.linear(a, b))):
        fn(); best[name], start = 0.0, time.perf_counter()            # warm-up, then time until `seconds` pass
        while time.perf_counter() - start < seconds:
            t = time.perf_counter(); fn(); dt = time.perf_counter() - t
            best[name] = max(best[name], 2 * size ** 3 / dt / 1e9)
    return best


def non_embedding_params(model):
    "Parameters outside embedding tables (the ones every token multiplies through)"
    embedding = {id(p) for m in model.modules() if isinstance(m, torch.nn.Embedding) for p in m.parameters()}
    return sum(p.numel() for p in model.parameters() if id(p) not in embedding)


def timed(fn):
    start = time.perf_counter(); fn(); return time.perf_counter() - start


def speed_rows(args, texts):
    rows = []
    for dtype in args.dtypes:
        loaded = load_model(args.model, dtype=dtype, device=args.device)
        tokens = sum(len(s) for s in loaded.tokenizer(texts, truncation=True, max_length=args.max_length)["input_ids"])
        flops = 2 * non_embedding_params(loaded.model) * tokens
        extract_activations(loaded, texts[:args.batch_size], batch_size=args.batch_size, progress=False)  # warm-up
        methods = {"batched": lambda: extract_activations(loaded, texts, batch_size=args.batch_size, progress=False)}
        if dtype == "float32" or args.per_example_all:
            methods["one-by-one"] = lambda: extract_one_by_one(loaded, texts[:args.n_single])
        for method, fn in methods.items():
            n = len(texts) if method == "batched" else min(args.n_single, len(texts))
            seconds = timed(fn)
            rows.append(dict(method=method, dtype=dtype, n=n, seconds=seconds, examples_per_s=n / seconds,
                             gflop_per_s=flops * n / len(texts) / seconds / 1e9))
    return pd.DataFrame(rows)


def probe_check(args):
    "Probe accuracy on rotten_tomatoes with fp32 vs bf16 activations (same texts, same probe); cached, so reruns are cheap"
    from w2s_nb.probes import LogisticProbe
    data = load_task("rotten_tomatoes", SplitSizes(args.probe_n, 0, 0, args.probe_n), seed=0)
    rows = []
    for model in args.probe_models:
        preds = {}
        for dtype in ("float32", "bfloat16"):
            loaded = load_model(model, dtype=dtype, device=args.device)
            start = time.perf_counter()
            train, test = (cache_activations(loaded, data, split, batch_size=args.batch_size, task_name="rotten_tomatoes",
                                             progress=False) for split in ("weak_train", "test"))
            probe = LogisticProbe(device="cpu").fit(np.array(train[-1]), train.labels)
            preds[dtype] = probe.predict(np.array(test[-1]))
            rows.append(dict(model=model, dtype=dtype, n_train=args.probe_n, n_test=args.probe_n,
                             accuracy=float((preds[dtype] == test.labels).mean()), seconds=time.perf_counter() - start))
        rows.append(dict(model=model, dtype="bf16 - fp32", accuracy=rows[-1]["accuracy"] - rows[-2]["accuracy"],
                         n_test=args.probe_n, predictions_differ=int((preds["float32"] != preds["bfloat16"]).sum())))
    return pd.DataFrame(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="smollm2-135m", help="model for the speed test (alias, folder or Hub id)")
    parser.add_argument("--n", type=int, default=64, help="reviews run by the batched method")
    parser.add_argument("--n-single", type=int, default=32, help="reviews run one by one (the slow reference)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=512)
    parser.add_argument("--dtypes", nargs="+", default=["float32", "bfloat16"])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--per-example-all", action="store_true", help="also time one-by-one in every dtype")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--probe-check", action="store_true", help="bf16 vs fp32 probe accuracy on rotten_tomatoes")
    parser.add_argument("--probe-n", type=int, default=300, help="train and test size of the probe check")
    parser.add_argument("--probe-models", nargs="+", default=["minilm-l6", "smollm2-135m"])
    args = parser.parse_args()
    _quiet_transformers(); warnings.filterwarnings("ignore", message="this CPU has no native bfloat16")
    pd.set_option("display.width", 160); pd.set_option("display.precision", 3)
    print(f"load average {os.getloadavg()}, {os.cpu_count()} CPUs, torch {torch.__version__} with "
          f"{torch.get_num_threads()} threads, capability {torch.backends.cpu.get_cpu_capability()}, "
          f"native bf16 matmul: {_cpu_has_bf16()}")
    if not args.skip_speed:
        kernels = {dtype: matmul_peak(getattr(torch, dtype)) for dtype in args.dtypes}
        print("matmul GFLOP/s (1024^2, best run in 1.5 s):", {d: {k: round(v, 1) for k, v in best.items()}
                                                              for d, best in kernels.items()})
        peaks = {dtype: max(best.values()) for dtype, best in kernels.items()}   # the peak: the faster kernel
        texts = load_task("rotten_tomatoes", SplitSizes(0, 0, 0, args.n), seed=0)["test"]["txt"]
        table = speed_rows(args, list(texts))
        base = table.query("method == 'one-by-one' and dtype == 'float32'")["examples_per_s"].iloc[0]
        table["speedup_vs_one_by_one_fp32"] = table["examples_per_s"] / base
        table["pct_of_matmul_peak"] = 100 * table["gflop_per_s"] / table["dtype"].map(peaks)
        print(f"\n{args.model}, {args.n} rotten_tomatoes reviews, batch {args.batch_size}, device {args.device}")
        print(table.to_string(index=False))
    if args.probe_check:
        print("\nprobe accuracy, fp32 vs bf16 activations (last layer, last token), rotten_tomatoes")
        print(probe_check(args).to_string(index=False))
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
