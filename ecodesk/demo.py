"""A sample project with simulated returns from every department — some late, some missing, some
failing, one re-submitted, one conflict — collected, validated and reported in one call, so a new
user (and the README) sees the whole cycle. Also used by the app's self-test and the benchmark."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import Indicator
from .catalogue.builtin import load_builtin
from .forms import layout as L
from .forms.issue import generate_round
from .project import Project
from .rules import indicator_rule
from .rules.evaluate import Inputs, JudgeContext, RuleStatus, evaluate
from .rules.model import QUALITATIVE_OPTIONS, Qualitative, Rule

Progress = Callable[[int, int, str], None]
ROUND = "2025年第一轮"
DEADLINE = dt.date(2025, 6, 30)
_COL = {c.id: i + 1 for i, c in enumerate(L.INDICATOR_COLUMNS)}
_TCOL = {c.id: i + 1 for i, c in enumerate(L.TASK_COLUMNS)}


# ---- values that pass or fail a rule, found with the real evaluator ---------------------------
def _numbers(rule: Rule) -> list[float]:
    found = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", str(rule.to_dict()))]
    out: list[float] = []
    for v in found:
        out += [v + 2, v + 1, v, v - 1, v - 5]
    out += [95.0, 96.0, 93.0, 90.0, 85.0, 60.0, 28.0, 26.5, 26.0, 20.0, 100.0, 0.62, 0.6]
    return [x for x in dict.fromkeys(out) if x >= 0]


def sample_inputs(ind: Indicator, want: RuleStatus, region: str | None = "east") -> Inputs | None:
    """Inputs for which ``ind``'s rule gives ``want`` (pass/fail), or None if none found."""
    rule = indicator_rule(ind).rule
    ctx = JudgeContext(region=region, better=ind.better, unit=ind.unit)
    if isinstance(rule, Qualitative):
        options = rule.options or QUALITATIVE_OPTIONS.get(rule.status, ())
        for o in options:
            inputs = Inputs(current=o)
            if evaluate(rule, inputs, ctx).status == want:
                return inputs
        return None
    nums = _numbers(rule)
    needs = rule.needs()
    prevs = nums if "previous" in needs else [None]
    assigneds = nums if "assigned" in needs else [None]
    for cur, prev, tgt in itertools.product(nums, prevs, assigneds):
        if ind.unit.strip() == "%" and cur > 100:
            continue
        inputs = Inputs(cur, prev, tgt)
        if evaluate(rule, inputs, ctx).status == want:
            return inputs
    return None


# ---- filling a form as a department would ------------------------------------------------------
def fill_form(
    src: Path,
    dst: Path,
    values: dict[str, dict[str, Any]],
    tasks: dict[str, dict[str, Any]] | None = None,
    saved_at: dt.datetime | None = None,
) -> Path:
    """Copy an issued form to ``dst`` with values by indicator key ({key: {"current": …,
    "previous": …, "assigned": …, "note": …}}) and task cells by task key."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    for sheet, cols, cells in ((L.SHEET_INDICATORS, _COL, values), (L.SHEET_TASKS, _TCOL, tasks or {})):
        ws = wb[sheet]
        for r in range(L.FIRST_DATA_ROW + 1, ws.max_row + 1):
            for cid, v in cells.get(ws.cell(r, 1).value, {}).items():
                ws.cell(r, cols[cid]).value = v
    wb.save(dst)
    if saved_at is not None:
        set_saved_time(dst, saved_at)
    return dst


def set_saved_time(path: Path, saved_at: dt.datetime) -> None:
    """Set the document's last-saved time (openpyxl always writes 'now')."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    stamp = saved_at.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            z.writestr(info, data)


def department_values(
    project: Project, department: str, failing: set[str], seed: int = 0
) -> dict[str, dict[str, Any]]:
    region = project.settings().get("region")
    out: dict[str, dict[str, Any]] = {}
    from .forms.issue import safe_filename
    from .rules.evidence import needs_evidence

    for ind in project.catalogue().indicators_for(department):
        want = RuleStatus.FAIL if ind.key in failing else RuleStatus.PASS
        inputs = sample_inputs(ind, want, region) or sample_inputs(ind, RuleStatus.PASS, region) or Inputs(95.0)
        cells: dict[str, Any] = {"current": inputs.current, "source": "部门统计台账"}
        if inputs.previous is not None:
            cells.update(previous=inputs.previous, period="上年")
        if inputs.assigned is not None:
            cells["assigned"] = inputs.assigned
        if needs_evidence(ind):  # the file sent beside the form (see write_evidence)
            cells["evidence"] = f"{department}_{safe_filename(ind.name)}工作台账.pdf"
        out[ind.key] = cells
    return out


def sample_pdf(text: str, pages: int = 1) -> bytes:
    """A small well-formed PDF (correct cross-reference table) of ``pages`` pages."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>")
    safe = text.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    for i in range(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({safe} {i + 1}) Tj ET"
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
            "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
        )
        objs.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def sample_png() -> bytes:
    """A 2×2 green PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([46, 125, 79] * 2) for _ in range(2))
    head = chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + head + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def write_evidence(values: dict[str, dict[str, Any]], folder: Path) -> list[Path]:
    """The 佐证材料 files a department's values name, written into ``folder`` beside its form."""
    from .intake.evidence_links import named_files

    out = []
    for key, cells in values.items():
        for name in named_files(str(cells.get("evidence", ""))):
            target = folder / name
            target.write_bytes(sample_pdf(f"{key} {len(out)}"))
            out.append(target)
    return out


# ---- a round's worth of returns ----------------------------------------------------------------
MISSING = ("卫健局", "统计局")  # do not report
LATE = ("商务局", "水投集团")  # save their files after the deadline
FAILING = ("PM2.5浓度", "农膜回收率", "生态环境信息公开率")


def simulate_returns(
    project: Project, forms: dict[str, Path], out: Path, departments: list[str] | None = None
) -> list[str]:
    """Fill issued forms as departments would, into ``out``; return the departments that reported.

    With ``departments=None`` the whole scenario: everyone but :data:`MISSING` reports, two late,
    a few failing values, a co-department's conflicting PM2.5, a number typed in words, one
    department re-submitting after a draft, and a stray non-spreadsheet. With a list, only those
    departments report, the first one's first indicator failing.
    """
    cat = project.catalogue()
    inds_of, tasks_of = cat.by_department()
    full = departments is None
    chosen = [d for d in forms if d not in MISSING] if full else [d for d in departments or [] if d in forms]
    if full:
        failing = {i.key for i in cat.indicators if i.name in FAILING}
    else:
        first = inds_of.get(chosen[0], []) if chosen else []
        failing = {first[0].key} if first else set()
    out.mkdir(parents=True, exist_ok=True)
    on_time = dt.datetime(2025, 6, 25, 10, 0)
    for n, dept in enumerate(chosen):
        form = forms[dept]
        values = department_values(project, dept, failing, seed=n)
        tasks = {
            t.key: {
                "status": ("滞后" if full and t.number == "14" else "推进中" if n % 2 else "已完成"),
                "progress": f"{dept}已按计划推进{t.title}相关工作",
                "plan": "下阶段继续推进",
            }
            for t in tasks_of.get(dept, [])
        }
        saved = on_time
        if full:
            if dept == "经信局":  # a co-department reporting a different PM2.5 value: a conflict
                pm = next(i.key for i in cat.indicators if i.name == "PM2.5浓度")
                values.setdefault(pm, {})["current"] = 31.5
            if dept == "农业农村局" and values:  # not a number: kept and flagged, never 0
                values[next(iter(values))]["current"] = "九十五"
            if dept in LATE:
                saved = dt.datetime.combine(DEADLINE + dt.timedelta(days=4), dt.time(10, 0))
            if dept == "水利局":  # re-submitted: an earlier draft, then the final file
                draft = {k: dict(v) for k, v in values.items()}
                fill_form(form, out / f"{form.stem}(初稿).xlsx", draft, tasks, saved - dt.timedelta(days=3))
                for v in values.values():
                    v["note"] = "已按复核意见修改"
        write_evidence(values, out)
        if full and dept == "自然资源局":  # names a photo it forgot to send: listed in 问题清单
            named = next((v for v in values.values() if v.get("evidence")), None)
            if named is not None:
                named["evidence"] += "、现场核查照片.jpg"
        fill_form(form, out / form.name, values, tasks, saved)
    if full:
        (out / "创建工作现场照片.png").write_bytes(sample_png())  # no department, no row: 未归类
        (out / "会议通知.docx").write_bytes(b"PK\x03\x04 not really a document")
    return chosen


# ---- the whole cycle ---------------------------------------------------------------------------
@dataclass
class DemoResult:
    root: Path
    returns: Path
    report: Path
    collected: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def run_demo(root: Path, progress: Progress | None = None) -> DemoResult:
    from .intake.collect import collect
    from .report import write_report
    from .verdicts import judge_round

    def step(i: int, text: str) -> None:
        if progress:
            progress(i, 6, text)

    step(0, "创建示例项目")
    project = Project.create(root, load_builtin(), region="east")
    project.update_settings(office_contact="创建办 张三 0575-8312xxxx")
    try:
        project.add_round(ROUND, DEADLINE.isoformat())
        step(1, "生成填报表")
        issued = {f.department: Path(f.path) for f in generate_round(project, ROUND).forms}
        step(2, "模拟各部门填报")
        returns = root / "模拟回收文件"
        reported = simulate_returns(project, issued, returns)
        step(3, "回收")
        collected = collect(project, ROUND, [returns])
        step(4, "校验")
        verdicts = judge_round(project, ROUND).counts()
        step(5, "生成汇总表")
        report = write_report(project, ROUND)
        step(6, "完成")
        missing = [d for d in issued if d not in reported]
        return DemoResult(root, returns, report.path, collected.counts(), verdicts, missing)
    finally:
        project.close()
