__version__ = "0.1.0"
"""w2s_nb: data-centric weak-to-strong generalization (arXiv 2412.03881) as a literate, notebook-first toolkit.

The main entry points are importable from the package itself and load their module only when first used, so
`import w2s_nb` stays cheap:

    from w2s_nb import load_task, LogisticProbe, detect_overlap, run_llm_experiment, reproduce

Each public function's `help()` lists its parameters with their one-line descriptions: the `# comment` written
after each parameter in the source is added to the docstring when the module is imported (see `_docments`)."""
import importlib, importlib.abc, importlib.machinery, io, sys, tokenize

_ENTRY_POINTS = {   # name -> module that defines it
    "SplitSizes": "data", "load_task": "data", "known_tasks": "data",
    "LogisticProbe": "probes", "accuracy": "probes", "auroc": "probes", "pgr": "probes",
    "synthetic_task": "synthetic", "detect_overlap": "overlap", "run_mixing": "mixing",
    "load_model": "activations", "extract_activations": "activations", "cache_activations": "activations",
    "run_w2s_arrays": "llm", "run_llm_experiment": "llm", "run_batch": "batch", "reproduce": "report",
}
__all__ = ["__version__", *_ENTRY_POINTS]


def __getattr__(name):
    "Import an entry point's module on first access (PEP 562)"
    if name not in _ENTRY_POINTS: raise AttributeError(f"module 'w2s_nb' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_ENTRY_POINTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__(): return sorted({*globals(), *_ENTRY_POINTS})


def _param_comments(source:str)->dict:
    "{parameter: comment} from the `# comment`s inside a def's signature; 'return' for one after `)->type:`"
    found, depth, last, prev, started = {}, 0, None, None, False
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1; started = True
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
            if started and depth == 0: last = "return"
        elif tok.type == tokenize.NAME and depth == 1 and prev in ("(", ",", "*", "**"):
            last = tok.string
        elif tok.type == tokenize.COMMENT and last is not None and (depth == 1 or last == "return"):
            found.setdefault(last, tok.string.lstrip("#").strip())
        elif tok.type == tokenize.NEWLINE and started and depth == 0:
            break                                             # end of the signature
        if tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT): prev = tok.string
    found.pop("self", None)
    return found


def _with_params(doc:str|None, comments:dict)->str:
    lines = [f"    {name}: {text}" for name, text in comments.items() if name != "return"]
    out = (doc or "").rstrip() + "\n\nParameters:\n" + "\n".join(lines)
    if "return" in comments: out += f"\n\nReturns: {comments['return']}"
    return out


def _docments(module)->None:
    "Add the parameter comments of each public function (and class constructor) of `module` to its docstring"
    import inspect
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name, None)
        target = obj.__init__ if inspect.isclass(obj) else obj
        if not inspect.isfunction(target) or getattr(obj, "__module__", None) != module.__name__: continue
        if "\nParameters:\n" in (obj.__doc__ or ""): continue
        try: comments = _param_comments(inspect.getsource(target))
        except (OSError, TypeError, tokenize.TokenError, SyntaxError): continue
        if any(k != "return" for k in comments):
            try: obj.__doc__ = _with_params(obj.__doc__, comments)
            except (AttributeError, TypeError): pass


class _DocmentsLoader(importlib.abc.Loader):
    def __init__(self, loader): self.loader = loader
    def create_module(self, spec): return self.loader.create_module(spec)
    def exec_module(self, module):
        self.loader.exec_module(module)
        _docments(module)
    def __getattr__(self, name): return getattr(self.loader, name)


class _DocmentsFinder(importlib.abc.MetaPathFinder):
    "Wraps the loader of w2s_nb's own submodules so that `_docments` runs on each after it is executed"
    def find_spec(self, fullname, path, target=None):
        if not fullname.startswith(__name__ + ".") or fullname.count(".") != 1 or fullname.endswith("._modidx"): return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None: spec.loader = _DocmentsLoader(spec.loader)
        return spec


if not any(isinstance(f, _DocmentsFinder) for f in sys.meta_path): sys.meta_path.insert(0, _DocmentsFinder())
