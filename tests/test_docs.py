"""The docs site builds offline from the notebooks as committed and holds up in a headless browser.

`scripts/docs.py` builds the site; `scripts/check_docs.py` opens each page in Chromium (installed by
scripts/setup.sh) and reports broken local links and images, console errors and any request off the machine.
Screenshots of every page go to tmp/docs_screenshots/ (not committed). Set W2S_NB_SKIP_BROWSER=1 to skip the
browser part on a machine without Chromium (the test fails otherwise, saying how to install it).
"""
import importlib.util, json, os, re, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tmp" / "docs_screenshots"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"w2s_{name}", ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod); return mod

docs, check = _load("docs"), _load("check_docs")
PAGES = docs.pages(ROOT)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "scripts/docs.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def browsed(site):
    if os.environ.get("W2S_NB_SKIP_BROWSER") == "1": pytest.skip("W2S_NB_SKIP_BROWSER=1")
    if check.find_chromium() is None:
        pytest.fail("chromium is not installed: run bash scripts/setup.sh as root (apt-get install chromium), "
                    "or set W2S_NB_SKIP_BROWSER=1")
    return check.check_site(site, screenshots=SHOTS)


def _code_cells(nb_path):
    return [c for c in json.loads(nb_path.read_text())["cells"] if c["cell_type"] == "code"]


def _hidden(cell):
    "Cells whose output nbdev leaves out of the docs"
    return re.search(r"^\s*#\s*\|\s*(hide|export|exporti|exports|include:\s*false|output:\s*false)\b",
                     "".join(cell["source"]), flags=re.M) is not None


def test_every_notebook_has_a_page_without_cdn_scripts(site):
    names = sorted(p.name for p in site.glob("*.html"))
    assert names == sorted(docs.page_name(p) for p in PAGES)
    for page in site.glob("*.html"):
        html = page.read_text()
        remote = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:[^"]+)"', html) + re.findall(r"url\((https?:[^)]+)\)", html)
        assert not remote, f"{page.name} loads from the network: {remote[:3]}"


def test_pages_load_with_no_broken_link_image_or_console_error(browsed):
    seen, problems = browsed
    assert not problems, "\n".join(problems[:40])
    assert (SHOTS / "index.png").stat().st_size > 10_000 and (SHOTS / "overlap.png").is_file()


def test_pages_show_navigation_show_doc_figures_and_math(browsed):
    seen, _ = browsed
    for nb_path in PAGES:
        info = seen[docs.page_name(nb_path)]
        assert info["nav"] == len(PAGES), (nb_path.name, info["nav"])     # the site's name (the index), every module
        cells = _code_cells(nb_path)
        if any(re.search(r"^\s*#\s*\|\s*export\s*$", "".join(c["source"]), flags=re.M) and
               re.search(r"^(def|class) [A-Za-z]", "".join(c["source"]), flags=re.M) for c in cells):
            assert info["h3"] > 0, f"{nb_path.name}: no show_doc entry rendered"
        figures = sum("image/png" in o.get("data", {}) for c in cells if not _hidden(c) for o in c.get("outputs", []))
        assert len(info["images"]) >= figures, (nb_path.name, len(info["images"]), figures)
        if re.search(r"\$[^$\n]+\$", "".join("".join(c["source"]) for c in json.loads(nb_path.read_text())["cells"]
                                               if c["cell_type"] == "markdown")):
            assert info["math"] > 0, f"{nb_path.name}: TeX not rendered as MathML"


def test_checker_catches_a_broken_link_and_a_remote_script(tmp_path):
    "The browser check is not vacuous: a missing page, a missing image and a CDN script are each reported"
    if check.find_chromium() is None: pytest.skip("no chromium (the site tests above fail and say how to install it)")
    (tmp_path / "index.html").write_text('<html><body><a href="missing.html">x</a><img src="nope.png">'
                                         '<script src="https://cdn.example.invalid/x.js"></script>'
                                         '<script>console.error("boom")</script></body></html>')
    _, problems = check.check_site(tmp_path)
    text = "\n".join(problems)
    for expected in ("broken link", "image did not load", "network request: https://cdn.example.invalid", "boom"):
        assert expected in text, (expected, problems)


def _pager(html:str) -> tuple[str|None, str|None]:
    "The prev and next links of a built page's pager"
    prev = re.search(r'<a href="([^"]+)" rel="prev"', html); nxt = re.search(r'<a href="([^"]+)" rel="next"', html)
    return (prev.group(1) if prev else None), (nxt.group(1) if nxt else None)


def test_two_reading_paths_with_their_own_prev_next(site):
    "Tutorials 01 to 05 follow each other from the index; the reference follows the modules' reading order, method first"
    paths = docs.reading_paths(ROOT)
    tut, ref = [docs.page_name(p) for p in paths["tutorials"]], [docs.page_name(p) for p in paths["reference"]]
    assert tut[0] == ref[0] == "index.html" and len(tut) >= 6 and all(n.startswith("tutorial_") for n in tut[1:])
    assert ref[1:4] == ["core.html", "probes.html", "stats.html"] or ref[1:3] == ["core.html", "probes.html"], ref[:4]
    assert ref.index("synthetic.html") < ref.index("overlap.html") < ref.index("mixing.html") < ref.index("llm.html")
    for path in (tut, ref):
        for i, name in enumerate(path[1:], start=1):
            prev, nxt = _pager((site / name).read_text())
            assert prev == path[i - 1], (name, prev, path[i - 1])
            assert nxt == (path[i + 1] if i + 1 < len(path) else None), (name, nxt)
    assert _pager((site / "index.html").read_text()) == (None, tut[1])
    html = (site / "index.html").read_text()
    assert all(f'href="{n}"' in html for n in tut[1:] + ref[1:])         # the navigation lists both paths
    assert "Tutorials" in html and "Reference" in html
