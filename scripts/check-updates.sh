#!/usr/bin/env bash
# Try the newest releases of every dependency without touching .venv or constraints.txt:
# install them into a throw-away venv, run the whole test suite there, and print what would change.
#   scripts/check-updates.sh           # report only
#   scripts/check-updates.sh --write   # also rewrite constraints.txt, but only if the suite passed
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$py" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --upgrade pip
"$tmp/venv/bin/python" -m pip install --quiet -e ".[app,test,build]"
"$tmp/venv/bin/python" -m pip freeze --exclude-editable | grep -v '^#' | sort -f > "$tmp/newest.txt"
grep -v '^#' constraints.txt | sed '/^$/d' | sort -f > "$tmp/locked.txt"
echo "» 与 constraints.txt 相比（< 现锁定，> 最新）："
diff "$tmp/locked.txt" "$tmp/newest.txt" || true
status=0
QT_QPA_PLATFORM=offscreen "$tmp/venv/bin/python" -m pytest -q -p no:cacheprovider \
  --deselect tests/test_qt_binding.py::test_installed_versions_are_the_locked_ones || status=$?
if [ "$status" != 0 ]; then
  echo "✘ 最新版本下测试未通过（退出码 $status），constraints.txt 保持不变。" >&2
  exit "$status"
fi
echo "✔ 最新版本下全部测试通过。"
if [ "${1:-}" = "--write" ]; then
  { sed -n '/^#/p' constraints.txt; cat "$tmp/newest.txt"; } > constraints.txt.new
  mv constraints.txt.new constraints.txt
  echo "» 已更新 constraints.txt；请提交它，./run-tests.sh 会按新版本重新安装 .venv。"
fi
