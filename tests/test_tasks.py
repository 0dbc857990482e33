"""The offline tasks of the cross-task study load from the packaged data as they claim (sizes, balance, no source on both
sides of the train/test line), the summary has its columns, and the `tasks` reproduce entry writes its tables."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from w2s_nb.data import SPLITS, SplitSizes, convention_frame, debate_frame, group_split, known_tasks, load_task, subjectivity_frame
from w2s_nb.stats import ESTIMATE_COLUMNS, estimates_frame
from w2s_nb.tasks import RUN_COLUMNS, SUMMARY_COLUMNS, TASKS, density_groups, task_estimates, task_summary

ROOT = Path(__file__).resolve().parents[1]
SIZES = SplitSizes(100, 200, 0, 200)


def test_packaged_tasks_hold_what_they_say():
    subj, deb, conv = subjectivity_frame(), debate_frame(), convention_frame()
    for frame in (subj, deb, conv):
        assert not frame["txt"].duplicated().any() and not frame["id"].duplicated().any()
        assert set(frame["label"]) == {0, 1}
    assert subj["txt"].str.endswith("Is this text an opinion about a film?").all()
    assert subj["id"].str.contains("/review/").sum() == (subj["label"] == 1).sum() > 10_000     # every review, a few thousand plot sentences
    assert 200 < (deb["label"] == 0).sum() < (deb["label"] == 1).sum() < 400                      # Democratic turns are the scarce class
    assert conv["group"].nunique() > 150 and (conv.groupby("group")["label"].nunique() == 1).all()  # a speaker has one party


@pytest.mark.parametrize("task", ["subjectivity", "debate_party", "convention_party", "rotten_tomatoes"])
def test_splits_are_balanced_disjoint_and_seeded(task):
    assert task in known_tasks()
    d = load_task(task, SIZES, seed=3)
    assert [len(d[s]) for s in SPLITS] == [100, 200, 0, 200]
    assert [sum(d[s]["label"]) for s in SPLITS] == [50, 100, 0, 100]
    ids = [set(d[s]["id"]) for s in SPLITS]
    assert sum(map(len, ids)) == len(set().union(*ids))
    assert list(load_task(task, SIZES, seed=3)["test"]["id"]) == list(d["test"]["id"])
    assert list(load_task(task, SIZES, seed=4)["test"]["id"]) != list(d["test"]["id"])


@pytest.mark.parametrize("task, frame", [("convention_party", convention_frame), ("subjectivity", subjectivity_frame)])
def test_no_group_on_both_sides_of_the_train_test_line(task, frame):
    group = frame().set_index("id")["group"]
    for seed in range(3):
        d = load_task(task, SIZES, seed=seed)
        train = set(group[list(d["weak_train"]["id"]) + list(d["strong_train"]["id"])])
        assert not train & set(group[list(d["test"]["id"])])


def test_too_large_draws_are_refused_with_counts():
    with pytest.raises(ValueError, match="debate_party has 252 label-0"):
        load_task("debate_party", SplitSizes(300, 300, 0, 200))
    with pytest.raises(ValueError, match="too few for a group-disjoint test split"):
        load_task("convention_party", SplitSizes(0, 0, 0, 4000))
    with pytest.raises(ValueError, match="no `group` column"):
        group_split(pd.DataFrame({"txt": ["a"], "label": [0], "id": ["0"]}), 2, 0)


def fake_runs(seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for t, (gain, dens) in zip(TASKS, [(0.02, 0.1), (0.05, 0.3), (0.0, 0.05), (0.08, 0.2)]):
        for s in range(5):
            weak = 0.7 + rng.normal(0, 0.01); strong = weak + 0.1 + rng.normal(0, 0.01); w2s = weak + gain + rng.normal(0, 0.01)
            rows.append(dict(task=t, seed=s, n_pool=200, n_test=200, weak_acc=weak, strong_acc=strong, w2s_acc=w2s, gap=w2s - weak,
                             pgr_run=(w2s - weak) / (strong - weak), density=dens + rng.normal(0, 0.01), n_overlap=20,
                             mixing_slope=0.02, matched_slope=0.01, excess_slope=0.01 + rng.normal(0, 0.01), misfit=0.02))
    return pd.DataFrame(rows, columns=list(RUN_COLUMNS))


def test_summary_has_one_row_per_task_and_its_columns():
    summary = task_summary(fake_runs(), n_resamples=500)
    assert tuple(summary.columns) == SUMMARY_COLUMNS and list(summary["task"]) == list(TASKS)
    assert (summary.gap_ci_low <= summary.gap).all() and (summary.gap <= summary.gap_ci_high).all()
    assert list(summary["density_group"]) == ["medium", "high", "low", "high"]   # ranks 2, 4, 1, 3 of four: thirds
    np.testing.assert_allclose(summary.set_index("task")["pgr"], fake_runs().groupby("task").apply(
        lambda g: (g.w2s_acc - g.weak_acc).mean() / (g.strong_acc - g.weak_acc).mean())[list(TASKS)].to_numpy())
    est = estimates_frame(task_estimates(summary))
    assert tuple(est.columns) == ESTIMATE_COLUMNS and len(est) == 5 * len(TASKS)
    assert list(density_groups([3, 1, 2])) == ["high", "low", "medium"]


def test_a_resample_without_a_gap_to_recover_leaves_pgr_without_interval():
    runs = fake_runs()
    one = runs[runs.task == "sentiment"].head(3).copy()
    one["strong_acc"] = one["weak_acc"] + [0.0, 0.1, 0.1]     # a resample of the first seed alone has strong - weak = 0
    row = task_summary(one, n_resamples=500).iloc[0]
    assert row.denominator_in_noise and np.isnan(row.pgr_ci_low) and np.isfinite(row.pgr)
    assert row.gap_ci_low <= row.gap <= row.gap_ci_high


def test_reproduce_entry_writes_the_cross_task_tables(tmp_path):
    from w2s_nb.report import CROSS_TASK, reproduce
    out = tmp_path / "report"
    done = reproduce(out, quick=True, experiments=(CROSS_TASK,), workers=1, progress=False)
    assert (done["tables"]["tasks"].status == "ok").all(), done["tables"]["tasks"].to_dict("records")
    summary = pd.read_csv(out / "tables" / "tasks" / "summary.csv")
    assert set(summary["task"]) == set(TASKS) and (summary["n_seeds"] == 2).all()
    assert {"weak", "strong", "w2s", "gap", "pgr", "density", "excess_slope", "misfit"} <= set(summary.columns)
    est = pd.read_csv(out / "tables" / "tasks" / "estimates.csv")
    assert set(ESTIMATE_COLUMNS) <= set(est.columns) and len(est) == 5 * len(TASKS) + 3   # five per task, three gain slopes
    assert set(est.estimand[-3:]) == {"misfit_slope", "density_slope", "density_slope_given_misfit"} and (est.mde[-3:] > 0).all()
    assert list(out.glob("figures/tasks/*.png"))


def test_study_folder_from_before_a_new_field_resumes_with_its_default(tmp_path):
    import json
    from dataclasses import replace
    from w2s_nb.tasks import TaskStudyConfig, _check_folder, _config_json
    old = _config_json(TaskStudyConfig()); del old["dtype"]                    # a config.json written before `dtype` existed
    (tmp_path / "config.json").write_text(json.dumps(old))
    _check_folder(tmp_path, TaskStudyConfig())                                 # float32, the default: the same study
    with pytest.raises(ValueError, match=r"differs in \['dtype'\]"): _check_folder(tmp_path, replace(TaskStudyConfig(), dtype="auto"))
