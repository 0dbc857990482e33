"""Module notebooks and tutorials are committed executed by scripts/execute.py, and their outputs belong to the code as it is now.

nbdev_clean drops execution counts, so the order of execution is vouched for by the script's stamp (notebook
metadata `w2s_nb_executed`): a hash of the code cells' sources at execution time. A code edit after execution
breaks the match. Re-run `python scripts/execute.py nbs/<notebook>` after editing a notebook.
"""
import base64, importlib.util, json, struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("w2s_execute", ROOT / "scripts" / "execute.py")
ex = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(ex)
MODULE_NBS = ex.executed_notebooks(ROOT)          # index, modules and tutorials
TEMPLATES = sorted((ROOT / "nbs" / "experiments").glob("*.ipynb"))
FLAGS = ex.skip_flags(ROOT)
MAX_OUTPUT = 200_000


def _code(nb): return [c for c in nb["cells"] if c["cell_type"] == "code"]
def _src(cell): return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("nb_path", MODULE_NBS, ids=[p.name for p in MODULE_NBS])
def test_notebook_executed_with_current_code(nb_path):
    nb = json.loads(nb_path.read_text())
    stamp = nb["metadata"].get(ex.STAMP_KEY)
    assert stamp, f"{nb_path.name} was not executed: run python scripts/execute.py nbs/{nb_path.name}"
    assert stamp["sources_sha256"] == ex.sources_hash(nb), \
        f"{nb_path.name}: code changed after execution; run python scripts/execute.py nbs/{nb_path.name}"
    assert stamp["errors"] == 0 and set(stamp["skipped_flags"]) == FLAGS, stamp
    code = _code(nb)
    errors = [c.get("id") for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{nb_path.name}: error outputs in cells {errors}"
    assert any(c.get("outputs") for c in code), f"{nb_path.name}: no code cell has an output"
    assert stamp["cells_run"] == sum(not ex.is_skipped(_src(c), FLAGS) for c in code)


@pytest.mark.parametrize("nb_path", MODULE_NBS, ids=[p.name for p in MODULE_NBS])
def test_skipped_cells_have_no_output_and_outputs_are_small(nb_path):
    code = _code(json.loads(nb_path.read_text()))
    ran_anyway = [c.get("id") for c in code if ex.is_skipped(_src(c), FLAGS) and c.get("outputs")]
    assert not ran_anyway, f"{nb_path.name}: cells flagged {sorted(FLAGS)} carry outputs: {ran_anyway}"
    big = [(c.get("id"), len(json.dumps(o))) for c in code for o in c.get("outputs", []) if len(json.dumps(o)) > MAX_OUTPUT]
    assert not big, f"{nb_path.name}: outputs over {MAX_OUTPUT} bytes: {big}"


@pytest.mark.parametrize("nb_path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_experiment_templates_stay_clean(nb_path):
    nb = json.loads(nb_path.read_text())
    assert ex.STAMP_KEY not in nb["metadata"]
    assert not [c.get("id") for c in _code(nb) if c.get("outputs")], f"{nb_path.name} has outputs"


def test_directives_and_skips_follow_nbdev():
    assert ex.is_skipped("#| slow\nx = 1", {"slow"}) and ex.is_skipped("#| eval: false\nx = 1", set())
    assert ex.is_skipped("import nbdev; nbdev.nbdev_export()", set())
    assert not ex.is_skipped("#| export\ndef f(): pass", {"slow"}) and not ex.is_skipped("x = 1  #| slow", {"slow"})
    nb = {"cells": [{"cell_type": "code", "source": ["a = 1\n", "a"]}, {"cell_type": "markdown", "source": "text"}]}
    h = ex.sources_hash(nb)
    nb["cells"][1]["source"] = "other text"; assert ex.sources_hash(nb) == h      # prose edits keep the outputs valid
    nb["cells"][0]["source"] = "a = 2\na"; assert ex.sources_hash(nb) != h       # code edits do not


def test_execute_script_runs_a_notebook(tmp_path):
    "The script on a three-cell notebook: outputs saved, a figure at the set dpi, the slow cell skipped, the stamp valid"
    import nbformat
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "python3", "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1)); ax.plot([0, 1])"),
                nbformat.v4.new_code_cell("#| slow\nprint('slow')"), nbformat.v4.new_code_cell("print('x' * 300_000)"),
                nbformat.v4.new_code_cell("40 + 2")]
    path = tmp_path / "demo.ipynb"; nbformat.write(nb, path)
    result = ex.execute_notebook(path, FLAGS, dpi=50, max_output_kb=200)
    assert result["code"] == 4 and result["run"] == 3 and result["with_output"] == 3 and len(result["replaced"]) == 1
    saved = json.loads(path.read_text()); code = _code(saved)
    assert saved["metadata"][ex.STAMP_KEY]["sources_sha256"] == ex.sources_hash(saved)
    png = base64.b64decode(next(o for o in code[0]["outputs"] if "image/png" in o.get("data", {}))["data"]["image/png"])
    width = struct.unpack(">I", png[16:20])[0]                     # PNG header: IHDR width
    assert 60 <= width <= 110, width                               # 2 inches at 50 dpi, trimmed to the drawing
    assert code[1]["outputs"] == [] and "over the 200 kB limit" in "".join(code[2]["outputs"][0]["text"])
    assert "".join(code[3]["outputs"][0]["data"]["text/plain"]) == "42" and code[3]["execution_count"] is None   # cleaned


def test_tutorials_are_executed_and_export_nothing():
    "The tutorials are covered above and carry no export directive (nbdev_export writes nothing from them)"
    tutorials = ex.tutorial_notebooks(ROOT)
    assert len(tutorials) >= 5 and set(tutorials) <= set(MODULE_NBS)
    for nb_path in tutorials:
        sources = [_src(c) for c in _code(json.loads(nb_path.read_text()))]
        assert not [s for s in sources if ex.directives(s).keys() & {"export", "exports", "exporti", "default_exp"}], nb_path.name
