"""Everything the report needs for one round, gathered once from the ledger."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from ..catalogue import Catalogue
from ..project import Project
from ..status import DepartmentStatus, reminder_text, round_status
from ..verdicts import RoundVerdicts, judge_round


@dataclass
class Problem:
    department: str
    item: str  # the indicator or task, or the file
    problem: str
    ask: str  # what the department is asked to do
    sheet: str = ""
    cell: str = ""
    key: str = ""


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


_ASK = {
    "未达标": "请说明未达标原因、整改措施和预计完成时间",
    "待核实": "请核实数据并说明情况",
    "缺报": "请补报本期值及佐证材料",
}


def gather(project: Project, round_name: str, as_of: date | None = None) -> ReportData:
    rnd = project.round(round_name)
    cat = project.catalogue()
    verdicts = judge_round(project, rnd.name)
    statuses = round_status(project, rnd.name)
    data = ReportData(
        project.info().county,
        rnd.name,
        rnd.deadline,
        as_of or date.today(),
        cat,
        verdicts,
        statuses,
        reminder_text(project, rnd.name, as_of, statuses),
    )
    data.problems = _problems(project, rnd.id, data)
    return data


def _problems(project: Project, round_id: int, data: ReportData) -> list[Problem]:
    out: list[Problem] = []
    reported = {s.department for s in data.statuses if s.reported}
    for s in data.statuses:
        if not s.reported:
            why = f"（已收到的文件无法采用：{s.problem_files[-1]}）" if s.problem_files else ""
            out.append(Problem(s.department, "本轮填报表", f"未报送{why}", "请使用本轮下发的填报表尽快报送"))
    for v in data.verdicts.verdicts:
        if v.verdict not in _ASK:
            continue
        if v.verdict == "缺报" and v.lead not in reported:
            continue  # already listed as "未报送"
        src = v.sources[0] if v.sources else {}
        out.append(
            Problem(
                src.get("department") or v.lead,
                f"{v.number} {v.name}",
                f"{v.verdict}：{v.reason}",
                _ASK[v.verdict],
                src.get("sheet", ""),
                src.get("cell", ""),
                v.key,
            )
        )
    for r in project.ledger.conn.execute(
        "SELECT department, original_name, problems FROM submissions WHERE round_id = ? AND is_current = 1",
        (round_id,),
    ):
        for p in json.loads(r["problems"]):
            if p.get("code", "").startswith("task."):
                continue  # reported with the task below
            out.append(
                Problem(
                    r["department"],
                    r["original_name"],
                    p["message"],
                    "请改正后重新报送",
                    p.get("sheet", ""),
                    p.get("cell", ""),
                    p.get("key", ""),
                )
            )
    for t in data.verdicts.tasks:
        if t.status == "滞后":
            out.append(
                Problem(
                    t.department,
                    f"任务{t.number} {t.title}",
                    f"进展滞后：{t.problems or t.progress}",
                    "请说明滞后原因和加快推进的措施",
                )
            )
        elif t.status == "未报" and t.department in reported:
            out.append(
                Problem(
                    t.department, f"任务{t.number} {t.title}", "未填写任务进展", "请补填完成状态和进展情况"
                )
            )
    order = {d: i for i, d in enumerate(data.catalogue.department_names())}
    out.sort(key=lambda p: order.get(p.department, 999))
    return out
