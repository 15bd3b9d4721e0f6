#!/usr/bin/env bash
# Run the whole test suite (installs system packages when root, creates .venv on first run).
set -euo pipefail
cd "$(dirname "$0")"
scripts/system-packages.sh || true
scripts/bootstrap.sh app,test,build
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check ecodesk ui tests bench
.venv/bin/lint-imports
exec .venv/bin/python -m pytest "$@"
