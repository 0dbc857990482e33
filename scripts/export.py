"""Export the notebooks to `w2s_nb/` as `nbdev_export` does, with each public function's docments in its docstring.

    python scripts/export.py            # instead of `nbdev_export`, after editing a notebook

Every exported function documents its parameters with a comment after each one in the signature (fastcore's
docments). `help()` shows only docstrings, so this export adds to the docstring of every public function, public
method and public class (its constructor's parameters) a `Parameters:` block built from those comments, and a
`Returns:` line from a comment after `)->type:`. It is one more nbdev export processor (`render_docments`), run on
the exported cells after nbdev's own; the notebooks keep their one-line docstrings, and nothing happens when the
package is imported. A plain `nbdev_export` writes the modules without the blocks; `tests/test_docments.py` then
fails and names this script.
"""
from __future__ import annotations
import argparse, ast, io, os, textwrap, tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAMS = "\n\nParameters:\n"


def param_comments(source:str)->dict:
    "{parameter: comment} from the `# comment`s in the signature of the def `source` starts with; 'return' for one after `)->type:`"
    found, depth, last, prev, started, closed = {}, 0, None, None, False, False
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1; started = True
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1; closed = started and depth == 0
        elif tok.type == tokenize.OP and tok.string == "->" and closed:
            last = "return"                                   # a comment after `)->type:` is the return's
        elif tok.type == tokenize.NAME and depth == 1 and prev in ("(", ",", "*", "**"):
            last = tok.string
        elif tok.type == tokenize.COMMENT and last is not None and (depth == 1 or closed):   # after `):` it is the last parameter's
            found.setdefault(last, tok.string.lstrip("#").strip())
        elif tok.type == tokenize.NEWLINE and started and depth == 0:
            break                                             # end of the signature
        if tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT): prev = tok.string
    found.pop("self", None)
    return found


def with_params(doc:str, comments:dict)->str:
    "`doc` followed by a `Parameters:` block (and a `Returns:` line) made of the comments"
    out = doc.rstrip() + PARAMS + "\n".join(f"    {k}: {v}" for k, v in comments.items() if k != "return")
    return out + (f"\n\nReturns: {comments['return']}" if "return" in comments else "")


def _literal(text:str, indent:str)->str:
    "A triple-quoted literal of `text`, continuation lines indented like the body"
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'): body = body[:-1] + '\\"'
    return '"""' + body.replace("\n", "\n" + indent).replace("\n" + indent + "\n", "\n\n") + '"""'


def _targets(tree:ast.Module):
    "(def node whose comments count, node whose docstring gets them) for public functions, methods and classes"
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"): yield node, node
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)): continue
                if item.name == "__init__": yield item, node
                elif not item.name.startswith("_"): yield item, item


def _docstring_node(node):
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str): return first
    return None


def render_source(source:str)->str:
    "`source` with the docments of each public def rendered into its docstring (unchanged where there is nothing to add)"
    try: tree = ast.parse(source)
    except SyntaxError: return source
    lines = source.splitlines(keepends=True)
    edits = []                                                # (first line, last line, new text), 0-based, inclusive
    for sig, owner in _targets(tree):
        doc = _docstring_node(owner)
        if doc is None or PARAMS in doc.value.value: continue
        comments = param_comments(textwrap.dedent("".join(lines[sig.lineno - 1:sig.body[0].lineno])))
        if not any(k != "return" for k in comments): continue
        if doc.lineno != doc.end_lineno or lines[doc.lineno - 1][:doc.col_offset].strip(): continue   # only a docstring on a line of its own
        line = lines[doc.lineno - 1].encode()
        indent = line[:doc.col_offset].decode()
        rest = line[doc.end_col_offset:].decode()
        edits.append((doc.lineno - 1, indent + _literal(with_params(doc.value.value, comments), indent) + rest))
    for i, text in sorted(edits, reverse=True): lines[i] = text
    return "".join(lines)


def render_docments(cell):
    "nbdev export processor: render the docments of an exported code cell into its docstrings"
    if cell.cell_type == "code" and {"export", "exports", "exporti"} & set(getattr(cell, "directives_", {})):
        cell.source = render_source(cell.source)


def export():
    "What `nbdev_export` does, with `render_docments` after nbdev's own processors"
    from nbdev.config import add_init, get_config
    from nbdev.doclinks import _build_modidx, nbglob
    from nbdev.export import black_format, nb_export
    for nb in nbglob(as_path=True).sorted("name"): nb_export(nb, procs=[black_format, render_docments])
    add_init(get_config().lib_path); _build_modidx()


def main():
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    os.chdir(ROOT)
    export()


if __name__ == "__main__":
    main()
