"""The repo stands on its own: it cites the paper (arXiv 2412.03881) and never points at documents a user cannot open.

Looks through every tracked file a reader meets (notebooks with their outputs, the package, tests, benchmarks,
scripts, README and the packaging files) for mentions of planning documents, a `reference/` folder outside the
package, and issue numbers, and lists each hit as file:line (notebooks: file, cell id, line).
"""
import json, re, subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile("|".join([
    r"\bSPEC\b", r"\bDESIGN\.md\b", r"\bSTYLE\.md\b",            # planning documents that do not ship
    r"\.\./shared\b", r"(?<![\w.-])shared/",                    # the folder they live in
    r"(?<![\w/.-])reference/\w",                                # a reference folder outside the package
    r"\b[Ii]ssues? *#? *\d+", r"\b[Tt]he issue(?:'s)?\b",       # issue numbers, "the issue's grid"
]))
AREAS = ["nbs", "w2s_nb", "tests", "benchmarks", "scripts", ".ci", "README.md", "settings.ini", "setup.py", "pyproject.toml"]
THIS = Path(__file__).resolve()


def tracked_files():
    out = subprocess.run(["git", "ls-files", "--", *AREAS], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / line for line in out.splitlines() if (ROOT / line).is_file() and (ROOT / line).resolve() != THIS]


def _text(value): return "".join(value) if isinstance(value, list) else str(value)


def notebook_lines(path):
    "(where, line) for every line of a notebook's sources and text outputs"
    for cell in json.loads(path.read_text())["cells"]:
        texts = [("", _text(cell["source"]))]
        for out in cell.get("outputs", []):
            if "text" in out: texts.append((" output", _text(out["text"])))
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text/"): texts.append((f" output {mime}", _text(value)))
        for label, text in texts:
            for n, line in enumerate(text.splitlines(), 1): yield f"cell {cell.get('id')}{label} line {n}", line


def hits(path):
    if path.suffix == ".ipynb": lines = notebook_lines(path)
    else:
        try: lines = ((f"{n}", line) for n, line in enumerate(path.read_text().splitlines(), 1))
        except UnicodeDecodeError: return []
    return [f"{path.relative_to(ROOT)}:{where}: {line.strip()[:120]}" for where, line in lines if FORBIDDEN.search(line)]


def test_pattern_catches_what_it_should_and_spares_the_rest():
    # the examples are joined at run time so that this file does not itself hold what the repo is grepped for
    spec, design, ref, shared = "SP" + "EC", "DES" + "IGN", "refer" + "ence/", "sha" + "red"
    for bad in [f"see {spec} §2", f"{design}.md says", f"../{shared}/{spec}.md", f"{ref}wrench_table.csv",
                "Iss" + "ue 8:", "iss" + "ue #12", "the iss" + "ue's grid"]:
        assert FORBIDDEN.search(bad), bad
    for fine in ["arXiv 2412.03881, Section 3", "w2s_nb/reference/wrench.csv", "specification", "an issue tracker",
                 "shared_cache", "seeds 0..9"]:
        assert not FORBIDDEN.search(fine), fine


def test_no_mention_of_planning_documents_or_issue_numbers():
    found = [h for p in tracked_files() for h in hits(p)]
    assert not found, f"{len(found)} mentions; cite the paper (arXiv 2412.03881) instead:\n" + "\n".join(found)
