"Invariants of data-source selection that need several runs side by side (the notebook tests each piece)."
import warnings

import numpy as np
import pytest

from w2s_nb.selection import BatchDispenser, compare_policies, run_selection, selection_summary
from w2s_nb.pools import synthetic_sources


@pytest.fixture(scope="module")
def setup():
    return synthetic_sources((0.1, 0.9), n_per_source=300, seed=3)


def test_dispenser_never_repeats_a_point(setup):
    "every point of a source is handed out at most once, whatever the order of pulls"
    disp, rng = BatchDispenser(setup.sources, 7, seed=1), np.random.default_rng(0)
    taken = [[], []]
    while (disp.rounds_left() > 0).any():
        s = int(rng.choice(np.flatnonzero(disp.rounds_left() > 0)))
        taken[s].extend(disp.take(s).tolist())
    for s, idx in zip(setup.sources, taken):
        assert len(idx) == len(set(idx)) == (s.n // 7) * 7


def test_common_random_numbers_across_policies(setup):
    "at one seed, the k-th pull of a source gives the same batch and the same detection whatever the policy"
    kw = dict(T=12, batch_size=20, eval_every=12, seed=5, **setup.run_kwargs())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = [run_selection(setup.sources, p, **kw) for p in ("random", "ucb", "thompson")]
    pulls = [{(s, k): d for s, grp in r.groupby("source") for k, d in enumerate(grp.batch_detected)} for r in runs]
    shared = set(pulls[0]) & set(pulls[1]) & set(pulls[2])
    assert len(shared) >= 4
    assert all(pulls[0][key] == pulls[1][key] == pulls[2][key] for key in shared)


def test_generator_seed_reproduces(setup):
    "a Generator seed gives the same run as the same Generator built again"
    kw = dict(T=6, batch_size=20, eval_every=6, **setup.run_kwargs())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = run_selection(setup.sources, "thompson", seed=np.random.default_rng(11), **kw)
        b = run_selection(setup.sources, "thompson", seed=np.random.default_rng(11), **kw)
    assert a.equals(b)


def test_adaptive_policies_beat_random_on_far_apart_sources():
    "densities 0.1 vs 0.9: Thompson and UCB collect more overlap than random, the oracle has zero regret"
    build = lambda s: synthetic_sources((0.1, 0.9), n_per_source=300, seed=s)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = compare_policies(build, ("ucb", "thompson", "random", "oracle"), seeds=range(3), T=15, batch_size=20,
                               eval_every=15, progress=False)
    summ = selection_summary(res)
    assert summ.loc["oracle", "cum_regret_mean"] == 0 and summ.loc["oracle", "true_fraction_mean"] == pytest.approx(0.9)
    for p in ("ucb", "thompson"):
        assert summ.loc[p, "true_fraction_mean"] > summ.loc["random", "true_fraction_mean"], summ


def test_calibrated_estimates_order_the_sources(setup):
    "the default detector's final estimates put the 0.9 source far above the 0.1 one (per-batch detection does not)"
    kw = dict(T=20, batch_size=15, eval_every=20, seed=2, **setup.run_kwargs())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = {e: run_selection(setup.sources, "random", estimator=e, **kw).iloc[-1] for e in ("calibrated", "batch")}
    gap = {e: r[f"est:{setup.sources[1].name}"] - r[f"est:{setup.sources[0].name}"] for e, r in est.items()}
    assert gap["calibrated"] > 0.5 and gap["calibrated"] > gap["batch"] + 0.2, gap


def test_tie_break_first_reproduces_index_order(setup):
    "tie_break='first': UCB's first pulls go in index order and the run does not depend on the policy's stream"
    kw = dict(T=8, batch_size=20, eval_every=8, tie_break="first", estimator="true_types", **setup.run_kwargs())
    runs = [run_selection(setup.sources, "ucb", seed=s, **kw) for s in (0, 0)]
    assert runs[0].source.tolist()[:2] == [0, 1] and runs[0].equals(runs[1])


def test_bad_estimator_arguments(setup):
    kw = dict(T=5, batch_size=20, **setup.run_kwargs())
    with pytest.raises(ValueError, match="unknown estimator"): run_selection(setup.sources, "ucb", estimator="pooled", **kw)
    with pytest.raises(ValueError, match="unknown tie_break"): run_selection(setup.sources, "ucb", tie_break="last", **kw)


def test_detect_batch_catches_only_unsplittable_batches():
    from w2s_nb.selection import detect_batch
    from w2s_nb.streaming import StreamingDetector
    acts = np.random.default_rng(0).normal(size=(10, 3))
    mask, note = detect_batch(StreamingDetector("batch"), np.full(10, 0.5), acts)
    assert mask.sum() == 0 and note == "not split: no candidate points"
    with pytest.raises(ValueError, match="at least 2 points"): detect_batch(StreamingDetector("batch"), [0.5], acts[:1])
