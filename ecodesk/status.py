"""Who has reported in a round (报送情况) and the 催报 list: files issued, received and when,
late, missing items — for the report sheet, the app page and the reminder text."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .ledger.current import filled_keys, issued_forms, round_submissions
from .messages import STATUS_LABELS
from .project import Project
from .round_data import RoundData
from .times import local_date


@dataclass
class DepartmentStatus:
    department: str
    issued_file: str = ""
    issued_version: int | None = None
    issued_at: str = ""
    received_at: str = ""  # time the current file was received
    received_file: str = ""
    late: bool = False
    submissions: int = 0  # files received for the round (all statuses)
    problem_files: list[str] = field(default_factory=list)  # files that need re-sending, with why
    unused_files: list[str] = field(default_factory=list)  # every file not used (replaced too), with why
    indicators: int = 0
    tasks: int = 0
    missing_indicators: list[str] = field(default_factory=list)
    missing_tasks: list[str] = field(default_factory=list)
    due: bool = True  # the round's deadline has passed (what has not arrived is late)

    @property
    def reported(self) -> bool:
        return bool(self.received_at)

    @property
    def issued(self) -> bool:
        return bool(self.issued_file)

    @property
    def state(self) -> str:
        if not self.reported:
            if not self.issued:
                return "未下发"
            return "未报送" if self.due else "待报（未到期）"
        if self.missing_indicators or self.missing_tasks:
            return "已报送（有缺项）"
        return "已报送（逾期）" if self.late else "已报送"

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "reported": self.reported, "issued": self.issued, "state": self.state}


def round_status(
    project: Project, round_name: str, today: date | None = None, data: RoundData | None = None
) -> list[DepartmentStatus]:
    """Each department's 报送情况 in the round (``data``: the round as the report loaded it)."""
    if data is not None and data.round.name == round_name:
        rnd, cat = data.round, data.catalogue
        forms, submissions, filled_of = data.forms, data.submissions, data.filled
    else:
        rnd, cat = project.round(round_name), project.catalogue()
        conn = project.ledger.conn
        forms, submissions = issued_forms(conn, rnd.id), round_submissions(conn, rnd.id)
        filled_of = functools.partial(filled_keys, conn, rnd.id)
    deadline = date.fromisoformat(rnd.deadline)
    due = (today or date.today()) > deadline
    out: dict[str, DepartmentStatus] = {}
    inds_of, tasks_of = cat.by_department()
    for d in cat.department_names():
        inds, tasks = inds_of.get(d, []), tasks_of.get(d, [])
        if inds or tasks:
            out[d] = DepartmentStatus(d, indicators=len(inds), tasks=len(tasks), due=due)
    for r in forms:
        if r["department"] in out:
            s = out[r["department"]]
            s.issued_file, s.issued_version, s.issued_at = r["path"], r["version"], r["generated_at"]
    for r in submissions:
        s = out.get(r["department"])
        if s is None:
            continue
        s.submissions += 1
        if r["is_current"]:
            s.received_at, s.received_file = r["received_at"], r["original_name"]
            # late when the department saved it after the deadline (the clerk may collect days
            # later); files that record no save time fall back to when they were received
            day = local_date(r["content_time"]) or local_date(r["received_at"])
            s.late = bool(day and day > deadline)
        else:
            why = r["message"] or STATUS_LABELS.get(r["status"], r["status"])
            s.unused_files.append(f"{r['original_name']}：{why}")
            if r["status"] in ("stale", "wrong_department"):
                s.problem_files.append(f"{r['original_name']}：{r['message']}")
    filled, done_tasks = filled_of()
    for d, s in out.items():
        if not s.reported:
            continue
        s.missing_indicators = [
            i.name for i in inds_of.get(d, []) if d in i.lead and i.key not in filled.get(d, set())
        ]
        s.missing_tasks = [t.title for t in tasks_of.get(d, []) if t.key not in done_tasks.get(d, set())]
    return list(out.values())


def reminder_text(
    project: Project,
    round_name: str,
    today: date | None = None,
    statuses: list[DepartmentStatus] | None = None,
) -> str:
    """A 催报 message to paste into a chat or mail: who has not reported, who has gaps."""
    rnd = project.round(round_name)
    today = today or date.today()
    statuses = statuses if statuses is not None else round_status(project, round_name, today)
    county = project.info().county
    if not any(s.issued or s.reported for s in statuses):
        return f"{rnd.name}还没有下发填报表，无需催报。请先生成本轮填报表并发给各部门"
    # only departments that were sent a form can be asked for it
    missing = [s for s in statuses if not s.reported and s.issued]
    gaps = [s for s in statuses if s.reported and (s.missing_indicators or s.missing_tasks)]
    redo = [s for s in missing if s.problem_files]
    if not missing and not gaps:
        issued = sum(1 for s in statuses if s.issued or s.reported)
        return f"{rnd.name}已下发的填报表已全部收齐（{issued} 个部门），谢谢各部门支持！"
    lines = [f"【催报】{county}生态文明建设示范区创建{rnd.name}填报（截止日期 {rnd.deadline}）"]
    left = (date.fromisoformat(rnd.deadline) - today).days
    if missing:
        if left < 0:
            lines.append(f"已超过截止日期，以下 {len(missing)} 个部门尚未报送，请尽快报送：")
        else:
            when = "今天是截止日期" if left == 0 else f"距截止日期还有 {left} 天"
            lines.append(f"{when}，以下 {len(missing)} 个部门尚未报送，请按时报送：")
        lines.append("、".join(s.department for s in missing))
    for s in redo:
        lines.append(f"{s.department}报送的文件无法采用：{s.problem_files[-1]}")
    if gaps:
        lines.append("以下部门报送的表格有缺项，请补充后重新报送：")
        for s in gaps:
            items = s.missing_indicators + [f"任务「{t}」" for t in s.missing_tasks]  # titles hold “…”
            lines.append(f"{s.department}：{'、'.join(items[:6])}{'等' if len(items) > 6 else ''}")
    contact = str(project.settings().get("office_contact") or "").strip()
    ask = f"如有疑问请联系：{contact}。" if contact else "如有疑问请联系创建办。"
    lines.append(f"请使用本轮下发的填报表填写，{ask}")
    return "\n".join(lines)
