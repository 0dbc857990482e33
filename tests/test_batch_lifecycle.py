"A real `w2s-nb batch` stopped by a real signal, and two batches on one folder: no process left, no run executed twice."
import json, os, signal, subprocess, sys, time
from pathlib import Path

import pytest
from w2s_nb.batch import BatchLocked, batch_lock, lock_holder, plan_batch, run_done, submit_runs

ROOT = Path(__file__).resolve().parents[1]
COUNTED = ROOT / "tests" / "fixtures" / "counted.ipynb"   # logs "seed pid" per execution; waits while its hold_file exists
W2S_NB = Path(sys.executable).parent / "w2s-nb"
ENV = {**os.environ, "MPLBACKEND": "Agg", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def descendants(pid):
    "Every live process below `pid`: psutil when installed, else a scan of /proc by parent id"
    try:
        import psutil
        try: return {p.pid for p in psutil.Process(pid).children(recursive=True)}
        except psutil.NoSuchProcess: return set()
    except ImportError:
        parents = {}
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try: parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError): pass
        found, frontier = set(), {pid}
        while frontier:
            frontier = {c for c, p in parents.items() if p in frontier} - found
            found |= frontier
        return found


def alive(pid):
    "True for a running process (a zombie waiting for its parent is not running)"
    try: state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError: return False
    return state != "Z"


def write_grid(tmp_path, hold):
    "Four runs: seeds 0 and 1 finish at once, seeds 2 and 3 wait while `hold` exists"
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"runs:\n  - {{seed: 0}}\n  - {{seed: 1}}\n  - {{seed: 2, hold_file: {hold}}}\n  - {{seed: 3, hold_file: {hold}}}\n"
                    f"fixed: {{log_file: {tmp_path / 'log.txt'}}}\n")
    return grid


def executions(tmp_path):
    "seed -> how many times a kernel started executing it"
    log = tmp_path / "log.txt"
    seeds = [int(line.split()[0]) for line in log.read_text().splitlines()] if log.exists() else []
    return {s: seeds.count(s) for s in sorted(set(seeds))}


def start_batch(grid, out, *extra):
    return subprocess.Popen([str(W2S_NB), "batch", str(COUNTED), "--grid", str(grid), "--out", str(out), "--workers", "2", *extra],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(condition, timeout=180, what="condition"):
    t0 = time.monotonic()
    while not condition():
        if time.monotonic() - t0 > timeout: raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def start_held_batch(tmp_path):
    "The four runs of `write_grid` as one batch, started and seen with all four executing (seeds 2 and 3 wait on `hold`)"
    hold, out = tmp_path / "hold", tmp_path / "b"
    hold.touch()
    grid = write_grid(tmp_path, hold)
    batch = start_batch(grid, out)
    wait_for(lambda: sum(executions(tmp_path).values()) >= 4 or batch.poll() is not None, what="all four runs executing")
    assert batch.poll() is None, batch.communicate()
    return hold, grid, out, batch


def statuses(out):
    return {json.loads((d / "params.json").read_text())["seed"]: json.loads((d / "status.json").read_text())["status"]
            for d in sorted(out.iterdir()) if (d / "status.json").is_file()}


@pytest.mark.parametrize("signum, exit_code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_stops_every_process_and_a_rerun_finishes(tmp_path, signum, exit_code):
    hold, grid, out, batch = start_held_batch(tmp_path)
    procs = descendants(batch.pid)                 # resource tracker, fork server, two workers, two kernels
    assert len(procs) >= 4, procs
    t0 = time.monotonic()
    os.kill(batch.pid, signum)
    stdout, stderr = batch.communicate(timeout=60)
    stop_s = time.monotonic() - t0
    print(f"{signal.Signals(signum).name}: exit {batch.returncode} after {stop_s:.1f} s; stderr's last line: {stderr.strip().splitlines()[-1]}")
    assert batch.returncode == exit_code, stderr
    assert stop_s < 20
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == (f"w2s-nb batch: stopped by {signal.Signals(signum).name}: 2 running runs marked interrupted, "
                                               f"0 not started, {len(procs)} processes stopped; the same command again finishes them")
    time.sleep(1)
    assert [p for p in procs if alive(p)] == []    # none of the batch's processes remain
    assert statuses(out) == {0: "ok", 1: "ok", 2: "interrupted", 3: "interrupted"}
    interrupted = json.loads(next(d for d in out.iterdir() if d.name.startswith("seed=2")).joinpath("status.json").read_text())
    assert interrupted["error"]["name"] == "Interrupted" and interrupted["error"]["cell_index"] == 4   # the waiting cell
    assert executions(tmp_path) == {0: 1, 1: 1, 2: 1, 3: 1}
    # the same command again redoes the two interrupted runs and only them
    hold.unlink()
    rerun = start_batch(grid, out)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert "4 runs, 2 already done, 2 to run" in stdout
    assert statuses(out) == {0: "ok", 1: "ok", 2: "ok", 3: "ok"}
    assert executions(tmp_path) == {0: 1, 1: 1, 2: 2, 3: 2}


def test_second_batch_on_a_folder_refuses_or_waits(tmp_path):
    hold, grid, out, first = start_held_batch(tmp_path)
    holder = lock_holder(out)
    assert holder["pid"] == first.pid
    # without --wait: refused at once, naming the holder
    refused = subprocess.run([str(W2S_NB), "batch", str(COUNTED), "--grid", str(grid), "--out", str(out)],
                             cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    print(refused.stderr.strip())
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"is in use by another batch (pid {first.pid} on {holder['host']}, started {holder['started']}" in refused.stderr
    # with --wait: queued behind the first, then finds every run done
    second = start_batch(grid, out, "--wait")
    time.sleep(3)
    assert second.poll() is None                   # still waiting for the lock
    hold.unlink()
    first_out, first_err = first.communicate(timeout=300)
    second_out, second_err = second.communicate(timeout=300)
    print(second_out.strip())
    assert first.returncode == 0 and second.returncode == 0, first_err + second_err
    assert "4 runs, 4 already done, 0 to run" in second_out
    assert executions(tmp_path) == {0: 1, 1: 1, 2: 1, 3: 1}   # every run executed exactly once
    assert lock_holder(out) is None


def test_submit_runs_takes_the_folders_lock(tmp_path):
    "reproduce submits its runs straight to `submit_runs`: it refuses a folder another process holds, and runs nothing"
    spec = plan_batch(COUNTED, {"runs": [{"seed": 5, "log_file": str(tmp_path / "log.txt")}]}, tmp_path / "runs")[0]
    holder = subprocess.Popen([sys.executable, "-c", f"from w2s_nb.batch import batch_lock\nimport time\n"
                               f"with batch_lock({str(tmp_path / 'runs')!r}):\n    print('held', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert holder.stdout.readline().strip() == "held"
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(1) as pool, pytest.raises(BatchLocked, match=f"pid {holder.pid} on"):
            submit_runs(pool, [spec], progress=False)
    finally:
        holder.kill(); holder.wait()
    assert executions(tmp_path) == {} and not run_done(spec)
    with batch_lock(tmp_path / "runs"):             # free again once the holder is gone
        assert lock_holder(tmp_path / "runs")["pid"] == os.getpid()
