"""Which offline default (layer, pooling, documents per split) shows weak-to-strong on the bundled LM pair?

Step 1, `extract`: one forward pass per model over a fixed, class-balanced sample of rotten_tomatoes reviews,
keeping several layers and both poolings (last token, masked mean) from that one pass. Chunks are saved as they
finish, so the step resumes where it stopped. Seconds per chunk are printed (examples/s per model).
Step 2, `sweep`: for each (weak layer/pooling, strong layer/pooling, documents per split) and each seed, re-split
the sample into weak_train / strong_train / test, fit the weak, strong and w2s probes (`run_w2s_arrays`), and print
PGR's mean, sd and 95% t-interval over seeds.

    cpu python benchmarks/llm_default_sweep.py extract --n-docs 3000 --chunk 500 --max-chunks 2
    cpu python benchmarks/llm_default_sweep.py sweep --sizes 400 600 800 --seeds 10
"""
import argparse, inspect, os, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from scipy import stats
from w2s_nb.core import torch_threads
from w2s_nb.data import rotten_tomatoes_frame, balanced_draw
from w2s_nb.activations import length_sorted_batches, pad_batch, pool_hidden
from w2s_nb.models import load_model
from w2s_nb.probes import LogisticProbe, accuracy, pgr

OUT = Path(os.environ.get("W2S_SWEEP_DIR", "/tmp/w2s_llm_default_sweep"))
MODELS = {"weak": ("minilm-l6", (1, 2, 3, 4, 5, 6)), "strong": ("smollm2-135m", (4, 8, 12, 15, 18, 22, 26, 30))}

def sample(n_docs, seed=0):
    "A fixed class-balanced sample of reviews"
    return balanced_draw(rotten_tomatoes_frame(), {"sample": n_docs}, seed, "rotten_tomatoes")["sample"]

def forward_all(loaded, texts, layers, batch_size=32, max_length=256):
    "{(layer, pooling): (n, d)} from one forward pass per batch"
    seqs = loaded.tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]
    pad_id = loaded.tokenizer.pad_token_id if loaded.tokenizer.pad_token_id is not None else (loaded.tokenizer.eos_token_id or 0)
    d = loaded.model.config.hidden_size
    out = {(l, p): np.empty((len(texts), d), np.float32) for l in layers for p in ("last", "mean")}
    with torch.inference_mode():
        for batch in length_sorted_batches([len(s) for s in seqs], batch_size):
            ids, mask, pos = pad_batch([seqs[i] for i in batch], pad_id, loaded.padding_side)
            kw = dict(position_ids=pos) if "position_ids" in inspect.signature(loaded.model.forward).parameters else {}
            states = loaded.model(input_ids=ids, attention_mask=mask, output_hidden_states=True, **kw).hidden_states
            for (l, p), arr in out.items(): arr[batch] = pool_hidden(states[l], mask, p).numpy()
    return out, float(np.mean([len(s) for s in seqs]))

def extract(args):
    OUT.mkdir(parents=True, exist_ok=True)
    frame = sample(args.n_docs)
    np.save(OUT / "labels.npy", frame["label"].to_numpy())
    done = 0
    for role in args.roles:
        name, layers = MODELS[role]
        loaded = None
        for c in range(-(-args.n_docs // args.chunk)):
            path = OUT / f"{role}-chunk{c:03d}.npz"
            if path.exists(): continue
            if done >= args.max_chunks: return
            if loaded is None: loaded = load_model(name, "float32", "cpu")
            rows = slice(c * args.chunk, min(args.n_docs, (c + 1) * args.chunk))
            t0 = time.perf_counter()
            with torch_threads(2): acts, mean_len = forward_all(loaded, frame["txt"][rows], layers)
            s = time.perf_counter() - t0
            np.savez(path, **{f"{l}_{p}": a for (l, p), a in acts.items()})
            n = rows.stop - rows.start
            print(f"{role} {name} chunk {c}: {n} docs in {s:.1f} s = {n / s:.1f} docs/s (mean {mean_len:.1f} tokens)", flush=True)
            done += 1

def load_acts(role, n_docs):
    chunks = sorted(OUT.glob(f"{role}-chunk*.npz"))
    parts = [dict(np.load(p)) for p in chunks]
    acts = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    return {k: v[:n_docs] for k, v in acts.items()}

def sweep(args):
    labels = np.load(OUT / "labels.npy")
    weak, strong = load_acts("weak", len(labels)), load_acts("strong", len(labels))
    n_have = min(len(next(iter(weak.values()))), len(next(iter(strong.values()))))
    labels = labels[:n_have]
    print(f"{n_have} documents with both models' activations")
    rows = []
    for wk in args.weak:
        for sk in args.strong:
            for n in args.sizes:
                if 3 * n > n_have: continue
                for seed in range(args.seeds):
                    rng = np.random.default_rng(seed)
                    by_class = [rng.permutation(np.flatnonzero(labels == c)) for c in (0, 1)]
                    half = n // 2
                    take = lambda i: rng.permutation(np.concatenate([b[i * half:(i + 1) * half] for b in by_class]))
                    wt, st, te = take(0), take(1), take(2)
                    W, S = weak[wk], strong[sk]
                    weak_p = LogisticProbe(l2=1e-3).fit(W[wt], labels[wt])
                    pool_proba = weak_p.predict_proba1(W[st])
                    strong_p = LogisticProbe(l2=1e-3).fit(S[st], labels[st])
                    w2s_p = LogisticProbe(l2=1e-3).fit(S[st], pool_proba)
                    accs = {m: accuracy(labels[te], p.predict_proba1(A[te])) for m, p, A in
                            (("weak", weak_p, W), ("strong", strong_p, S), ("w2s", w2s_p, S))}
                    rows.append(dict(weak_acts=wk, strong_acts=sk, n=n, seed=seed, **accs, pgr=pgr(accs["weak"], accs["strong"], accs["w2s"])))
    table = pd.DataFrame(rows)
    summary = table.groupby(["weak_acts", "strong_acts", "n"]).agg(weak_acc=("weak", "mean"), strong_acc=("strong", "mean"), w2s_acc=("w2s", "mean"),
                                                        pgr_mean=("pgr", "mean"), pgr_sd=("pgr", "std"), k=("pgr", "size")).reset_index()
    h = stats.t.ppf(0.975, summary.k - 1) * summary.pgr_sd / np.sqrt(summary.k)
    summary["pgr_lo"], summary["pgr_hi"] = summary.pgr_mean - h, summary.pgr_mean + h
    pd.set_option("display.width", 200); pd.set_option("display.max_rows", 500)
    print(summary.sort_values("pgr_lo", ascending=False).round(3).to_string(index=False))
    if args.csv: summary.to_csv(args.csv, index=False)

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="step", required=True)
    e = sub.add_parser("extract"); e.add_argument("--n-docs", type=int, default=3000); e.add_argument("--chunk", type=int, default=500)
    e.add_argument("--max-chunks", type=int, default=2); e.add_argument("--roles", nargs="+", default=["weak", "strong"])
    s = sub.add_parser("sweep"); s.add_argument("--sizes", type=int, nargs="+", default=[400, 600, 800]); s.add_argument("--seeds", type=int, default=10)
    s.add_argument("--weak", nargs="+", default=["6_mean", "6_last", "3_mean", "2_mean"])
    s.add_argument("--strong", nargs="+", default=["30_last", "30_mean", "15_mean", "15_last", "22_mean"]); s.add_argument("--csv", default="")
    args = ap.parse_args()
    extract(args) if args.step == "extract" else sweep(args)
