#!/usr/bin/env bash
# Install everything, check notebooks are clean and in sync with w2s_nb/, then run every notebook and tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH" HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export W2S_NB_CACHE=${W2S_NB_CACHE:-$PWD/.cache/w2s_nb} MPLBACKEND=Agg
nbdev_clean
python scripts/export.py          # nbdev_export, with the docments rendered into the docstrings
if [ -n "$(git status --porcelain -- nbs w2s_nb)" ]; then
  echo "nbdev_clean/scripts/export.py changed files: notebooks are not clean or w2s_nb/ is out of sync:" >&2
  git status --porcelain -- nbs w2s_nb >&2
  git --no-pager diff --stat -- nbs w2s_nb >&2
  exit 1
fi
exec python -m pytest -q "$@"
