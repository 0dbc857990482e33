"""The bad-input battery: inputs a user gets wrong, tried the way a user would, and what each one got back.

    python benchmarks/bad_inputs.py [--module overlap] [--skip-slow] [--verbose]

Each case names the module it exercises, what it tries, a callable, and the outcome that counts as clear:
- "error": the call raises the given exception type and its message contains the given text (which names the input);
- "warn": the call warns with the given text (a clear error of the given type counts too: refusing is also explicit);
- "ok": a valid alternative that must work (and, with `check`, give the right answer: a wrong number is silent).
A case is then *clear* (the expected refusal or warning), *ok* (a valid alternative that worked), *unclear* (an error of another type or one whose message does not
name the input, or a traceback where one line was due), *silent* (a number or output without complaint), or
*broken* (a valid alternative that failed). The script prints the counts per module and the cases that are not
clear. Command-line cases run `w2s-nb` as a user does and expect exit code 2, one line on stderr naming the input,
and no traceback.
"""
from __future__ import annotations
import argparse, os, subprocess, sys, tempfile, time, warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
W2S_NB = Path(sys.executable).parent / "w2s-nb"


@dataclass
class Case:
    module: str                      # the module whose input check is exercised
    description: str                 # what the user did
    call: Callable                   # tries it; returns whatever the library returned
    expect: str                      # "error", "warn" or "ok"
    exc: type|tuple = ValueError     # "error"/"warn": the exception type(s) that count as clear
    text: str = ""                   # "error"/"warn": text the message must contain (names the input)
    check: Callable|None = None      # "ok": a test of the returned value; False means a silent wrong answer
    slow: bool = False               # loads a model or runs a subprocess


@dataclass
class Outcome:
    case: Case
    verdict: str                     # clear, unclear, silent, broken
    detail: str


def tmpdir()->Path: return Path(tempfile.mkdtemp(prefix="w2s-bad-"))


def judge(case:Case)->Outcome:
    "Run one case and classify what came back"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try: value, err = case.call(), None
        except Exception as e: value, err = None, e
    said = [str(w.message) for w in caught]
    if err is not None:
        msg = f"{type(err).__name__}: {err}"[:300]
        if case.expect == "ok": return Outcome(case, "broken", msg)
        clear = isinstance(err, case.exc) and case.text.lower() in str(err).lower()
        return Outcome(case, "clear" if clear else "unclear", msg)
    if case.expect == "ok":
        good = case.check is None or bool(case.check(value))
        return Outcome(case, "clear" if good else "silent", "ok" if good else f"returned a wrong answer: {str(value)[:200]}")
    if case.expect == "warn" and any(case.text.lower() in s.lower() for s in said):
        return Outcome(case, "clear", f"warned: {next(s for s in said if case.text.lower() in s.lower())[:200]}")
    return Outcome(case, "silent", f"returned {str(value)[:120]}" + (f"; warnings: {[s[:100] for s in said]}" if said else ""))


# ---- command-line cases: exit 2, one line, no traceback ----
class CliError(Exception):
    "`w2s-nb` did not answer a user error with exit code 2 and one line"

def cli(*args, text:str="", timeout:float=300):
    "Run `w2s-nb args`; return its one-line error when it exits 2 without a traceback, else raise CliError"
    env = {**os.environ, "MPLBACKEND": "Agg", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run([str(W2S_NB), *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    lines = done.stderr.strip().splitlines()
    if done.returncode != 2 or "Traceback" in done.stderr or not lines:
        raise CliError(f"exit {done.returncode}; stderr ends: {' | '.join(lines[-3:])[:250]}")
    raise ValueError(lines[-1])       # the one line the user sees: judged like any error


# ---- inputs shared by the cases ----
def pool(seed=3):
    from w2s_nb.synthetic import synthetic_task
    task = synthetic_task(60, 60, 60, noise_std=0.2, seed=seed)
    return task.weak_pool_proba, task.pool.X.astype(np.float32)

def probe_data(n=200, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(np.float32)
    return X, (X[:, 0] + 0.3 * rng.normal(size=n) > 0).astype(float)

def overlap_types(**kw):
    from w2s_nb.overlap import detect_overlap
    p, X = pool()
    return detect_overlap(p, X, **kw)

def overlap_scaled(scale):
    from w2s_nb.overlap import detect_overlap
    p, X = pool()
    return detect_overlap(p, (X * np.float32(scale)).astype(np.float32)).types, detect_overlap(p, X).types

def overlap_zero_rows():
    from w2s_nb.overlap import detect_overlap
    p, X = pool(); X = X.copy(); X[:10] = 0
    return detect_overlap(p, X)

def overlap_identical():
    from w2s_nb.overlap import detect_overlap
    p, X = pool()
    return detect_overlap(p, np.ones_like(X))

def overlap_two_level():
    from w2s_nb.overlap import detect_overlap
    p, X = pool()
    return detect_overlap(np.where(np.arange(len(p)) % 2, 0.5, 0.99), X)

def probe_fit(X=None, y=None, **kw):
    from w2s_nb.probes import LogisticProbe
    X0, y0 = probe_data()
    return LogisticProbe(**kw).fit(X0 if X is None else X, y0 if y is None else y)

def probe_big_values():
    X, y = probe_data()
    return probe_fit(X * np.float32(1e20), y)

def write(folder:Path, name:str, text:str)->Path:
    path = folder / name; path.write_text(text); return path

def read_local(name, text, **kw):
    from w2s_nb.data import read_table
    return read_table(write(tmpdir(), name, text), **kw)

def read_wrench(text):
    from w2s_nb.label_models import read_wrench_split
    return read_wrench_split(write(tmpdir(), "train.json", text))

def tiny_llama():
    from w2s_nb.models import tiny_model
    folder = tmpdir() / "tiny-llama"
    return tiny_model(folder) if not folder.exists() else folder

def extract(texts, **kw):
    from w2s_nb.activations import extract_activations
    return extract_activations(str(tiny_llama()), texts, progress=False, device="cpu", **kw)

def cache_shard_sizes():
    "A split cached with shard_size 2, then asked for with shard_size 3; and shard_size 3 computed afresh elsewhere"
    from w2s_nb.cache import cache_activations
    from w2s_nb.data import SplitSizes
    folder = tmpdir()
    rows = "\n".join(f"review number {i} {'great fun' if i % 2 else 'dull and slow'} {'x ' * (i % 7)},{i % 2}" for i in range(40))
    table = write(folder, "reviews.csv", "text,label\n" + rows + "\n")
    sizes, model = SplitSizes(weak_train=4, strong_train=4, val=2, test=6), tiny_llama()
    get = lambda shard_size, cache: cache_activations(str(model), str(table), "test", sizes=sizes, shard_size=shard_size, batch_size=2,
                                                      cache_dir=folder / cache, device="cpu", progress=False)
    get(2, "cache")
    return get(3, "cache"), get(3, "fresh")

def shard_sizes_ok(out):
    "What the cache returns for shard_size 3 must be what shard_size 3 computes (a reused cache of another shard_size would not be)"
    asked, fresh = out
    return all(np.array_equal(np.asarray(asked.acts[k]), np.asarray(fresh.acts[k])) for k in fresh.acts)

def max_length_keyed(max_length):
    return extract(["a short text", "another text that is longer than one token"], max_length=max_length)

def bert_long():
    from w2s_nb.models import bundled_model_dir
    from w2s_nb.activations import extract_activations
    return extract_activations(str(bundled_model_dir("minilm-l6")), ["hello world"], max_length=100000, device="cpu", progress=False)

def batch_empty_grid():
    from w2s_nb.batch import plan_batch
    return plan_batch(FIXTURES / "tiny.ipynb", {}, tmpdir() / "b")

def cli_grid_file(text):
    folder = tmpdir()
    return cli("batch", FIXTURES / "tiny.ipynb", "--grid", write(folder, "grid.yaml", text), "--out", folder / "out")

def cli_unwritable():
    folder = tmpdir(); blocker = write(folder, "a_file", "")
    return cli("batch", FIXTURES / "tiny.ipynb", "--out", blocker / "out")

def cuda_missing_only(call):
    "Run `call` only where no GPU is present (on a GPU machine asking for CUDA is valid)"
    import torch
    if torch.cuda.is_available(): return "skipped: a GPU is present"
    return call()


def residual(weak_acts_of):
    "Residual detection on the shared pool with weak_acts computed from its strong_acts"
    from w2s_nb.overlap import detect_overlap
    p, X = pool()
    return detect_overlap(p, X, method="residual", weak_acts=weak_acts_of(X)).density

def empty_mask_pool(pooling):
    import torch
    from w2s_nb.activations import pool_hidden
    return pool_hidden(torch.randn(2, 4, 3, generator=torch.Generator().manual_seed(0)), torch.tensor([[1, 1, 0, 0], [0, 0, 0, 0]]), pooling)

def mixing_run(**kw):
    "run_mixing on the shared pool with its true overlap points"
    from w2s_nb.mixing import run_mixing
    from w2s_nb.synthetic import synthetic_task
    task = synthetic_task(60, 60, 60, noise_std=0.2, seed=3)
    return run_mixing(task.pool.X, task.weak_pool_proba, np.flatnonzero(task.pool.types == 2), *probe_data(100, task.pool.X.shape[1], seed=1),
                      proportions=[0, 1], **kw)

def matched(train_idx, **kw):
    from w2s_nb.mixing import confidence_matched_idx
    return confidence_matched_idx(train_idx, pool()[0], **kw)

def selection(**kw):
    "A random-policy selection run on small synthetic sources labelled by their weak model"
    from w2s_nb.pools import synthetic_sources
    from w2s_nb.selection import run_selection
    setup = synthetic_sources(n_per_source=200, n_train=90, n_test=90, seed=0)
    return run_selection(setup.sources, "random", **({"T": 5} | setup.run_kwargs() | kw))

class ThreeClassWeak:
    "A weak model of three classes"
    def predict_proba(self, X): return np.full((len(X), 3), 1 / 3)

class NoProbaWeak:
    "A weak model with predict but no predict_proba"
    def predict(self, X): return np.zeros(len(X))

def wrench_folder(label_text):
    "A WRENCH folder with two valid splits and the given label.json, loaded"
    from w2s_nb.label_models import load_wrench
    folder = tmpdir()
    split = '{"0": {"label": 0, "weak_labels": [0, -1], "data": {"text": "dull"}}, "1": {"label": 1, "weak_labels": [1, 1], "data": {"text": "fun"}}}'
    for name in ("train.json", "test.json"): write(folder, name, split)
    write(folder, "label.json", label_text)
    return load_wrench(folder)

def probe_classes(labels_of):
    "A probe fit on relabelled data: its classes and whether it predicts as the 0/1 fit does"
    X, y = probe_data()
    ref, probe = probe_fit(X, y, device="cpu"), probe_fit(X, labels_of(y), device="cpu")
    return list(probe.classes_), bool(np.array_equal(probe.predict(X), np.asarray(probe.classes_)[ref.predict(X).astype(int)]))

def sparse_of(X):
    from scipy import sparse
    return sparse.csr_matrix(X)


CASES = [
    # ---- core ----
    Case("core", "check_matrix on complex activations", lambda: __import__("w2s_nb.core").core.check_matrix(np.ones((3, 2)) * (1 + 1j), "acts"), "error", TypeError, "acts is complex"),
    Case("core", "check_index with fractional indices", lambda: __import__("w2s_nb.core").core.check_index([0, 1.5, 2], "overlap_idx", 3), "error", ValueError, "overlap_idx holds fractional"),
    Case("core", "check_int with a fractional batch size", lambda: __import__("w2s_nb.core").core.check_int(2.5, "batch_size", lo=1), "error", ValueError, "batch_size"),
    Case("core", "check_int on a string", lambda: __import__("w2s_nb.core").core.check_int("8", "batch_size"), "error", TypeError, "batch_size"),
    Case("core", "valid: check_int(32.0) from YAML", lambda: __import__("w2s_nb.core").core.check_int(32.0, "batch_size", lo=1), "ok", check=lambda v: v == 32 and type(v) is int),
    Case("core", "device='cuda' without a GPU", lambda: cuda_missing_only(lambda: __import__("w2s_nb.core").core.default_device("cuda")), "error", ValueError, "'cuda'"),
    Case("core", "valid: device='cpu'", lambda: __import__("w2s_nb.core").core.default_device("cpu"), "ok", check=lambda d: str(d) == "cpu"),
    Case("core", "out folder below a file", lambda: __import__("w2s_nb.core").core.make_out_dir(write(tmpdir(), "f", "") / "sub"), "error", ValueError, "cannot create the output folder"),
    # ---- probes ----
    Case("probes", "LogisticProbe on d = 0 features", lambda: probe_fit(np.zeros((10, 0), np.float32), np.arange(10) % 2), "error", ValueError, "feature"),
    Case("probes", "LogisticProbe on X × 1e20 (refused: float32 cannot fit it)", probe_big_values, "error", ValueError, "standardize"),
    Case("probes", "LogisticProbe(max_iter=0)", lambda: probe_fit(max_iter=0), "error", ValueError, "max_iter"),
    Case("probes", "LogisticProbe(max_iter=-3)", lambda: probe_fit(max_iter=-3), "error", ValueError, "max_iter"),
    Case("probes", "LogisticProbe(l2='0.1')", lambda: probe_fit(l2="0.1"), "error", TypeError, "l2"),
    Case("probes", "LogisticProbe(device='cuda') without a GPU", lambda: cuda_missing_only(lambda: probe_fit(device="cuda")), "error", ValueError, "cuda"),
    Case("probes", "LogisticProbe on complex X", lambda: probe_fit(probe_data()[0] * (1 + 1j)), "error", TypeError, "complex"),
    Case("probes", "auroc with labels of one class", lambda: __import__("w2s_nb.probes").probes.auroc(np.ones(5), np.arange(5.0)), "warn", ValueError, "class"),
    # ---- overlap ----
    Case("overlap", "10 zero rows of 180 in strong_acts", overlap_zero_rows, "warn", ValueError, "all zeros"),
    Case("overlap", "every row of strong_acts the same", overlap_identical, "warn", ValueError, "align equally"),
    Case("overlap", "float32 strong_acts × 1e20 (norm overflows)", lambda: overlap_scaled(1e20), "ok", check=lambda t: np.array_equal(*t)),
    Case("overlap", "float32 strong_acts × 1e-25 (norm underflows)", lambda: overlap_scaled(1e-25), "ok", check=lambda t: np.array_equal(*t)),
    Case("overlap", "overlap_threshold=1.5", lambda: overlap_types(overlap_threshold=1.5), "error", ValueError, "overlap_threshold"),
    Case("overlap", "overlap_threshold=-0.2", lambda: overlap_types(overlap_threshold=-0.2), "error", ValueError, "overlap_threshold"),
    Case("overlap", "valid: overlap_threshold=0.5", lambda: overlap_types(overlap_threshold=0.5), "ok", check=lambda r: r.tau_overlap == 0.5),
    Case("overlap", "ridge=-1 (residual detector)", lambda: overlap_types(method="residual", weak_acts=pool()[1][:, :20], ridge=-1), "error", ValueError, "ridge"),
    Case("overlap", "chunk_size=0", lambda: overlap_types(chunk_size=0), "error", ValueError, "chunk_size"),
    Case("overlap", "refine_steps=-1 (subspace detector)", lambda: overlap_types(method="subspace", refine_steps=-1), "error", ValueError, "refine_steps"),
    Case("overlap", "weak probabilities on two levels (0.5 / 0.99)", overlap_two_level, "error", ValueError, "2 distinct values"),
    # ---- mixing ----
    Case("mixing", "mixing_sizes(-5, 10)", lambda: __import__("w2s_nb.mixing").mixing.mixing_sizes(-5, 10), "error", ValueError, "n_overlap"),
    Case("mixing", "run_mixing(n_repeats=0)", lambda: __import__("w2s_nb.mixing").mixing.run_mixing(*probe_data(), [0, 1, 2], *probe_data(seed=1), n_repeats=0), "error", ValueError, "n_repeats"),
    Case("mixing", "run_mixing(n_repeats=-2)", lambda: __import__("w2s_nb.mixing").mixing.run_mixing(*probe_data(), [0, 1, 2], *probe_data(seed=1), n_repeats=-2), "error", ValueError, "n_repeats"),
    Case("mixing", "run_mixing with fractional overlap_idx", lambda: __import__("w2s_nb.mixing").mixing.run_mixing(*probe_data(), [0, 1.5, 2], *probe_data(seed=1)), "error", ValueError, "overlap_idx"),
    # ---- data ----
    Case("data", "SplitSizes(0, 0, 0, 0)", lambda: __import__("w2s_nb.data").data.SplitSizes(0, 0, 0, 0), "error", ValueError, "split"),
    Case("data", "duplicate ids in a local csv", lambda: read_local("dups.csv", "id,text,label\na,good,1\na,bad,0\n", id_column="id"), "error", ValueError, "dup"),
    Case("data", "empty csv", lambda: read_local("empty.csv", ""), "error", ValueError, "empty.csv"),
    Case("data", "malformed csv", lambda: read_local("broken.csv", 'text,label\n"unclosed,1\n'), "error", ValueError, "broken.csv"),
    Case("data", "empty jsonl", lambda: read_local("empty.jsonl", ""), "error", ValueError, "empty.jsonl"),
    Case("data", "malformed jsonl", lambda: read_local("broken.jsonl", '{"text": "a", "label": 1}\n{"text": \n'), "error", ValueError, "broken.jsonl"),
    Case("data", "malformed WRENCH json", lambda: read_wrench('{"0": {"data": {"text": "a"}, '), "error", ValueError, "train.json"),
    Case("data", "empty WRENCH json", lambda: read_wrench(""), "error", ValueError, "train.json"),
    # ---- activations ----
    Case("activations", "extraction of an empty text list", lambda: extract([]), "error", ValueError, "text", slow=True),
    Case("activations", "max_length=0", lambda: max_length_keyed(0), "error", ValueError, "max_length", slow=True),
    Case("activations", "max_length=1", lambda: max_length_keyed(1), "error", ValueError, "max_length", slow=True),
    Case("activations", "fractional batch_size=2.5", lambda: extract(["a", "b", "c"], batch_size=2.5), "error", ValueError, "batch_size", slow=True),
    Case("activations", "complex activations into a probe", lambda: probe_fit(np.ones((6, 2)) * 1j, np.arange(6) % 2), "error", TypeError, "complex"),
    Case("activations", "max_length=100000 on BERT (512 positions)", bert_long, "error", ValueError, "max_length", slow=True),
    Case("activations", "shard_size changes numbers, so it must change the cache key", cache_shard_sizes, "ok", check=shard_sizes_ok, slow=True),
    Case("activations", "`w2s-nb cache --device cuda` without a GPU",
         lambda: cuda_missing_only(lambda: cli("cache", "--model", "minilm-l6", "--task", "rotten_tomatoes", "--device", "cuda")), "error", ValueError, "cuda", slow=True),
    # ---- runs and batch ----
    Case("batch", "a grid `{}`", batch_empty_grid, "error", ValueError, "grid spec is empty"),
    Case("runs", "valid: `runs: [{}]`, one run with the defaults", lambda: __import__("w2s_nb.runs").runs.expand_grid({"runs": [{}]}), "ok", check=lambda r: r == [{}]),
    # ---- cli ----
    Case("cli", "grid YAML with a syntax error", lambda: cli_grid_file("grid:\n  seed: [0, 1\n"), "error", ValueError, "grid.yaml is not valid YAML at line", slow=True),
    Case("cli", "grid file holding `{}`", lambda: cli_grid_file("{}\n"), "error", ValueError, "grid spec is empty", slow=True),
    Case("cli", "an out folder that cannot be created", cli_unwritable, "error", ValueError, "cannot create the batch folder", slow=True),
    Case("cli", "an unknown parameter", lambda: cli("batch", FIXTURES / "tiny.ipynb", "-p", "sede=1", "--out", tmpdir() / "o"), "error", ValueError, "'sede'", slow=True),
    # ---- added with the second reliability pass: each was silent or unclear before ----
    Case("core", "as_array on ragged nested lists", lambda: __import__("w2s_nb.core").core.check_matrix([[1.0, 2.0], [3.0]], "acts"), "error", ValueError, "acts is ragged"),
    Case("core", "check_matrix on a scipy sparse matrix", lambda: __import__("w2s_nb.core").core.check_matrix(sparse_of(np.eye(3)), "acts"), "error", TypeError, "sparse"),
    Case("core", "check_proba on (n, 3) probabilities", lambda: __import__("w2s_nb.core").core.check_proba(np.full((4, 3), 1 / 3), "weak_model.predict_proba"), "error", ValueError, "3 classes"),
    Case("probes", "LogisticProbe on float64 X × 1e20", lambda: probe_fit(probe_data()[0].astype(np.float64) * 1e20), "error", ValueError, "standardize"),
    Case("probes", "LogisticProbe on float64 X × 1e25 (zero weights unchecked)", lambda: probe_fit(probe_data()[0].astype(np.float64) * 1e25), "error", ValueError, "standardize"),
    Case("probes", "LogisticProbe on scipy sparse X", lambda: probe_fit(sparse_of(probe_data()[0])), "error", TypeError, "sparse"),
    Case("probes", "LogisticProbe on ragged X", lambda: probe_fit([[1.0, 2.0], [3.0]], [0, 1]), "error", ValueError, "X is ragged"),
    Case("probes", "LogisticProbe.fit(X, None)", lambda: __import__("w2s_nb.probes").probes.LogisticProbe().fit(probe_data()[0], None), "error", ValueError, "y is None"),
    Case("probes", "LogisticProbe on three classes", lambda: probe_fit(y=np.arange(200) % 3), "error", ValueError, "binary"),
    Case("probes", "an unfitted probe's predict (NotFittedError)", lambda: __import__("w2s_nb.probes").probes.LogisticProbe().predict(probe_data()[0]), "error", AttributeError, "not fitted"),
    Case("probes", "valid: labels {1, 2} (classes_ [1, 2], same predictions)", lambda: probe_classes(lambda y: y + 1), "ok", check=lambda r: r == ([1, 2], True)),
    Case("probes", "valid: string labels", lambda: probe_classes(lambda y: np.where(y == 1, "pos", "neg")), "ok", check=lambda r: r == (["neg", "pos"], True)),
    Case("overlap", "residual with all-zero weak_acts", lambda: residual(lambda X: np.zeros_like(X[:, :20])), "error", ValueError, "weak_acts explain none"),
    Case("overlap", "residual with weak_acts equal to strong_acts", lambda: residual(lambda X: X), "error", ValueError, "weak_acts explain all"),
    Case("overlap", "valid: residual with the easy block as weak_acts", lambda: residual(lambda X: X[:, :20]), "ok", check=lambda d: 0 < d < 1),
    Case("overlap", "device='cuda' without a GPU", lambda: cuda_missing_only(lambda: overlap_types(device="cuda")), "error", ValueError, "'cuda'"),
    Case("overlap", "ragged strong_acts", lambda: __import__("w2s_nb.overlap").overlap.detect_overlap(pool()[0], [[1.0, 2.0], [3.0]] * 90), "error", ValueError, "strong_acts is ragged"),
    Case("overlap", "scipy sparse strong_acts", lambda: __import__("w2s_nb.overlap").overlap.detect_overlap(pool()[0], sparse_of(pool()[1])), "error", TypeError, "sparse"),
    Case("streaming", "StreamingDetector(chunk_size=2.5)", lambda: __import__("w2s_nb.streaming").streaming.StreamingDetector(chunk_size=2.5), "error", ValueError, "chunk_size"),
    Case("mixing", "fractional train_idx", lambda: matched([0, 1.5, 3]), "error", ValueError, "train_idx"),
    Case("mixing", "fractional control_idx (matched draw)", lambda: matched([0, 1, 3], control_idx=np.arange(100) + 0.5), "error", ValueError, "control_idx"),
    Case("mixing", "fractional control_idx (run_mixing)", lambda: mixing_run(control_idx=np.arange(100) + 0.5), "error", ValueError, "control_idx"),
    Case("mixing", "n_strata=1000 on 180 points", lambda: mixing_run(n_strata=1000), "error", ValueError, "n_strata"),
    Case("mixing", "control_idx given with control=False", lambda: mixing_run(control=False, control_idx=np.arange(100)), "error", ValueError, "control_idx"),
    Case("mixing", "valid: n_strata=10 on 180 points", lambda: mixing_run(n_strata=10), "ok", check=lambda t: (t.kind == "matched").sum() == 2),
    Case("selection", "T=2.7", lambda: selection(T=2.7), "error", ValueError, "T must be a whole number"),
    Case("selection", "T='5'", lambda: selection(T="5"), "error", TypeError, "T must be a whole number"),
    Case("selection", "batch_size=2.5", lambda: selection(batch_size=2.5), "error", ValueError, "batch_size"),
    Case("selection", "a weak model of three classes", lambda: selection(weak_model=ThreeClassWeak()), "error", ValueError, "3 classes"),
    Case("selection", "a weak model without predict_proba", lambda: selection(weak_model=NoProbaWeak()), "error", TypeError, "predict_proba"),
    Case("data", "SplitSizes(1, 1, 1, 1)", lambda: __import__("w2s_nb.data").data.SplitSizes(1, 1, 1, 1), "error", ValueError, "weak_train=1"),
    Case("data", "WRENCH label.json that is not valid JSON", lambda: wrench_folder('{"0": "neg", '), "error", ValueError, "label.json"),
    Case("data", "WRENCH label.json inverted (names to ids)", lambda: wrench_folder('{"neg": 0, "pos": 1}'), "error", ValueError, "names to ids"),
    Case("data", "valid: a WRENCH folder", lambda: wrench_folder('{"0": "neg", "1": "pos"}'), "ok", check=lambda d: d.label_names == {0: "neg", 1: "pos"}),
    Case("label_models", "a ragged label matrix", lambda: __import__("w2s_nb.label_models").label_models.check_label_matrix([[0, 1], [1]]), "error", ValueError, "weak_labels is ragged"),
    Case("activations", "pool_hidden mean over an all-zero mask row", lambda: empty_mask_pool("mean"), "error", ValueError, "no real token"),
    Case("activations", "pool_hidden last over an all-zero mask row", lambda: empty_mask_pool("last"), "error", ValueError, "no real token"),
]


def run(cases:list[Case], verbose:bool=False)->dict:
    "Judge every case, print counts by module and the cases that are not clear; return {module: counts}"
    counts, outcomes = {}, []
    for case in cases:
        t0 = time.monotonic(); out = judge(case); outcomes.append(out)
        row = counts.setdefault(case.module, dict(tried=0, clear=0, ok=0, unclear=0, silent=0, broken=0))
        row["tried"] += 1; row["ok" if out.verdict == "clear" and case.expect == "ok" else out.verdict] += 1
        if verbose or out.verdict != "clear": print(f"[{out.verdict:7}] {case.module:11} {case.description}: {out.detail} ({time.monotonic() - t0:.1f} s)", flush=True)
    total = {k: sum(r[k] for r in counts.values()) for k in ("tried", "clear", "ok", "unclear", "silent", "broken")}
    print(f"\n{'module':12} {'tried':>5} {'clear':>5} {'ok':>3} {'unclear':>7} {'silent':>6} {'broken':>6}")
    for module, r in [*counts.items(), ("all", total)]:
        print(f"{module:12} {r['tried']:5} {r['clear']:5} {r['ok']:3} {r['unclear']:7} {r['silent']:6} {r['broken']:6}")
    return counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", nargs="+", help="only these modules")
    parser.add_argument("--skip-slow", action="store_true", help="leave out cases that load a model or start w2s-nb")
    parser.add_argument("--verbose", action="store_true", help="print every case, not only those that are not clear")
    args = parser.parse_args()
    chosen = [c for c in CASES if (not args.module or c.module in args.module) and not (args.skip_slow and c.slow)]
    run(chosen, args.verbose)
