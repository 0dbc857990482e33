#!/usr/bin/env bash
# Install everything, then run the paper's experiments on the offline default into results/reproduce (or $1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH" HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1
export W2S_NB_CACHE=${W2S_NB_CACHE:-$PWD/.cache/w2s_nb} MPLBACKEND=Agg
exec w2s-nb reproduce --out "${1:-results/reproduce}"
