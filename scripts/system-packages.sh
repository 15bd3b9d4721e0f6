#!/usr/bin/env bash
# System packages the tests use: LibreOffice (recalculation, PDF, UNO typing, re-saving as xls/ods),
# a CJK font pinned for page counts, poppler (PDF → PNG), Xvfb + xcb libraries for screenshots.
# Installs with apt-get when run as root; otherwise says what to install.
set -euo pipefail
PKGS="libreoffice-calc-nogui python3-uno fonts-wqy-microhei poppler-utils xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-cursor0 libegl1 libgl1 libfontconfig1 libdbus-1-3"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "» 安装系统软件包:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "提示：以下系统软件包未安装，相关测试将跳过：$missing" >&2
  echo "      安装：sudo apt-get install$missing" >&2
fi
