"""The real bundled models end to end, offline, on small n: the `cache` command's path from task name to cached,
memory-mapped activations, and a probe on MiniLM's activations that beats chance on the bundled reviews."""
import numpy as np
import pytest

from w2s_nb.activations import extract_activations
from w2s_nb.cache import cache_command, load_cached
from w2s_nb.models import load_model
from w2s_nb.data import SplitSizes, load_task


@pytest.mark.parametrize("alias, width", [("minilm-l6", 384), ("smollm2-135m", 576)])
def test_cache_command_on_bundled_model(tmp_path, alias, width):
    summary = cache_command(alias, "rotten_tomatoes", splits=("weak_train", "test"), layers=(-1, 2), n_train=8,
                            n_test=8, batch_size=4, cache_dir=tmp_path, device="cpu", dtype="float32", progress=False)
    assert summary["n"].tolist() == [8, 8] and summary["d"].tolist() == [width, width]
    test = load_cached(summary["path"].iloc[1])
    assert test[-1].shape == (8, width) and isinstance(test[-1], np.memmap)
    assert np.isfinite(test[-1]).all() and test.labels.sum() == 4
    data = load_task("rotten_tomatoes", SplitSizes(8, 500, 200, 8), seed=0)
    assert test.ids == list(data["test"]["id"])
    direct = extract_activations(load_model(alias, device="cpu"), data["test"]["txt"], layers=(-1, 2), progress=False)
    for layer in (-1, 2):
        np.testing.assert_allclose(test[layer], direct[layer], atol=1e-4)
    again = cache_command(alias, "rotten_tomatoes", splits=("test",), layers=(-1, 2), n_train=8, n_test=8,
                          cache_dir=tmp_path, device="cpu", dtype="float32", progress=False)
    assert again["computed_texts"].tolist() == [0] and again["path"].iloc[0] == summary["path"].iloc[1]


def test_minilm_probe_beats_chance(tmp_path):
    "Frozen MiniLM features carry the review's sentiment: a probe on 150 reviews beats chance on 150 others"
    from w2s_nb.probes import LogisticProbe
    summary = cache_command("minilm-l6", "rotten_tomatoes", splits=("weak_train", "test"), n_train=150, n_test=150,
                            cache_dir=tmp_path, device="cpu", progress=False)
    train, test = (load_cached(p) for p in summary["path"])
    probe = LogisticProbe(device="cpu").fit(np.array(train[-1]), train.labels)
    assert probe.score(np.array(test[-1]), test.labels) > 0.55


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_converted_model_follows_the_cache_dir(tmp_path, monkeypatch, how):
    "The strong model's one-time conversion lands under --cache-dir / $W2S_NB_CACHE, not under the home folder"
    import w2s_nb.models as models
    made = []
    def fake_conversion(gguf, out):                         # a tiny model instead of the 517 MB dequantization
        made.append(out); models.tiny_model(out, arch="llama")
    monkeypatch.setattr(models, "_gguf_to_folder", fake_conversion)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = tmp_path / "cache"
    if how == "environment": monkeypatch.setenv("W2S_NB_CACHE", str(root))
    else: monkeypatch.delenv("W2S_NB_CACHE", raising=False)
    summary = cache_command("smollm2-135m", "rotten_tomatoes", splits=("test",), n_train=4, n_test=4,
                            cache_dir=root if how == "argument" else None, device="cpu", progress=False)
    assert len(made) == 1 and made[0].parent == root / "models", made
    assert summary["path"].iloc[0].startswith(str(root / "activations"))
    assert not (tmp_path / "home").exists()
