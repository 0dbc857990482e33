"""The planted-overlap study (`w2s_nb.planted`): dose-response, detectors and selection on real text with known types.

    python benchmarks/planted_study.py                                   # all ten blocks, then the summary tables
    python benchmarks/planted_study.py --blocks 3 4                      # only these blocks (appended; resumable)
    python benchmarks/planted_study.py --summarize                       # only rebuild the summary tables

Writes the stacked per-block tables to OUT/raw/ (validity, mixing, detectors, selection, types) and the summary
tables to OUT/ (dose_response, detectors, selection, types). A block already in OUT/raw is not run again. Run with
HF_HUB_OFFLINE=1; the bundled models and text must be installed.
"""
import argparse, os, time, warnings
from pathlib import Path

from w2s_nb.calibration import PlantedConfig, planted_tables, run_planted_study, RAW_TABLES
import numpy as np
import pandas as pd
from w2s_nb.stats import Estimate, write_estimates

CONTRAST_NAMES = {"O vs E": "overlap_vs_easy", "O vs H": "overlap_vs_hard"}


def dose_estimates(dose:pd.DataFrame, l2:float)->list:
    "The dose-response claims of one probe penalty as estimates.csv rows: slope and excess slope per contrast, metric and cue"
    out = []
    for r in dose[np.isclose(dose.l2, l2)].itertuples(index=False):
        name = f"{r.metric}_slope:{CONTRAST_NAMES.get(r.contrast, r.contrast)}:{r.cue}"
        common = dict(method="t", units=r.units, n_units=int(r.n_seeds))
        out.append(Estimate(name, r.slope, r.ci_low, r.ci_high, equivalence=r.equivalence, mde=r.mde, **common))
        out.append(Estimate("excess_" + name, r.excess_slope, r.excess_ci_low, r.excess_ci_high, **common))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="benchmarks/results/planted", help="output folder (raw/ below it holds the per-block rows)")
    ap.add_argument("--blocks", type=int, nargs="*", help="blocks to run (default: every block of the config)")
    ap.add_argument("--summarize", action="store_true", help="only write the summary tables from OUT/raw")
    args = ap.parse_args(argv)
    config, out = PlantedConfig(), Path(args.out)
    if not args.summarize:
        t = time.perf_counter()
        run_planted_study(config, out / "raw", blocks=args.blocks)
        print(f"blocks {args.blocks or 'all'}: {time.perf_counter() - t:.0f} s (load average {os.getloadavg()[0]:.2f})")
    raw = {k: pd.read_csv(out / "raw" / f"{k}.csv") for k in RAW_TABLES if (out / "raw" / f"{k}.csv").exists()}
    if {"mixing", "detectors", "selection"} <= raw.keys():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = planted_tables(raw, config)
            for name, table in tables.items(): table.to_csv(out / f"{name}.csv", index=False)
        write_estimates(dose_estimates(tables["dose_response"], config.l2s[0]), out / "estimates.csv")
        print("summary tables written to", out)


if __name__ == "__main__":
    main()
