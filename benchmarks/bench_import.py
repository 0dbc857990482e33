"""Import and CLI start-up times, each in a fresh interpreter, median of --repeats runs.

Prints one row per command with the median seconds and which heavy libraries the import pulled in. Run it twice to
compare: once on a checkout before a change (--label before) and once after (--label after); run it quiet
(nothing else busy) and print `uptime` beside it."""
import argparse, json, statistics, subprocess, sys, time

HEAVY = ("torch", "transformers", "datasets", "ruptures", "sklearn", "pandas", "matplotlib")
CASES = {
    "import w2s_nb": "import w2s_nb",
    "import w2s_nb.overlap": "import w2s_nb.overlap",
    "import w2s_nb.probes": "import w2s_nb.probes",
    "import w2s_nb.data": "import w2s_nb.data",
    "w2s-nb --help": "import sys; sys.argv = ['w2s-nb', '--help']\ntry:\n    from w2s_nb.cli import main; main()\nexcept SystemExit: pass",
}


def once(code:str)->tuple[float, list]:
    probe = code + f"\nimport sys, json; print('@@' + json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    seconds = time.perf_counter() - start
    return seconds, json.loads(out.rsplit("@@", 1)[1])


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--label", default="now", help="a name for this checkout in the output (e.g. before / after)")
    args = p.parse_args()
    for name, code in CASES.items():
        runs = [once(code) for _ in range(args.repeats)]
        print(f"{args.label:8} {name:24} median {statistics.median(s for s, _ in runs):6.2f} s  "
              f"(min {min(s for s, _ in runs):.2f}, {args.repeats} runs)  loads: {', '.join(runs[0][1]) or 'none of them'}")


if __name__ == "__main__":
    main()
