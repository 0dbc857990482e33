"""The synthetic reproduction (the paper's Figure 1, right; arXiv 2412.03881): 500 runs land within ±0.02 of the authors' published means, at seeds
other than the ones used while developing (0 and 1)."""
import pytest
from w2s_nb.synthetic import PAPER_SYNTHETIC, compare_to_paper, run_synthetic


@pytest.mark.parametrize("seed", [11, 12])
def test_500_runs_match_paper(seed):
    results = run_synthetic(n_runs=500, overlaps=tuple(PAPER_SYNTHETIC.n_overlap), seed=seed, progress=False)
    diffs = compare_to_paper(results).filter(like="_diff").abs()
    assert (diffs < 0.02).all().all(), compare_to_paper(results).round(4).to_string()


def test_w2s_crosses_weak_between_ratio_009_and_013():
    means = run_synthetic(n_runs=500, overlaps=(20, 30), seed=13, progress=False).groupby("n_overlap")[["weak_acc", "w2s_acc"]].mean()
    assert means.loc[20, "w2s_acc"] < means.loc[20, "weak_acc"] and means.loc[30, "w2s_acc"] > means.loc[30, "weak_acc"], means
