"""What a round has produced in the project's 汇总报告 folder: each consolidated workbook version
(…_汇总表.xlsx, …_汇总表_v2.xlsx, …), its PDF, and the return-for-revision copies — found on disk,
so the list survives a restart. A new export never overwrites an earlier one: it takes the next
free version number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .forms.issue import safe_filename
from .project import Project

REPORT_SUFFIX = "_汇总表"
REVISIONS_DIR = "退回修改"
_VERSION = re.compile(r"_v(\d+)$")


@dataclass
class Output:
    kind: str  # 汇总表 / PDF / 退回修改稿
    path: Path
    modified: str  # local time, YYYY-MM-DD HH:MM
    version: int  # 1 for the first 汇总表 (no suffix), 2 for _v2 …; 0 for revision copies

    @property
    def name(self) -> str:
        return self.path.name


def versioned(path: Path) -> Path:
    """``path`` if nothing is there yet, else the same name with the next free ``_vN``."""
    path = Path(path)
    stem = _VERSION.sub("", path.stem)
    taken = [1] if path.with_name(stem + path.suffix).exists() else []
    for other in path.parent.glob(f"{glob_escape(stem)}_v*{path.suffix}"):
        m = _VERSION.search(other.stem)
        if m and _VERSION.sub("", other.stem) == stem:
            taken.append(int(m.group(1)))
    if not taken:
        return path.with_name(stem + path.suffix)
    return path.with_name(f"{stem}_v{max(taken) + 1}{path.suffix}")


def glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


def _modified(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


def _version(stem: str) -> int:
    m = _VERSION.search(stem)
    return int(m.group(1)) if m else 1


def list_outputs(project: Project, round_name: str) -> list[Output]:
    """The round's outputs, newest 汇总表 first, then its revision copies."""
    base = safe_filename(round_name) + REPORT_SUFFIX
    folder = project.reports_dir
    out: list[Output] = []
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name.startswith(".") or not path.is_file():
                continue
            stem = path.stem
            if _VERSION.sub("", stem) != base:
                continue
            kind = {".xlsx": "汇总表", ".pdf": "PDF"}.get(path.suffix.lower())
            if kind:
                out.append(Output(kind, path, _modified(path), _version(stem)))
    out.sort(key=lambda o: (-o.version, o.kind != "汇总表"))
    revisions = folder / REVISIONS_DIR / safe_filename(round_name)
    if revisions.is_dir():
        for path in sorted(revisions.glob("*.xlsx")):
            if not path.name.startswith("."):
                out.append(Output("退回修改稿", path, _modified(path), 0))
    return out
