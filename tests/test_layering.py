"Imports point down: a module imports only modules numbered before it, so the package reads (and loads) in one direction."
import ast, re
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]


def module_order(nbs_dir=ROOT / "nbs"):
    "Module names in notebook order, from each numbered notebook's `default_exp`"
    order = []
    for nb in sorted(Path(nbs_dir).glob("[0-9][0-9]*.ipynb")):
        m = re.search(r"#\|\s*default_exp\s+([\w.]+)", nb.read_text())
        if m: order.append(m.group(1))
    return order


def package_imports(src: str) -> set[str]:
    "The w2s_nb modules a source imports: relative (`from .core import`, as nbdev exports) or absolute (`w2s_nb.core`)"
    used = set()
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, ast.ImportFrom):
            if n.level == 1 and n.module: used.add(n.module.split(".")[0])
            elif n.level == 1: used |= {a.name for a in n.names}               # from . import core
            elif (n.module or "").startswith("w2s_nb."): used.add(n.module.split(".")[1])
            elif n.module == "w2s_nb": used |= {a.name for a in n.names}
        elif isinstance(n, ast.Import):
            used |= {a.name.split(".")[1] for a in n.names if a.name.startswith("w2s_nb.")}
    return used


def upward_imports(pkg_dir=ROOT / "w2s_nb", order=None):
    "(module, imported) pairs that break the one-way rule: an import of a later or unknown module"
    order = order or module_order()
    bad = []
    for i, mod in enumerate(order):
        for used in sorted(package_imports((Path(pkg_dir) / f"{mod}.py").read_text())):
            if used not in order or order.index(used) >= i: bad.append((mod, used))
    return bad


def test_imports_point_down():
    order = module_order()
    assert order[0] == "core" and len(order) == len(set(order)), order
    assert upward_imports(order=order) == []


def test_relative_imports_are_read():
    assert package_imports("from .core import x\nfrom .cli import main\nfrom . import batch\nimport w2s_nb.data") == {"core", "cli", "batch", "data"}


def test_planted_upward_import_fails(tmp_path):
    "A copy of the package with `from .cli import main` planted in core.py must fail the check"
    for py in (ROOT / "w2s_nb").glob("*.py"): (tmp_path / py.name).write_text(py.read_text())
    (tmp_path / "core.py").write_text((tmp_path / "core.py").read_text() + "\nfrom .cli import main\n")
    assert ("core", "cli") in upward_imports(tmp_path)
    assert upward_imports(ROOT / "w2s_nb") == []


def test_package_does_not_import_nbdev():
    for py in (ROOT / "w2s_nb").glob("*.py"):
        src = py.read_text()
        assert not re.search(r"^\s*(import|from)\s+(nbdev|fastcore|execnb)\b", src, re.M), py.name


def private_imports(pkg_dir=ROOT / "w2s_nb"):
    "(module, name) pairs where a module imports another module's private `_name`: what is shared should be public"
    bad = []
    for py in sorted(Path(pkg_dir).glob("*.py")):
        for n in ast.walk(ast.parse(py.read_text())):
            if isinstance(n, ast.ImportFrom) and (n.level == 1 or (n.module or "").startswith("w2s_nb")):
                bad += [(py.stem, a.name) for a in n.names if a.name.startswith("_") and not a.name.startswith("__")]
    return bad


def test_no_module_imports_a_private_name():
    assert private_imports() == []


def test_planted_private_import_fails(tmp_path):
    (tmp_path / "core.py").write_text("def _helper(): pass\n")
    (tmp_path / "probes.py").write_text("from .core import _helper\nfrom w2s_nb.core import __version__\n")
    assert private_imports(tmp_path) == [("probes", "_helper")]
