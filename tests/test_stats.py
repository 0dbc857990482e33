"""The statistics behind every claim say what they claim: equivalence, PGR, the per-unit effect, pre-registration, seeds."""
import hashlib

import numpy as np
import pandas as pd
import pytest

from w2s_nb.stats import (ESTIMATE_COLUMNS, Estimate, PreregistrationMismatch, bootstrap_interval, check_preregistration,
                          estimates_frame, load_preregistration, mde, mean_interval, misfit, paired_difference, per_unit_effect,
                          placebo_percentile, ratio_of_means_pgr, tost, write_estimates)


def test_calibration_keeps_mean_interval():
    from w2s_nb.calibration import mean_interval as moved
    assert moved is mean_interval


def test_mean_interval_is_the_t_interval():
    x = np.array([0.2, 0.5, 0.3, 0.4, 0.1, 0.35])
    m, lo, hi = mean_interval(x)
    from scipy import stats
    half = stats.t.ppf(0.975, 5) * x.std(ddof=1) / np.sqrt(6)
    assert m == pytest.approx(x.mean()) and (lo, hi) == pytest.approx((m - half, m + half))
    assert mean_interval(np.r_[x, np.nan]) == pytest.approx((m, lo, hi))        # a failed unit is dropped


@pytest.mark.parametrize("values,match", [([], "empty"), ([0.3], "at least 2"), ([np.nan, 0.2], "at least 2"),
                                          ([[0.1, 0.2], [0.3, 0.4]], "1-D")])
def test_mean_interval_refuses_bad_units(values, match):
    with pytest.raises(ValueError, match=match): mean_interval(values)


@pytest.mark.parametrize("bound", [95, 0, 1, -0.5])
def test_levels_outside_0_1_are_refused(bound):
    with pytest.raises(ValueError, match="between 0 and 1"): mean_interval([0.1, 0.2, 0.3], bound=bound)
    with pytest.raises(ValueError, match="between 0 and 1"): bootstrap_interval(np.arange(5.), np.mean, bound=bound)


def test_tost_equivalent_near_zero_not_near_twice_the_bound():
    rng = np.random.default_rng(0)
    near = tost(rng.normal(0, 0.005, 12), bound=0.02)
    far = tost(rng.normal(0.04, 0.005, 12), bound=0.02)
    assert near["equivalent"] and near["p"] < 0.05 and near["verdict"].startswith("equivalent within ±0.02 (TOST p=")
    assert not far["equivalent"] and far["p"] > 0.5 and far["verdict"].startswith("not shown equivalent within ±0.02")
    # the same tight data is not equivalent within a bound it sits outside of
    assert not tost(rng.normal(0.03, 0.002, 12), bound=0.02)["equivalent"]
    with pytest.raises(ValueError, match="positive"): tost([0.1, 0.2], bound=-0.02)


def test_mde_falls_with_more_units_and_matches_the_t_formula():
    from scipy import stats
    rng = np.random.default_rng(1)
    x = rng.normal(0, 0.01, 20)
    approx = (stats.t.ppf(0.975, 19) + stats.t.ppf(0.8, 19)) * x.std(ddof=1) / np.sqrt(20)
    assert mde(x) == pytest.approx(approx, rel=0.02)
    z = rng.normal(size=40)
    assert mde(np.r_[z, z]) < mde(z)                   # same sd (about), twice the units


def test_paired_difference_cancels_shared_unit_noise():
    rng = np.random.default_rng(2)
    shared = rng.normal(0, 0.05, 8)
    a, b = shared + 0.01 + rng.normal(0, 0.001, 8), shared + rng.normal(0, 0.001, 8)
    m, lo, hi = paired_difference(a, b)
    assert 0 < lo < 0.01 < hi and hi - lo < 0.005
    assert mean_interval(a)[1] < 0 < mean_interval(a)[2]   # alone, a's interval covers 0
    with pytest.raises(ValueError, match="paired"): paired_difference(a, b[:5])


def test_bootstrap_uses_the_given_seed():
    x = np.random.default_rng(3).normal(size=15)
    assert bootstrap_interval(x, np.mean, seed=7) == bootstrap_interval(x, np.mean, seed=7)
    assert bootstrap_interval(x, np.mean, seed=7) != bootstrap_interval(x, np.mean, seed=8)
    g1, g2 = np.random.default_rng(7), np.random.default_rng(7)
    assert bootstrap_interval(x, np.mean, seed=g1) == bootstrap_interval(x, np.mean, seed=g2)
    est, lo, hi = bootstrap_interval(x, np.mean, seed=7, method="percentile")
    assert est == pytest.approx(x.mean()) and lo < est < hi


def test_bootstrap_resamples_whole_rows_of_a_frame():
    f = pd.DataFrame({"a": np.arange(1., 11.), "b": 3 * np.arange(1., 11.)})
    est, lo, hi = bootstrap_interval(f, lambda d: d.b.sum() / d.a.sum())
    assert (est, lo, hi) == pytest.approx((3, 3, 3))          # rows kept together: the ratio never moves


def test_ratio_of_means_pgr_on_a_known_construction():
    rng = np.random.default_rng(4)
    weak = rng.uniform(0.6, 0.7, 10)
    strong = weak + rng.uniform(0.02, 0.2, 10)
    w2s = weak + 0.25 * (strong - weak) + rng.normal(0, 0.002, 10)
    out = ratio_of_means_pgr(weak, strong, w2s, seed=0)
    true_ratio = np.mean(w2s - weak) / np.mean(strong - weak)
    assert out["pgr"] == pytest.approx(true_ratio) and out["pgr_ci_low"] < 0.25 < out["pgr_ci_high"]
    assert out["pgr_ci_high"] - out["pgr_ci_low"] < 0.1 and not out["denominator_in_noise"]
    assert out["gap"] == pytest.approx(np.mean(w2s - weak)) and out["gap_ci_low"] > 0 and out["n_units"] == 10
    # a mean of per-unit ratios would be pulled by the unit with the smallest gap; the ratio of means is not
    strong2 = strong.copy(); strong2[0] = weak[0] + 1e-3; w2s2 = w2s.copy(); w2s2[0] = weak[0] + 0.01
    assert np.mean((w2s2 - weak) / (strong2 - weak)) > 1 and ratio_of_means_pgr(weak, strong2, w2s2)["pgr"] < 0.5


def test_pgr_flags_a_denominator_in_noise():
    rng = np.random.default_rng(5)
    weak = rng.uniform(0.6, 0.7, 8)
    out = ratio_of_means_pgr(weak, weak + rng.normal(0, 0.03, 8), weak + 0.01)
    assert out["denominator_in_noise"]
    with pytest.raises(ValueError, match="one value per unit"): ratio_of_means_pgr(weak, weak, weak[:4])
    with pytest.raises(ValueError, match="nan"): ratio_of_means_pgr(weak, np.r_[weak[:-1], np.nan], weak)


def clustered_rows(n_seeds, per_seed=10, slope=0.08, seed=0):
    "Accuracy with a planted slope on overlap share, a confounding confidence, and a level per seed shared by its rows"
    rng, out = np.random.default_rng(seed), []
    for s in range(n_seeds):
        share = rng.uniform(0, 1, per_seed)
        conf = 0.6 + 0.3 * share + rng.normal(0, 0.05, per_seed)
        acc = rng.normal(0.5, 0.1) + slope * share + 0.4 * conf + rng.normal(0, 0.02, per_seed)
        out.append(pd.DataFrame(dict(seed=s, overlap_share=share, mean_confidence=conf, accuracy=acc)))
    return pd.concat(out, ignore_index=True)


def test_per_unit_effect_recovers_a_planted_slope_and_widens_with_fewer_units():
    many, few = per_unit_effect(clustered_rows(12)), per_unit_effect(clustered_rows(3))
    assert many["ci_low"] < 0.08 < many["ci_high"] and (many["n_units"], many["n_rows"]) == (12, 120)
    assert few["ci_high"] - few["ci_low"] > many["ci_high"] - many["ci_low"]
    assert per_unit_effect(clustered_rows(12), covariates=())["ci_low"] > 0.12      # the confounder leaks in without it


def test_per_unit_effect_seed_levels_do_not_leak():
    "Seeds with higher overlap shares also have higher levels: without fixed effects the slope is biased"
    rng, rows = np.random.default_rng(6), []
    for s in range(10):
        share = rng.uniform(0, 0.2, 10) + 0.08 * s
        rows.append(pd.DataFrame(dict(seed=s, overlap_share=share, mean_confidence=rng.normal(0.8, 0.01, 10),
                                      accuracy=0.5 + 0.05 * s + rng.normal(0, 0.005, 10))))
    rows = pd.concat(rows, ignore_index=True)
    eff = per_unit_effect(rows)
    assert eff["ci_low"] < 0 < eff["ci_high"]


def test_per_unit_effect_refuses_bad_rows():
    rows = clustered_rows(4)
    with pytest.raises(KeyError, match="pseudolabel_accuracy"): per_unit_effect(rows, covariates=("pseudolabel_accuracy",))
    with pytest.raises(ValueError, match="nan"): per_unit_effect(rows.assign(mean_confidence=np.r_[np.nan, rows.mean_confidence[1:]]))
    with pytest.raises(ValueError, match="at least 2 units"): per_unit_effect(rows[rows.seed == 0])
    with pytest.raises(ValueError, match="does not vary"): per_unit_effect(rows.assign(overlap_share=rows.seed * 0.1))


def test_placebo_percentile():
    draws = np.arange(100.)
    assert placebo_percentile(49.5, draws) == pytest.approx(0.5)
    assert placebo_percentile(1000, draws) == 1.0 and placebo_percentile(-1, draws) == 0.0
    assert placebo_percentile(10, draws) == pytest.approx(0.105)          # 10 below, one tie counted half
    with pytest.raises(ValueError, match="empty"): placebo_percentile(0.1, [])
    with pytest.raises(ValueError, match="finite"): placebo_percentile(float("nan"), draws)


def test_misfit():
    assert misfit([0.9, 0.1], [0.6, 0.3]) == pytest.approx((0.09 + 0.04) / 2)
    assert misfit(np.array([[0.1, 0.9]]), [0.9]) == 0
    with pytest.raises(ValueError, match="same points"): misfit([0.9, 0.1], [0.6])
    with pytest.raises(ValueError, match=r"\[0, 1\]"): misfit([1.5, 0.1], [0.6, 0.3])


def test_estimates_round_trip(tmp_path):
    claims = [Estimate("gap", 0.03, 0.01, 0.05, "bootstrap", "blocks", 8, preregistered="ab" * 32, mde=0.02),
              Estimate("excess_slope:paper", 0.001, -0.02, 0.02, "t", "seeds", 10, equivalence="equivalent within ±0.03 (TOST p=0.01)")]
    path = write_estimates(claims, tmp_path / "tables" / "llm")
    assert path == tmp_path / "tables" / "llm" / "estimates.csv"
    back = pd.read_csv(path, keep_default_na=False)
    assert list(back.columns) == list(ESTIMATE_COLUMNS) and list(back.estimand) == ["gap", "excess_slope:paper"]
    assert back.loc[0, "preregistered"] == "ab" * 32 and back.loc[1, "preregistered"] == ""
    assert list(estimates_frame([]).columns) == list(ESTIMATE_COLUMNS)
    with pytest.raises(ValueError, match="more than once"): estimates_frame(claims + claims[:1])
    with pytest.raises(TypeError, match="Estimate"): estimates_frame([dict(estimand="gap")])


PREREG = """\
config:
  seeds: [0, 1, 2]
  layer: 6
  weak: {model: small, pooling: mean}
estimands: [gap, pgr]
smallest_effect: 0.02
"""


def test_preregistration_hash_and_match(tmp_path):
    f = tmp_path / "prereg.yaml"; f.write_text(PREREG)
    prereg = load_preregistration(f)
    assert prereg["_sha256"] == hashlib.sha256(PREREG.encode()).hexdigest()
    check_preregistration(prereg, dict(seeds=(0, 1, 2), layer=6.0, weak=dict(model="small", pooling="mean"), out="x"), ignore=("out",))


def test_preregistration_mismatch_names_every_differing_field(tmp_path):
    f = tmp_path / "prereg.yaml"; f.write_text(PREREG)
    prereg = load_preregistration(f)
    with pytest.raises(PreregistrationMismatch) as err:
        check_preregistration(prereg, dict(seeds=[0, 1], weak=dict(model="small", pooling="last"), lr=0.1))
    assert err.value.fields == ["layer", "lr", "seeds", "weak.pooling"]
    for name in ("layer", "lr", "seeds", "weak.pooling", prereg["_sha256"][:12]): assert name in str(err.value)
    assert "weak.model" not in str(err.value)


def test_preregistration_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no pre-registration"): load_preregistration(tmp_path / "missing.yaml")
    (tmp_path / "bad.yaml").write_text("seeds: [0, 1]\n")
    with pytest.raises(ValueError, match="config"): load_preregistration(tmp_path / "bad.yaml")


def test_pgr_resample_without_denominator_is_undefined_not_an_error():
    "A bootstrap resample whose strong - weak mean is exactly 0 has no PGR: the interval is nan and the flag set, no ZeroDivisionError"
    from w2s_nb.stats import ratio_of_means_pgr
    r = ratio_of_means_pgr([0.5, 0.5, 0.5], [0.5, 0.52, 0.5], [0.5, 0.51, 0.5])
    assert r["pgr"] == pytest.approx(0.5) and r["denominator_in_noise"]
    assert np.isnan(r["pgr_ci_low"]) and np.isnan(r["pgr_ci_high"])
