"""The planted-overlap task refuses what would make its known types wrong, and its statistics say what they claim.

Model-free: these build tasks and tables from text and numbers alone (the notebooks 08b and 08c run the models)."""
import numpy as np
import pandas as pd
import pytest

from w2s_nb.core import EASY, HARD, OVERLAP
from w2s_nb.planted import Cue, PlantedCounts, planted_task
from w2s_nb.calibration import block_estimate, curve_slopes, dose_table

SMALL = PlantedCounts(weak_train=(2, 2, 2), pool=(4, 4, 4), test=4, test_cued=(2, 2))


def corpora(n_lab=200, n_neu=100):
    lab = pd.DataFrame({"text": [f"review number {i} of the film" for i in range(n_lab)], "label": np.arange(n_lab) % 2})
    return lab, [f"a plot sentence {i} about a town" for i in range(n_neu)]


def test_types_labels_and_cues_are_what_the_task_says():
    lab, neu = corpora()
    task = planted_task(lab, neu, counts=SMALL, seed=1)
    f = task.frame
    assert f.groupby(["role", "type"]).size().to_dict() == {("pool", 0): 4, ("pool", 1): 4, ("pool", 2): 4, ("test", 1): 4,
        ("test_cued", 0): 2, ("test_cued", 2): 2, ("weak_train", 0): 2, ("weak_train", 1): 2, ("weak_train", 2): 2}
    cued = f.text.str.contains("alpha alpha alpha.", regex=False) | f.text.str.contains("omega omega omega.", regex=False)
    assert (cued == ((f.type != HARD) & (f.role != "test"))).all()
    with_alpha = f.text.str.startswith("alpha alpha alpha.")
    assert (with_alpha == (cued & (f.label == 1))).all()                                     # reliability 1: the cue names the label
    assert f[f.type == EASY].id.str.contains("neutral/").all() and f[f.type != EASY].id.str.contains("labelled/").all()
    assert f.txt.str.startswith("Review: ").all() and f.txt.str.endswith("Is this review positive?").all()


def test_flip_swaps_the_cue_and_reliability_flips_a_share():
    lab, neu = corpora(2000, 1000)
    big = PlantedCounts(weak_train=(50, 50, 50), pool=(200, 200, 200), test=10, test_cued=(50, 50))
    flipped = planted_task(lab, neu, counts=big, flip=True).frame
    cued = flipped[flipped.cue_agrees.notna()]
    assert (cued.text.str.contains("omega omega omega.", regex=False) == (cued.label == 1)).all()
    noisy = planted_task(lab, neu, counts=big, reliability=0.8).frame
    assert 0.75 < noisy.cue_agrees.dropna().mean() < 0.85


def test_blocks_are_disjoint_and_a_small_corpus_is_refused_not_shrunk():
    lab, neu = corpora()
    ids = [set(planted_task(lab, neu, counts=SMALL, block=b, n_blocks=3).frame.id.str.split("/", n=1).str[1]) for b in range(3)]
    assert not (ids[0] & ids[1]) and not (ids[1] & ids[2])
    big_lab, _ = corpora(2000)
    with pytest.raises(ValueError, match="neutral corpus has 100 texts.*can give 12 block"):
        planted_task(big_lab, neu, counts=SMALL, block=0, n_blocks=13)
    skewed = lab.assign(label=(np.arange(len(lab)) % 40 == 0).astype(int))
    with pytest.raises(ValueError, match="label-1 texts, but the counts need"):
        planted_task(skewed, neu, counts=SMALL)
    with pytest.raises(ValueError, match="labelled corpus has 15 texts"):
        planted_task(lab.head(15), neu, counts=SMALL)


@pytest.mark.parametrize("kwargs, message", [
    (dict(cue=Cue("a plot", "review number")), "already appears in"),
    (dict(reliability=0.3), "reliability must be in"),
    (dict(template="no placeholder"), "must contain"),
    (dict(block=3, n_blocks=2), "block=3"),
])
def test_bad_settings_are_refused_by_name(kwargs, message):
    lab, neu = corpora()
    with pytest.raises(ValueError, match=message): planted_task(lab, neu, counts=SMALL, **kwargs)


def test_bad_corpora_are_refused():
    lab, neu = corpora()
    with pytest.raises(TypeError, match="columns text and label"): planted_task(lab.rename(columns={"text": "t"}), neu, counts=SMALL)
    with pytest.raises(ValueError, match="empty or not strings"): planted_task(lab, neu[:-1] + [" "], counts=SMALL)
    with pytest.raises(ValueError, match="labels must be 0/1"): planted_task(lab.assign(label=lab.label + 1), neu, counts=SMALL)


def test_tost_and_mde():
    flat = block_estimate(np.random.default_rng(0).normal(0, 0.005, 10), bound=0.02)
    assert flat["equivalence"].startswith("equivalent") and flat["mde"] < 0.02
    steep = block_estimate(np.random.default_rng(0).normal(0.1, 0.01, 10), bound=0.02)
    assert steep["equivalence"].startswith("not shown equivalent") and steep["ci_low"] > 0.05


def test_attenuation_reads_a_planted_share():
    "A control that recovers 30% of a known effect on every block gives attenuation 0.3"
    rows = []
    for block in range(8):
        known = 0.1 + 0.01 * block
        rows += [dict(cue="c", l2=1e-3, metric="auroc", block=block, contrast="O vs E", slope=known, matched_slope=0.0,
                      excess_slope=known, matched_share_p0=0.5, matched_share_p1=0.5),
                 dict(cue="c", l2=1e-3, metric="auroc", block=block, contrast="O vs H", slope=known, matched_slope=0.7 * known,
                      excess_slope=0.3 * known, matched_share_p0=0.1, matched_share_p1=0.8)]
    table = dose_table(pd.DataFrame(rows)).set_index("contrast")
    assert table.loc["O vs H", "attenuation"] == pytest.approx(0.3)
    assert table.loc["O vs H", "attenuation_ci_low"] == pytest.approx(0.3) and table.loc["O vs E", "n_seeds"] == 8


def test_curve_slopes_on_a_known_line():
    p = np.repeat([0.0, 0.5, 1.0], 2)
    mix = pd.DataFrame(dict(kind=["mixing", "matched"] * 3, proportion=p, accuracy=0.5 + 0.2 * p, auroc=0.6 + np.where(np.arange(6) % 2, 0.1, 0.3) * p,
                            contrast="O vs H", overlap_share=np.where(np.arange(6) % 2, 0.2 + 0.5 * p, p)))
    s = curve_slopes(mix, "auroc").iloc[0]
    assert s.slope == pytest.approx(0.3) and s.matched_slope == pytest.approx(0.1) and s.excess_slope == pytest.approx(0.2)
    assert s.matched_share_p0 == pytest.approx(0.2) and s.matched_share_p1 == pytest.approx(0.7)
