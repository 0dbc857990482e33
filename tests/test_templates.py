"Every experiment template declares all its parameters in a form papermill can read, `out_dir` among them."
import json, re
from pathlib import Path

import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "nbs" / "experiments").glob("*.ipynb"))


def _assigned_names(nb_path):
    cell = next(c for c in json.loads(nb_path.read_text())["cells"] if "parameters" in c["metadata"].get("tags", []))
    return {m.group(1) for line in "".join(cell["source"]).splitlines() if (m := re.match(r"^(\w+)\s*(?::[^=]+)?=", line))}


@pytest.mark.parametrize("nb_path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_every_parameter_is_declared(nb_path):
    declared = set(pm.inspect_notebook(str(nb_path)))
    assert "out_dir" in declared, nb_path.name
    assert declared == _assigned_names(nb_path), f"papermill could not parse: {_assigned_names(nb_path) - declared}"
