"Optional MLflow logging of a batch: runs, parameters, metrics, figures and status reach the tracking store, once."
import json, os, subprocess, sys
from pathlib import Path

import pytest
from w2s_nb.batch import MissingExtra, log_mlflow, mlflow_uri, require_mlflow
from w2s_nb.runs import output_checksums

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny.ipynb"
W2S_NB = Path(sys.executable).parent / "w2s-nb"
ENV = {**os.environ, "MPLBACKEND": "Agg"}
ENV.pop("MLFLOW_ALLOW_FILE_STORE", None)


def _write(path, obj): path.parent.mkdir(parents=True, exist_ok=True); path.write_text(json.dumps(obj))


def _fake_batch(batch:Path)->Path:
    "A batch folder as `run_batch` leaves it: one ok run (nested metrics, a figure), one failed, one never started"
    ok, bad = batch / "seed=0-aaaa", batch / "seed=1-bbbb"
    _write(ok / "params.json", {"seed": 0, "sizes": [10, 20]})
    _write(ok / "metrics.json", {"pgr": 0.25, "flags": {"gold_at_chance": False}, "acc": {"w2s": 0.7, "weak": None}, "label": "text", "curve": [1, 2]})
    (ok / "tiny.ipynb").write_text("{}")
    (ok / "figures").mkdir(); (ok / "figures" / "mixing.png").write_bytes(b"\x89PNG fake")
    _write(ok / "status.json", {"status": "ok", "notebook": "tiny.ipynb", "started": "2026-01-01T10:00:00+00:00",
                                "finished": "2026-01-01T10:00:05+00:00", "attempts": 1, "worker": {"worker": "tcp://w1"},
                                "files": output_checksums(ok, ["tiny.ipynb", "metrics.json", "params.json"])})
    _write(bad / "params.json", {"seed": 1, "sizes": [10, 20]})
    _write(bad / "status.json", {"status": "failed", "notebook": "tiny.ipynb", "started": "2026-01-01T10:00:00+00:00",
                                 "finished": "2026-01-01T10:00:09+00:00", "attempts": 2,
                                 "error": {"name": "AssertionError", "value": "scale must be positive", "cell_index": 3}})
    _write(batch / "batch.json", {"notebook": str(TINY), "runs": [ok.name, bad.name, "seed=2-cccc"],
                                  "params": {ok.name: {"seed": 0}, bad.name: {"seed": 1}, "seed=2-cccc": {"seed": 2}}})
    return batch


def _runs(batch:Path, experiment:str):
    from mlflow.tracking import MlflowClient
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    try:
        client = MlflowClient(mlflow_uri(batch))
        found = client.get_experiment_by_name(experiment)
        return client, client.search_runs([found.experiment_id])
    finally: os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)


def test_missing_mlflow_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "mlflow", None)                  # as if the extra were not installed
    with pytest.raises(MissingExtra, match=r"pip install 'w2s_nb\[mlflow\]'"): require_mlflow()
    with pytest.raises(MissingExtra): log_mlflow(_fake_batch(tmp_path / "b"))
    assert not (tmp_path / "b" / "mlruns").exists()


def test_cli_refuses_mlflow_before_running_when_missing(tmp_path):
    code = ("import sys; sys.modules['mlflow'] = None\nfrom w2s_nb.cli import main\n"
            f"sys.exit(main(['batch', {str(TINY)!r}, '-p', 'seed=1', '--out', {str(tmp_path / 'b')!r}, '--mlflow']))")
    done = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "w2s-nb batch: error: MLflow logging was asked for, but MLflow is not installed" in done.stderr
    assert "pip install 'w2s_nb[mlflow]'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "b").exists()                              # refused before any run


def test_log_batch_folder(tmp_path):
    pytest.importorskip("mlflow")
    batch = _fake_batch(tmp_path / "sweep")
    logged = log_mlflow(batch)
    assert list(logged.run) == ["seed=0-aaaa", "seed=1-bbbb"] and logged.logged.all()   # the never-started run is not logged
    assert "MLFLOW_ALLOW_FILE_STORE" not in os.environ                  # set only while logging to the file store
    client, runs = _runs(batch, "sweep")
    children = {r.data.tags["w2s_nb.run"]: r for r in runs if "w2s_nb.run" in r.data.tags}
    parent = [r for r in runs if "w2s_nb.batch" in r.data.tags]
    assert len(runs) == 3 and len(parent) == 1
    ok, bad = children["seed=0-aaaa"], children["seed=1-bbbb"]
    assert ok.data.tags["mlflow.parentRunId"] == parent[0].info.run_id == bad.data.tags["mlflow.parentRunId"]
    assert ok.data.metrics == {"pgr": 0.25, "flags/gold_at_chance": 0.0, "acc/w2s": 0.7}   # numbers only, nested flattened
    assert ok.data.params == {"seed": "0", "sizes": "[10, 20]"}
    assert (ok.info.status, bad.info.status) == ("FINISHED", "FAILED")
    assert ok.info.end_time - ok.info.start_time == 5000
    assert bad.data.tags["w2s_nb.error"] == "AssertionError: scale must be positive" and bad.data.tags["w2s_nb.attempts"] == "2"
    assert bad.data.metrics == {}
    assert {a.path for a in client.list_artifacts(ok.info.run_id)} >= {"tiny.ipynb", "metrics.json", "params.json", "status.json", "figures"}
    assert [a.path for a in client.list_artifacts(ok.info.run_id, "figures/figures")] == ["figures/figures/mixing.png"]
    assert parent[0].data.metrics == {"runs_ok": 1.0, "runs_failed": 1.0, "runs_not_started": 1.0}
    assert parent[0].info.status == "FAILED"                            # one of its runs failed

    again = log_mlflow(batch)                                         # nothing changed: nothing logged, no duplicates
    assert not again.logged.any() and list(again.mlflow_run_id) == list(logged.mlflow_run_id)
    assert len(_runs(batch, "sweep")[1]) == 3

    status = json.loads((batch / "seed=1-bbbb" / "status.json").read_text())   # the failed run reran and finished ok
    (batch / "seed=1-bbbb" / "metrics.json").write_text(json.dumps({"pgr": 0.5}))
    status.update(status="ok", finished="2026-01-01T11:00:00+00:00", error=None,
                  files=output_checksums(batch / "seed=1-bbbb", ["metrics.json", "params.json"]))
    (batch / "seed=1-bbbb" / "status.json").write_text(json.dumps(status))
    third = log_mlflow(batch)
    assert list(third.logged) == [False, True]
    runs = {r.data.tags.get("w2s_nb.run"): r for r in _runs(batch, "sweep")[1]}
    assert len(runs) == 3 and runs["seed=1-bbbb"].data.metrics == {"pgr": 0.5} and runs["seed=1-bbbb"].info.status == "FINISHED"


def test_tracking_uri_and_experiment(tmp_path):
    pytest.importorskip("mlflow")
    batch = _fake_batch(tmp_path / "sweep")
    store = tmp_path / "store"
    logged = log_mlflow(batch, str(store), experiment="mine")
    assert len(logged) == 2 and store.is_dir() and not (batch / "mlruns").exists()
    assert mlflow_uri(batch, "sqlite:///x.db") == "sqlite:///x.db"
    assert mlflow_uri(batch, str(store)) == store.resolve().as_uri()


def test_cli_batch_with_mlflow(tmp_path):
    pytest.importorskip("mlflow")
    done = subprocess.run([str(W2S_NB), "batch", str(TINY), "-p", "seed=1", "--out", str(tmp_path / "b"), "--mlflow"],
                          env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    uri = (tmp_path / "b" / "mlruns").resolve().as_uri()
    assert f"mlflow: 1 runs logged (0 unchanged) to {uri}, experiment b;" in done.stdout, done.stdout
    assert f"MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri {uri}" in done.stdout
    _, runs = _runs(tmp_path / "b", "b")
    run = next(r for r in runs if "w2s_nb.run" in r.data.tags)
    assert run.data.params["seed"] == "1" and run.data.metrics["value"] == 2.0 and run.info.status == "FINISHED"
