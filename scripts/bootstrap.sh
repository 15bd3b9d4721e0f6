#!/usr/bin/env bash
# Create .venv (once) and install EcoDesk with the given extras, at the versions in constraints.txt;
# re-install when pyproject.toml or constraints.txt changes.
# Usage: scripts/bootstrap.sh app,test
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-app}"
py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "需要 Python 3.11 或更高版本（当前：$("$py" --version 2>&1)）。可设置 PYTHON=/path/to/python3.11" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "» 创建虚拟环境 .venv"
  "$py" -m venv .venv
fi
stamp=".venv/.ecodesk-installed-$(cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)-${extras//,/_}"
if [ ! -f "$stamp" ]; then
  echo "» 安装依赖（$extras，版本见 constraints.txt）"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -c constraints.txt -e ".[${extras}]"
  rm -f .venv/.ecodesk-installed-*
  touch "$stamp"
fi
