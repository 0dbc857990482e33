"""Mixing rows say what their training sets held, confidence strata respect ties, and the placebo null is matched."""
import warnings

import numpy as np
import pandas as pd
import pytest

from w2s_nb.core import OVERLAP
from w2s_nb.mixing import confidence_strata, detector_difference, overlap_effect, placebo_detections, run_mixing
from w2s_nb.scores import weak_confidence
from w2s_nb.stats import placebo_percentile
from w2s_nb.synthetic import sample_mixture

PROBE = dict(l2=1e-2, solver="newton")


def small_pool(seed=0, n=60):
    theta = np.random.default_rng(0).uniform(size=40)
    pool, test = (sample_mixture(n, n, n, theta=theta, seed=seed * 10 + k) for k in (1, 2))
    weak = np.clip(0.5 + 0.1 * pool.X[:, :20].sum(1) * (2 * pool.y - 1) / 20 + np.random.default_rng(seed).normal(0, 0.2, len(pool.y)), 0.01, 0.99)
    return pool, test, weak


def mix(seed=0, detected=None, true_types=True, **kw):
    pool, test, weak = small_pool(seed)
    overlap = np.flatnonzero(pool.types == OVERLAP) if detected is None else detected
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_mixing(pool.X, weak, overlap, test.X, test.y, gold_labels=pool.y, weak_proba=weak, true_types=pool.types if true_types else None,
                          proportions=(0.0, 0.5, 1.0), probe_kwargs=PROBE, seed=seed, **kw).assign(seed=seed)


def test_rows_record_realised_overlap_share_confidence_and_pseudolabel_accuracy():
    out = mix()
    trained = out[out.kind.isin(["mixing", "matched"])]
    assert trained[["overlap_share", "mean_confidence", "pseudolabel_acc"]].notna().all().all()
    mixing = out[out.kind == "mixing"]
    np.testing.assert_allclose(mixing.overlap_share, mixing.n_from_overlap / mixing.n_train)     # true partition: share = what was drawn
    np.testing.assert_allclose(mixing.overlap_share, mixing.proportion, atol=0.02)
    assert (trained.overlap_share_source == "true").all()
    matched = out[out.kind == "matched"]
    assert matched.overlap_share.between(0, 1).all() and matched.overlap_share.nunique() > 1


def test_true_share_differs_from_a_wrong_detection():
    pool, _, _ = small_pool(0)
    wrong = np.flatnonzero(pool.types != OVERLAP)[:60]                   # a "detection" holding no true overlap point
    out = mix(detected=wrong)
    m = out[out.kind == "mixing"]
    assert (m.overlap_share[m.proportion == 1.0] == 0).all()          # every drawn "overlap" point is not truly overlap
    det = mix(detected=wrong, true_types=False)
    d = det[det.kind == "mixing"]
    assert (d.overlap_share[d.proportion == 1.0] == 1).all() and (det[det.kind == "mixing"].overlap_share_source == "detected").all()


def test_no_pseudolabel_accuracy_without_gold_labels():
    pool, test, weak = small_pool(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = run_mixing(pool.X, weak, np.flatnonzero(pool.types == OVERLAP), test.X, test.y, proportions=(0.0, 1.0), probe_kwargs=PROBE)
    assert out[out.kind == "mixing"].pseudolabel_acc.isna().all()
    eff_rows = pd.concat([out.assign(seed=0), out.assign(seed=1)])
    assert "pseudolabel_acc" not in overlap_effect(eff_rows.assign(accuracy=eff_rows.accuracy + 0.01 * eff_rows.seed))["covariates"]


def test_confidence_strata_never_split_ties_and_isolate_heavy_ties():
    rng = np.random.default_rng(0)
    conf = np.r_[np.full(50, 0.3), np.round(rng.uniform(0, 1, 150), 2)]     # one heavy tie and many light ones
    s = confidence_strata(conf, np.arange(200), 10)
    for v in np.unique(conf): assert len(set(s[conf == v])) == 1, v      # a value is never split
    assert not np.isin(s[conf != 0.3], s[conf == 0.3]).any()             # the heavy tie is alone in its stratum
    assert (np.diff(s[np.argsort(conf, kind="stable")]) >= 0).all()       # strata follow confidence
    # the old quantile bins put the tied block with the points just above it
    old = np.searchsorted(np.quantile(conf, np.linspace(0, 1, 11)[1:-1]), conf, side="right")
    assert np.isin(old[conf != 0.3], old[conf == 0.3]).any()


def test_all_tied_confidence_gives_one_stratum():
    s = confidence_strata(np.full(30, 0.6), np.arange(30), 5)
    assert len(set(s)) == 1


def test_placebo_detections_match_size_and_confidence_profile():
    pool, _, weak = small_pool(2)
    idx = np.flatnonzero(weak_confidence(weak) > 0.3)[:40]
    draws = placebo_detections(idx, weak, n_draws=20, seed=0)
    strata = confidence_strata(weak_confidence(weak), np.arange(len(weak)), 10)
    k = strata.max() + 1
    for d in draws:
        assert len(np.unique(d)) == len(idx)
        np.testing.assert_array_equal(np.bincount(strata[d], minlength=k), np.bincount(strata[idx], minlength=k))
    assert len({tuple(d) for d in draws}) > 10
    again = placebo_detections(idx, weak, n_draws=20, seed=0)
    assert all((a == b).all() for a, b in zip(draws, again))


def test_placebo_percentile_places_an_extreme_detector():
    null = np.random.default_rng(0).normal(0, 0.01, 200)
    assert placebo_percentile(0.05, null) == 1.0 and placebo_percentile(0.0, null) == pytest.approx(0.5, abs=0.06)


def test_overlap_effect_uses_every_seed_and_the_pseudolabel_covariate():
    rows = pd.concat([mix(s) for s in range(3)], ignore_index=True)
    with_plab, without = overlap_effect(rows), overlap_effect(rows, pseudolabel=False)
    assert with_plab["n_units"] == 3 and with_plab["n_rows"] == (rows.kind.isin(["mixing", "matched"]) & rows.accuracy.notna()).sum()
    assert with_plab["covariates"] == "mean_confidence, pseudolabel_acc" and without["covariates"] == "mean_confidence"
    assert with_plab["estimate"] != without["estimate"] and with_plab["overlap_share_source"] == "true"
    with pytest.raises(KeyError, match="seed"): overlap_effect(rows.drop(columns="seed"))


def test_detector_difference_pairs_on_seeds():
    slopes = pd.DataFrame(dict(method=["paper"] * 4 + ["confidence"] * 3, seed=[0, 1, 2, 3, 0, 1, 2],
                               excess_slope=[0.05, 0.02, 0.04, 0.9, 0.03, 0.0, 0.025]))
    m, lo, hi = detector_difference(slopes, "paper")                       # seed 3 has no baseline: left out
    assert m == pytest.approx(np.mean([0.02, 0.02, 0.015])) and lo < m < hi
