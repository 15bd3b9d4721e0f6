"""Regenerate ecodesk/templates/xlsx/附件1_指标责任分解表.xlsx and 附件2_重点工作任务清单.xlsx from the
built-in catalogue (ecodesk/resources/catalogues/). Run after editing the catalogue:

    .venv/bin/python scripts/make_templates.py [folder]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ecodesk.catalogue.export_annex import write_builtin_templates


def main(argv: list[str]) -> int:
    for path in write_builtin_templates(Path(argv[0]) if argv else None):
        print(f"已生成：{path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
