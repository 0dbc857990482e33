"Faults a week of batches meets: a SIGKILLed batch and its immediate rerun, run folders damaged after the fact, a full disk."
import json, os, shutil, signal, subprocess, sys, time
from pathlib import Path

import pytest
from test_batch_lifecycle import COUNTED, ENV, ROOT, W2S_NB, alive, descendants, executions, wait_for
from w2s_nb.batch import collect, run_batch

TINY = ROOT / "tests" / "fixtures" / "tiny.ipynb"


def statuses(out):
    return {json.loads((d / "params.json").read_text())["seed"]: json.loads((d / "status.json").read_text())["status"]
            for d in sorted(out.iterdir()) if (d / "status.json").is_file()}


def test_sigkill_then_immediate_rerun_executes_every_run_once(tmp_path):
    "Six runs on two workers: 0, 1 finish, 2, 3 are held executing, 4, 5 queued when the batch is SIGKILLed"
    hold, out = tmp_path / "hold", tmp_path / "b"
    hold.touch()
    grid = tmp_path / "grid.yaml"
    grid.write_text("runs:\n" + "".join(f"  - {{seed: {s}{f', hold_file: {hold}' if s in (2, 3) else ''}}}\n" for s in range(6))
                    + f"fixed: {{log_file: {tmp_path / 'log.txt'}}}\n")
    argv = [str(W2S_NB), "batch", str(COUNTED), "--grid", str(grid), "--out", str(out), "--workers", "2"]
    first = subprocess.Popen(argv, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for(lambda: sum(executions(tmp_path).values()) >= 4 or first.poll() is not None, what="runs 0-3 executing")
    left = descendants(first.pid)                  # fork server, resource tracker, two workers, two kernels
    assert len(left) >= 4, left
    t_kill = time.monotonic()
    os.kill(first.pid, signal.SIGKILL); first.wait()
    rerun = subprocess.Popen(argv, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for(lambda: not any(alive(p) for p in left), timeout=30, what="the killed batch's processes to end")
    clean_s = time.monotonic() - t_kill
    wait_for(lambda: executions(tmp_path).get(2, 0) == 2 and executions(tmp_path).get(3, 0) == 2, what="the rerun executing 2 and 3")
    hold.unlink()
    stdout, stderr = rerun.communicate(timeout=120)
    print(f"processes of the killed batch: {len(left)}, all gone {clean_s:.1f} s after SIGKILL; rerun:\n{stdout}")
    assert rerun.returncode == 0, stderr
    assert "6 runs, 2 already done, 4 to run" in stdout
    assert executions(tmp_path) == {0: 1, 1: 1, 2: 2, 3: 2, 4: 1, 5: 1}   # 2, 3 were cut short once; nothing ran twice to the end
    assert statuses(out) == dict.fromkeys(range(6), "ok")
    assert clean_s < 10
    held = json.loads(next(out.glob("seed=2_*")).joinpath("status.json").read_text())
    assert held["attempts"] == 2 and held["history"][0]["ended"] == "its worker died"
    assert not [p for p in Path("/tmp").glob("w2s-nb-kernels-*") if p.name.split("-")[3] in {str(p) for p in left}]


def test_damaged_run_folders_are_found_and_rerun(tmp_path):
    table = run_batch(TINY, {"grid": {"seed": [0, 1, 2]}}, tmp_path, workers=1, progress=False)
    assert list(table.status) == ["ok"] * 3
    cut_metrics, cut_notebook, intact = (tmp_path / r for r in table.run)
    (cut_metrics / "metrics.json").write_text((cut_metrics / "metrics.json").read_text()[:9])
    nb_bytes = (cut_notebook / "tiny.ipynb").read_bytes()
    (cut_notebook / "tiny.ipynb").write_bytes(nb_bytes[: len(nb_bytes) // 2])
    seen = collect(tmp_path, write=False).set_index("run")
    assert list(seen.status) == ["damaged", "damaged", "ok"]
    assert seen.error[cut_metrics.name].startswith("Damaged: metrics.json has 9 bytes, not the ")
    started = {d: json.loads((d / "status.json").read_text())["started"] for d in (cut_metrics, cut_notebook, intact)}
    time.sleep(1.1)
    grid = tmp_path.parent / f"{tmp_path.name}.yaml"
    grid.write_text("grid:\n  seed: [0, 1, 2]\n")
    rerun = subprocess.run([str(W2S_NB), "batch", str(TINY), "--grid", str(grid), "--out", str(tmp_path)], cwd=ROOT, env=ENV,
                           capture_output=True, text=True, timeout=120)
    print(rerun.stdout)
    assert rerun.returncode == 0, rerun.stderr
    assert "3 runs, 1 already done, 2 to run" in rerun.stdout
    assert f"again: {cut_metrics.name}: it finished ok, but metrics.json has 9 bytes, not the" in rerun.stdout
    assert f"again: {cut_notebook.name}: it finished ok, but tiny.ipynb has {len(nb_bytes) // 2:,} bytes" in rerun.stdout
    after = {d: json.loads((d / "status.json").read_text()) for d in (cut_metrics, cut_notebook, intact)}
    assert after[intact]["started"] == started[intact]
    assert all(after[d]["started"] != started[d] for d in (cut_metrics, cut_notebook))
    assert after[cut_metrics]["rerun_reason"].startswith("it finished ok, but metrics.json has 9 bytes")
    assert list(collect(tmp_path, write=False).value) == [1.0, 2.0, 3.0]


@pytest.fixture
def small_disk(tmp_path):
    "A 512 KiB tmpfs, so a full disk is quick to reach; skipped where mounting is not allowed"
    disk = tmp_path / "disk"; disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode: pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'not root'}); the full-disk tests need one")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def fill(disk, leave):
    "Write a ballast file so that about `leave` bytes stay free"
    ballast = disk / "ballast"
    ballast.write_bytes(b"x" * (shutil.disk_usage(disk).free - leave))
    return ballast


def w2s_nb(*args):
    return subprocess.run([str(W2S_NB), *map(str, args)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)


def test_full_disk_in_a_batch_is_one_line_and_the_rerun_is_identical(small_disk, tmp_path):
    reference = w2s_nb("batch", TINY, "-p", "seed=1", "--out", tmp_path / "ref")
    assert reference.returncode == 0, reference.stderr
    ballast = fill(small_disk, 16_000)
    full = w2s_nb("batch", TINY, "-p", "seed=1", "--out", small_disk / "b")
    print(full.stdout[-600:], full.stderr)
    last = full.stderr.strip().splitlines()[-1]
    assert full.returncode == 2 and "Traceback" not in full.stderr
    assert last.startswith(f"w2s-nb batch: error: disk full: cannot write {small_disk / 'b'}") and "bytes needed" in last
    run_dir = next((small_disk / "b").iterdir(), None) if (small_disk / "b").is_dir() else None
    assert run_dir is None or json.loads((run_dir / "status.json").read_text() if (run_dir / "status.json").is_file() else "{}").get("status") != "ok"
    ballast.unlink()
    again = w2s_nb("batch", TINY, "-p", "seed=1", "--out", small_disk / "b")
    assert again.returncode == 0, again.stderr
    ref_dir, new_dir = next((tmp_path / "ref").glob("run-*")), next((small_disk / "b").glob("run-*"))
    assert (new_dir / "metrics.json").read_bytes() == (ref_dir / "metrics.json").read_bytes()
    assert json.loads((new_dir / "status.json").read_text())["status"] == "ok"


def test_full_disk_while_caching_is_one_line_and_the_rerun_is_identical(small_disk, tmp_path):
    args = ["cache", "--model", "minilm-l6", "--task", "rotten_tomatoes", "--splits", "test", "--n-train", 8, "--n-val", 8,
            "--n-test", 64, "--batch-size", 16, "--no-progress", "--cache-dir"]
    reference = w2s_nb(*args, tmp_path / "ref")
    assert reference.returncode == 0, reference.stderr
    ballast = fill(small_disk, 150_000)            # room for the shard (98 KB), not for the joined file beside it
    full = w2s_nb(*args, small_disk / "cache")
    print(full.stderr.strip().splitlines()[-1])
    assert full.returncode == 2, full.stderr       # an error, not a SIGBUS (-7)
    assert "Traceback" not in full.stderr
    assert full.stderr.strip().splitlines()[-1].startswith("w2s-nb cache: error: disk full: cannot write ")
    assert "layer6.npy (98,432 bytes needed, " in full.stderr
    ballast.unlink()
    again = w2s_nb(*args, small_disk / "cache")
    assert again.returncode == 0, again.stderr
    ref_file, new_file = (next(root.rglob("layer6.npy")) for root in (tmp_path / "ref", small_disk / "cache"))
    assert new_file.read_bytes() == ref_file.read_bytes()
