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
import pandas as pd


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
            for name, table in planted_tables(raw, config).items(): table.to_csv(out / f"{name}.csv", index=False)
        print("summary tables written to", out)


if __name__ == "__main__":
    main()
