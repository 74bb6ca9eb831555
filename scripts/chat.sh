#!/usr/bin/env bash
# Installs everything, then opens the browser chat (http://127.0.0.1:7860 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_BROWSER=0 bash scripts/install.sh
exec .venv/bin/python app.py "$@"
