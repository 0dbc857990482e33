"""Every figure of the synthetic, mixing, detector, summary and report modules, drawn on tiny inputs, checked for
what a reader needs: axes labelled in words, a legend in words, and the project's one colour per model.

The rules `figure_problems` checks:
- every visible axes has a non-empty x label and y label, except where it shares that axis (matplotlib's
  `sharex`/`sharey`) with an axes that is labelled: a row of panels with one y label on the left passes;
- no axis label, title, legend title or legend entry holds an underscore (a raw column name such as `w2s_acc`);
- the figure has at least one legend;
- a legend entry that names a model has that model's colour from `w2s_nb.core.MODEL_COLORS`: entries that say
  "control" or "matched", or describe w2s on random points, are the control; otherwise an entry whose first word is
  weak, strong or w2s is that model.
Each figure also declares which models its legend must show, so the colour check cannot pass on an empty legend.
The planted figures at the end show that each rule fails when broken."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from w2s_nb.core import DETECTOR_COLORS, MODEL_COLORS, OVERLAP, torch_threads
from w2s_nb.synthetic import plot_ablations, plot_synthetic, plot_synthetic_by_type, run_easy_ablation, run_hard_ablation, run_synthetic, synthetic_task
from w2s_nb.mixing import plot_mixing, run_mixing
from w2s_nb.core import SPARE_COLORS
from w2s_nb.detectors import plot_detection_scores, plot_mixing_controls, score_detectors, synthetic_mixing_controls
from w2s_nb.plots import batch_summary_figure, overlap_curves_figure

MODELS = tuple(MODEL_COLORS)


def model_of(label:str)->str|None:
    "The model a legend entry names (see the module docstring), or None"
    words = label.lower().split()
    if not words: return None
    if "control" in label.lower() or "matched" in label.lower() or (words[0] == "w2s" and "random" in words): return "control"
    first = words[0].rstrip(":,")
    return first if first in MODELS else None


def handle_color(handle):
    "The RGB colour a legend handle shows"
    color = handle.get_color() if hasattr(handle, "get_color") else handle.get_facecolor()
    if not isinstance(color, str) and np.ndim(color) == 2: color = color[0]   # a collection: its first colour
    return to_rgb(color)


def _legends(fig): return [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)


def figure_problems(fig)->tuple[list[str], set]:
    "What breaks the rules in the module docstring, and the models the figure's legends show"
    problems, shown = [], set()
    for i, ax in enumerate(fig.axes):
        if not ax.axison: continue
        for axis, label, shared in (("x", ax.get_xlabel(), ax.get_shared_x_axes()), ("y", ax.get_ylabel(), ax.get_shared_y_axes())):
            siblings = [s for s in shared.get_siblings(ax) if s is not ax]
            if not label.strip() and not any((s.get_xlabel() if axis == "x" else s.get_ylabel()).strip() for s in siblings):
                problems.append(f"axes {i}: no {axis} label")
            if "_" in label: problems.append(f"axes {i}: {axis} label {label!r} is a raw name, not words")
        if "_" in ax.get_title(): problems.append(f"axes {i}: title {ax.get_title()!r} is a raw name, not words")
    legends = _legends(fig)
    if not legends: problems.append("no legend")
    for legend in legends:
        if "_" in legend.get_title().get_text(): problems.append(f"legend title {legend.get_title().get_text()!r} is a raw name")
        for text, handle in zip(legend.get_texts(), legend.legend_handles):
            label = text.get_text()
            if not label.strip(): problems.append("an empty legend entry")
            if "_" in label: problems.append(f"legend entry {label!r} is a raw name, not words")
            model = model_of(label)
            if model is None: continue
            shown.add(model)
            if handle_color(handle) != to_rgb(MODEL_COLORS[model]):
                problems.append(f"legend entry {label!r} is drawn {handle_color(handle)}, not the {model} colour {MODEL_COLORS[model]}")
    return problems, shown


@pytest.fixture(scope="module")
def inputs():
    "Tiny real runs of every experiment the figures draw (about a second on one core)"
    with torch_threads(1):
        sweep = run_synthetic(n_runs=3, overlaps=(10, 50), progress=False)
        easy, hard = run_easy_ablation(n_runs=3, ks=(0, 4), progress=False), run_hard_ablation(n_runs=3, ks=(0, 4), progress=False)
        task = synthetic_task(60, 60, 60, seed=0)
        mixes = [run_mixing(task.pool.X, task.weak_pool_proba, np.flatnonzero(task.pool.types == OVERLAP), task.test.X, task.test.y,
                            gold_labels=task.pool.y, weak_test_proba=task.weak_test_proba, proportions=(0, .5, 1), seed=s).assign(seed=s)
                 for s in (0, 1)]
        scores = score_detectors(((60, 60, 30), (60, 30, 30)), (0.0, 0.2), 2, methods=["paper", "subspace"], progress=False)
        controls = synthetic_mixing_controls((60, 60, 60), noise_stds=(0.0,), n_seeds=2, methods=["subspace"], versus=("rest",),
                                             proportions=(0, .5, 1), progress=False)
    batch = pd.DataFrame([dict(run=f"r{s}{n}{m}", seed=s, n_points=n, model=m, test_acc=0.5 + 0.001 * n + 0.01 * s + 0.02 * i, status="ok")
                          for s in range(2) for n in (10, 20) for i, m in enumerate(MODELS[:3])])
    return dict(sweep=sweep, easy=easy, hard=hard, mix=pd.concat(mixes, ignore_index=True), scores=scores, controls=controls, batch=batch)


# name -> (draw(inputs) -> figure, the models its legend must show)
FIGURES = {
    "plot_synthetic": (lambda d: plot_synthetic(d["sweep"]), {"weak", "strong", "w2s"}),
    "plot_synthetic_by_type": (lambda d: plot_synthetic_by_type(d["sweep"]), {"weak", "strong", "w2s"}),
    "plot_ablations": (lambda d: plot_ablations(d["easy"], d["hard"]), {"weak", "strong", "w2s"}),
    "plot_mixing": (lambda d: plot_mixing(d["mix"]), {"weak", "strong", "w2s", "control"}),
    "plot_detection_scores": (lambda d: plot_detection_scores(d["scores"]), set()),
    "plot_detection_scores by noise": (lambda d: plot_detection_scores(d["scores"], x="noise_std", col="setting"), set()),
    "plot_mixing_controls": (lambda d: plot_mixing_controls(d["controls"]), {"w2s", "control"}),
    "batch_summary_figure": (lambda d: batch_summary_figure(d["batch"], ["seed", "n_points", "model"]), {"weak", "strong", "w2s"}),
    "batch_summary_figure, seeds only": (lambda d: batch_summary_figure(d["batch"].query("n_points == 10 and model == 'w2s'"), ["seed"]), set()),
    "overlap_curves_figure": (lambda d: overlap_curves_figure({"synthetic": d["mix"], "no control": d["mix"].query("kind == 'mixing'")}),
                              {"w2s", "control"}),
}


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_labels_legend_colours(inputs, name):
    draw, models = FIGURES[name]
    fig = draw(inputs)
    try:
        problems, shown = figure_problems(fig)
        assert not problems, problems
        assert models <= shown, f"{name}: its legend shows {shown}, expected at least {models}"
    finally: plt.close(fig)


def _planted(xlabel="share of overlap points", ylabel="test accuracy", label="w2s on the mix", color=MODEL_COLORS["w2s"], legend=True):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0.6, 0.8], color=color, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if legend: ax.legend()
    return fig


@pytest.mark.parametrize("planted, expected", [
    (dict(), None),                                                          # the clean figure passes
    (dict(xlabel="overlap_ratio"), "x label 'overlap_ratio' is a raw name"),
    (dict(ylabel=""), "no y label"),
    (dict(label="w2s_acc"), "legend entry 'w2s_acc' is a raw name"),
    (dict(color=MODEL_COLORS["weak"]), "not the w2s colour"),
    (dict(label="matched control", color="tab:purple"), "not the control colour"),
    (dict(legend=False), "no legend"),
])
def test_checker_catches_planted_violations(planted, expected):
    fig = _planted(**planted)
    problems, _ = figure_problems(fig)
    plt.close(fig)
    if expected is None: assert problems == []
    else: assert any(expected in p for p in problems), problems


def test_shared_axis_convention():
    "A row of panels sharing y may carry the y label once; without sharing, the unlabelled panel fails"
    for sharey, ok in ((True, True), (False, False)):
        fig, axes = plt.subplots(1, 2, sharey=sharey)
        for ax in axes: ax.plot([0, 1], [0, 1], color=MODEL_COLORS["strong"], label="strong model"); ax.set_xlabel("round")
        axes[0].set_ylabel("test accuracy"); axes[0].legend()
        problems, shown = figure_problems(fig)
        plt.close(fig)
        assert (problems == []) == ok, problems
        assert shown == {"strong"}


def test_model_of():
    assert [model_of(s) for s in ("weak", "weak model", "w2s: no easy-only rows", "w2s on m random points",
                                  "w2s on the matched control", "paper (500 runs)", "random")] == \
        ["weak", "weak", "w2s", "control", "control", None, None]


def test_detector_colours(inputs):
    "Detectors keep their DETECTOR_COLORS; a detector no palette names gets a spare colour, never a model's"
    scores = inputs["scores"].replace({"method": {"subspace": "my_new_detector"}})
    fig = plot_detection_scores(scores)
    legend = fig.axes[0].get_legend()
    colours = {t.get_text(): handle_color(h) for t, h in zip(legend.get_texts(), legend.legend_handles)}
    plt.close(fig)
    assert colours["paper"] == to_rgb(DETECTOR_COLORS["paper"])
    assert colours["my new detector"] == to_rgb(SPARE_COLORS[0])
    assert colours["my new detector"] not in {to_rgb(c) for c in MODEL_COLORS.values()}
