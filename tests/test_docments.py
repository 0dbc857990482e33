"""`help()` lists every parameter of the package's public functions: `scripts/export.py` renders the signature
comments (docments) into the docstrings when the notebooks are exported, and importing `w2s_nb` installs no
import hook (nothing rewrites a module as it is imported)"""
import importlib, importlib.util, inspect, pkgutil, pydoc, subprocess, sys
from pathlib import Path

import pytest
from fastcore.docments import docments

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("w2s_export", ROOT / "scripts" / "export.py")
export = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(export)
MODULES = sorted(m.name for m in pkgutil.iter_modules([str(ROOT / "w2s_nb")]) if not m.name.startswith("_"))
FIX = "run python scripts/export.py (a plain nbdev_export leaves the parameter docs out of the docstrings)"


def _docs(f)->dict:
    "fastcore's docments of `f`; {} for a function whose source cannot be read (generated, e.g. a dataclass's __init__)"
    try: return docments(f)
    except (OSError, TypeError): return {}


def documented(module)->list:
    "(name, object, {parameter: doc}) of each public function, class and public method of `module` with docments"
    out = []
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name, None)
        if getattr(obj, "__module__", None) != module.__name__: continue
        if inspect.isfunction(obj): out.append((name, obj, _docs(obj)))
        elif inspect.isclass(obj):
            if "__init__" in vars(obj) and inspect.isfunction(vars(obj)["__init__"]): out.append((name, obj, _docs(obj.__init__)))
            out += [(f"{name}.{m}", f, _docs(f)) for m, f in vars(obj).items() if not m.startswith("_") and inspect.isfunction(f)]
    return [(n, o, {k: v for k, v in d.items() if v and k not in ("return", "self")}) for n, o, d in out]


def missing_in_help(obj, docs:dict)->list:
    "The parameters whose `name: doc` line `help(obj)` does not show"
    text = pydoc.render_doc(obj, renderer=pydoc.plaintext)
    return [k for k, v in docs.items() if f"{k}: {v.splitlines()[0].strip()}" not in text]


@pytest.mark.parametrize("name", MODULES)
def test_help_lists_every_documented_parameter(name):
    module = importlib.import_module(f"w2s_nb.{name}")
    missing = {n: m for n, o, d in documented(module) if (m := missing_in_help(o, d))}
    assert not missing, f"help() lacks these parameter docs in w2s_nb.{name}: {missing}; {FIX}"


def test_help_of_the_llm_entry_point_lists_all_its_parameters():
    from w2s_nb.llm import run_llm_experiment
    text = pydoc.render_doc(run_llm_experiment, renderer=pydoc.plaintext)
    params = [p for p in inspect.signature(run_llm_experiment).parameters]
    assert "Parameters:" in text and all(f"    {p}: " in text for p in params), FIX


def test_importing_installs_no_import_hook():
    probe = "import sys; before = list(sys.meta_path); import w2s_nb, w2s_nb.overlap; print(sys.meta_path == before)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip() == "True"


def test_render_adds_the_block_once():
    src = 'def f(\n    x, # the input\n    n:int=3, # how many\n)->list: # the result\n    "Repeat x"\n    return [x] * n\n'
    out = export.render_source(src)
    ns = {}; exec(out, ns)
    assert inspect.getdoc(ns["f"]) == "Repeat x\n\nParameters:\n    x: the input\n    n: how many\n\nReturns: the result"
    assert export.render_source(out) == out                               # rendering twice changes nothing
    assert export.render_source('def _g(\n    x, # hidden\n):\n    "Private"\n') .count("Parameters") == 0   # private: left alone


def test_a_comment_after_the_closing_paren():
    "Without `->`, a comment after `):` documents the last parameter (as fastcore's docments reads it); with it, the return"
    assert export.param_comments("def f(a, # first\n      b=0): # second\n    pass\n") == {"a": "first", "b": "second"}
    assert export.param_comments("def f(a, # first\n      b=0)->int: # result\n    pass\n") == {"a": "first", "return": "result"}


def test_a_missing_block_is_caught():
    src = 'def f(\n    x, # the input\n):\n    "Doc"\n    return x\n'
    ns = {}; exec(src, ns)                                                    # exported without the renderer
    assert missing_in_help(ns["f"], {"x": "the input"}) == ["x"]
    exec(export.render_source(src), ns)
    assert missing_in_help(ns["f"], {"x": "the input"}) == []
