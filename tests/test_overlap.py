"""Overlap detection (the paper's detector, arXiv 2412.03881) against brute-force numpy versions on random data, plus the variants' semantics."""
import warnings

import numpy as np
import pytest
import ruptures as rpt
import torch

from w2s_nb.core import EASY, HARD, OVERLAP
from w2s_nb.scores import alignment_scores, changepoint_threshold, resolve_threshold, weak_confidence
from w2s_nb.overlap import detect_overlap, detection_quality


def brute_force_detect(weak_proba, acts, strict=False, similarity="abs_cosine"):
    "The paper's detector written out with the full |C|x|H| matrix and ruptures' own l2 cost (small pools only)"
    conf = 2 * np.abs(weak_proba - 0.5)

    def split(values):
        s = np.sort(values)
        return s[rpt.Binseg(model="l2", min_size=2, jump=5).fit(s).predict(n_bkps=1)[0]]

    tau_h = split(conf)
    hard = conf < tau_h if strict else conf <= tau_h
    if similarity == "abs_cosine":
        unit = acts / np.linalg.norm(acts, axis=1, keepdims=True)
        sim = np.abs(unit[~hard] @ unit[hard].T)
    else:
        sim = acts[~hard] @ acts[hard].T
    align = sim.max(1)
    tau_o = split(align)
    types = np.full(len(conf), EASY)
    types[hard] = HARD
    types[np.flatnonzero(~hard)[align >= tau_o]] = OVERLAP
    return types, tau_h, tau_o


def random_pool(seed, n=400, d=16):
    rng = np.random.default_rng(seed)
    proba = rng.beta(0.6, 0.6, size=n)
    acts = rng.normal(size=(n, d)) + rng.normal(size=d)
    return proba, acts


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("strict,similarity", [(False, "abs_cosine"), (True, "dot")])
def test_detect_matches_brute_force(seed, strict, similarity):
    proba, acts = random_pool(seed)
    types, tau_h, tau_o = brute_force_detect(proba, acts, strict, similarity)
    res = detect_overlap(proba, acts, hard_rule_strict=strict, similarity=similarity, chunk_size=37)
    assert res.tau_hard == tau_h
    np.testing.assert_allclose(res.tau_overlap, tau_o, rtol=1e-12)
    np.testing.assert_array_equal(res.types, types)


@pytest.mark.parametrize("chunk", [1, 5, 64, 399, 10_000])
def test_alignment_chunked_equals_unchunked(chunk):
    rng = np.random.default_rng(3)
    cand, hard = rng.normal(size=(123, 9)), rng.normal(size=(77, 9))
    cand[4] = 0                                               # a zero row stays finite
    full = alignment_scores(cand, hard, chunk_size=10_000)
    np.testing.assert_allclose(alignment_scores(cand, hard, chunk_size=chunk), full, rtol=0, atol=1e-12)
    assert np.isfinite(full).all() and full[4] == 0


def test_alignment_float32_torch_matches_numpy():
    rng = np.random.default_rng(4)
    cand, hard = rng.normal(size=(60, 12)), rng.normal(size=(40, 12))
    ref = alignment_scores(cand, hard)
    got = alignment_scores(torch.tensor(cand, dtype=torch.float32), torch.tensor(hard, dtype=torch.float32), chunk_size=7)
    np.testing.assert_allclose(got, ref, atol=1e-5)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_cuda_inputs_stay_on_gpu_and_agree():
    proba, acts = random_pool(5)
    cpu = detect_overlap(proba, torch.tensor(acts))
    gpu = detect_overlap(proba, torch.tensor(acts, device="cuda"))
    np.testing.assert_array_equal(cpu.types, gpu.types)


def test_prefix_sum_changepoint_matches_ruptures_l2():
    for seed in range(20):
        rng = np.random.default_rng(seed)
        sig = np.sort(np.concatenate([rng.normal(0, 1, rng.integers(5, 200)), rng.normal(3, 1, rng.integers(5, 200))]))
        ref = rpt.Binseg(model="l2", min_size=2, jump=5).fit(sig).predict(n_bkps=1)[0]
        assert changepoint_threshold(sig) == (sig[ref], "changepoint")


@pytest.mark.parametrize("n", [1, 2, 6])
def test_small_pools_fall_back_to_median_with_warning(n):
    values = np.linspace(0, 1, n)
    with pytest.warns(UserWarning, match="using the median"):
        tau, rule = changepoint_threshold(values)
    assert tau == np.median(values) and rule == f"median (fallback: {n} values)"


def test_seven_values_use_the_change_point():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert changepoint_threshold([0, 0, 0, 0, 0, 1, 1])[1] == "changepoint"


def test_resolve_threshold_rules():
    v = np.array([3.0, 1.0, 2.0, 10.0])
    assert resolve_threshold(v, "quantile:0") == (1.0, "quantile:0")
    assert resolve_threshold(v, "quantile:1") == (10.0, "quantile:1")
    assert resolve_threshold(v, np.float32(0.5)) == (0.5, "fixed")
    with pytest.raises(TypeError, match="string or a number"):
        resolve_threshold(v, True)
    with pytest.raises(TypeError, match="string or a number"):
        resolve_threshold(v, None)


def test_history_equals_detecting_everything_at_once():
    proba, acts = random_pool(7)
    whole = detect_overlap(proba, acts)
    later = detect_overlap(proba[300:], acts[300:], history=(proba[:300], acts[:300]))
    np.testing.assert_array_equal(later.types, whole.types[300:])
    assert (later.tau_hard, later.tau_overlap, later.n_history, later.n) == (whole.tau_hard, whole.tau_overlap, 300, 100)
    np.testing.assert_allclose(later.alignment, whole.alignment[300:], equal_nan=True)
    assert later.density == pytest.approx(np.mean(whole.types[300:] == OVERLAP))


def test_history_mixes_torch_and_numpy():
    proba, acts = random_pool(8)
    a = detect_overlap(proba[200:], torch.tensor(acts[200:]), history=(proba[:200], acts[:200]))
    b = detect_overlap(proba[200:], acts[200:], history=(proba[:200], acts[:200]))
    np.testing.assert_array_equal(a.types, b.types)


def test_history_errors():
    proba, acts = random_pool(9)
    with pytest.raises(ValueError, match="dimension mismatch"):
        detect_overlap(proba, acts, history=(proba, acts[:, :3]))
    with pytest.raises(ValueError, match="length mismatch"):
        detect_overlap(proba, acts, history=(proba[:5], acts[:6]))


def test_partition_is_sorted_disjoint_and_complete():
    proba, acts = random_pool(10)
    res = detect_overlap(proba, acts)
    parts = [res.hard_idx, res.easy_idx, res.overlap_idx]
    for p in parts:
        assert p.dtype == np.int64 and np.all(np.diff(p) > 0)
    np.testing.assert_array_equal(np.sort(np.concatenate(parts)), np.arange(len(proba)))
    assert res.density == len(res.overlap_idx) / len(proba)


def test_detection_quality_known_counts():
    proba, acts = random_pool(11, n=50)
    res = detect_overlap(proba, acts)
    q = detection_quality(res, res.types)                   # perfect agreement with itself
    assert all(q[f"{t}_f1"] == 1.0 for t in ("easy", "hard", "overlap") if not np.isnan(q[f"{t}_f1"]))
    assert q["density_error"] == 0
    flipped = np.where(res.types == OVERLAP, EASY, np.where(res.types == EASY, OVERLAP, HARD))
    q = detection_quality(res, flipped)
    assert q["overlap_precision"] == 0 and q["overlap_f1"] == 0 and q["hard_f1"] == 1.0


def test_detection_quality_empty_type_is_nan_or_zero():
    proba, acts = random_pool(12, n=60)
    res = detect_overlap(proba, acts)
    q = detection_quality(res, np.full(60, HARD))
    assert np.isnan(q["overlap_recall"]) and q["overlap_f1"] == 0.0 and q["density_true"] == 0.0


def test_weak_confidence_range():
    p = np.linspace(0, 1, 11)
    c = weak_confidence(p)
    assert c.min() == 0 and c.max() == 1 and np.allclose(c, c[::-1])


# ---- detectors beyond the paper's, and their scoring (w2s_nb.detectors) ----
from w2s_nb.overlap import METHODS
from w2s_nb.detectors import score_detectors, summarize_detection
from w2s_nb.synthetic import synthetic_task


def test_methods_are_listed():
    assert list(METHODS)[0] == "paper" and {"subspace", "residual", "confidence"} <= set(METHODS)


@pytest.mark.parametrize("method", ["subspace", "residual"])
@pytest.mark.parametrize("noise", [0.0, 0.2])
def test_energy_detectors_recover_planted_types(method, noise):
    task = synthetic_task(150, 120, 80, noise_std=noise, seed=77)
    res = detect_overlap(task.weak_pool_proba, task.pool.X, method=method, weak_acts=task.pool.X[:, :20])
    q = detection_quality(res, task.pool.types)
    assert q["overlap_f1"] >= 0.95 and abs(q["density_error"]) <= 0.02, q


@pytest.mark.parametrize("method", ["subspace", "residual"])
def test_energy_detectors_history_equals_whole(method):
    task = synthetic_task(100, 100, 60, noise_std=0.2, seed=5)
    p, X, W = task.weak_pool_proba, task.pool.X, task.pool.X[:, :20]
    whole = detect_overlap(p, X, method=method, weak_acts=W)
    cut = 170
    later = detect_overlap(p[cut:], X[cut:], method=method, weak_acts=W[cut:], history=(p[:cut], X[:cut], W[:cut]))
    np.testing.assert_array_equal(later.types, whole.types[cut:])
    assert later.tau_hard == whole.tau_hard and later.n_history == cut


def test_energy_detectors_are_rotation_invariant():
    "An orthogonal change of basis of the representations changes nothing: no reliance on coordinate zeros"
    task = synthetic_task(100, 100, 60, noise_std=0.2, seed=6)
    rot = np.linalg.qr(np.random.default_rng(0).normal(size=(40, 40)))[0]
    rot_w = np.linalg.qr(np.random.default_rng(1).normal(size=(20, 20)))[0]
    for method in ("subspace", "residual"):
        a = detect_overlap(task.weak_pool_proba, task.pool.X, method=method, weak_acts=task.pool.X[:, :20])
        b = detect_overlap(task.weak_pool_proba, task.pool.X @ rot, method=method, weak_acts=task.pool.X[:, :20] @ rot_w)
        np.testing.assert_array_equal(a.types, b.types)


def test_residual_needs_weak_acts_and_energy_methods_refuse_constant_pools():
    p = np.linspace(0.01, 0.99, 30)
    with pytest.raises(ValueError, match="needs weak_acts"):
        detect_overlap(p, np.random.default_rng(0).normal(size=(30, 4)), method="residual")
    with pytest.raises(ValueError, match="same for every point"):
        detect_overlap(p, np.ones((30, 4)), method="subspace")
    with pytest.raises(ValueError, match="same for every point"):
        detect_overlap(p, np.ones((30, 4)), method="residual", weak_acts=np.random.default_rng(1).normal(size=(30, 2)))


def test_score_detectors_records_failures_instead_of_raising():
    scores = score_detectors([(0, 30, 0)], (0.0,), 1, progress=False)      # no easy or overlap points at all
    assert len(scores) == len(METHODS) and "error" in scores
    table = summarize_detection(scores)
    assert set(table.method) == set(METHODS)


def test_score_detectors_same_pools_for_every_method():
    a = score_detectors([(50, 50, 30)], (0.2,), 2, methods=["paper"], progress=False)
    b = score_detectors([(50, 50, 30)], (0.2,), 2, progress=False)
    pd_a = a.drop(columns="method").reset_index(drop=True)
    pd_b = b[b.method == "paper"].drop(columns="method").reset_index(drop=True)
    assert pd_a.equals(pd_b)
    with pytest.raises(ValueError, match="unknown methods"):
        score_detectors(methods=["nope"], n_seeds=1, progress=False)


@pytest.mark.parametrize("weak_proba, reason", [(np.full(20, 0.5), "no candidate points"),            # one confidence level
                                                (np.linspace(0.05, 0.95, 20), "no hard points")])      # hard_threshold below all
def test_unsplittable_pools_raise_the_typed_error(weak_proba, reason):
    from w2s_nb.overlap import UnsplittableBatch
    acts = np.random.default_rng(0).normal(size=(20, 4))
    kw = {} if reason == "no candidate points" else dict(hard_threshold=0.01)
    with pytest.raises(UnsplittableBatch) as caught: detect_overlap(weak_proba, acts, **kw)
    assert caught.value.reason == reason and isinstance(caught.value, ValueError) and str(caught.value).startswith(reason + ": ")
    with pytest.raises(ValueError, match="length mismatch") as other: detect_overlap(weak_proba[:-1], acts)   # bad input is not "unsplittable"
    assert not isinstance(other.value, UnsplittableBatch)


def test_import_defers_ruptures_and_plotting():
    "ruptures (and the SciPy it loads) comes with the first change point, seaborn with the first figure, not with the import"
    import subprocess, sys
    probe = ("import sys, w2s_nb.overlap as o; print(*(m in sys.modules for m in ('ruptures', 'seaborn', 'matplotlib.pyplot'))); "
             "rng = o.np.random.default_rng(0); o.detect_overlap(rng.uniform(size=60), rng.normal(size=(60, 3))); "
             "print('ruptures' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False", "True"], out
