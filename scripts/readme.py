"""Render nbs/index.ipynb to README.md (Quarto, which nbdev_readme needs, is not installable here).

    python scripts/readme.py          # rewrite README.md
    python scripts/readme.py --check  # exit 1 when README.md is out of date
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def render(nb_path=ROOT / "nbs" / "index.ipynb") -> str:
    "Markdown cells as they are, code cells fenced as python; a `#| echo: false` code cell gives its markdown output instead"
    cells = json.loads(Path(nb_path).read_text())["cells"]
    parts = ["<!-- generated from nbs/index.ipynb by scripts/readme.py; edit the notebook, not this file -->"]
    for cell in cells:
        src = "".join(cell["source"]).strip()
        if not src: continue
        if cell["cell_type"] == "code" and "#| echo: false" in src.splitlines()[0]:
            parts += ["".join(o["data"]["text/markdown"]).strip() for o in cell.get("outputs", []) if "text/markdown" in o.get("data", {})]
            continue
        parts.append(src if cell["cell_type"] == "markdown" else f"```python\n{src}\n```")
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if (ROOT / "README.md").read_text() == text else "README.md is out of date: run python scripts/readme.py")
    (ROOT / "README.md").write_text(text)
