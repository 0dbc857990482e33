"""Reliability of the activation cache across processes: a SIGKILL mid-run, two processes on one split, two processes
converting the bundled model at once, and the offline fail-fast. Uses a tiny random Llama so each run takes seconds."""
import json, os, signal, subprocess, sys, textwrap, threading, time
from pathlib import Path

import numpy as np
import pytest

import w2s_nb.cache as cache_mod
import w2s_nb.models as models_mod
from w2s_nb.cache import cache_activations
from w2s_nb.models import load_model, tiny_model
from w2s_nb.data import SplitSizes
from w2s_nb.core import torch_threads

SIZES = SplitSizes(weak_train=8, strong_train=80, val=4, test=8)
ARGS = dict(layers=(-1, 1), sizes=SIZES, shard_size=8, progress=False)   # 80 rows -> 10 shards
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}

WORKER = textwrap.dedent("""
    import json, sys, time
    import w2s_nb.cache as C
    from w2s_nb.data import SplitSizes
    model_dir, cache_dir, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
    real = C.extract_activations
    def slow(*args, **kwargs):              # a slow model, so the parent can kill us between shards
        time.sleep(delay); return real(*args, **kwargs)
    C.extract_activations = slow
    out = C.cache_activations(model_dir, "rotten_tomatoes", "strong_train", layers=(-1, 1),
                              sizes=SplitSizes(8, 80, 4, 8), shard_size=8, cache_dir=cache_dir, device="cpu", dtype="float32",
                              progress=False)
    print(json.dumps({"computed": out.computed_shards, "reused": out.reused_shards}))
""")


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    return tiny_model(tmp_path_factory.mktemp("models") / "tiny-llama", "llama", seed=0)


def _start_worker(tmp_path, model_dir, cache_dir, delay):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    return subprocess.Popen([sys.executable, str(script), str(model_dir), str(cache_dir), str(delay)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def _finished_shards(cache_dir):
    "Shards the manifest records as finished, or [] before the manifest exists"
    for manifest in Path(cache_dir).rglob("manifest.json"):
        try: return sorted(int(k) for k in json.loads(manifest.read_text())["shards"])
        except (json.JSONDecodeError, OSError): return []
    return []


def test_sigkill_mid_run_resumes_to_identical_cache(tmp_path, tiny_dir, monkeypatch):
    killed_dir, clean_dir = tmp_path / "killed", tmp_path / "clean"
    worker = _start_worker(tmp_path, tiny_dir, killed_dir, delay=0.5)
    deadline = time.time() + 180
    while len(_finished_shards(killed_dir)) < 3:
        assert worker.poll() is None, worker.communicate()
        assert time.time() < deadline, "worker never finished 3 shards"
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert worker.returncode == -signal.SIGKILL
    done_before = _finished_shards(killed_dir)
    assert 3 <= len(done_before) < 10, done_before

    with torch_threads(1):        # as in the worker, so float results can be compared bit for bit
        _resume_and_compare(killed_dir, clean_dir, tiny_dir, done_before, monkeypatch)


def _resume_and_compare(killed_dir, clean_dir, tiny_dir, done_before, monkeypatch):
    calls = []
    real = cache_mod.extract_activations
    monkeypatch.setattr(cache_mod, "extract_activations", lambda *a, **k: calls.append(1) or real(*a, **k))
    model = load_model(tiny_dir, device="cpu")
    resumed = cache_activations(model, "rotten_tomatoes", "strong_train", cache_dir=killed_dir, **ARGS)
    assert resumed.reused_shards == done_before                          # finished shards were not recomputed
    assert resumed.computed_shards == [s for s in range(10) if s not in done_before]
    assert len(calls) == len(resumed.computed_shards)                    # the model ran only for those

    clean = cache_activations(model, "rotten_tomatoes", "strong_train", cache_dir=clean_dir, **ARGS)
    for layer in (-1, 1):
        np.testing.assert_array_equal(np.asarray(resumed[layer]), np.asarray(clean[layer]))
    np.testing.assert_array_equal(resumed.labels, clean.labels)
    assert resumed.ids == clean.ids
    assert not list(killed_dir.rglob("*.tmp-*")) and not list(killed_dir.rglob("shards"))


def test_two_processes_on_one_split_compute_it_once(tmp_path, tiny_dir):
    cache_dir = tmp_path / "shared"
    workers = [_start_worker(tmp_path, tiny_dir, cache_dir, delay=0.0) for _ in range(2)]
    outs = []
    for w in workers:
        stdout, stderr = w.communicate(timeout=180)
        assert w.returncode == 0, stderr
        outs.append(json.loads(stdout.strip().splitlines()[-1]))
    computed = sorted(s for o in outs for s in o["computed"])
    assert computed == list(range(10)), outs                             # each shard computed exactly once
    assert sorted(len(o["reused"]) for o in outs) == [0, 10], outs


def test_bundled_conversion_runs_once_under_concurrency(tmp_path, monkeypatch):
    "Two callers asking for the strong model at once: one converts, the other waits and reuses the folder"
    conversions = []
    def fake_convert(gguf, out):
        conversions.append(out); time.sleep(0.5)
        out.mkdir(); (out / "config.json").write_text("{}")
    monkeypatch.setattr(models_mod, "_gguf_to_folder", fake_convert)
    found = []
    threads = [threading.Thread(target=lambda: found.append(models_mod.bundled_model_dir("smollm2-135m", tmp_path)))
               for _ in range(2)]
    for t in threads: t.start()
    for t in threads: t.join()
    assert len(conversions) == 1 and found[0] == found[1] == conversions[0]


def test_offline_hub_id_fails_fast_with_choices(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    start = time.perf_counter()
    with pytest.raises(ValueError, match="minilm-l6, smollm2-135m"):
        models_mod.load_model("some-org/some-model-that-is-not-cached", device="cpu")
    assert time.perf_counter() - start < 5
