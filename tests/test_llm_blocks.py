"""The confirmatory LLM design's guards: disjoint class-balanced document blocks, a corpus too small for them refused
with the number it can give, and a run whose configuration differs from its pre-registration stopped with the
differing fields named (before any model is loaded)."""
from pathlib import Path
import numpy as np, pandas as pd
import papermill as pm
import pytest
from w2s_nb.data import load_task, SplitSizes, SPLITS
from w2s_nb.llm import BlockDesign
from w2s_nb.stats import load_preregistration, check_preregistration, PreregistrationMismatch

ROOT = Path(__file__).resolve().parents[1]
PREREG = ROOT / "nbs" / "experiments" / "llm_confirmatory.yaml"


def test_blocks_disjoint_and_balanced():
    sizes = SplitSizes(weak_train=300, strong_train=300, val=20, test=200)
    blocks = [load_task("rotten_tomatoes", sizes, seed=3, block=k, n_blocks=6) for k in range(6)]
    ids = [{i for s in SPLITS for i in b[s]["id"]} for b in blocks]
    assert all(len(x) == sizes.pool + sizes.test for x in ids)
    assert len(set().union(*ids)) == 6 * (sizes.pool + sizes.test)                      # no document in two blocks
    for b in blocks:
        for s in SPLITS: assert sum(b[s]["label"]) == b[s].num_rows // 2                 # class-balanced
    again = load_task("rotten_tomatoes", sizes, seed=3, block=4)                          # n_blocks does not move a block
    assert list(again["test"]["id"]) == list(blocks[4]["test"]["id"])


def test_too_small_corpus_refuses_with_the_count(tmp_path):
    csv = tmp_path / "small.csv"
    pd.DataFrame({"text": [f"text {i}" for i in range(100)], "label": [0, 1] * 50}).to_csv(csv, index=False)
    sizes = SplitSizes(weak_train=10, strong_train=10, val=0, test=10)                    # 15 per class per block: 3 blocks fit
    assert len(load_task(str(csv), sizes, block=2, n_blocks=3)["test"]) == 10
    with pytest.raises(ValueError, match=r"it can give 3 disjoint block\(s\), not 4"):
        load_task(str(csv), sizes, block=0, n_blocks=4)
    with pytest.raises(ValueError, match=r"it can give 3 disjoint block\(s\), not 4"):
        load_task(str(csv), sizes, block=3)


def test_packaged_preregistration_is_the_design():
    prereg = load_preregistration(PREREG)
    design = BlockDesign.from_config(prereg["config"])
    check_preregistration(prereg, design.config())                                        # matches itself
    with pytest.raises(PreregistrationMismatch) as err:
        check_preregistration(prereg, {**design.config(), "n_train": 100, "layer": 3})
    assert set(err.value.fields) == {"n_train", "layer"}


def test_template_stops_on_a_mismatch(tmp_path):
    "The template with the bundled pre-registration and another size stops in its check, naming the fields"
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(ROOT / "nbs" / "experiments" / "overlap_probing.ipynb"), str(tmp_path / "run.ipynb"),
                            parameters=dict(preregistration="llm_confirmatory.yaml", n_train=100, pooling="mean", out_dir=str(tmp_path / "out")),
                            progress_bar=False, cwd=str(ROOT))
    message = str(err.value)
    assert "PreregistrationMismatch" in message and "n_train: registered 400, run has 100" in message, message
    assert "pooling: registered 'last', run has 'mean'" in message, message
    assert not (tmp_path / "out" / "metrics.json").exists()
