"""Execute the module notebooks from a clean kernel, top to bottom, and save their outputs in place.

    python scripts/execute.py                      # nbs/index.ipynb, every nbs/[0-9]*.ipynb and nbs/tutorials/*.ipynb
    python scripts/execute.py nbs/11_plots.ipynb   # just these

Each notebook runs in a fresh `python3` kernel started in the notebook's folder. Cells flagged with one of
settings.ini's `tst_flags` (`#| slow`, `#| cuda`, `#| hub`), `#| eval: false` cells and the `nbdev_export()` cell
are skipped, as `nbdev_test` skips them, and keep no output. Before the first cell a setup step that is not saved
into the notebook turns on inline figures at a modest dpi. Outputs over `--max-output-kb` are replaced by a one-line
note (and listed). The notebook is then stamped (metadata key `w2s_nb_executed`: a hash of its code cells' sources,
the flags skipped, the cells run) and cleaned with `nbdev_clean`, which keeps outputs and that key.
`tests/test_executed.py` checks the stamp against the current sources. Experiment templates (nbs/experiments/)
are never executed here: they stay clean.

A notebook whose cell raises is left as it was on disk; the script carries on and exits 1 at the end.
"""
from __future__ import annotations
import argparse, hashlib, json, os, re, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAMP_KEY = "w2s_nb_executed"
DIRECTIVE = re.compile(r"^\s*#\s*\|\s*(.*?)\s*$")


def module_notebooks(root:Path=ROOT) -> list[Path]:
    "index.ipynb first, then the numbered module notebooks in reading order"
    return [root / "nbs" / "index.ipynb"] + sorted((root / "nbs").glob("[0-9]*.ipynb"))


def tutorial_notebooks(root:Path=ROOT) -> list[Path]:
    "The tutorials (nbs/tutorials/), in their order: executed and committed with outputs like the modules"
    return sorted((root / "nbs" / "tutorials").glob("[0-9]*.ipynb"))


def executed_notebooks(root:Path=ROOT) -> list[Path]:
    "Every notebook committed with its outputs: the index and the modules, then the tutorials"
    return module_notebooks(root) + tutorial_notebooks(root)


def skip_flags(root:Path=ROOT) -> set[str]:
    "The `tst_flags` of settings.ini (read without importing nbdev, so the test needs nothing else)"
    for line in (root / "settings.ini").read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "tst_flags": return set(value.split())
    return set()


def directives(source:str) -> dict[str, list[str]]:
    "nbdev-style `#| key args` lines at the top of a cell: {key: args}; `#| eval: false` gives {'eval:': ['false']}"
    out = {}
    for line in source.splitlines():
        if not line.strip(): continue
        m = DIRECTIVE.match(line)
        if not m: break
        words = m.group(1).split()
        if words: out[words[0]] = words[1:]
    return out


def is_skipped(source:str, flags:set[str]) -> bool:
    "Does `nbdev_test` skip this code cell?"
    if "nbdev_export" + "(" in source: return True
    d = directives(source)
    if d.get("eval:", [""])[0].lower() == "false": return True
    return bool(flags & d.keys())


def sources_hash(nb:dict) -> str:
    "sha256 over the code cells' sources, in order: the stamp ties outputs to exactly this code"
    h = hashlib.sha256()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code": continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        h.update(src.encode()); h.update(b"\x00")
    return h.hexdigest()


def _setup_source(dpi:int) -> str:
    return ("%matplotlib inline\n"
            "import matplotlib as _mpl\n"
            f"_mpl.rcParams.update({{'figure.dpi': {dpi}, 'savefig.dpi': {dpi}}})\n"
            "del _mpl\n")


def _shrink_outputs(cell:dict, limit:int) -> list[str]:
    "Replace any output over `limit` bytes (as JSON) by a short stream note; return what was replaced"
    import nbformat
    replaced = []
    for i, out in enumerate(cell.get("outputs", [])):
        size = len(json.dumps(out))
        if size > limit:
            note = f"[output of {size // 1000} kB removed by scripts/execute.py: over the {limit // 1000} kB limit]\n"
            cell["outputs"][i] = nbformat.v4.new_output("stream", name="stdout", text=note)
            replaced.append(f"cell {cell.get('id')} output {i}: {size // 1000} kB")
    return replaced


def execute_notebook(path:Path, flags:set[str], dpi:int=72, max_output_kb:int=200, timeout:int=1800) -> dict:
    "Run one notebook in a fresh kernel and write it back, stamped; returns a summary of the run"
    import nbformat
    from nbclient import NotebookClient
    # the kernel inherits this process's environment: inline figures (MPLBACKEND=Agg would hide them), nbdev's
    # test mode as nbdev_test sets it, and this checkout's w2s_nb first on the path
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    os.environ.setdefault("IN_TEST", "1")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(ROOT)])
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code: c.outputs, c.execution_count = [], None
    run = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and not is_skipped(c.source, flags)]
    start = time.time()
    # nbclient writes each executed cell back to nb.cells[index]: the setup step goes in at 0 and comes out again
    nb.cells.insert(0, nbformat.v4.new_code_cell(_setup_source(dpi)))
    try:
        with client.setup_kernel():
            client.execute_cell(nb.cells[0], 0, store_history=False)
            for i, cell in run: client.execute_cell(cell, i + 1)
    finally: del nb.cells[0]
    seconds = time.time() - start
    replaced = [r for _, c in run for r in _shrink_outputs(c, max_output_kb * 1000)]
    errors = sum(o.get("output_type") == "error" for c in code for o in c.outputs)
    if errors: raise RuntimeError(f"{errors} error outputs")      # allow_errors=False should already have raised
    nb.metadata[STAMP_KEY] = {"sources_sha256": sources_hash(nb), "skipped_flags": sorted(flags),
                              "cells_run": len(run), "errors": 0, "dpi": dpi}
    nbformat.write(nb, path)
    _nbdev_clean(path)
    return dict(seconds=seconds, with_output=sum(bool(c.outputs) for c in code), code=len(code),
                run=len(run), bytes=path.stat().st_size, replaced=replaced)


def strip_notebook(path:Path):
    "Remove every output and the stamp, then nbdev_clean: the notebook as it was before execution"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code": cell["outputs"], cell["execution_count"] = [], None
    nb["metadata"].pop(STAMP_KEY, None)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    _nbdev_clean(path)


def _nbdev_clean(path:Path):
    "nbdev_clean on one file (keeps outputs and the stamp key listed in settings.ini `allowed_metadata_keys`)"
    subprocess.run(["nbdev_clean", "--fname", str(path)], cwd=ROOT, check=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: index, nbs/[0-9]*.ipynb, nbs/tutorials/)")
    ap.add_argument("--dpi", type=int, default=72, help="figure dpi of the inline figures (default 72)")
    ap.add_argument("--max-output-kb", type=int, default=200, help="largest output kept, in kB of JSON (default 200)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds one cell may run (default 1800)")
    ap.add_argument("--strip", action="store_true", help="remove the outputs and the stamp instead (back to clean)")
    args = ap.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or executed_notebooks()
    for p in paths:
        if "experiments" in p.parts: ap.error(f"{p}: experiment templates stay clean; run module notebooks only")
    if args.strip:
        for p in paths: strip_notebook(p)
        return 0
    flags, failed, total = skip_flags(), [], time.time()
    print(f"{'notebook':28s} {'seconds':>8s} {'with output / code':>19s} {'kB':>7s}")
    for p in paths:
        _nbdev_clean(p)            # the stamp hashes sources as nbdev_clean leaves them
        try: r = execute_notebook(p, flags, dpi=args.dpi, max_output_kb=args.max_output_kb, timeout=args.timeout)
        except Exception as e:
            failed.append(p.name); print(f"{p.name:28s} FAILED: {type(e).__name__}: {str(e)[-2000:]}", flush=True); continue
        share = f"{r['with_output']:3d} / {r['code']:3d} ({r['with_output'] / max(r['code'], 1):4.0%})"
        print(f"{p.name:28s} {r['seconds']:8.1f} {share:>19s} {r['bytes'] / 1000:7.0f}", flush=True)
        for line in r["replaced"]: print(f"    output removed (too large): {line}")
    print(f"{len(paths) - len(failed)} of {len(paths)} notebooks executed in {time.time() - total:.0f}s"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
