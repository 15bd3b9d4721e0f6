#!/usr/bin/env bash
# Launch the EcoDesk app, creating .venv and installing what it needs on first run.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh app
exec .venv/bin/ecodesk-gui "$@"
