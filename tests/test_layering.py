"Imports point down: a module imports only modules numbered before it (DESIGN.md: data flows one way)."
import ast, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_order():
    "Module names in notebook order, from each numbered notebook's `default_exp`"
    order = []
    for nb in sorted((ROOT / "nbs").glob("[0-9][0-9]*.ipynb")):
        m = re.search(r"#\|\s*default_exp\s+([\w.]+)", nb.read_text())
        if m: order.append(m.group(1))
    return order


def test_imports_point_down():
    order = module_order()
    assert "core" in order, order
    for i, mod in enumerate(order):
        tree = ast.parse((ROOT / "w2s_nb" / f"{mod}.py").read_text())
        used = {n.module.split(".")[1] for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("w2s_nb.")}
        used |= {a.name.split(".")[1] for n in ast.walk(tree) if isinstance(n, ast.Import)
                 for a in n.names if a.name.startswith("w2s_nb.")}
        assert all(u in order and order.index(u) < i for u in used), f"{mod} imports upward or unknown: {used}"


def test_package_does_not_import_nbdev():
    for py in (ROOT / "w2s_nb").glob("*.py"):
        src = py.read_text()
        assert not re.search(r"^\s*(import|from)\s+(nbdev|fastcore|execnb)\b", src, re.M), py.name
