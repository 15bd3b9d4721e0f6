"""Everything the report needs for one round, gathered once from the ledger: verdicts, tasks,
报送情况, the history (this round and those before it, and what changed against the comparison
period), and the problems to send back — each
problem with the exact cells a department must fix and a text that quotes only its own data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..catalogue import Catalogue
from ..collector import collector_paused
from ..findings import render
from ..intake.statuses import TaskStatus
from ..ledger.values import StoredValue
from ..messages import STATUS_LABELS
from ..project import Project
from ..round_data import RoundData, fresh
from ..rules import indicator_rule
from ..rules.entry import how_entered
from ..status import DepartmentStatus, reminder_text, round_status
from ..timeliness import timeliness_rows
from ..verdicts import Outcome, RoundVerdicts, Verdict, judge_loaded
from .evidence_problems import ask_for_evidence, missing_named


@dataclass
class Problem:
    department: str
    item: str  # the indicator or task, or the file
    problem: str  # one sentence, for the office's 问题清单
    ask: str  # what the department is asked to do
    sheet: str = ""
    cell: str = ""  # the first cell to fix
    key: str = ""
    own: str = ""  # the problem as told to the department: only its own data
    cells: list[tuple[str, str]] = field(default_factory=list)  # every (sheet, cell) to fix
    kind: str = "indicator"  # indicator / task / file

    def __post_init__(self) -> None:
        self.own = self.own or self.problem
        if self.sheet and self.cell and not self.cells:
            self.cells = [(self.sheet, self.cell)]


@dataclass
class ReportData:
    county: str
    round: str
    deadline: str
    as_of: date
    catalogue: Catalogue
    verdicts: RoundVerdicts
    statuses: list[DepartmentStatus]
    reminder: str
    problems: list[Problem] = field(default_factory=list)
    office_contact: str = ""
    #: (task key, department) → {"file", "sheet", "cell", "sha256"} of the task's reported status
    task_sources: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    #: department → 按时 / 逾期 / 未报送 / 未到期 this round (ecodesk.timeliness)
    timeliness: dict[str, str] = field(default_factory=dict)
    #: every file received this round and not used: {"file", "department", "status", "why"}
    unused_files: list[dict[str, str]] = field(default_factory=list)
    trend: Any = None  # report.trend_sheet.TrendData: this round, the periods before it, what changed
    round_data: RoundData | None = None  # what the verdicts were judged from (ecodesk.round_data)

    @property
    def interim(self) -> bool:
        """Made on or before the deadline: a progress (进度) report, not the round's result."""
        return self.as_of <= date.fromisoformat(self.deadline)

    @property
    def round_title(self) -> str:
        """The round as titles name it: ``2025年第一轮`` or ``2025年第一轮·进度报告``."""
        return f"{self.round}·进度报告" if self.interim else self.round


_ASK = {
    Outcome.FAIL: "请说明未达标原因、整改措施和预计完成时间",
    Outcome.REVIEW: "请核实数据并说明情况",
    Outcome.MISSING: "请补报本期值及佐证材料",
}


#: why a department whose form's 自查 said 达标 or 未达标 finds 待核实 on its 退回修改 copy
_UNSETTLED = (
    "。两个单位的数值核实一致前无法判定是否达标，汇总表暂列为待核实"
    "（填报表“自查”栏只按本单位填的数判断，其结果不作为判定）"
)


def gather(
    project: Project, round_name: str, as_of: date | None = None, data: RoundData | None = None
) -> ReportData:
    """Everything the report prints, read once: the round is loaded once for the whole run (``data``:
    one the caller loaded and judged, used while the ledger has not changed since) and every room
    reads its catalogue (:meth:`~ecodesk.project.Project.one_catalogue`), so every sheet shows the
    same verdicts, judged once."""
    with collector_paused():
        rd = fresh(project, round_name, data)
        with project.one_catalogue(rd.catalogue):
            return _gather(project, rd, as_of)


def _gather(project: Project, rd: RoundData, as_of: date | None) -> ReportData:
    rnd, cat = rd.round, rd.catalogue
    as_of = as_of or date.today()
    verdicts = judge_loaded(rd, as_of)
    statuses = round_status(project, rnd.name, as_of, rd)
    data = ReportData(
        project.info().county,
        rnd.name,
        rnd.deadline,
        as_of,
        cat,
        verdicts,
        statuses,
        reminder_text(project, rnd.name, as_of, statuses),
        office_contact=str(rd.settings.get("office_contact") or ""),
        round_data=rd,
    )
    data.problems = _problems(project, rnd.id, data)
    data.timeliness = {t["department"]: t["timeliness_label"] for t in timeliness_rows(project, [rnd], as_of)}
    for r in rd.submissions:
        if r["is_current"]:
            continue
        label = STATUS_LABELS.get(r["status"], r["status"])
        why = f"{label}：{r['message']}" if r["message"] else label
        data.unused_files.append(
            {"file": r["original_name"], "department": r["department"], "status": label, "why": why}
        )
    for r in rd.task_reports:
        data.task_sources[(r["task_key"], r["department"])] = {
            "file": r["original_name"],
            "sheet": r["sheet"],
            "cell": r["status_cell"],
            "sha256": r["sha256"],
        }
    # last: the history may write its verdict snapshots, which must not spoil the reads above
    from .trend_sheet import gather as trend

    # this round and those before, with this round's verdicts as judged here (kept as the
    # history's snapshot only when judged as of today, as the history judges)
    data.trend = trend(project, rnd.name, verdicts.verdicts, as_of_today=as_of == date.today())
    return data


def revision_problems(
    project: Project, round_name: str, as_of: date | None = None, data: RoundData | None = None
) -> dict[str, list[Problem]]:
    """Each department's problems as its 退回修改 copy lists them (``gather(...).problems`` by
    department, without the rest of the report): the app's desk counts and the 导出 page lists
    what 生成退回修改稿 will make."""
    rd = fresh(project, round_name, data)
    rnd = rd.round
    as_of = as_of or date.today()
    with project.one_catalogue(rd.catalogue):
        statuses = round_status(project, rnd.name, as_of, rd)
        report = ReportData(project.info().county, rnd.name, rnd.deadline, as_of, rd.catalogue,
                            judge_loaded(rd, as_of), statuses, "", round_data=rd)  # fmt: skip
        problems = _problems(project, rnd.id, report)
    out: dict[str, list[Problem]] = {}
    for p in problems:
        out.setdefault(p.department, []).append(p)
    return out


def _indicator_problems(
    v: Verdict, values: dict[tuple[str, str], StoredValue], indicators: dict[str, Any]
) -> list[Problem]:
    """One problem per department involved: the lead (or the department whose value was used) and
    each co-department whose value differs, each pointing at its own cells (``indicators``: the
    catalogue's, by key)."""
    chosen = v.sources[0]["department"] if v.sources else v.lead
    ind = indicators[v.key]
    how = how_entered(indicator_rule(ind).rule, ind.unit, ind.applicability_mark)  # as the form asks for it
    out = []
    lead = values.get((v.key, v.lead))
    if v.lead != chosen and lead is not None and lead.current_kind == "empty" and not lead.not_applicable:
        out.append(  # the lead left it empty and a co-department's value was used: ask the lead
            Problem(
                v.lead,
                f"{v.number} {v.name}",
                f"{v.verdict}：{v.short}",
                "请牵头单位填写本期值",
                lead.sheet,
                lead.current_cell,
                v.key,
                own=f"{v.verdict}：牵头单位未填写本期值",
            )
        )
    for dept in [chosen, *v.conflicts]:
        sv = values.get((v.key, dept))
        item = f"{v.number} {v.name}"
        if sv is None:
            continue
        cells: list[str] = []
        own: list[str] = []
        if sv.current_kind == "empty" and not sv.not_applicable:
            cells.append(sv.current_cell)
            mark = sv.current_raw.strip()  # "/", "—", "无": written, read as blank
            own.append(f"本期值填写为『{mark}』，按未填写处理" if mark else "未填写本期值")
        if how.assigned and sv.target_number is None and sv.target_cell:
            cells.append(sv.target_cell)
            own.append(
                "未填写上级下达目标值" if not sv.target_raw else f"上级下达目标值『{sv.target_raw}』无法识别"
            )
        if how.previous and not v.previous and sv.previous_cell:
            cells.append(sv.previous_cell)
            own.append("未填写上期值")
        others = f"牵头单位{chosen}" if dept != chosen else "、".join(v.conflicts)
        if dept != chosen or v.conflicts:  # the form's 自查 judged this department's number alone
            unsettled = _UNSETTLED if v.verdict == Outcome.REVIEW else ""
            own.insert(0, f"本期值填报 {sv.current_raw}，与{others}填报的数值不一致{unsettled}")
            cells.insert(0, sv.current_cell)
        elif v.verdict != Outcome.MISSING and not own:
            own.append(v.short)
            cells.append(sv.current_cell)
        elif v.verdict != Outcome.MISSING and v.short not in own:
            own.insert(0, v.short)
        cells = list(dict.fromkeys(c for c in cells if c))
        ask = _ASK[v.verdict]
        if dept != chosen or v.conflicts:
            ask = f"请与{others}核对本期值：有误的改正后重新报送；无误的请在“完成情况说明”中写明数据来源"
        out.append(
            Problem(
                dept,
                item,
                f"{v.verdict}：{v.short}",
                ask,
                sv.sheet,
                cells[0] if cells else "",
                v.key,
                own=f"{v.verdict}：{'；'.join(own)}",
                cells=[(sv.sheet, c) for c in cells],
            )
        )
    return out


def _problems(project: Project, round_id: int, data: ReportData) -> list[Problem]:
    out: list[Problem] = []
    rd = data.round_data
    assert rd is not None and rd.round.id == round_id
    reported = {s.department for s in data.statuses if s.reported}
    values = {(x.indicator_key, x.department): x for x in rd.values}
    indicators = {i.key: i for i in data.catalogue.indicators}
    for s in data.statuses:
        if not s.reported and s.issued and s.due:  # before the deadline nothing is late
            why = "（已收到的文件无法采用，见报送情况）" if s.problem_files else ""
            out.append(
                Problem(
                    s.department, "本轮填报表", f"未报送{why}", "请使用本轮下发的填报表尽快报送", kind="file"
                )
            )
    for v in data.verdicts.verdicts:
        if v.verdict not in _ASK:
            continue
        if v.verdict == Outcome.MISSING and v.lead not in reported:
            continue  # already listed as "未报送"
        found = _indicator_problems(v, values, indicators)
        ask_for_evidence(v, found)  # only the evidence is missing: asked for on its cell
        out.extend(found)
    out += missing_named(project, data, Problem)  # 佐证材料 named in a form but not received
    tasks = {(t.key, t.department): t for t in data.verdicts.tasks}
    task_rows = {(r["task_key"], r["department"]): r for r in rd.task_reports}
    flagged_tasks: set[tuple[str, str]] = set()
    for r in rd.files.values():
        for p in json.loads(r["problems"]):
            code = p.get("code", "")
            key = p.get("key", "")
            if code.startswith("task."):
                t = tasks.get((key, r["department"]))
                item, ask, kind = f"任务{t.number} {t.title}" if t else "任务进展", "请从下拉列表中选择完成状态后重新报送", "task"
                flagged_tasks.add((key, r["department"]))
            else:
                ind = indicators.get(key)
                item = f"{ind.number} {ind.name}" if ind else "本轮填报表"  # file names are on 数据来源
                ask, kind = "请改正后重新报送", "indicator"
            out.append(
                Problem(r["department"], item, render(p), ask, p.get("sheet", ""), p.get("cell", ""), key, kind=kind)
            )
    for t in data.verdicts.tasks:
        row = task_rows.get((t.key, t.department))
        sheet, cell = (row["sheet"], row["status_cell"]) if row is not None else ("", "")
        if (t.key, t.department) in flagged_tasks:
            continue
        if t.status == TaskStatus.LATE:
            out.append(
                Problem(
                    t.department,
                    f"任务{t.number} {t.title}",
                    f"进展滞后：{t.problems or t.progress}",
                    "请说明滞后原因和加快推进的措施",
                    sheet,
                    cell,
                    t.key,
                    kind="task",
                )
            )
        elif t.status == "未报" and t.department in reported:
            out.append(
                Problem(
                    t.department,
                    f"任务{t.number} {t.title}",
                    "未填写任务进展",
                    "请补填完成状态和进展情况",
                    sheet,
                    cell,
                    t.key,
                    kind="task",
                )
            )
    order = {d: i for i, d in enumerate(data.catalogue.department_names())}
    out.sort(key=lambda p: order.get(p.department, 999))
    return out
