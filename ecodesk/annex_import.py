"""Import a county's own Annex 1 (指标责任分解表) and Annex 2 (重点工作任务清单) workbooks.

Clerks' tables vary: title rows above the header, header words that differ (目标值, 责任单位 …),
merged 领域/任务/序号/group cells, groups written either as a group-name column beside the
sub-indicator names (our export) or as a row holding only the group name followed by its sub-rows,
a unit given once per group, a 参考性指标 label (merged beside its rows or a row of its own), and
every kind of separator in 责任部门. The whole catalogue is built before anything is returned, and
a table that cannot be read raises :class:`CatalogueImportError` saying which sheet and row.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.workbook import Workbook

from .annex_grid import CatalogueImportError, Grid, cell_text, header_key, open_workbook, read_grid
from .builtin import load_builtin
from .catalogue import Assignment, Better, Catalogue, Department, Indicator, Task, assign_keys, clean_text
from .catalogue import name_fingerprint as fingerprint
from .departments import AliasTable, normalise_name, split_department_cell

__all__ = ["CatalogueImportError", "ImportResult", "import_annex1", "import_annex2", "import_annexes"]

REFERENCE_LABEL = "参考性指标"
ANNEX1_HEADERS: dict[str, set[str]] = {
    "domain": {"领域"},
    "task": {"任务", "重点任务"},
    "number": {"序号", "编号"},
    "name": {"指标名称", "指标"},
    "unit": {"单位", "计量单位"},
    "target": {"指标值", "目标值", "目标"},
    "departments": {"责任部门", "责任单位", "牵头部门", "牵头单位"},
}
ANNEX2_HEADERS: dict[str, set[str]] = {
    "number": {"序号", "编号"},
    "title": {"主要任务", "工作任务", "任务内容", "重点任务", "任务名称"},
    "requirements": {"具体要求", "工作要求", "具体内容", "工作内容"},
    "departments": {"责任部门", "责任单位", "牵头部门", "牵头单位"},
}
_LABELS = {
    "number": "序号",
    "name": "指标名称",
    "target": "指标值",
    "departments": "责任部门",
    "title": "主要任务",
}
_VARIANTS = {
    "number": "序号/编号",
    "name": "指标名称/指标",
    "target": "指标值/目标值/目标",
    "departments": "责任部门/责任单位/牵头部门",
    "title": "主要任务/工作任务/任务内容",
}
_ORDINAL = re.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]")
_MARK = re.compile(r"^(?P<name>.*?)\s*[*＊]+$")
_COUNTY = re.compile(
    r"^(?:\d{4}\s*[-—–~至]\s*\d{2,4}\s*年度?)?\s*(?P<c>[^()（）\s]{2,12}?[市县区旗])国家生态"
)
_NOTE = ("注", "备注", "说明")


@dataclass
class ImportResult:
    catalogue: Catalogue
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Table:
    """One sheet's header row and the columns of each field found there."""

    grid: Grid
    header_row: int
    cols: dict[str, list[int]]

    def where(self, r: int) -> str:
        return f"『{self.grid.name}』工作表第 {r + 1} 行"

    def text(self, r: int, fld: str, raw: bool = False) -> str:
        if fld not in self.cols:
            return ""
        v = cell_text(self.grid.get(r, self.cols[fld][0]))
        return v.strip() if raw else clean_text(v)

    def own(self, r: int, *flds: str) -> bool:
        return any(
            fld in self.cols and self.grid.own(r, self.cols[fld][0]) and self.text(r, fld) for fld in flds
        )


def _brackets(s: str) -> str:
    return s.replace("（", "(").replace("）", ")")


def _find_table(grid: Grid, headers: dict[str, set[str]], annex: int) -> _Table | None:
    for r in range(min(grid.height, 30)):
        cols: dict[str, list[int]] = {}
        keys = [header_key(v) for v in grid.values[r]]
        for c, key in enumerate(keys):
            for fld, names in headers.items():
                if key in names:
                    cols.setdefault(fld, []).append(c)
        if annex == 1 and "name" in cols and len(cols) >= 3:
            return _Table(grid, r, cols)
        has_name = any(k in ANNEX1_HEADERS["name"] for k in keys)
        if annex == 2 and "title" in cols and len(cols) >= 2 and not has_name:
            return _Table(grid, r, cols)
    return None


def _locate(wb: Workbook, annex: int, required: tuple[str, ...]) -> _Table | None:
    headers = ANNEX1_HEADERS if annex == 1 else ANNEX2_HEADERS
    for ws in wb.worksheets:
        table = _find_table(read_grid(ws), headers, annex)
        if table:
            missing = [f for f in required if f not in table.cols]
            if missing:
                need = "、".join(f"“{_LABELS[f]}”（可写作{_VARIANTS[f]}）" for f in missing)
                raise CatalogueImportError(
                    f"{table.where(table.header_row)}：表头缺少{need}列，请补上该列后再导入"
                )
            return table
    return None


def _not_found(wb: Workbook, annex: int) -> CatalogueImportError:
    sheets = "".join(f"『{ws.title}』" for ws in wb.worksheets)
    what = (
        "附件1指标责任分解表的表头（应有“序号”“指标名称”“指标值”“责任部门”等列）"
        if annex == 1
        else ("附件2重点工作任务清单的表头（应有“序号”“主要任务”“具体要求”“责任部门”等列）")
    )
    return CatalogueImportError(f"{sheets}工作表前 30 行中未找到{what}，请检查是否选错了文件或工作表")


def _county(grid: Grid, header_row: int) -> str:
    for r in range(header_row):
        for v in grid.values[r]:
            m = _COUNTY.match(clean_text(cell_text(v)))
            if m:
                return m.group("c")
    return ""


def _split_mark(name: str) -> tuple[str, bool]:
    m = _MARK.match(name)
    return (m.group("name"), True) if m else (name, False)


def _row_texts(grid: Grid, r: int) -> list[str]:
    return [t for t in (clean_text(cell_text(v)) for v in grid.values[r]) if t]


def _is_label_row(grid: Grid, r: int) -> bool:
    """One text merged across the row (or alone in it): a section label, not a data row."""
    texts = _row_texts(grid, r)
    return len(set(texts)) == 1 and (len(texts) >= 3 or grid.row_own_count(r) == 1)


def _parse_annex1(t: _Table, known: set[str], warn: list[str]) -> list[Indicator]:
    g, out = t.grid, []
    names = t.cols["name"]
    two = len(names) >= 2
    rows = [r for r in range(t.header_row + 1, g.height) if _row_texts(g, r)]
    reference, domain, task = False, "", ""
    heading: tuple[str, str, str] | None = None  # (group, number, unit) of a group-name row
    prev: Indicator | None = None
    for k, r in enumerate(rows):
        texts = _row_texts(g, r)
        first = texts[0]
        if _is_label_row(g, r) or (first == REFERENCE_LABEL and not t.text(r, "name")):
            if first == REFERENCE_LABEL:
                reference, heading = True, None
            elif not first.startswith(_NOTE):
                warn.append(f"{t.where(r)}：『{first}』不是指标行，已跳过")
            continue
        group, name = "", t.text(r, "name")
        if two and not g.same_merge(r, names[0], names[1]):
            group, name = name, clean_text(cell_text(g.get(r, names[1])))
            if not name:
                group, name = "", group
        number, unit, target = t.text(r, "number"), t.text(r, "unit"), t.text(r, "target")
        dept_cell = t.text(r, "departments", raw=True)
        if not name:
            if t.own(r, "unit", "target", "departments"):
                raise CatalogueImportError(
                    f"{t.where(r)}：未找到“指标名称”，请检查该行是否为空或表头是否正确"
                )
            warn.append(f"{t.where(r)}：该行没有指标名称，已跳过")
            continue
        if REFERENCE_LABEL in (t.text(r, "domain"), t.text(r, "task")):
            reference = True
        elif t.text(r, "domain"):
            reference = False
        if not reference:
            domain = t.text(r, "domain") or domain
            task = _brackets(t.text(r, "task")) or task
        if not target and not dept_cell and not group:  # a row holding only a group name?
            nxt = rows[k + 1] if k + 1 < len(rows) else None
            if nxt is not None and t.text(nxt, "number") in ("", number) and t.text(nxt, "target"):
                heading = (name, number, unit)
                continue
        if group:
            heading = None
        elif heading and number in ("", heading[1]):
            group, number, unit = heading[0], number or heading[1], unit or heading[2]
        else:
            heading = None
        if not group and two and prev and prev.group and number in ("", prev.number):
            group = prev.group  # a group-name cell left blank below instead of merged
        same_group = (
            bool(group) and prev is not None and (prev.number, prev.group) == (number or prev.number, group)
        )
        if not number and same_group and prev:
            number = prev.number
        if not number:
            raise CatalogueImportError(
                f"{t.where(r)}：未找到“序号”，请在该行填写序号（同一组的子指标可与上一行相同）"
            )
        if not unit and same_group and prev:
            unit = prev.unit
        name, mark = _split_mark(name)
        split = split_department_cell(dept_cell, known)
        warn.extend(f"{t.where(r)}：{w}" for w in split.warnings)
        if not target:
            warn.append(f"{t.where(r)}：指标『{name}』的“指标值”为空")
        if not split.assignments:
            warn.append(f"{t.where(r)}：指标『{name}』未填写责任部门")
        prev = Indicator(
            key="", number=number, name=name, unit=unit, target_text=target,
            domain="" if reference else domain, task="" if reference else task, group=group,
            reference=reference, applicability_mark=mark, assignments=split.assignments,
        )  # fmt: skip
        out.append(prev)
    return out


def _parse_annex2(t: _Table, known: set[str], warn: list[str]) -> list[Task]:
    g, out, action = t.grid, [], ""
    for r in range(t.header_row + 1, g.height):
        texts = _row_texts(g, r)
        if not texts:
            continue
        if _is_label_row(g, r) and (_ORDINAL.match(texts[0]) or "行动" in texts[0]):
            action = _brackets(texts[0])
            continue
        title = t.text(r, "title")
        if not title:
            if t.own(r, "requirements", "departments"):
                raise CatalogueImportError(
                    f"{t.where(r)}：未找到“主要任务”，请检查该行是否为空或表头是否正确"
                )
            if not texts[0].startswith(_NOTE):
                warn.append(f"{t.where(r)}：『{texts[0]}』不是任务行，已跳过")
            continue
        number = t.text(r, "number")
        if not number:
            number = str(len(out) + 1)
            if "number" in t.cols:
                warn.append(f"{t.where(r)}：任务『{title}』没有序号，已按顺序编为 {number}")
        split = split_department_cell(t.text(r, "departments", raw=True), known)
        warn.extend(f"{t.where(r)}：{w}" for w in split.warnings)
        requirements = t.text(r, "requirements", raw=True)
        out.append(Task("", number, title, requirements, action, split.assignments))
    return out


def _infer_better(target: str) -> Better | None:
    if "下降" in target or "≤" in target:
        return "lower"
    if "≥" in target or "提高" in target:
        return "higher"
    return None


def _resolve(items: Iterable[Indicator | Task], aliases: AliasTable, roster: list[str]) -> None:
    """Spell every department as the roster does; merge duplicates the renaming creates."""
    for item in items:
        merged: dict[str, Assignment] = {}
        for a in item.assignments:
            name = aliases.resolve(a.department, roster) if roster else a.department
            if name in merged:
                if a.role == "lead":
                    merged[name].role = "lead"
                continue
            merged[name] = Assignment(name, a.role, a.note)
        item.assignments = list(merged.values())


def _finish(
    cat: Catalogue, aliases: AliasTable, roster: list[str], warn: list[str], ref: list[Catalogue]
) -> None:
    _resolve([*cat.indicators, *cat.tasks], aliases, roster)
    better = {fingerprint(i.name): i.better for c in reversed(ref) for i in c.indicators}
    for ind in cat.indicators:
        fp = fingerprint(ind.name)
        if ind.better is None:
            ind.better = better[fp] if fp in better else _infer_better(ind.target_text)
    cat.departments = [Department(n) for n in roster]
    cat.ensure_departments()
    for d in cat.departments[len(roster) :]:
        if roster:
            warn.append(f"责任部门『{d.name}』不在项目部门名单中，已作为新部门加入")
    for d in cat.departments:
        d.aliases = [a for a in aliases.group_of(d.name) if a != d.name]
    assign_keys(cat)
    cat.check_keys_unique()


def _known(aliases: AliasTable, roster: list[str], ref: list[Catalogue]) -> set[str]:
    names = aliases.known_names() | {normalise_name(n) for n in roster}
    return names | {normalise_name(n) for c in ref for n in c.department_names()}


def import_annexes(
    annex1_path: Path | str | None = None,
    annex2_path: Path | str | None = None,
    aliases: AliasTable | None = None,
    roster: list[str] | None = None,
    base: Catalogue | None = None,
) -> ImportResult:
    """Build a whole catalogue from the county's Annex 1 and/or Annex 2 workbooks.

    Without Annex 2 the tasks come from an Annex 2 sheet in the Annex 1 workbook, else from
    ``base``; without Annex 1 the indicators come from ``base`` (default: the built-in catalogue).
    With a ``roster`` (or a ``base``), department names are resolved to the roster's spelling
    through the alias table and the roster leads the department list; without one, names stay
    as written. ``better`` comes from ``base``/the built-in catalogue by name, else the target.
    """
    if annex1_path is None and annex2_path is None:
        raise CatalogueImportError("请至少选择附件1（指标责任分解表）或附件2（重点工作任务清单）之一")
    aliases = aliases or AliasTable.default()
    builtin = load_builtin(aliases)
    if annex1_path is None and base is None:
        base = builtin
    ref = [builtin] if base is None else [builtin, base]
    roster_list = list(roster) if roster is not None else (base.department_names() if base else [])
    known = _known(aliases, roster_list, ref)
    warn: list[str] = []
    cat = Catalogue(indicator_set=base.indicator_set if base else "2024", county=base.county if base else "")
    sources: list[str] = []
    wb1 = open_workbook(Path(annex1_path)) if annex1_path is not None else None
    wb2 = open_workbook(Path(annex2_path)) if annex2_path is not None else None
    if wb1 is not None and annex1_path is not None:
        t1 = _locate(wb1, 1, ("number", "name", "target", "departments"))
        if t1 is None:
            raise _not_found(wb1, 1)
        cat.indicators = _parse_annex1(t1, known, warn)
        if not cat.indicators:
            raise CatalogueImportError(f"{t1.where(t1.header_row)}：表头下方没有任何指标行，请检查文件内容")
        cat.county = _county(t1.grid, t1.header_row) or cat.county
        sources.append(Path(annex1_path).name)
    elif base is not None:
        cat.indicators = copy.deepcopy(base.indicators)
    t2 = None
    if wb2 is not None and annex2_path is not None:
        t2 = _locate(wb2, 2, ("title", "departments"))
        if t2 is None:
            raise _not_found(wb2, 2)
        sources.append(Path(annex2_path).name)
    elif wb1 is not None:
        t2 = _locate(wb1, 2, ("title", "departments"))
    if t2 is not None:
        cat.tasks = _parse_annex2(t2, known, warn)
        cat.county = cat.county or _county(t2.grid, t2.header_row)
    elif base is not None:
        cat.tasks = copy.deepcopy(base.tasks)
    else:
        warn.append("未提供附件2（重点工作任务清单），重点任务为空，可稍后再导入")
    cat.source = "、".join(sources)
    _finish(cat, aliases, roster_list, warn, ref)
    return ImportResult(cat, list(dict.fromkeys(warn)))


def import_annex1(
    path: Path | str, aliases: AliasTable | None = None, roster: list[str] | None = None
) -> ImportResult:
    """Indicators (and departments) from an Annex 1 workbook; tasks only if the workbook has an
    Annex 2 sheet too."""
    result = import_annexes(path, None, aliases, roster)
    result.warnings = [w for w in result.warnings if not w.startswith("未提供附件2")]
    return result


def import_annex2(
    path: Path | str, aliases: AliasTable | None = None, roster: list[str] | None = None
) -> ImportResult:
    """Tasks (and departments) from an Annex 2 workbook; the catalogue has no indicators."""
    result = import_annexes(None, path, aliases, roster, base=Catalogue())
    return result
