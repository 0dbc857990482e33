"""`llm_arrays` with `resplit_seed` re-deals the documents it actually has: after `load_task(..., shrink=True)`
scaled the splits down, the new deal uses the shrunk sizes instead of asking for the nominal ones"""
import numpy as np, pandas as pd
import pytest
from w2s_nb.data import SplitSizes
from w2s_nb.models import tiny_model, load_model
from w2s_nb.llm import llm_arrays


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_model(str(tiny_model(tmp_path_factory.mktemp("tiny") / "bert", arch="bert")), "float32", "cpu")


def test_resplit_after_shrink(tmp_path, tiny):
    rows = [{"text": f"review number {i} {'good' if i % 2 else 'bad'}", "label": i % 2} for i in range(48)]
    csv = tmp_path / "reviews.csv"; pd.DataFrame(rows).to_csv(csv, index=False)
    nominal = SplitSizes(weak_train=20, strong_train=20, val=0, test=20)        # 60 documents asked, 48 there
    with pytest.warns(UserWarning, match="shrinking"):
        kept = llm_arrays(tiny, tiny, str(csv), sizes=nominal, seed=0, load_kwargs=dict(shrink=True),
                          cache_dir=tmp_path / "cache", progress=False)
    with pytest.warns(UserWarning, match="shrinking"):
        dealt = llm_arrays(tiny, tiny, str(csv), sizes=nominal, seed=0, resplit_seed=1, load_kwargs=dict(shrink=True),
                           cache_dir=tmp_path / "cache", progress=False)
    for key in ("weak_train_labels", "pool_labels", "test_labels"):
        assert len(dealt[key]) == len(kept[key]) < 20           # the shrunk sizes, not the nominal 20
        assert dealt[key].mean() == 0.5                          # still class-balanced
    assert not np.array_equal(dealt["pool_strong_acts"], kept["pool_strong_acts"])   # a new deal of the same documents
    everything = lambda a: np.sort(np.concatenate([a["weak_train_labels"], a["pool_labels"], a["test_labels"]]))
    np.testing.assert_array_equal(everything(dealt), everything(kept))
