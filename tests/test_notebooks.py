"Run every notebook under nbs/ as nbdev_test would: skip cells carrying a test flag (settings.ini `tst_flags`)."
import os
from pathlib import Path

import pytest
import nbdev.test as nbt                       # module import: a bare `test_nb` would be collected by pytest
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parents[1]
CFG = get_config(path=ROOT)                   # keyword: the first positional argument is something else
SKIP_FLAGS = CFG.tst_flags.split()
FORCE_FLAGS = os.environ.get("W2S_NB_TEST_FLAGS", "").split()   # e.g. "slow" to run slow cells too
NOTEBOOKS = sorted(p for p in (ROOT / "nbs").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts and not p.name.startswith("_"))


def test_flags_are_read():
    assert "slow" in SKIP_FLAGS and "cuda" in SKIP_FLAGS, SKIP_FLAGS


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[str(p.relative_to(ROOT / "nbs")) for p in NOTEBOOKS])
def test_notebook(nb_path):
    ok, seconds = nbt.test_nb(nb_path, skip_flags=SKIP_FLAGS, force_flags=FORCE_FLAGS, basepath=str(ROOT))
    assert ok, f"{nb_path.name} failed after {seconds:.1f}s (traceback above)"
