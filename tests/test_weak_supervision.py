"The weak-supervision pipeline (arXiv 2412.03881, WRENCH experiment) on a small WRENCH-format fixture that each test writes itself."
import json
import random

import numpy as np
import pytest
import torch

from w2s_nb.synthetic import sample_mixture
from w2s_nb.label_models import MajorityVote, SnorkelLabelModel, hard_predictions, lf_summary, load_wrench, majority_vote
from w2s_nb.weak_supervision import WSConfig, run_weak_supervision, summarize_ws

N_LFS = 4


def planted_votes(X, rng):
    "Four LFs over the easy block (first 20 columns): each sums 5 coordinates and votes its sign when it is large"
    sums = X[:, :20].reshape(len(X), N_LFS, 5).sum(-1)
    votes = np.where(np.abs(sums) > 2.5, (sums > 0).astype(int), -1)
    return votes


def write_fixture(folder, seed=0, n_per_type=250):
    "A WRENCH folder written by hand (json.dump, not the module's writer): easy/hard/overlap synthetic points"
    rng = np.random.default_rng(seed)
    theta = rng.uniform(size=40)
    types = {}
    for split in ("train", "valid", "test"):
        sample = sample_mixture(n_per_type, n_per_type, n_per_type, theta=theta, seed=rng)
        votes = planted_votes(sample.X, rng)
        examples = {f"{split}-{i}": {"label": int(y), "weak_labels": v.tolist(), "data": {"feature": x.round(5).tolist()}}
                    for i, (x, y, v) in enumerate(zip(sample.X, sample.y, votes))}
        (folder / f"{split}.json").write_text(json.dumps(examples))
        types[split] = sample.types
    (folder / "label.json").write_text(json.dumps({"0": "negative", "1": "positive"}))
    return types


@pytest.fixture
def fixture_dir(tmp_path):
    folder = tmp_path / "planted"
    folder.mkdir()
    types = write_fixture(folder)
    return folder, types


def test_loader_reads_fixture(fixture_dir):
    folder, types = fixture_dir
    data = load_wrench(folder)
    assert data.name == "planted" and data.label_names == {0: "negative", 1: "positive"}
    assert (data.train.n, data.valid.n, data.test.n, data.train.n_lfs) == (750, 750, 750, N_LFS)
    assert data.train.texts is None and data.train.features.shape == (750, 40)
    assert data.train.ids[:2] == ["train-0", "train-1"]
    raw = json.loads((folder / "train.json").read_text())
    np.testing.assert_array_equal(data.train.weak_labels[7], raw["train-7"]["weak_labels"])
    assert data.train.labels[7] == raw["train-7"]["label"]
    # hard-only points have a zero easy block: every planted LF abstains on them
    assert (data.train.weak_labels[types["train"] == 1] == -1).all()


def test_lf_summary_matches_hand_count(fixture_dir):
    folder, _ = fixture_dir
    data = load_wrench(folder)
    table = lf_summary(data.train.weak_labels, data.train.labels)
    fires = data.train.weak_labels[:, 2] != -1
    assert table.coverage[2] == pytest.approx(fires.mean())
    assert table.accuracy[2] == pytest.approx((data.train.weak_labels[fires, 2] == data.train.labels[fires]).mean())


def test_experiment_on_fixture(fixture_dir):
    folder, _ = fixture_dir
    data = load_wrench(folder)
    config = WSConfig(proportions=(0.0, 0.5, 1.0))
    results = run_weak_supervision(data, seeds=[0, 1], config=config)
    mixing = results[results.kind == "mixing"]
    assert set(results.kind) == {"mixing", "matched", "pseudo_all", "label_model", "majority_vote", "gold_size_matched",
                                 "pseudo_size_matched", "gold_all"}
    assert (results.n_pool == 375).all() and results.accuracy.between(0, 1).all()
    m = np.minimum(results.n_overlap, results.n_pool - results.n_overlap)
    np.testing.assert_array_equal(mixing.n_train, np.floor(m[mixing.index] * mixing.proportion + 1e-9)
                                  + np.floor(m[mixing.index] * (1 - mixing.proportion) + 1e-9))
    # planted answer: detected overlap points carry better pseudolabels, and training on them helps
    assert (results.pseudo_acc_overlap > results.pseudo_acc_other + 0.1).all()
    # every mixing set has a matched control of its size; pseudolabel accuracy is recorded for both
    matched = results[results.kind == "matched"]
    np.testing.assert_array_equal(matched.n_train.to_numpy(), mixing.n_train.to_numpy())
    assert mixing.pseudolabel_acc.notna().all() and matched.pseudolabel_acc.notna().all()
    summary = summarize_ws(results).loc["planted"]
    assert summary.acc_p1 > summary.acc_p0 + 0.05, summary
    assert summary.excess_slope == pytest.approx(summary.slope - summary.matched_slope), summary
    assert summary.gold_all_acc > summary.label_model_acc, summary


def test_label_model_beats_majority_vote_when_lf_accuracies_differ():
    "Conditionally independent LFs with accuracies 0.9, 0.9, 0.6, 0.6, 0.6: weighting the votes must beat counting them"
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5000)
    accs = np.array([0.9, 0.9, 0.6, 0.6, 0.6])
    fires = rng.random((5000, 5)) < 0.5
    right = rng.random((5000, 5)) < accs
    L = np.where(fires, np.where(right, y[:, None], 1 - y[:, None]), -1)
    snorkel = SnorkelLabelModel(seed=0).fit(L).predict_proba(L)
    acc = lambda proba: (hard_predictions(proba, seed=1) == y).mean()
    assert acc(snorkel) > acc(majority_vote(L)) + 0.02, (acc(snorkel), acc(majority_vote(L)))
    np.testing.assert_allclose(MajorityVote().fit(L).predict_proba(L), majority_vote(L))


def test_global_random_state_untouched(fixture_dir):
    folder, _ = fixture_dir
    data = load_wrench(folder)
    states = random.getstate(), np.random.get_state()[1].copy(), torch.get_rng_state().clone()
    run_weak_supervision(data, seeds=[3], config=WSConfig(proportions=(0.5,)))
    assert random.getstate() == states[0]
    np.testing.assert_array_equal(np.random.get_state()[1], states[1])
    assert torch.equal(torch.get_rng_state(), states[2])


def rewrite(folder, split, edit):
    "Apply `edit` to every example of a split file"
    examples = json.loads((folder / f"{split}.json").read_text())
    for key, example in examples.items(): edit(key, example)
    (folder / f"{split}.json").write_text(json.dumps(examples))


def test_bad_label_matrix_wrong_shape(fixture_dir):
    folder, _ = fixture_dir
    rewrite(folder, "test", lambda key, ex: ex["weak_labels"].pop() if key == "test-3" else None)
    with pytest.raises(ValueError, match="weak_labels must be lists of one length"): load_wrench(folder)


def test_bad_label_matrix_values(fixture_dir):
    folder, _ = fixture_dir
    rewrite(folder, "train", lambda key, ex: ex["weak_labels"].__setitem__(0, 2) if key == "train-5" else None)
    with pytest.raises(ValueError, match=r"outside \{-1, 0, 1\}"): load_wrench(folder)


def test_all_lfs_abstain(fixture_dir):
    folder, _ = fixture_dir
    rewrite(folder, "train", lambda key, ex: ex.__setitem__("weak_labels", [-1] * N_LFS))
    with pytest.raises(ValueError, match="abstains on every point"): load_wrench(folder)


def test_split_missing_weak_labels(fixture_dir):
    folder, _ = fixture_dir
    rewrite(folder, "valid", lambda key, ex: ex.pop("weak_labels") if key == "valid-9" else None)
    with pytest.raises(ValueError, match="example 'valid-9' has no 'weak_labels'"): load_wrench(folder)


def test_label_json_must_be_binary(fixture_dir):
    folder, _ = fixture_dir
    (folder / "label.json").write_text(json.dumps({"0": "a", "1": "b", "2": "c"}))
    with pytest.raises(ValueError, match="only binary"): load_wrench(folder)


@pytest.mark.parametrize("method", ["subspace", "residual"])
def test_other_detectors_run(fixture_dir, method):
    folder, _ = fixture_dir
    results = run_weak_supervision(load_wrench(folder), seeds=[0], config=WSConfig(proportions=(0.0, 1.0), detection_method=method))
    assert results.n_overlap.iloc[0] > 0 and results[results.kind == "mixing"].accuracy.notna().all()
