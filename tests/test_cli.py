"The `w2s-nb` console script as a user calls it: help texts, a batch, exit codes, and a quick reproduce."
import json, os, subprocess, sys, time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny.ipynb"
W2S_NB = Path(sys.executable).parent / "w2s-nb"
ENV = {**os.environ, "MPLBACKEND": "Agg", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def w2s_nb(*args, cwd=ROOT, timeout=600):
    return subprocess.run([str(W2S_NB), *map(str, args)], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("command, expected", [
    ([], ["batch", "collect", "reproduce", "cache"]),
    (["batch"], ["NOTEBOOK", "--grid", "--out", "--workers", "--scheduler", "--local-cluster", "--timeout", "--resources", "-p NAME=VALUE, --param NAME=VALUE"]),
    (["collect"], ["DIR", "results.csv"]),
    (["reproduce"], ["--out", "--quick", "--workers", "--only", "--list"]),
    (["cache"], ["--model", "--task", "--splits", "--layers", "--pooling", "--dtype", "minilm-l6", "smollm2-135m"]),
])
def test_help(command, expected):
    done = w2s_nb(*command, "--help")
    assert done.returncode == 0, done.stderr
    assert all(word in done.stdout for word in expected), done.stdout


def test_batch_then_collect(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text("grid:\n  seed: [0, 1]\n  scale: [1.0, -1.0]\n")
    done = w2s_nb("batch", TINY, "--grid", grid, "--out", tmp_path / "b", "--workers", "2")
    assert done.returncode == 1, done.stderr                      # the two scale=-1 runs fail
    assert "4 runs: 2 ok, 2 failed" in done.stdout
    failures = [line for line in done.stdout.splitlines() if line.startswith("  failed: ")]
    assert len(failures) == 2 and all(line.endswith("AssertionError: scale must be positive, got -1.0 (cell 3)") for line in failures)
    table = pd.read_csv(tmp_path / "b" / "results.csv")
    assert sorted(table.status) == ["failed", "failed", "ok", "ok"]
    assert (tmp_path / "b" / "summary.png").is_file()
    again = w2s_nb("collect", tmp_path / "b")
    assert again.returncode == 1 and "4 runs: 2 ok, 2 failed" in again.stdout


def test_bad_input_exit_code_2(tmp_path):
    done = w2s_nb("batch", TINY, "-p", "sead=1", "--out", tmp_path / "x")
    assert done.returncode == 2 and "unknown parameter 'sead' (did you mean 'seed'?)" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x").exists()
    t0 = time.monotonic()
    done = w2s_nb("batch", TINY, "--out", tmp_path / "x", "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 2 and "no Dask scheduler answered" in done.stderr and time.monotonic() - t0 < 30


def test_reproduce_quick_synthetic(tmp_path):
    out = tmp_path / "report"
    done = w2s_nb("reproduce", "--quick", "--only", "synthetic", "--out", out)
    assert done.returncode == 0, done.stdout + done.stderr
    report = (out / "REPORT.md").read_text()
    assert "Figure 1 (right)" in report and "(quick mode)" in report
    for stem in ("fig1_synthetic", "synthetic_ablations", "synthetic_mixing", "overview_mixing"):
        assert list(out.glob(f"figures/**/{stem}.png")), stem
    vs_paper = pd.read_csv(out / "tables" / "synthetic" / "synthetic_vs_paper.csv")
    assert {"w2s_acc", "w2s_acc_paper"} <= set(vs_paper.columns)
    status = json.loads(next(out.glob("runs/synthetic/*/status.json")).read_text())
    assert status["status"] == "ok"
    rerun = w2s_nb("reproduce", "--quick", "--only", "synthetic", "--out", out)   # resume: nothing to run
    assert rerun.returncode == 0 and "1 experiments, 1 runs, 1 already done" in rerun.stdout
    assert json.loads(next(out.glob("runs/synthetic/*/status.json")).read_text())["started"] == status["started"]


def test_help_does_not_import_torch():
    "`w2s-nb --help` builds every subcommand's parser without importing the package's heavy modules"
    code = "import sys\nfrom w2s_nb.cli import build_parser\nbuild_parser().format_help()\nprint(sorted(m for m in ('torch', 'papermill', 'w2s_nb.core', 'w2s_nb.data') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_user_errors_are_one_line_with_exit_code_2(tmp_path):
    (tmp_path / "broken.yaml").write_text("grid:\n  seed: [0, 1\n")
    (tmp_path / "a_file").write_text("")
    for args, text in [(["--grid", tmp_path / "broken.yaml", "--out", tmp_path / "o"], f"grid file {tmp_path / 'broken.yaml'} is not valid YAML at line 3"),
                       (["--out", tmp_path / "a_file" / "o"], f"cannot create the batch folder {tmp_path / 'a_file' / 'o'}")]:
        done = w2s_nb("batch", TINY, *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.strip().count("\n") == 0 and text in done.stderr, done.stderr


def test_cache_with_no_val_split_caches_the_others(tmp_path):
    "--n-val 0 (the experiment template's splits) leaves val out of the default splits instead of failing on it"
    from w2s_nb.models import tiny_model
    model = tiny_model(tmp_path / "tiny", arch="bert")
    csv = tmp_path / "mine.csv"
    pd.DataFrame({"text": [f"text number {i}" for i in range(40)], "label": [i % 2 for i in range(40)]}).to_csv(csv, index=False)
    done = w2s_nb("cache", "--model", model, "--task", csv, "--n-train", 10, "--n-val", 0, "--n-test", 10, "--cache-dir", tmp_path / "cache",
                  "--dtype", "float32", "--no-progress", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [l.split()[2] for l in lines[1:4]] == ["weak_train", "strong_train", "test"], done.stdout
