"""The streaming rule of the authors' source-selection code, against an implementation written here from its
description alone (plain numpy and ruptures, nothing shared with the library), batch by batch; and bad streams."""
import warnings

import numpy as np
import pytest
import ruptures as rpt

from w2s_nb.streaming import StreamingDetector
from w2s_nb.synthetic import sample_mixture, sample_theta


def split_point(values):
    "First value of the upper segment of ruptures' one-breakpoint l2 split of the sorted values; the median if it fails"
    v = np.sort(np.asarray(values, dtype=np.float64))
    try: return v[rpt.Binseg(model="l2", min_size=2, jump=5).fit(v).predict(n_bkps=1)[0]]
    except Exception: return float(np.median(v))


class AuthorsRule:
    """Written from the description: H is a change point on this batch's confidence (strict <); the reference set is
    every H as first detected; scores are raw dot products, max over the reference set; tau_o is a change point over
    the scores of this and every earlier batch's non-hard points; O is this batch's non-hard points at or above it."""
    def __init__(self): self.reference, self.candidates = [], []

    def step(self, proba, acts):
        conf = 2 * np.abs(proba - 0.5)
        hard = conf < split_point(conf)
        self.reference.append(acts[hard]); self.candidates.append(acts[~hard])
        ref, cands = np.vstack(self.reference), np.vstack(self.candidates)
        types = np.where(hard, 1, 0)                               # 0 easy, 1 hard, 2 overlap
        if len(ref) == 0 or not (~hard).any(): return types
        scores = (cands @ ref.T).max(axis=1)
        mine = scores[len(cands) - (~hard).sum():]                 # this batch's candidates come last
        types[np.flatnonzero(~hard)[mine >= split_point(scores)]] = 2
        return types


def stream(seed, n_batches=25, batch=20, noise=0.0):
    "Batches of the synthetic mixture at varying overlap densities, weak model = a fixed logistic direction on the easy block"
    rng = np.random.default_rng(seed)
    theta = sample_theta(None, 40, rng)
    w = rng.normal(size=20)
    for k in range(n_batches):
        n_o = int(rng.integers(0, batch + 1)); n_e = (batch - n_o) // 2
        mix = sample_mixture(n_e, batch - n_o - n_e, n_o, theta=theta, noise_std=noise, seed=rng)
        yield 1 / (1 + np.exp(-mix.X[:, :20] @ w)), mix.X


def compare(seeds=range(6), noises=(0.0, 0.2), **kw):
    "(identical batches, total batches) of the library's reference rule against AuthorsRule"
    same = total = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in seeds:
            for noise in noises:
                lib, ind = StreamingDetector("reference"), AuthorsRule()
                for proba, acts in stream(seed, noise=noise, **kw):
                    same += int(np.array_equal(lib.detect(proba, acts).types, ind.step(proba, acts))); total += 1
    return same, total


def test_reference_rule_matches_an_independent_implementation():
    same, total = compare()
    print(f"reference rule vs independent implementation: {same} / {total} batches identical")
    assert total == 300 and same == total


def test_reference_rule_on_odd_batch_sizes():
    "batches too small for a change point (median fallback) and larger ones, mixed in one stream"
    same, total = compare(seeds=range(3), noises=(0.0,), batch=7, n_batches=15)
    assert same == total == 15 * 3


def test_reference_rule_does_not_depend_on_chunk_size():
    a, b = StreamingDetector("reference"), StreamingDetector("reference", chunk_size=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for proba, acts in stream(11, n_batches=8):
            assert np.array_equal(a.detect(proba, acts).types, b.detect(proba, acts).types)


@pytest.mark.parametrize("rule", ["reference", "batch", "refit"])
def test_bad_batches_are_refused(rule):
    det = StreamingDetector(rule)
    proba, acts = next(stream(0))
    det.detect(proba, acts)
    with pytest.raises(ValueError, match="feature dimension changed"): det.detect(proba, acts[:, :30])
    with pytest.raises(ValueError, match="empty"): det.detect(np.zeros(0), np.zeros((0, 40)))
    with pytest.raises(ValueError, match="at least 2 points"): det.detect(proba[:1], acts[:1])
    with pytest.raises(ValueError, match="length mismatch"): det.detect(proba[:5], acts[:6])
    assert det.n_batches == 1


def test_weak_acts_must_stay_in_the_stream():
    det = StreamingDetector("refit", method="residual")
    mix = sample_mixture(30, 30, 30, theta=np.full(40, 0.5), seed=0)
    proba = np.full(90, 0.5) + 0.4 * np.tanh(mix.X[:, 0])
    det.detect(proba[:45], mix.X[:45], mix.X[:45, :20])
    with pytest.raises(ValueError, match="feature dimension changed"): det.detect(proba[45:], mix.X[45:])


def test_the_comparison_tells_rules_apart():
    "control: refitting the thresholds on the history (dot products, strict rule) is a different rule, batch after batch"
    same = total = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in range(6):
            lib, ind = StreamingDetector("refit", similarity="dot", hard_rule_strict=True), AuthorsRule()
            for proba, acts in stream(seed):
                same += int(np.array_equal(lib.detect(proba, acts).types, ind.step(proba, acts))); total += 1
    print(f"refit rule vs independent implementation of the authors' rule: {same} / {total} batches identical")
    assert same < total / 4
