#!/usr/bin/env bash
# Build the docs site in _docs/ (or --out DIR) from the notebooks as committed, offline; open _docs/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] && export PATH="$PWD/.venv/bin:$PATH"
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 MPLBACKEND=Agg
python scripts/export.py          # nbdev_export (with docments in the docstrings): show_doc renders the exported modules
exec python scripts/docs.py "$@"
