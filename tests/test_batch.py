"Batch runner end to end: a real Dask LocalCluster batch, a failing run and its rerun, and bad input."
import json, time
from pathlib import Path

import pytest
from w2s_nb.batch import collect, open_executor, run_batch

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY, NO_PARAMS = FIXTURES / "tiny.ipynb", FIXTURES / "no_params.ipynb"


def _started(batch_dir, runs):
    return {r: json.loads((batch_dir / r / "status.json").read_text())["started"] for r in runs}


def test_local_cluster_batch(tmp_path):
    grid = {"grid": {"seed": [0, 1], "scale": [1.0, 0.5]}}
    with open_executor(local_cluster=2) as executor:    # a real LocalCluster: two worker processes
        assert type(executor).__name__ == "ClientExecutor"
        table = run_batch(TINY, grid, tmp_path, executor=executor, progress=False)
    assert len(table) == 4 and list(table.status) == ["ok"] * 4
    for row in table.itertuples():
        assert row.value == pytest.approx(row.scale * (row.seed + 1))
        assert row.value_sq == pytest.approx(row.value ** 2)
        status = json.loads((tmp_path / row.run / "status.json").read_text())
        assert status["status"] == "ok" and status["error"] is None and status["seconds"] > 0
        assert status["versions"]["papermill"] and (tmp_path / row.run / "tiny.ipynb").is_file()
    # the table on disk is the table returned, and collect() reads it back the same
    on_disk = collect(tmp_path, write=False).sort_values("run").reset_index(drop=True)
    assert list(on_disk.run) == sorted(table.run)
    assert (tmp_path / "results.csv").read_text().splitlines()[0].startswith("run,seed,scale,value,value_sq,status")


def test_failed_run_is_recorded_and_only_it_reruns(tmp_path):
    grid = {"grid": {"scale": [1.0, -2.0, 3.0]}, "fixed": {"seed": 1}}
    table = run_batch(TINY, grid, tmp_path, workers=2, progress=False)
    by_scale = table.set_index("scale")
    assert list(by_scale.status[[1.0, 3.0]]) == ["ok", "ok"] and by_scale.status[-2.0] == "failed"
    assert by_scale.error[-2.0] == "AssertionError: scale must be positive, got -2.0"
    assert by_scale.error_cell[-2.0] == 3
    assert list(by_scale.value[[1.0, 3.0]]) == [2.0, 6.0]
    before = _started(tmp_path, table.run)
    time.sleep(1.1)                       # status times have a resolution of one second
    again = run_batch(TINY, grid, tmp_path, workers=2, progress=False)
    after = _started(tmp_path, table.run)
    rerun = {r for r in table.run if before[r] != after[r]}
    assert rerun == {by_scale.run[-2.0]}
    assert list(again.status) == list(table.status)


def test_notebook_without_parameters_cell(tmp_path):
    with pytest.raises(ValueError, match="no cell tagged `parameters`"):
        run_batch(NO_PARAMS, {"grid": {"seed": [0]}}, tmp_path, progress=False)


def test_unknown_grid_parameter_fails_before_running(tmp_path):
    with pytest.raises(ValueError, match=r"unknown parameter 'sclae' \(did you mean 'scale'\?\).*declares \['seed', 'scale', 'sleep_s', 'out_dir'\]"):
        run_batch(TINY, {"grid": {"seed": [0, 1], "sclae": [1.0]}}, tmp_path, progress=False)
    assert not any(tmp_path.iterdir())   # nothing ran, nothing written


def test_unreachable_scheduler_fails_within_seconds():
    t0 = time.monotonic()
    with pytest.raises(ConnectionError, match="no Dask scheduler answered at tcp://127.0.0.1:9"):
        with open_executor(scheduler="tcp://127.0.0.1:9", connect_timeout=2):
            pass
    assert time.monotonic() - t0 < 10


def test_out_dir_that_is_a_file(tmp_path):
    a_file = tmp_path / "results.txt"
    a_file.write_text("not a folder")
    with pytest.raises(ValueError, match="is a file"):
        run_batch(TINY, {"grid": {"seed": [0]}}, a_file, progress=False)
    assert a_file.read_text() == "not a folder"
