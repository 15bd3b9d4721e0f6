"""Import a county's own Annex 1 (指标责任分解表) and Annex 2 (重点工作任务清单) workbooks.

Clerks' tables vary: title rows above the header, header words that differ (目标值, 责任单位 …),
merged 领域/任务/序号/group cells, groups written either as a group-name column beside the
sub-indicator names (our export) or as a row holding only the group name followed by its sub-rows,
a unit given once per group, a 参考性指标 label (merged beside its rows or a row of its own), and
every kind of separator in 责任部门. The whole catalogue is built before anything is returned; a
table that cannot be read raises :class:`CatalogueImportError` saying which sheet and row. What the
clerk should check is returned as :class:`~ecodesk.findings.Finding` s (codes ``import.*``, located
by file, sheet, row and cell as the table shows them).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..findings import Finding
from ..local_targets import is_local_header, split_target_text
from .annex_grid import CatalogueImportError, Layout, Table, cell_text, locate, open_workbook
from .builtin import load_builtin
from .departments import AliasTable, normalise_name, split_department_cell
from .model import Assignment, Catalogue, Indicator, Task, clean_text
from .settle import settle

__all__ = ["CatalogueImportError", "ImportResult", "import_annex1", "import_annex2", "import_annexes"]

REFERENCE_LABEL = "参考性指标"
_DEPARTMENTS = ("责任部门", "责任单位", "牵头部门", "牵头单位")
_CO = ("配合部门", "配合单位", "协办部门", "协办单位", "协同部门", "协同单位", "参与部门", "参与单位")
ANNEX1 = Layout(
    title="附件1指标责任分解表",
    headers={
        "domain": ("领域",),
        "task": ("任务", "重点任务"),
        "number": ("序号", "编号"),
        "name": ("指标名称", "指标"),
        "unit": ("单位", "计量单位"),
        "target": ("指标值", "目标值", "目标"),
        "departments": _DEPARTMENTS,
        "co": _CO,
    },
    key_field="name",
    required=("number", "name", "target", "departments"),
)
ANNEX2 = Layout(
    title="附件2重点工作任务清单",
    headers={
        "number": ("序号", "编号"),
        "title": ("主要任务", "工作任务", "任务内容", "重点任务", "任务名称"),
        "requirements": ("具体要求", "工作要求", "具体内容", "工作内容"),
        "departments": _DEPARTMENTS,
        "co": _CO,
    },
    key_field="title",
    required=("title", "departments"),
    min_fields=2,
    reject=frozenset(ANNEX1.headers["name"]),
)
_ORDINAL = re.compile(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]")
_MARK = re.compile(r"^(?P<name>.*?)\s*[*＊]+$")
_NOTE = ("注", "备注", "说明")
_BINDING_LABEL = "约束性指标"
_SUB_NUMBER = re.compile(r"^(?:[(（]?\d{1,2}[)）]|[①-⑳])$")


@dataclass
class ImportResult:
    catalogue: Catalogue
    findings: list[Finding] = field(default_factory=list)  # what the clerk should check (import.*)


def _brackets(s: str) -> str:
    return s.replace("（", "(").replace("）", ")")


def _texts(t: Table, r: int) -> list[str]:
    return [x for x in (clean_text(cell_text(v)) for v in t.grid.values[r]) if x]


def _at(
    t: Table, r: int, code: str, fld: str | None = None, col: int | None = None, **fields: object
) -> Finding:
    """A finding at row ``r`` of the table (and at the cell of field ``fld`` or column ``col``)."""
    col = t.cols[fld][0] if fld is not None and fld in t.cols else col
    cell = f"{get_column_letter(col + 1)}{r + 1}" if col is not None else ""
    return Finding.of(code, **fields).at(**t.location(r), **({"cell": cell} if cell else {}))


def _skip(t: Table, r: int, texts: list[str], warn: list[Finding], code: str) -> None:
    """A row that is not data: a note is dropped quietly, other text with a warning."""
    if t.grid.row_own_count(r) and not texts[0].startswith(_NOTE):
        warn.append(_at(t, r, code, text=texts[0]))


def _departments(t: Table, r: int, known: set[str], warn: list[Finding]) -> list[Assignment]:
    """The row's departments. With a separate 配合单位 column, the main column's units lead."""
    main = split_department_cell(t.text(r, "departments", raw=True), known)
    warn.extend(_at(t, r, f.code, "departments", **f.fields) for f in main.findings)
    if "co" not in t.cols:
        return main.assignments
    co = split_department_cell(t.text(r, "co", raw=True), known)
    warn.extend(_at(t, r, f.code, "co", **f.fields) for f in co.findings)
    leads = [Assignment(a.department, "lead", a.note) for a in main.assignments]
    names = {a.department for a in leads}
    return leads + [
        Assignment(a.department, "co", a.note) for a in co.assignments if a.department not in names
    ]


def _continues(number: str, group_number: str) -> bool:
    """A sub-row's 序号 under a group's: blank, the same, "5.1"/"5-1", or "(1)"/"①"."""
    if number in ("", group_number) or _SUB_NUMBER.match(number):
        return True
    return (
        bool(group_number)
        and re.match(rf"^{re.escape(group_number)}[.．\-－—]\d{{1,2}}$", number) is not None
    )


def _name_cells(t: Table, r: int) -> tuple[str, str]:
    """(group, name): a separate group column is the first of two 指标名称 columns not merged."""
    names = t.cols["name"]
    name = t.text(r, "name")
    if len(names) > 1 and not t.grid.same_merge(r, names[0], names[1]):
        sub = clean_text(cell_text(t.grid.get(r, names[1])))
        if sub:
            return name, sub
    return "", name


def _local_column(t: Table, warn: list[Finding]) -> int | None:
    """The column holding the county's own targets (本地目标, 平湖目标值, 目标值（平湖）…), taken out
    of the national fields; every other column the table has but Annex 1 does not is named in a
    warning, so nothing is dropped silently."""
    header = t.grid.values[t.header_row]
    local = [c for c, v in enumerate(header) if is_local_header(cell_text(v))]
    for fld, cols in list(t.cols.items()):
        rest = [c for c in cols if c not in local]
        if rest:
            t.cols[fld] = rest
    used = {c for cols in t.cols.values() for c in cols}
    for c in local[1:]:
        text = clean_text(cell_text(header[c]))
        warn.append(_at(t, t.header_row, "import.second_local_column", col=c, header=text))
    for c, v in enumerate(header):
        text = clean_text(cell_text(v))
        if text and c not in used and c not in local and t.grid.own(t.header_row, c):
            warn.append(_at(t, t.header_row, "import.unknown_column", col=c, header=text))
    return local[0] if local else None


def _local_target(t: Table, r: int, ind: Indicator, local_col: int | None, warn: list[Finding]) -> None:
    """Set ``ind``'s local target from the local column, or from brackets or a ``；`` in 指标值."""
    column = clean_text(cell_text(t.grid.get(r, local_col))) if local_col is not None else ""
    split = split_target_text(ind.target_text)
    if split.local:
        code = "import.local_in_brackets" if split.how == "bracket" else "import.local_after_semicolon"
        warn.append(_at(t, r, code, "target", name=ind.name, local=split.local, national=split.national))
        ind.target_text = split.national
    texts = [x for x in (column, split.local) if x]
    if texts:
        ind.local_target_text = "；".join(dict.fromkeys(texts))
        header = t.grid.values[t.header_row]
        ind.local_target_label = (
            clean_text(cell_text(header[local_col])) if column and local_col is not None else "指标值" + (
                "括号内" if split.how == "bracket" else "分号后")
        )  # fmt: skip


def _parse_annex1(t: Table, known: set[str], warn: list[Finding]) -> list[Indicator]:
    out: list[Indicator] = []
    local_col = _local_column(t, warn)
    two = len(t.cols["name"]) > 1
    rows = [r for r in range(t.header_row + 1, t.grid.height) if _texts(t, r)]
    reference, domain, task = False, "", ""
    heading: tuple[str, str, str] | None = None  # (group, number, unit) of a row holding only a group name
    prev: Indicator | None = None
    for k, r in enumerate(rows):
        texts, cell_name = _texts(t, r), t.text(r, "name")
        wide = len(set(texts)) == 1 and len(texts) >= 3  # one label merged across the row
        if texts[0] == REFERENCE_LABEL and (wide or cell_name in ("", REFERENCE_LABEL)):
            reference, heading = True, None
            continue
        if texts[0] == _BINDING_LABEL and (wide or not cell_name):
            reference, heading = False, None
            continue
        if wide or not (cell_name or t.own(r, "unit", "target", "departments", "co")):
            _skip(t, r, texts, warn, "import.not_indicator_row")
            continue
        group, name = _name_cells(t, r)
        if not name:
            raise CatalogueImportError("import.no_indicator_name", **t.location(r))
        number, unit, target = t.text(r, "number"), t.text(r, "unit"), t.text(r, "target")
        has_departments = bool(t.text(r, "departments") or t.text(r, "co"))
        if REFERENCE_LABEL in (t.text(r, "domain"), t.text(r, "task")):
            reference = True
        elif t.text(r, "domain"):
            reference = False
        if not reference:
            domain = t.text(r, "domain") or domain
            task = _brackets(t.text(r, "task")) or task
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        lone = not (target or has_departments or group)  # a group-name row before its sub-rows?
        if lone and nxt is not None and t.text(nxt, "target") and _continues(t.text(nxt, "number"), number):
            heading = (name, number, unit)
            continue
        if lone and not t.own(r, "number"):  # a stray label: no 序号, 指标值 or department of its own
            _skip(t, r, texts, warn, "import.not_indicator_row")
            continue
        if group or not heading or not _continues(number, heading[1]):
            heading = None
        else:
            group, number, unit = heading[0], heading[1] or number, unit or heading[2]
        if not group and two and prev and prev.group and _continues(number, prev.number):
            group = prev.group  # a group-name cell left blank below instead of merged
        if prev and group and prev.group == group and _continues(number, prev.number):
            number, unit = prev.number, unit or prev.unit
        if not number:
            raise CatalogueImportError("import.no_number", **t.location(r))
        m = _MARK.match(name)
        name = m.group("name") if m else name
        assignments = _departments(t, r, known, warn)
        if not target:
            warn.append(_at(t, r, "import.no_target", "target", name=name))
        if not assignments:
            warn.append(_at(t, r, "import.no_department", "departments", name=name))
        prev = Indicator(
            key="", number=number, name=name, unit=unit, target_text=target,
            domain="" if reference else domain, task="" if reference else task, group=group,
            reference=reference, applicability_mark=m is not None, assignments=assignments,
        )  # fmt: skip
        _local_target(t, r, prev, local_col, warn)
        out.append(prev)
    return out


def _parse_annex2(t: Table, known: set[str], warn: list[Finding]) -> list[Task]:
    out: list[Task] = []
    action = ""
    for r in range(t.header_row + 1, t.grid.height):
        texts = _texts(t, r)
        if not texts:
            continue
        label = len(set(texts)) == 1 and (len(texts) >= 3 or t.grid.row_own_count(r) == 1)
        if label and (_ORDINAL.match(texts[0]) or (len(texts) >= 3 and "行动" in texts[0])):
            action = _brackets(texts[0])
            continue
        title = t.text(r, "title")
        if not title:
            if t.own(r, "requirements", "departments", "co"):
                raise CatalogueImportError("import.no_task_title", **t.location(r))
            _skip(t, r, texts, warn, "import.not_task_row")
            continue
        number = t.text(r, "number")
        if not number:
            number = str(len(out) + 1)
            if "number" in t.cols:
                warn.append(_at(t, r, "import.task_numbered", "number", title=title, number=number))
        assignments = _departments(t, r, known, warn)
        out.append(Task("", number, title, t.text(r, "requirements", raw=True), action, assignments))
    return out


def import_annexes(
    annex1_path: Path | str | None = None,
    annex2_path: Path | str | None = None,
    aliases: AliasTable | None = None,
    roster: list[str] | None = None,
    base: Catalogue | None = None,
) -> ImportResult:
    """Build a whole catalogue from the county's Annex 1 and/or Annex 2 workbooks.

    Without Annex 2 the tasks come from an Annex 2 sheet in the Annex 1 workbook, else from
    ``base`` (else none, with a warning); without Annex 1 the indicators come from ``base``
    (default: the built-in catalogue). Department names are resolved through the alias table to
    the spelling of ``roster`` (default: ``base``'s departments), which leads the department list;
    with neither, names stay as written. ``better`` comes from ``base``/the built-in catalogue by
    name, else from the target text.
    """
    if annex1_path is None and annex2_path is None:
        raise CatalogueImportError("import.nothing_given")
    aliases = aliases or AliasTable.default()
    builtin = load_builtin(aliases)
    if annex1_path is None and base is None:
        base = builtin
    ref = [builtin] if base is None else [base, builtin]
    roster_list = list(roster) if roster is not None else (base.department_names() if base else [])
    known = aliases.known_names() | {normalise_name(n) for n in roster_list}
    own: list[Indicator | Task] = []  # items read from the county's own files
    known |= {normalise_name(n) for c in ref for n in c.department_names()}
    warn: list[Finding] = []
    cat = Catalogue(county=base.county if base else "", indicator_set=base.indicator_set if base else "2024")
    wb1 = open_workbook(Path(annex1_path)) if annex1_path is not None else None
    wb2 = open_workbook(Path(annex2_path)) if annex2_path is not None else None
    if wb1 is not None:
        t1 = locate(wb1, ANNEX1, file=_name(annex1_path))
        assert t1 is not None
        cat.indicators = _parse_annex1(t1, known, warn)
        own += cat.indicators
        if not cat.indicators:
            raise CatalogueImportError("import.no_indicator_rows", **t1.location(t1.header_row))
        cat.county = t1.county() or cat.county
    elif base is not None:
        cat.indicators = copy.deepcopy(base.indicators)
    if wb2 is not None:
        t2 = locate(wb2, ANNEX2, file=_name(annex2_path))
    else:
        t2 = locate(wb1, ANNEX2, must=False, file=_name(annex1_path)) if wb1 else None
    if t2 is not None:
        cat.tasks = _parse_annex2(t2, known, warn)
        own += cat.tasks
        cat.county = cat.county or t2.county()
    elif base is not None:
        cat.tasks = copy.deepcopy(base.tasks)
    else:
        warn.append(Finding.of("import.no_annex2"))
    cat.source = "、".join(Path(p).name for p in (annex1_path, annex2_path) if p is not None)
    base_names = base.department_names() if base else []
    warn.extend(settle(cat, aliases, list(roster) if roster is not None else None, own, base_names, ref))
    return ImportResult(cat, _unique(warn))


def _name(path: Path | str | None) -> str:
    return Path(path).name if path is not None else ""


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each finding once (a row's cell split by two columns, a renaming seen twice), in order."""
    seen: dict[str, Finding] = {}
    for f in findings:
        seen.setdefault(f.message, f)
    return list(seen.values())


def import_annex1(
    path: Path | str, aliases: AliasTable | None = None, roster: list[str] | None = None
) -> ImportResult:
    """Indicators and their departments from an Annex 1 workbook (tasks too if it has an Annex 2
    sheet). Without a ``roster`` department names stay as written."""
    result = import_annexes(path, None, aliases, roster)
    result.findings = [f for f in result.findings if f.code != "import.no_annex2"]
    return result


def import_annex2(
    path: Path | str, aliases: AliasTable | None = None, roster: list[str] | None = None
) -> ImportResult:
    """Tasks and their departments from an Annex 2 workbook; the catalogue has no indicators."""
    return import_annexes(None, path, aliases, roster, base=Catalogue())
