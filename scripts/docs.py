"""Build the static docs site in _docs/ from the notebooks as they are on disk (outputs included), offline.

    python scripts/docs.py               # every page: index.ipynb, the tutorials (nbs/tutorials/), the reference (nbs/[0-9]*.ipynb)
    python scripts/docs.py --out DIR     # somewhere else
    python scripts/docs.py --only 11_plots.ipynb   # a subset (the navigation still lists every page)

The tool is nbconvert (HTMLExporter, JupyterLab template), which the notebook stack already installs and which
needs no network: nbdev's own processors first turn each notebook into its docs form (exported code replaced by
rendered `show_doc` signatures and docments, `#| hide` cells dropped, directives removed), then nbconvert writes one
HTML page per notebook with a navigation bar. What nbconvert's template would fetch from a CDN is left out:
require.js (nothing here needs it), Mermaid (unused), and MathJax: TeX in markdown is converted to MathML at build
time (latex2mathml), which browsers render natively. Figures are embedded in the pages as data URIs.
"""
from __future__ import annotations
import argparse, contextlib, io, json, os, re, shutil, warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="Found cells containing imports")   # nbdev's FAQ note; failures are reported

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"
TEMPLATE_DIR = Path(__file__).resolve().parent / "docs_template"
DIRECTIVE = re.compile(r"^\s*#\s*\|\s*(.*?)\s*$")


def tutorials(root:Path=ROOT) -> list[Path]:
    "The tutorial notebooks, in their order (01 to 05)"
    return sorted((root / "nbs" / "tutorials").glob("[0-9]*.ipynb"))


def reference(root:Path=ROOT) -> list[Path]:
    "The module notebooks in reading order (file order: each imports only from those before it)"
    return sorted((root / "nbs").glob("[0-9]*.ipynb"))


def pages(root:Path=ROOT) -> list[Path]:
    "The notebooks of the site: index first, then the tutorials, then the reference"
    return [root / "nbs" / "index.ipynb"] + tutorials(root) + reference(root)


def reading_paths(root:Path=ROOT) -> dict[str, list[Path]]:
    "The two paths through the site, each starting at the index: prev/next follow a page's own path"
    index = root / "nbs" / "index.ipynb"
    return {"tutorials": [index] + tutorials(root), "reference": [index] + reference(root)}


def neighbours(root:Path=ROOT) -> dict[Path, tuple[Path|None, Path|None]]:
    "(prev, next) of every page; the index belongs to the tutorial path (its next is the first tutorial)"
    out = {}
    for name, path in reversed(reading_paths(root).items()):      # the tutorials' entry for the index wins
        for i, p in enumerate(path):
            out[p] = (path[i - 1] if i > 0 else None, path[i + 1] if i + 1 < len(path) else None)
    return out


def page_group(nb_path:Path) -> str:
    "Which part of the navigation a page is listed in"
    if nb_path.stem == "index": return "start"
    if nb_path.parent.name == "tutorials": return "tutorials"
    return "method" if nb_path.stem[:2] <= "05" else "toolkit"


def page_name(nb_path:Path) -> str:
    "The HTML file of a notebook: index.html, or the module's name (nbdev's own links point there: plots.html)"
    if nb_path.stem == "index": return "index.html"
    if nb_path.parent.name == "tutorials": return "tutorial_" + re.sub(r"^\d+[a-z]?_", "", nb_path.stem) + ".html"
    for line in nb_path.read_text().splitlines():
        if m := re.search(r"#\s*\|\s*default_exp\s+([\w.]+)", line):
            return ("api" if m.group(1) == "__init__" else m.group(1)) + ".html"   # the package's own __init__
    return re.sub(r"^\d+[a-z]?_", "", nb_path.stem) + ".html"


def _strip_directives(source:str) -> tuple[str, dict]:
    "Drop the leading `#| ...` lines of a cell; return the rest and the directives"
    lines, found = source.splitlines(), {}
    while lines and (m := DIRECTIVE.match(lines[0])):
        words = m.group(1).split()
        if words: found[words[0].rstrip(":")] = words[1:]
        lines.pop(0)
    return "\n".join(lines).strip("\n"), found


SOURCE_LINK = re.compile(r'\[source\]\(([^)\s]+)\)\{[^}]*\}')   # show_doc's Quarto link: [source](url){target=...}


def _rewrite_links(text:str, doc_url:str, nb_pages:dict[str, str]) -> str:
    "nbdev links to the published site and links to notebooks become links to pages of this site"
    if doc_url: text = text.replace(doc_url, "")
    text = SOURCE_LINK.sub(lambda m: f'<a class="w2s-source" href="{m.group(1)}">source</a>', text)
    return re.sub(r"(?:\.\./|\btutorials/)*\b([\w-]+)\.ipynb\b(?=[#)\"'])", lambda m: nb_pages.get(m.group(1), m.group(0)), text)   # one flat folder


HEADING_ID = re.compile(r'(<h[1-6] id="([^"]+)">)')


def _lower_anchor(m) -> str:
    "nbdev links to a class in lower case (core.html#singleclasserror): give such headings that id too"
    tag, anchor = m.group(1), m.group(2)
    return tag if anchor == anchor.lower() else f'{tag}<span id="{anchor.lower()}"></span>'


def _fallback_doc(module:str|None, name:str, where:str) -> dict:
    "A plain signature and docstring where nbdev's show_doc raised (it compares defaults with ==: a DataFrame fails)"
    import importlib, inspect
    obj = getattr(importlib.import_module(f"{get_lib()}.{module}"), name)
    class Short:
        def __init__(self, value): self.value = value
        def __repr__(self):
            text = repr(self.value)
            return text if len(text) <= 40 and "\n" not in text else f"<{type(self.value).__name__}>"
    try:
        sig = inspect.signature(obj)
        sig = sig.replace(parameters=[p if p.default is p.empty else p.replace(default=Short(p.default)) for p in sig.parameters.values()])
    except (TypeError, ValueError): sig = "(...)"
    print(f"  warning: {where}: nbdev's show_doc({name}) raised; the page shows a plain signature instead", flush=True)
    text = f"---\n\n### {name}\n\n```python\n{name}{sig}\n```\n\n*{inspect.getdoc(obj) or ''}*"
    return {"output_type": "display_data", "metadata": {}, "data": {"text/markdown": text, "text/plain": text}}


def get_lib() -> str:
    from nbdev.config import get_config
    return get_config(path=ROOT).lib_name


def docs_notebook(nb_path:Path, doc_url:str, nb_pages:dict[str, str]):
    "The notebook in its docs form: nbdev's processors, then our clean-up; returns (nb, title, description)"
    from execnb.nbio import read_nb
    from nbdev.process import NBProcessor
    from nbdev.processors import FilterDefaults, exec_show_docs
    import yaml

    class ShowDocs(exec_show_docs):
        "nbdev's show_doc runner, except that a cell run only because it mixes imports with other code may fail"
        def __call__(self, cell):
            try: super().__call__(cell)
            except Exception:
                if "show_doc" in cell.source or re.search(r"^\s*#\s*\|\s*export", cell.source, flags=re.M): raise
                print(f"  warning: {nb_path.name} cell {cell.idx_} mixes imports with other code; nbdev ran it to render "
                      f"show_doc and it failed ({type(self.k.exc).__name__}): give its imports a cell of their own", flush=True)
                self.k.exc = None

    procs = [ShowDocs if proc is exec_show_docs else proc for proc in FilterDefaults().procs()]
    cwd, shown = os.getcwd(), io.StringIO()
    os.chdir(nb_path.parent)
    try:
        nb = read_nb(nb_path)
        with contextlib.redirect_stdout(shown): NBProcessor(nb=nb, procs=procs).process()   # tracebacks of failing reprs
    finally: os.chdir(cwd)
    for line in shown.getvalue().splitlines():
        if line.startswith("  warning:"): print(line, flush=True)
    module = page_name(nb_path)[:-len(".html")]
    title, description, cells = nb_path.stem, "", []
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.startswith("---"):
            front = yaml.safe_load(cell.source.strip().strip("-")) or {}
            title, description = front.get("title", title), front.get("description", "")
            continue
        if cell.cell_type == "markdown" and "AUTOGENERATED" in cell.source and cell.source.startswith("<!--"): continue
        if cell.cell_type == "code":
            src, direc = _strip_directives(cell.source)
            cell.source = src
            if direc.get("echo", [""])[0] == "false" or not src.strip():
                cell.metadata.setdefault("tags", []).append("remove_input")
            if not src.strip() and not cell.get("outputs"): continue
            if (m := re.fullmatch(r"show_doc\((\w+)\)", src.strip())) \
                    and not any("text/markdown" in o.get("data", {}) for o in cell.get("outputs", [])):
                cell.outputs = [_fallback_doc(module, m.group(1), nb_path.name)]
            for out in cell.get("outputs", []):
                for mime in ("text/markdown", "text/html"):
                    if mime in out.get("data", {}):
                        val = out["data"][mime]
                        val = "".join(val) if isinstance(val, list) else val
                        out["data"][mime] = _rewrite_links(val, doc_url, nb_pages)
        else: cell.source = _rewrite_links(cell.source, doc_url, nb_pages)
        cells.append(cell)
    nb.cells = cells
    nb.metadata["title"] = title
    import nbformat                    # execnb keeps multi-line strings as lists; nbformat joins them as nbconvert expects
    return nbformat.reads(json.dumps(nb, default=list), as_version=4), title, description


def _exporter():
    "nbconvert's HTML exporter with our template (no CDN script) and TeX rendered to MathML at build time"
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
    from latex2mathml.converter import convert as tex_to_mathml
    from traitlets.config import Config

    class MathMLRenderer(IPythonRenderer):
        def inline_math(self, body): return tex_to_mathml(body)
        def block_math(self, body): return tex_to_mathml(body, display="block")
        def multiline_math(self, text): return tex_to_mathml(text.strip().strip("$"), display="block")
        def latex_environment(self, name, body): return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display="block")

    class SiteExporter(HTMLExporter):
        def markdown2html(self, context, source):
            cell = context.get("cell", {})
            renderer = MathMLRenderer(escape=False, attachments=cell.get("attachments", {}), embed_images=self.embed_images,
                                      path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                                      anchor_link_text=self.anchor_link_text, exclude_anchor_links=self.exclude_anchor_links,
                                      **self.lexer_options)
            return MarkdownWithMath(renderer=renderer).render(source)
    SiteExporter.markdown2html.__dict__.update(HTMLExporter.markdown2html.__dict__)   # keep it a jinja context filter

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {"remove_input"}
    c.HTMLExporter.exclude_input_prompt = c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    exporter = SiteExporter(config=c, template_name="w2s")
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    return exporter


def build(out:Path=ROOT / "_docs", only:list[str]|None=None) -> list[Path]:
    "Write the site; returns the pages written"
    from nbdev.config import get_config
    cfg = get_config(path=ROOT)
    doc_url = f"{cfg.doc_host.rstrip('/')}{cfg.doc_baseurl.rstrip('/')}/" if cfg.get("doc_host") else ""
    all_pages = pages()
    names = {p.stem: page_name(p) for p in all_pages}
    around = neighbours()
    wanted = [p for p in all_pages if not only or p.name in only or p.stem in only]
    if only and len(wanted) != len(set(only)): raise SystemExit(f"unknown notebooks in --only: {only}")
    exporter, written = _exporter(), []
    out.mkdir(parents=True, exist_ok=True)
    nav_titles = {}
    for p in all_pages:                       # titles for the navigation: the notebook's first heading
        first = re.search(r'"# ([^"\\]+)', p.read_text())
        nav_titles[p.stem] = first.group(1).strip() if first else p.stem
    for p in all_pages:
        if p not in wanted: continue
        nb, title, description = docs_notebook(p, doc_url, names)
        nav = {q: dict(href=names[q.stem], label=("" if page_group(q) in ("start", "tutorials") else q.stem.split("_")[0] + " ") + nav_titles[q.stem],
                       current=q == p, group=page_group(q)) for q in all_pages}
        prev_page, next_page = around[p]
        resources = {"metadata": {"name": title, "path": str(p.parent)},
                     "w2s": {"title": title, "description": description, "nav": list(nav.values()), "site": cfg.lib_name,
                             "prev": nav[prev_page] if prev_page else None, "next": nav[next_page] if next_page else None}}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        body = HEADING_ID.sub(_lower_anchor, body)
        (out / names[p.stem]).write_text(body)
        written.append(out / names[p.stem])
        print(f"{p.name:28s} -> {out.name}/{names[p.stem]:24s} {len(body) / 1000:7.0f} kB", flush=True)
    _unlink_missing_anchors(out, written)
    return written


CODE_LINK = re.compile(r'<a href="([\w-]+\.html)#([^"]+)">(<code>[^<]*</code>)</a>')


def _unlink_missing_anchors(out:Path, written:list[Path]):
    "nbdev links every backticked name it knows, private ones too (`_Collected`), which have no entry: unlink those"
    from urllib.parse import unquote
    ids = {p.name: set(re.findall(r'\bid="([^"]+)"', p.read_text())) for p in out.glob("*.html")}
    for page in written:
        dropped = []
        def fix(m):
            target, frag, inner = m.groups()
            if target not in ids or frag in ids[target] or unquote(frag) in ids[target]: return m.group(0)
            dropped.append(f"{target}#{frag}"); return inner
        text = CODE_LINK.sub(fix, page.read_text())
        if dropped:
            page.write_text(text)
            print(f"  note: {page.name}: {len(dropped)} links nbdev made to names with no entry were unlinked: {', '.join(dropped[:5])}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "_docs", help="site folder (default _docs/)")
    ap.add_argument("--only", nargs="*", help="build only these notebooks (file names or stems)")
    args = ap.parse_args(argv)
    if args.out.exists() and not args.only: shutil.rmtree(args.out)
    written = build(args.out.resolve(), args.only)
    print(f"{len(written)} pages in {args.out}; open {args.out / 'index.html'} in a browser")


if __name__ == "__main__":
    main()
