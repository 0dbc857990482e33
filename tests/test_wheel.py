"""The wheel alone runs the toolkit: build it, install it in a fresh virtual environment outside the repository,
and run a quick reproduction there.

To stay cheap the fresh environment sees the third-party packages of the environment running the tests through a
`.pth` line (a plain path: the `.pth` files inside it, such as an editable install of w2s_nb, are not processed),
but w2s_nb itself must come from the wheel, which the test checks before anything else."""
import json, os, subprocess, sys, sysconfig, zipfile
from pathlib import Path
import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{cmd} exited {done.returncode}\nstdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)])
    wheels = list(out.glob("w2s_nb-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    templates = sorted(p.name for p in (REPO / "nbs" / "experiments").glob("*.ipynb"))
    assert templates and all(f"w2s_nb/experiments/{t}" in names for t in templates), names
    preregistrations = sorted(p.name for p in (REPO / "nbs" / "experiments").glob("*.yaml"))
    assert preregistrations and all(f"w2s_nb/experiments/{p}" in names for p in preregistrations), names   # `reproduce` checks them
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in names), names
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    requires = [l.split(":", 1)[1].strip() for l in meta.splitlines() if l.startswith("Requires-Dist:") and "extra ==" not in l]
    assert {"ipykernel", "jupyter_client", "papermill"} <= {r.split(">")[0].split("=")[0].split("[")[0] for r in requires}, requires


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory):
    "A fresh venv outside the repository with only the wheel's w2s_nb, seeing the running environment's other packages"
    root = tmp_path_factory.mktemp("fresh")
    assert REPO not in root.parents
    env_dir = root / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], env=env, cwd=root)
    python = env_dir / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)], env=env, cwd=root)
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=env).strip())
    (site / "_shared_third_party.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python, env, root, site


def test_installed_from_wheel(venv):
    python, env, root, site = venv
    info = json.loads(_run([str(python), "-c", "import json, w2s_nb, importlib.metadata as m; "
                            "print(json.dumps([w2s_nb.__file__, m.requires('w2s_nb')]))"], env=env, cwd=root))
    assert Path(info[0]).resolve().is_relative_to(site.resolve()), info[0]   # not the clone, not an editable install
    assert any(r.startswith("ipykernel") for r in info[1]), info[1]
    listed = _run([str(env_dir_bin(python) / "w2s-nb"), "reproduce", "--list"], env=env, cwd=root)
    assert "synthetic" in listed and "not written yet" not in listed, listed
    found = _run([str(python), "-c", "from w2s_nb.runs import find_notebook; print(find_notebook('synthetic.ipynb'))"],
                 env=env, cwd=root).strip()                 # `w2s-nb batch synthetic.ipynb` finds the packaged template
    assert Path(found).resolve().is_relative_to(site.resolve()), found


def env_dir_bin(python:Path)->Path: return python.parent


def test_reproduce_quick_from_wheel(venv):
    python, env, root, site = venv
    out = root / "report"
    shown = _run([str(env_dir_bin(python) / "w2s-nb"), "reproduce", "--quick", "--only", "synthetic", "--workers", "1",
                  "--out", str(out)], env=env, cwd=root, timeout=900)
    print(shown)
    report = (out / "REPORT.md").read_text()
    assert "synthetic" in report.lower()
    statuses = [json.loads(p.read_text()) for p in (out / "runs").rglob("status.json")]
    assert statuses and all(s.get("status") == "ok" for s in statuses), statuses
