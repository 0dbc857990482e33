"""Every public figure of w2s_nb, drawn on tiny inputs, checked for what a reader needs: axes labelled in words,
titles that say something, a legend in words that lies off the data, shares and accuracies inside [0, 1], and the
project's one colour per model.

The rules `figure_problems` checks:
- every visible axes has a non-empty x label and y label, except where it shares that axis (matplotlib's
  `sharex`/`sharey`) with an axes that is labelled: a row of panels with one y label on the left passes;
- no axis label, title, legend title or legend entry holds an underscore (a raw column name such as `w2s_acc`);
- a title (of an axes or the figure), when there is one, says something in words: at least two words of three or
  more letters once `name = value` settings are taken out, so "acc", "A", "τ = 0.638" and "noise std = 0.0" fail;
- the figure has at least one legend, and no legend lies over plotted data: its box (in display pixels) meets no
  line segment, marker, band or bar of any axes, the data artists' extents being taken from their display paths;
- on an axes whose y label names a share, fraction, accuracy, AUROC or F1, every line and band stays in [0, 1];
- a legend entry that names a model has that model's colour from `w2s_nb.core.MODEL_COLORS`: entries that say
  "control" or "matched", or describe w2s on random points, are the control; otherwise an entry whose first word is
  weak, strong or w2s is that model.
Each figure also declares which models its legend must show, so the colour check cannot pass on an empty legend.
`plot_functions` finds every public function of the package that draws (by name, plot_/draw_/..._figure, or by a
figure call in its source), and `test_every_plot_function_is_checked` fails on one that `FIGURES` does not draw, so
a new figure cannot escape the rules. The planted figures at the end show that each rule fails when broken."""
import importlib, importlib.util, inspect, pkgutil, re
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.path import Path as MplPath
import w2s_nb
from w2s_nb.core import DETECTOR_COLORS, MODEL_COLORS, OVERLAP, SPARE_COLORS, draw_curves, palette_swatch, torch_threads
from w2s_nb.synthetic import plot_ablations, plot_synthetic, plot_synthetic_by_type, run_easy_ablation, run_hard_ablation, run_synthetic, synthetic_task
from w2s_nb.overlap import detect_overlap, plot_detection
from w2s_nb.mixing import plot_mixing, run_mixing
from w2s_nb.detectors import plot_detection_scores, plot_mixing_controls, score_detectors, synthetic_mixing_controls
from w2s_nb.pools import synthetic_sources
from w2s_nb.selection import compare_policies, plot_selection
from w2s_nb.cache import plot_projection
from w2s_nb.calibration import CONTRASTS, plot_dose_response
from w2s_nb.weak_supervision import plot_ws_mixing
from w2s_nb.llm import plot_confirmatory
from w2s_nb.tasks import plot_tasks
from pathlib import Path
from w2s_nb.plots import batch_summary_figure, overlap_curves_figure

MODELS = tuple(MODEL_COLORS)
NOT_FIGURES = {"w2s_nb.core.save_figure"}   # public functions the name rule catches that draw nothing: they save a figure given


def plot_functions(modules=None)->dict:
    "{module.name: function} of every public function that draws: named plot_*, draw_* or *_figure, or making a figure in its source"
    if modules is None:
        modules = [importlib.import_module(f"w2s_nb.{m.name}") for m in pkgutil.iter_modules(w2s_nb.__path__) if not m.name.startswith("_")]
    found = {}
    for module in modules:
        for name in getattr(module, "__all__", []):
            f = getattr(module, name, None)
            if not inspect.isfunction(f) or f.__module__ != module.__name__: continue
            try: source = inspect.getsource(f)
            except (OSError, TypeError): source = ""
            if re.match(r"(plot_|draw_)|.*_figure$", name) or re.search(r"plt\.(subplots|figure)\(|sns\.\w+plot\(|\.add_subplot\(", source):
                found[f"{module.__name__}.{name}"] = f
    return {k: f for k, f in found.items() if k not in NOT_FIGURES}


def model_of(label:str)->str|None:
    "The model a legend entry names (see the module docstring), or None"
    words = label.lower().split()
    if not words: return None
    named = re.search(r"\((weak|strong|w2s)\)\s*$", label.lower())    # "MLP on all pseudolabels (w2s)": the role in brackets
    if named: return named.group(1)
    if "control" in label.lower() or "matched" in label.lower() or (words[0] == "w2s" and "random" in words): return "control"
    first = words[0].rstrip(":,")
    return first if first in MODELS else None


def handle_color(handle):
    "The RGB colour a legend handle shows"
    color = handle.get_color() if hasattr(handle, "get_color") else handle.get_facecolor()
    if not isinstance(color, str) and np.ndim(color) == 2: color = color[0]   # a collection: its first colour
    return to_rgb(color)


def _legends(fig): return [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)


def title_problem(title:str)->str|None:
    "Why a title says nothing in words (see the module docstring), or None; an empty title is no title"
    if not title.strip(): return None
    words = re.findall(r"[^\W\d_]{3,}", re.sub(r"\S+\s*=\s*\S+", " ", title))
    return None if len(words) >= 2 else f"title {title!r} says nothing in words"


def _hits(segments, box)->bool:
    "Whether any segment ((n, 2, 2) display points) meets the box (x0, y0, x1, y1): Liang-Barsky clipping"
    if not len(segments): return False
    p, d = segments[:, 0], segments[:, 1] - segments[:, 0]
    t0, t1, ok = np.zeros(len(p)), np.ones(len(p)), np.ones(len(p), bool)
    for step, room in ((-d[:, 0], p[:, 0] - box[0]), (d[:, 0], box[2] - p[:, 0]), (-d[:, 1], p[:, 1] - box[1]), (d[:, 1], box[3] - p[:, 1])):
        with np.errstate(divide="ignore", invalid="ignore"):
            r = room / step
        ok &= ~((step == 0) & (room < 0))
        t0 = np.where(step < 0, np.maximum(t0, r), t0); t1 = np.where(step > 0, np.minimum(t1, r), t1)
    return bool((ok & (t0 <= t1)).any())


def _segments(points):
    "Consecutive pairs of finite points, as (n, 2, 2)"
    points = np.asarray(points, float).reshape(-1, 2)
    seg = np.stack([points[:-1], points[1:]], axis=1)
    return seg[np.isfinite(seg).all(axis=(1, 2))]


def _inside(points, box)->bool:
    points = np.asarray(points, float).reshape(-1, 2)
    return bool(((points[:, 0] >= box[0]) & (points[:, 0] <= box[2]) & (points[:, 1] >= box[1]) & (points[:, 1] <= box[3])).any())


def _artist_hits(artist, box)->bool:
    "Whether a data artist (line, markers, band, bar) meets the box in display coordinates"
    if isinstance(artist, matplotlib.lines.Line2D):
        points = artist.get_transform().transform(np.asarray(artist.get_xydata(), float))
        drawn_line = artist.get_linestyle() not in ("None", "", " ", "none")
        drawn_marks = artist.get_marker() not in ("None", "", " ", "none", None)
        return (drawn_line and _hits(_segments(points), box)) or (drawn_marks and _inside(points[np.isfinite(points).all(1)], box))
    if isinstance(artist, PathCollection) and len(artist.get_offsets()):   # a scatter: its markers sit at the offsets
        return _inside(artist.get_offset_transform().transform(np.asarray(artist.get_offsets(), float)), box)
    if isinstance(artist, matplotlib.collections.Collection):            # bands (filled) and error bars (segments)
        transform = artist.get_transform()
        for path in artist.get_paths():
            verts = transform.transform(path.vertices)
            if _hits(_segments(verts), box) or _inside(verts[np.isfinite(verts).all(1)], box): return True
            centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            if isinstance(artist, PolyCollection) and MplPath(verts).contains_point(centre): return True
        return False
    if isinstance(artist, matplotlib.patches.Patch):                     # bars
        ext = artist.get_window_extent()
        return ext.width > 0 and ext.height > 0 and not (ext.x1 < box[0] or ext.x0 > box[2] or ext.y1 < box[1] or ext.y0 > box[3])
    return False


def legend_overlaps(fig)->list[str]:
    "Each legend that lies over plotted data of an axes of the figure"
    fig.canvas.draw()
    out = []
    for legend in _legends(fig):
        lb = legend.get_window_extent()
        for i, ax in enumerate(fig.axes):
            if not ax.get_visible(): continue
            ab = ax.get_window_extent()
            box = (max(lb.x0, ab.x0) + 1, max(lb.y0, ab.y0) + 1, min(lb.x1, ab.x1) - 1, min(lb.y1, ab.y1) - 1)   # inside the axes: artists are clipped to it
            if box[0] >= box[2] or box[1] >= box[3]: continue
            artists = [a for a in [*ax.lines, *ax.collections, *ax.patches] if a.get_visible() and a is not ax.patch]
            hit = next((a for a in artists if _artist_hits(a, box)), None)
            if hit is not None:
                what = legend.get_title().get_text() or ", ".join(t.get_text() for t in legend.get_texts()[:2])
                out.append(f"legend ({what!r}) over data of axes {i}: {type(hit).__name__} {hit.get_label()!r}")
    return out


BOUNDED = re.compile(r"\b(fraction|share|accuracy|auroc|f1)\b", re.I)
UNBOUNDED = re.compile(r"slope|difference|minus|−|gain|error|regret", re.I)


def bounded_problems(fig)->list[str]:
    "Lines and bands outside [0, 1] on axes whose y label names a share, fraction, accuracy, AUROC or F1"
    out = []
    for i, ax in enumerate(fig.axes):
        label = ax.get_ylabel()
        if not BOUNDED.search(label) or UNBOUNDED.search(label): continue
        ys = [np.asarray(l.get_ydata(), float) for l in ax.lines if l.get_transform().contains_branch(ax.transData)]
        ys += [np.asarray(p.vertices[:, 1], float) for c in ax.collections if isinstance(c, PolyCollection) for p in c.get_paths()]
        ys = np.concatenate([y.ravel() for y in ys]) if ys else np.array([])
        ys = ys[np.isfinite(ys)]
        if len(ys) and (ys.min() < -1e-9 or ys.max() > 1 + 1e-9):
            out.append(f"axes {i}: {label!r} runs from {ys.min():.2f} to {ys.max():.2f}, outside [0, 1]")
    return out


def figure_problems(fig, legend_required:bool=True)->tuple[list[str], set]:
    "What breaks the rules in the module docstring, and the models the figure's legends show"
    problems, shown = [], set()
    for i, ax in enumerate(fig.axes):
        if not ax.axison or not ax.get_visible(): continue
        for axis, label, shared in (("x", ax.get_xlabel(), ax.get_shared_x_axes()), ("y", ax.get_ylabel(), ax.get_shared_y_axes())):
            siblings = [s for s in shared.get_siblings(ax) if s is not ax]
            if not label.strip() and not any((s.get_xlabel() if axis == "x" else s.get_ylabel()).strip() for s in siblings):
                problems.append(f"axes {i}: no {axis} label")
            if "_" in label: problems.append(f"axes {i}: {axis} label {label!r} is a raw name, not words")
        if "_" in ax.get_title(): problems.append(f"axes {i}: title {ax.get_title()!r} is a raw name, not words")
        if (why := title_problem(ax.get_title())): problems.append(f"axes {i}: {why}")
    if fig._suptitle is not None and (why := title_problem(fig._suptitle.get_text())): problems.append(f"figure {why}")
    legends = _legends(fig)
    if not legends and legend_required: problems.append("no legend")
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
    problems += legend_overlaps(fig) + bounded_problems(fig)
    return problems, shown


@pytest.fixture(scope="module")
def inputs():
    "Tiny real runs of every experiment the figures draw (a few seconds on one core), and small made-up tables where a run needs data"
    rng = np.random.default_rng(0)
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
        selection = compare_policies(lambda seed: synthetic_sources((0.1, 0.5, 0.9), n_per_source=200, seed=seed), ("ucb", "random", "oracle"),
                                     seeds=range(2), T=6, batch_size=20, eval_every=3, progress=False)
        detections = {m: detect_overlap(task.weak_pool_proba, task.pool.X, method=m) for m in ("paper", "subspace")}
    batch = pd.DataFrame([dict(run=f"r{s}{n}{m}", seed=s, n_points=n, model=m, test_acc=0.5 + 0.001 * n + 0.01 * s + 0.02 * i, status="ok")
                          for s in range(2) for n in (10, 20) for i, m in enumerate(MODELS[:3])])
    grid = [(c, k, p, b) for c in CONTRASTS.values() for k in ("mixing", "matched") for p in (0, .5, 1) for b in range(3)]
    dose = pd.DataFrame(grid, columns=["contrast", "kind", "proportion", "block"]).assign(l2=1e-3, auroc=lambda d: 0.6 + 0.1 * d.proportion + rng.normal(0, .02, len(d)))
    curve = [("mixing", p, s, 0.6 + 0.2 * p) for p in (0, .5, 1) for s in range(3)] + [("matched", p, s, 0.6 + 0.05 * p) for p in (0, .5, 1) for s in range(3)]
    refs = [(k, np.nan, s, a) for k, a in (("label_model", 0.62), ("pseudo_all", 0.7), ("gold_size_matched", 0.85)) for s in range(3)]
    ws = pd.DataFrame(curve + refs, columns=["kind", "proportion", "seed", "accuracy"]).assign(accuracy=lambda d: d.accuracy + rng.normal(0, .01, len(d)))
    return dict(sweep=sweep, easy=easy, hard=hard, mix=pd.concat(mixes, ignore_index=True), scores=scores, controls=controls, batch=batch,
                selection=selection, detections=detections, types=task.pool.types, acts=task.pool.X, labels=task.pool.y, dose=dose,
                ws=pd.concat([ws.assign(dataset="rotten_tomatoes_lf"), ws.assign(dataset="sms")], ignore_index=True))


def _draw_curves_figure(d):
    fig, ax = plt.subplots(figsize=(4.5, 3))
    x = np.linspace(0, 1, 3)
    draw_curves(ax, {"w2s on the mix": pd.DataFrame(dict(x=x, mean=0.7 + 0.1 * x, low=0.65 + 0.1 * x, high=0.75 + 0.1 * x))},
                {"w2s on the mix": dict(color=MODEL_COLORS["w2s"])}, {"weak model": (0.6, dict(color=MODEL_COLORS["weak"], ls="--"))},
                title="A curve beside its control")
    return fig


# name -> (draw(inputs) -> figure, the models its legend must show); a name after " [" is a variant of the function before it
FIGURES = {
    "w2s_nb.core.palette_swatch": (lambda d: palette_swatch(), set()),
    "w2s_nb.core.draw_curves": (_draw_curves_figure, {"w2s", "weak"}),
    "w2s_nb.synthetic.plot_synthetic": (lambda d: plot_synthetic(d["sweep"]), {"weak", "strong", "w2s"}),
    "w2s_nb.synthetic.plot_synthetic_by_type": (lambda d: plot_synthetic_by_type(d["sweep"]), {"weak", "strong", "w2s"}),
    "w2s_nb.synthetic.plot_ablations": (lambda d: plot_ablations(d["easy"], d["hard"]), {"weak", "strong", "w2s"}),
    "w2s_nb.overlap.plot_detection": (lambda d: plot_detection(d["detections"]["paper"], d["types"]), set()),
    "w2s_nb.overlap.plot_detection [energy detector]": (lambda d: plot_detection(d["detections"]["subspace"], d["types"]), set()),
    "w2s_nb.mixing.plot_mixing": (lambda d: plot_mixing(d["mix"]), {"weak", "strong", "w2s", "control"}),
    "w2s_nb.detectors.plot_detection_scores": (lambda d: plot_detection_scores(d["scores"]), set()),
    "w2s_nb.detectors.plot_detection_scores [by noise]": (lambda d: plot_detection_scores(d["scores"], x="noise_std", col="setting"), set()),
    "w2s_nb.detectors.plot_mixing_controls": (lambda d: plot_mixing_controls(d["controls"]), {"w2s", "control"}),
    "w2s_nb.selection.plot_selection": (lambda d: plot_selection(d["selection"]), set()),
    "w2s_nb.cache.plot_projection": (lambda d: plot_projection(d["acts"], d["labels"], "Synthetic pool, first two components"), set()),
    "w2s_nb.calibration.plot_dose_response": (lambda d: plot_dose_response(d["dose"]), {"w2s", "control"}),
    "w2s_nb.weak_supervision.plot_ws_mixing": (lambda d: plot_ws_mixing(d["ws"]), {"weak", "strong", "w2s", "control"}),
    "w2s_nb.plots.batch_summary_figure": (lambda d: batch_summary_figure(d["batch"], ["seed", "n_points", "model"]), {"weak", "strong", "w2s"}),
    "w2s_nb.plots.batch_summary_figure [seeds only]": (lambda d: batch_summary_figure(d["batch"].query("n_points == 10 and model == 'w2s'"), ["seed"]), set()),
    "w2s_nb.plots.overlap_curves_figure": (lambda d: overlap_curves_figure({"synthetic pools": d["mix"], "without a control": d["mix"].query("kind == 'mixing'")}),
                                           {"w2s", "control"}),
}
RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"


def _confirmatory_figure(d):
    "The LLM study's figure, drawn from its committed tables"
    folder = RESULTS / "llm_confirmatory"
    tables = {k: pd.read_csv(folder / f"{k}.csv") for k in ("per_block", "documents", "detectors", "placebo")}
    return plot_confirmatory(tables, pd.read_csv(folder / "estimates.csv"), sesoi=0.03, title="Pre-registered LLM study")


FIGURES["w2s_nb.llm.plot_confirmatory"] = (_confirmatory_figure, set())
FIGURES["w2s_nb.tasks.plot_tasks"] = (lambda d: plot_tasks(pd.read_csv(RESULTS / "tasks" / "summary.csv")), set())
LEGEND_OPTIONAL = {"w2s_nb.core.palette_swatch"}   # the palette swatch is itself the legend of every figure


def test_every_plot_function_is_checked():
    drawn = {name.split(" [")[0] for name in FIGURES}
    missing = sorted(set(plot_functions()) - drawn)
    assert not missing, f"public figure functions that FIGURES does not draw and check: {missing}"
    assert not drawn - set(plot_functions()), sorted(drawn - set(plot_functions()))   # FIGURES names nothing that no longer exists


def test_discovery_catches_a_new_plot_function(tmp_path):
    "A module with a new public figure function, found by its name or by the figure its source makes; a helper is not"
    (tmp_path / "fake_figures.py").write_text("import matplotlib.pyplot as plt\n__all__ = ['plot_new', 'overview', 'helper']\n"
                                              "def plot_new(t): return t\ndef overview(t):\n    fig, ax = plt.subplots()\n    return fig\n"
                                              "def helper(t): return t\n")
    spec = importlib.util.spec_from_file_location("fake_figures", tmp_path / "fake_figures.py")
    fake = importlib.util.module_from_spec(spec); spec.loader.exec_module(fake)
    assert set(plot_functions([fake])) == {"fake_figures.plot_new", "fake_figures.overview"}


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_rules(inputs, name):
    draw, models = FIGURES[name]
    fig = draw(inputs)
    try:
        problems, shown = figure_problems(fig, legend_required=name not in LEGEND_OPTIONAL)
        assert not problems, problems
        assert models <= shown, f"{name}: its legend shows {shown}, expected at least {models}"
    finally: plt.close(fig)


def _planted(xlabel="share of overlap points", ylabel="test accuracy", label="w2s on the mix", color=MODEL_COLORS["w2s"], legend=True,
             title="", suptitle=None, where="outside", kind="line", y=(0.6, 0.8)):
    "A small figure that keeps every rule, or breaks the one its arguments say"
    fig, ax = plt.subplots(figsize=(4, 3))
    if kind == "line": ax.plot([0, 0.5, 1], [y[0], np.mean(y), y[1]], color=color, label=label)
    elif kind == "scatter": ax.scatter(np.linspace(0, 1, 41), np.linspace(y[0], y[1], 41), color=color, label=label)
    elif kind == "band":                                    # a wide band, the line far below the legend's spot
        ax.plot([0, 1], [0.1, 0.1], color=color, label=label); ax.fill_between([0, 1], [0.0, 0.0], [0.95, 0.95], color=color, alpha=.2)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if suptitle: fig.suptitle(suptitle)
    if legend: ax.legend(**(dict(loc="upper left", bbox_to_anchor=(1.02, 1)) if where == "outside" else dict(loc=where)))
    return fig


@pytest.mark.parametrize("planted, expected", [
    (dict(), None),                                                          # the clean figure passes
    (dict(xlabel="overlap_ratio"), "x label 'overlap_ratio' is a raw name"),
    (dict(ylabel=""), "no y label"),
    (dict(label="w2s_acc"), "legend entry 'w2s_acc' is a raw name"),
    (dict(color=MODEL_COLORS["weak"]), "not the w2s colour"),
    (dict(label="matched control", color="tab:purple"), "not the control colour"),
    (dict(legend=False), "no legend"),
    (dict(where="center"), "over data of axes 0: Line2D"),                          # the legend sits on the line
    (dict(where="center", kind="scatter"), "over data of axes 0: PathCollection"),  # ... on the markers
    (dict(where="center", kind="band"), "over data of axes 0: FillBetweenPolyCollection"),   # ... inside a band, off its mean line
    (dict(where="upper left", kind="scatter", y=(0.2, 0.3)), None),                 # a legend inside the axes, clear of the data, passes
    (dict(title="acc"), "title 'acc' says nothing in words"),
    (dict(title="A"), "title 'A' says nothing in words"),
    (dict(title="τ = 0.638"), "title 'τ = 0.638' says nothing in words"),
    (dict(title="noise std = 0.2"), "says nothing in words"),
    (dict(suptitle="acc"), "figure title 'acc' says nothing in words"),
    (dict(title="Weak confidence, sorted\nat or below the dashed τ = 0.638: hard-only"), None),
    (dict(kind="band", ylabel="true overlap fraction collected", y=(0.1, 0.1)), None),
    (dict(y=(-0.2, 1.2), ylabel="true overlap fraction collected"), "outside [0, 1]"),    # a fraction pushed past its range
    (dict(y=(-0.2, 1.2), ylabel="slope of test accuracy vs overlap share"), None),      # a slope may be negative
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
                                  "w2s on the matched control", "paper (500 runs)", "random", "label model (weak)",
                                  "MLP on size-matched gold labels (strong)")] == \
        ["weak", "weak", "w2s", "control", "control", None, None, "weak", "strong"]


def test_detector_colours(inputs):
    "Detectors keep their DETECTOR_COLORS; a detector no palette names gets a spare colour, never a model's"
    scores = inputs["scores"].replace({"method": {"subspace": "my_new_detector"}})
    fig = plot_detection_scores(scores)
    legend = fig.legends[0]
    colours = {t.get_text(): handle_color(h) for t, h in zip(legend.get_texts(), legend.legend_handles)}
    plt.close(fig)
    assert colours["paper"] == to_rgb(DETECTOR_COLORS["paper"])
    assert colours["my new detector"] == to_rgb(SPARE_COLORS[0])
    assert colours["my new detector"] not in {to_rgb(c) for c in MODEL_COLORS.values()}
