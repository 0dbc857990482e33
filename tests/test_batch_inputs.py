"Bad input to batch, collect, cache and reproduce: one line naming the problem, exit code 2, before any kernel starts."
from pathlib import Path

import pytest
from w2s_nb.cli import main

ROOT = Path(__file__).resolve().parents[1]
TINY, SYNTHETIC = ROOT / "tests" / "fixtures" / "tiny.ipynb", ROOT / "nbs" / "experiments" / "synthetic.ipynb"


@pytest.mark.parametrize("argv, message", [
    (["batch", SYNTHETIC, "-p", "n_runs=0"], "n_runs=0 is out of range: synthetic.ipynb declares `n_runs` as int at least 1"),
    (["batch", SYNTHETIC, "-p", "n_runs=abc"], "n_runs='abc' is a str, but synthetic.ipynb declares `n_runs` as int at least 1"),
    (["batch", SYNTHETIC, "-p", "n_runs=2.5"], "n_runs=2.5 is a float, but synthetic.ipynb declares `n_runs` as int at least 1"),
    (["batch", TINY, "--retries", "-1"], "retries must be a whole number >= 0 (further attempts after a kernel fails to start), got -1"),
    (["batch", TINY, "--grid", "{tmp}"], "grid file {tmp} is a folder; pass a YAML file"),
    (["collect", "{tmp}/afile"], "{tmp}/afile is a file, not a batch folder"),
    (["cache", "--model", "minilm-l6", "--task", "rotten_tomatoes", "--cache-dir", "{tmp}/afile"], "cache folder {tmp}/afile is a file; pass a folder path"),
    (["reproduce", "--timeout", "-1"], "timeout must be positive seconds per run, got -1.0"),
])
def test_refused_with_one_line(tmp_path, capsys, argv, message):
    (tmp_path / "afile").write_text("")
    argv = [str(a).format(tmp=tmp_path) for a in argv]
    if argv[0] in ("batch", "reproduce"): argv += ["--out", str(tmp_path / "out")]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message.format(tmp=tmp_path) in err, err
    assert not list((tmp_path / "out").glob("*/status.json"))       # nothing ran
