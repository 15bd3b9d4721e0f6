"""Generation time of one round's fill-in workbooks for a 40-department county.

The catalogue is the built-in one (24 departments) plus 16 extra co-departments. Each repetition
creates a fresh project (re-generating into the same round only re-uses unchanged files) and times
``generate_round`` for all 40 departments, split into its parts (building each form's spec, writing
the workbook, ledger bookkeeping) by wrapping the module's functions.

The plain approach for comparison writes the same rows with openpyxl, the way a script without
EcoDesk would: four sheets, fonts/borders/fills, column widths and row heights, one data validation
per input cell with its prompt, unlocked input cells, the same self-check formulas with conditional
formats, print set-up, protected sheets, a locked workbook structure, a very-hidden key sheet. It
leaves out the signed provenance, the ledger and the manifest, and writes from the specs EcoDesk
built (rule parsing and prompt wording are not in its time).


    .venv/bin/python bench/bench_generate.py [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common
import openpyxl
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

import ecodesk.forms.issue as issue
from ecodesk.catalogue.builtin import load_builtin
from ecodesk.forms import layout as L
from ecodesk.forms.workbook import FormSpec
from ecodesk.project import Project
from ecodesk.rules.evaluate import JudgeContext
from ecodesk.rules.excel import Cells, check_formula
from ecodesk.rules.model import Qualitative

ROUND = "2025年第一轮"
TARGET_MS = 50.0


def catalogue_40():
    cat = common.add_co_departments(load_builtin(), common.EXTRA_DEPARTMENTS)
    assert len(cat.departments) == 40, len(cat.departments)
    return cat


# ---- EcoDesk ----------------------------------------------------------------------------------------
def run_ecodesk(root: Path) -> tuple[float, dict[str, float], int, list[FormSpec]]:
    """One generation of a fresh project; (seconds, parts, forms, specs)."""
    parts: dict[str, float] = {}
    specs: list[FormSpec] = []
    build_spec, write_form = issue.build_spec, issue.write_form

    def timed_build_spec(*a: Any, **k: Any) -> FormSpec:
        with common.timed(parts, "build_spec (catalogue → rows, rules, prompts)"):
            spec = build_spec(*a, **k)
        specs.append(spec)
        return spec

    def timed_write_form(*a: Any, **k: Any) -> Path:
        with common.timed(parts, "write_form (xlsxwriter + structure lock)"):
            return write_form(*a, **k)

    with Project.create(root, catalogue_40(), region="east") as project:
        project.add_round(ROUND, "2025-06-30")
        issue.build_spec, issue.write_form = timed_build_spec, timed_write_form
        try:
            t = time.perf_counter()
            result = issue.generate_round(project, ROUND)
            total = time.perf_counter() - t
        finally:
            issue.build_spec, issue.write_form = build_spec, write_form
    parts["rest (ledger, hashes, 发放清单)"] = total - sum(parts.values())
    return total, parts, len(result.forms), specs


# ---- plain openpyxl ---------------------------------------------------------------------------------
class _Styles:
    def __init__(self) -> None:
        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name="宋体", size=10)
        self.title = Font(name="黑体", size=14, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="center")
        self.input = PatternFill("solid", fgColor="FFF2CC")
        self.disabled = PatternFill("solid", fgColor="D9D9D9")
        self.head = PatternFill("solid", fgColor="D9E1F2")
        self.unlocked = Protection(locked=False)

    def cell(self, cell: Any, kind: str = "cell") -> None:
        cell.font, cell.border, cell.alignment = self.font, self.border, self.wrap
        if kind == "input":
            cell.fill, cell.protection = self.input, self.unlocked
        elif kind == "disabled":
            cell.fill = self.disabled
        elif kind == "head":
            cell.fill = self.head


def _validation(ws: Any, cell: Any, title: str, prompt: str, **kw: Any) -> None:
    dv = DataValidation(
        showInputMessage=True, showErrorMessage=True, promptTitle=title[:32], prompt=prompt[:255], **kw
    )
    ws.add_data_validation(dv)
    dv.add(cell)


def _sheet(wb: Any, st: _Styles, spec: FormSpec, title: str, columns: tuple[L.Column, ...]) -> Any:
    ws = wb.create_sheet(title)
    ws.cell(1, 2, f"{spec.round} {title}（{spec.department}）").font = st.title
    ws.cell(2, 2, f"截止日期：{spec.deadline}。只在黄色单元格填写。").font = st.font
    ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=len(columns))
    for c, col in enumerate(columns, start=1):
        st.cell(ws.cell(L.FIRST_DATA_ROW, c, col.header), "head")
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = f"D{L.FIRST_DATA_ROW + 1}"
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", 9
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{L.FIRST_DATA_ROW}"
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.protection.sheet = True
    return ws


def plain_write(path: Path, spec: FormSpec) -> None:
    """The same rows with openpyxl: guide, indicator and task sheets with styles, one validation
    with a prompt per input cell, the same self-check formulas with conditional formats, print
    set-up, protected sheets, locked structure, a very-hidden key sheet."""
    st = _Styles()
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = L.SHEET_GUIDE
    guide["A1"] = f"{spec.county}生态文明建设示范区创建 指标与任务填报表"
    guide["A1"].font = st.title
    items = [
        ("县（市、区）", spec.county),
        ("调度轮次", spec.round),
        ("填报部门", spec.department),
        ("截止日期", spec.deadline),
        ("本表内容", f"指标 {len(spec.indicators)} 项，任务 {len(spec.tasks)} 项"),
        ("如何填写", "只在黄色单元格中填写，其余单元格已锁定。" * 6),
    ]
    for i, (k, v) in enumerate(items, start=3):
        st.cell(guide.cell(i, 1, k))
        st.cell(guide.cell(i, 2, v))
    guide.column_dimensions["B"].width = 90
    guide.protection.sheet = True

    ws = _sheet(wb, st, spec, L.SHEET_INDICATORS, L.INDICATOR_COLUMNS)
    col = {c.id: i + 1 for i, c in enumerate(L.INDICATOR_COLUMNS)}
    number = {"type": "decimal", "operator": "between", "formula1": "-1E12", "formula2": "1E12"}
    r = L.FIRST_DATA_ROW
    for r, row in enumerate(spec.indicators, start=L.FIRST_DATA_ROW + 1):
        for cid, v in (
            ("key", row.key),
            ("number", row.number),
            ("name", row.name),
            ("unit", row.unit),
            ("target", row.target_text),
            ("role", row.role),
        ):
            st.cell(ws.cell(r, col[cid], v))
        needs = row.rule.needs()
        for cid in ("current", "source", "note", "evidence"):
            st.cell(ws.cell(r, col[cid]), "input")
        if isinstance(row.rule, Qualitative):
            options = ",".join(row.rule.options or ("已完成", "推进中", "未完成"))
            _validation(
                ws,
                ws.cell(r, col["current"]),
                "填报要求",
                row.explanation,
                type="list",
                formula1=f'"{options}"',
            )
        else:
            _validation(ws, ws.cell(r, col["current"]), "填报要求", row.explanation, **number)
        if "previous" in needs:
            st.cell(ws.cell(r, col["previous"], row.previous), "input")
            st.cell(ws.cell(r, col["period"], row.previous_period), "input")
            _validation(ws, ws.cell(r, col["previous"]), "上期值", "填写比较期的数值", **number)
            _validation(
                ws,
                ws.cell(r, col["period"]),
                "上期值所属期",
                "上年、上一轮或基准年",
                type="list",
                formula1=f'"{",".join(L.PERIODS)}"',
            )
        else:
            st.cell(ws.cell(r, col["previous"]), "disabled")
            st.cell(ws.cell(r, col["period"]), "disabled")
        if "assigned" in needs:
            st.cell(ws.cell(r, col["assigned"]), "input")
            _validation(ws, ws.cell(r, col["assigned"]), "上级下达目标值", "填写下达的目标数值", **number)
        else:
            st.cell(ws.cell(r, col["assigned"]), "disabled")
        refs = Cells(*(f"{get_column_letter(col[k])}{r}" for k in ("current", "previous", "assigned")))
        formula = check_formula(
            row.rule, refs, JudgeContext(spec.region, spec.terrain, row.better, row.tolerance, row.unit), row.allow_na
        )
        st.cell(ws.cell(r, col["check"], formula))
        ws.row_dimensions[r].height = 32
    check = get_column_letter(col["check"])
    for text, color in (("未达标", "F8CBAD"), ("达标", "C6EFCE"), ("待核实", "FFEB9C")):
        ws.conditional_formatting.add(
            f"{check}{L.FIRST_DATA_ROW + 1}:{check}{max(r, L.FIRST_DATA_ROW + 1)}",
            CellIsRule(operator="equal", formula=[f'"{text}"'], fill=PatternFill("solid", bgColor=color)),
        )

    ws = _sheet(wb, st, spec, L.SHEET_TASKS, L.TASK_COLUMNS)
    col = {c.id: i + 1 for i, c in enumerate(L.TASK_COLUMNS)}
    for r, t in enumerate(spec.tasks, start=L.FIRST_DATA_ROW + 1):
        for cid, v in (
            ("key", t.key),
            ("number", t.number),
            ("title", t.title),
            ("requirements", t.requirements),
            ("departments", t.departments),
        ):
            st.cell(ws.cell(r, col[cid], v))
        for cid in ("status", "progress", "problems", "plan"):
            st.cell(ws.cell(r, col[cid]), "input")
        _validation(
            ws,
            ws.cell(r, col["status"]),
            "完成状态",
            "已完成 / 推进中 / 未启动 / 滞后",
            type="list",
            formula1=f'"{",".join(L.TASK_STATUSES)}"',
        )
        ws.row_dimensions[r].height = 60

    keys = wb.create_sheet("_ecodesk")
    for i, k in enumerate([r.key for r in spec.indicators] + [t.key for t in spec.tasks], start=1):
        keys.cell(i, 1, k)
    keys.sheet_state = "veryHidden"
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(path)


def run_plain(specs: list[FormSpec], folder: Path) -> float:
    t = time.perf_counter()
    for i, spec in enumerate(specs):
        plain_write(folder / f"plain_{i:03d}.xlsx", spec)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    ap.add_argument("--repeat", type=int, default=None, help="repetitions (default 7, quick 2)")
    args = ap.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 7)
    mode = "quick" if args.quick else "full"
    common.banner("bench_generate: fill-in workbooks for a 40-department round", mode)

    runs: dict[str, list[float]] = {"ecodesk": [], "plain": []}
    parts_runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="ecodesk-bench-gen-") as tmp:
        run_ecodesk(Path(tmp) / "warm-up")  # imports, rule parsing caches, page cache
        forms = 0
        for n in range(repeat):  # interleaved, so background load hits both alike
            total, parts, forms, specs = run_ecodesk(Path(tmp) / f"p{n}")
            runs["ecodesk"].append(total)
            parts_runs.append(parts)
            out = Path(tmp) / f"plain{n}"
            out.mkdir()
            runs["plain"].append(run_plain(specs, out))
        sizes = sorted(p.stat().st_size for p in (Path(tmp) / "p0" / "下发模板").rglob("*_填报表.xlsx"))
        plain_sizes = sorted(p.stat().st_size for p in (Path(tmp) / "plain0").glob("*.xlsx"))

    def ms(x: float) -> float:
        return x / forms * 1000

    common.table(
        ["run", "EcoDesk ms/wb", "plain openpyxl ms/wb"],
        [[i + 1, *(ms(runs[k][i]) for k in runs)] for i in range(repeat)],
        title=f"{forms} workbooks per run, fresh project each run (ms per workbook)",
    )
    totals = runs["ecodesk"]
    best, med = min(totals), statistics.median(totals)
    fastest = parts_runs[totals.index(best)]
    common.table(
        ["part of generate_round (best run)", "s", "ms/workbook", "share"],
        [[k, v, ms(v), f"{v / best * 100:.0f}%"] for k, v in fastest.items()],
    )
    plain_med = statistics.median(runs["plain"])
    common.table(
        ["figure", "value", "target", "status"],
        [
            ["departments / workbooks written", forms, "40", common.verdict(forms == 40)],
            ["generate_round total, median (s)", med, "", ""],
            ["generate_round total, best (s)", best, "", ""],
            ["per workbook, median (ms)", ms(med), f"< {TARGET_MS:.0f}", common.verdict(ms(med) < TARGET_MS)],
            ["per workbook, best (ms)", ms(best), f"< {TARGET_MS:.0f}", common.verdict(ms(best) < TARGET_MS)],
            ["plain openpyxl per workbook, median (ms)", ms(plain_med), "", ""],
            ["plain ÷ EcoDesk time (>1: EcoDesk faster)", f"{plain_med / med:.2f}x", "", ""],
            ["workbook size median, EcoDesk (KB)", sizes[len(sizes) // 2] / 1024, "", ""],
            ["workbook size median, plain (KB)", plain_sizes[len(plain_sizes) // 2] / 1024, "", ""],
        ],
        title="Summary (medians are the figures to quote; machine load: " + common.load_average() + ")",
    )
    return 0 if ms(med) < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
