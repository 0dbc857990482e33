"""The LLM template on a user's small CSV: a detector that cannot run on a pool smaller than the weak model's features
("residual": the weak activations explain all of the strong ones) is skipped and reported, and the run still ends ok"""
import json
import pandas as pd
import pytest
from w2s_nb.batch import run_batch
from w2s_nb.models import tiny_model


@pytest.fixture(scope="module")
def tiny_strong(tmp_path_factory):
    return str(tiny_model(tmp_path_factory.mktemp("tiny") / "llama", arch="llama"))


def test_small_pool_skips_the_detector_it_cannot_feed(tmp_path, tiny_strong, monkeypatch):
    monkeypatch.setenv("W2S_NB_CACHE", str(tmp_path / "cache"))
    rows = [{"text": f"review number {i} was {'good' if i % 2 else 'bad'} and {'long' if i % 3 else 'short'}", "label": i % 2}
            for i in range(80)]
    csv = tmp_path / "reviews.csv"; pd.DataFrame(rows).to_csv(csv, index=False)
    # the bundled weak model has 384 features, more than the 40 training points: the residual detector cannot run
    table = run_batch("overlap_probing", {"fixed": dict(weak_model="minilm-l6", strong_model=tiny_strong, task=str(csv), n_train=20, n_test=20,
                                                         design="redeal", seeds=[0, 1], placebo_draws=2, dtype="float32")},
                      tmp_path / "b", progress=False)
    assert list(table.status) == ["ok"], table.error.tolist()
    run_dir = tmp_path / "b" / table.run[0]
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert "residual" in metrics["detectors_skipped"] and "weak_acts explain all of strong_acts" in metrics["detectors_skipped"]["residual"]
    ran = set(pd.read_csv(run_dir / "detectors.csv").detector)
    assert "paper" in ran and ran.isdisjoint(metrics["detectors_skipped"])
