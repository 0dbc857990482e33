"""The confirmatory LLM study: the pre-registered design (nbs/experiments/llm_confirmatory.yaml) on disjoint
document blocks of the bundled reviews, and beside it, labelled exploratory, the old design's re-deal numbers.

    python benchmarks/llm_confirmatory.py --blocks 0 1 2   # run these blocks (a block already in raw/ is skipped)
    python benchmarks/llm_confirmatory.py --redeal         # exploratory: the old template's 10 re-deals of one document set
    python benchmarks/llm_confirmatory.py --summarize      # stack the blocks, write the estimates (also done after --blocks)

Writes benchmarks/results/llm_confirmatory/: raw/block_<k>/ (one folder per block), the stacked tables per_block,
documents, detectors, placebo and mixing, estimates.csv (one row per claim, w2s_nb.stats.ESTIMATE_COLUMNS;
`preregistered` holds the pre-registration's sha256, empty for the exploratory rows), redeal.csv and run.json
(configuration, pre-registration hash, wall time and load per piece).
"""
import argparse, json, os, time
from pathlib import Path
import numpy as np
import pandas as pd
from w2s_nb.stats import Estimate, load_preregistration, check_preregistration, mean_interval, write_estimates
from w2s_nb.models import load_model
from w2s_nb.data import SplitSizes
from w2s_nb.llm import BlockDesign, run_llm_block, confirmatory_estimates, llm_arrays, run_w2s_arrays

ROOT = Path(__file__).resolve().parents[1]
PREREG = ROOT / "nbs" / "experiments" / "llm_confirmatory.yaml"
OUT = ROOT / "benchmarks" / "results" / "llm_confirmatory"
TABLES = ("per_block", "documents", "detectors", "placebo", "mixing")
REDEAL = dict(n=800, doc_seed=0, seeds=range(10))   # the old template's defaults: 800 documents per split, 10 re-deals


def _log(piece:str, seconds:float):
    "Append a piece's wall time and load to run.json"
    path = OUT / "run.json"
    run = json.loads(path.read_text()) if path.is_file() else {}
    run.setdefault("pieces", []).append(dict(piece=piece, seconds=round(seconds, 1), load_1min=round(os.getloadavg()[0], 2),
                                             cpus=os.cpu_count(), finished=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())))
    path.write_text(json.dumps(run, indent=1))


def run_blocks(design, blocks):
    weak, strong = load_model(design.weak_model, design.dtype), load_model(design.strong_model, design.dtype)
    for k in blocks:
        folder = OUT / "raw" / f"block_{k}"
        if (folder / "per_block.csv").is_file(): print(f"block {k}: done already"); continue
        t0 = time.time()
        tables = run_llm_block(design, k, weak, strong, progress=False)
        folder.mkdir(parents=True, exist_ok=True)
        for name in TABLES[::-1]: tables[name].to_csv(folder / f"{name}.csv", index=False)   # per_block last: it marks the block done
        _log(f"block {k}", time.time() - t0)
        print(f"block {k}: {time.time() - t0:.0f} s", tables["per_block"].round(3).to_dict("records"), flush=True)


def run_redeal(design):
    "Exploratory: the old template's design, ten re-deals of one document set of 800 documents per split"
    t0, rows = time.time(), []
    weak, strong = load_model(design.weak_model, design.dtype), load_model(design.strong_model, design.dtype)
    sizes = SplitSizes(weak_train=REDEAL["n"], strong_train=REDEAL["n"], val=0, test=REDEAL["n"])
    for s in REDEAL["seeds"]:
        arrays = llm_arrays(weak, strong, design.task, sizes=sizes, seed=REDEAL["doc_seed"], resplit_seed=s, layer=design.layer,
                            pooling=design.pooling, dtype=design.dtype, progress=False)
        res = run_w2s_arrays(**arrays, probe_kwargs=dict(l2=design.l2), detect_kwargs=dict(method=design.detection_method),
                             proportions=design.proportions, detect_on_test=False, check_detection=False, seed=s)
        rows.append(dict(redeal=s, **{k: res.metrics[k] for k in ("weak_acc", "strong_acc", "w2s_acc", "gap", "pgr", "misfit", "excess_slope")}))
    pd.DataFrame(rows).to_csv(OUT / "redeal.csv", index=False)
    _log("redeal", time.time() - t0)


def summarize(design, prereg):
    folders = sorted((OUT / "raw").glob("block_*"), key=lambda f: int(f.name.split("_")[1]))
    done = [f for f in folders if (f / "per_block.csv").is_file()]
    if len(done) < 2: print(f"{len(done)} block(s) done: the estimates need at least 2"); return
    tables = {name: pd.concat([pd.read_csv(f / f"{name}.csv") for f in done], ignore_index=True) for name in TABLES}
    for name, table in tables.items(): table.to_csv(OUT / f"{name}.csv", index=False)
    sesoi = float(prereg["analysis"]["smallest_effect_of_interest"])
    estimates = confirmatory_estimates(tables, sesoi, prereg["_sha256"])
    if (OUT / "redeal.csv").is_file():
        deals = pd.read_csv(OUT / "redeal.csv")
        for col in ("gap", "pgr", "excess_slope"):
            estimates.append(Estimate(f"exploratory:{col}_redeal", *mean_interval(deals[col]), method="t", units="re-deals",
                                      n_units=len(deals)))
    path = write_estimates(estimates, OUT / "estimates.csv")
    run = json.loads((OUT / "run.json").read_text()) if (OUT / "run.json").is_file() else {}
    run |= dict(preregistration=str(PREREG.relative_to(ROOT)), preregistered_sha256=prereg["_sha256"], config=design.config(),
                blocks=[int(f.name.split("_")[1]) for f in done], redeal=dict(n=REDEAL["n"], doc_seed=REDEAL["doc_seed"], seeds=list(REDEAL["seeds"])))
    (OUT / "run.json").write_text(json.dumps(run, indent=1))
    print(pd.read_csv(path).to_string())


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", type=int, nargs="*", default=None, help="blocks to run (default: none; all: 0..n_blocks-1)")
    ap.add_argument("--redeal", action="store_true", help="run the exploratory re-deal comparison")
    ap.add_argument("--summarize", action="store_true", help="only stack the blocks and write the estimates")
    ap.add_argument("--out", default=str(OUT), help="results folder (default: the committed one)")
    args = ap.parse_args()
    OUT = Path(args.out)
    prereg = load_preregistration(PREREG)
    design = BlockDesign.from_config(prereg["config"])
    check_preregistration(prereg, design.config())
    OUT.mkdir(parents=True, exist_ok=True)
    if args.blocks: run_blocks(design, args.blocks)
    if args.redeal: run_redeal(design)
    summarize(design, prereg)
