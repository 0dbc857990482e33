"""A real Dask cluster on 127.0.0.1 (a `dask scheduler` and `dask worker` processes) and its faults: no workers, a killed worker,
a stopped scheduler. What the user sees is one line, and results.csv, status.json and `collect` agree afterwards."""
import json, os, signal, socket, subprocess, sys, time
from pathlib import Path

import pandas as pd
import pytest
from test_batch_lifecycle import COUNTED, ENV, ROOT, W2S_NB, alive, executions, wait_for
from w2s_nb.batch import collect

DASK = Path(sys.executable).parent / "dask"
TINY = ROOT / "tests" / "fixtures" / "tiny.ipynb"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]


class Cluster:
    "A scheduler and `n` single-thread workers, each a process group of its own, all on 127.0.0.1"
    def __init__(self, n_workers):
        self.address, self.procs = f"tcp://127.0.0.1:{free_port()}", []
        self.scheduler = self._start("scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1], "--no-dashboard")
        for _ in range(n_workers): self._start("worker", self.address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard")
        from distributed import Client
        with Client(self.address, timeout=60) as client:
            if n_workers: client.wait_for_workers(n_workers, timeout=60)
    def _start(self, *args):
        proc = subprocess.Popen([str(DASK), *args], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(proc); return proc
    def close(self):
        for p in self.procs:
            try: os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError: pass
            p.wait()


@pytest.fixture
def cluster(request):
    c = Cluster(request.param)
    yield c
    c.close()


def batch(*args):
    return subprocess.Popen([str(W2S_NB), "batch", str(COUNTED), *map(str, args)], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def run_grid(tmp_path, held, n):
    "A grid of seeds 0..n-1 logging each execution; the `held` seeds wait while tmp_path/hold exists"
    hold = tmp_path / "hold"; hold.touch()
    grid = tmp_path / "grid.yaml"
    grid.write_text("runs:\n" + "".join(f"  - {{seed: {s}{f', hold_file: {hold}' if s in held else ''}}}\n" for s in range(n))
                    + f"fixed: {{log_file: {tmp_path / 'log.txt'}}}\n")
    return grid, hold


def by_seed(out):
    "seed -> status.json, for every run folder"
    return {json.loads((d / "params.json").read_text())["seed"]: json.loads((d / "status.json").read_text())
            for d in sorted(out.iterdir()) if (d / "status.json").is_file()}


def agree(out):
    "results.csv, collect and the status files say the same per run; returns seed -> status"
    on_disk = pd.read_csv(out / "results.csv").set_index("seed").status.to_dict()
    collected = collect(out, write=False).set_index("seed").status.to_dict()
    from_files = {seed: s["status"] for seed, s in by_seed(out).items()}
    assert on_disk == collected == from_files, (on_disk, collected, from_files)
    return from_files


@pytest.mark.parametrize("cluster", [0], indirect=True)
def test_scheduler_without_workers_is_reported_after_the_timeout(cluster, tmp_path):
    t0 = time.monotonic()
    done = subprocess.run([str(W2S_NB), "batch", str(TINY), "-p", "seed=0", "--out", str(tmp_path / "b"), "--scheduler", cluster.address,
                           "--worker-timeout", "3"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    print(done.stderr.strip())
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (f"w2s-nb batch: error: the Dask scheduler at {cluster.address} has no workers after 3 s, "
                                                    f"so no run could start; start some with `dask worker {cluster.address}` and run the same command again")
    assert time.monotonic() - t0 < 30
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("cluster", [2], indirect=True)
def test_killed_worker_run_is_retried_elsewhere_and_says_so(cluster, tmp_path):
    grid, hold = run_grid(tmp_path, held={0}, n=2)
    out = tmp_path / "b"
    proc = batch("--grid", grid, "--out", out, "--scheduler", cluster.address)
    wait_for(lambda: executions(tmp_path).get(0) == 1, what="seed 0 executing")
    first = by_seed(out)[0]["worker"]
    first_kernel = int((tmp_path / "log.txt").read_text().split()[1])
    os.kill(first["pid"], signal.SIGKILL)          # the worker process executing seed 0 (its nanny starts a new one)
    wait_for(lambda: executions(tmp_path).get(0) == 2, what="seed 0 restarted on a worker")
    hold.unlink()
    stdout, stderr = proc.communicate(timeout=120)
    print(stdout)
    assert proc.returncode == 0, stderr
    seed0 = by_seed(out)[0]
    assert seed0["status"] == "ok" and seed0["attempts"] == 2
    assert seed0["history"] == [{"worker": first["worker"], "started": seed0["history"][0]["started"], "ended": "its worker died"}]
    assert seed0["worker"]["worker"] != first["worker"] and seed0["worker"]["worker"].startswith("tcp://127.0.0.1:")
    assert f"attempt 2 on {seed0['worker']['worker']}; before: {first['worker']} (its worker died)" in stdout
    assert not alive(first_kernel)                 # the dead worker's kernel died with it
    assert agree(out) == {0: "ok", 1: "ok"}
    table = pd.read_csv(out / "results.csv").set_index("seed")
    assert table.attempts[0] == 2 and table.worker[0] == seed0["worker"]["worker"]
    assert executions(tmp_path) == {0: 2, 1: 1}


@pytest.mark.parametrize("cluster", [2], indirect=True)
def test_stopped_scheduler_is_one_line_and_the_bookkeeping_agrees(cluster, tmp_path):
    grid, hold = run_grid(tmp_path, held={2, 3}, n=5)
    out = tmp_path / "b"
    proc = batch("--grid", grid, "--out", out, "--scheduler", cluster.address)
    wait_for(lambda: sorted(executions(tmp_path)) == [0, 1, 2, 3], what="runs 0-3 executing")
    os.killpg(cluster.scheduler.pid, signal.SIGKILL)
    t0 = time.monotonic()
    stdout, stderr = proc.communicate(timeout=120)
    print(f"after {time.monotonic() - t0:.1f} s, exit {proc.returncode}:\n{stderr.strip().splitlines()[-1]}")
    assert proc.returncode == 2 and "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == (
        f"w2s-nb batch: error: lost the Dask scheduler at {cluster.address}: 2 runs finished, 2 still executing on workers "
        "(status 'running' until they end there), 1 cancelled before they started; start the scheduler and its workers again "
        "and run the same command to finish them")
    assert agree(out) == {0: "ok", 1: "ok", 2: "running", 3: "running", 4: "cancelled"}
    assert by_seed(out)[4]["error"]["name"] == "SchedulerLost"
    hold.unlink()                                  # the two runs on the workers end there without a scheduler
    wait_for(lambda: {s["status"] for k, s in by_seed(out).items() if k in (2, 3)} == {"ok"}, timeout=60, what="2 and 3 ending ok")
    collected = subprocess.run([str(W2S_NB), "collect", str(out)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    print(collected.stdout)
    assert collected.stdout.startswith("5 runs: 4 ok, 1 cancelled;")
    assert agree(out) == {0: "ok", 1: "ok", 2: "ok", 3: "ok", 4: "cancelled"}
    assert executions(tmp_path) == {0: 1, 1: 1, 2: 1, 3: 1}
