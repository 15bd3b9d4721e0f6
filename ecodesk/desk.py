"""A round at a glance (the app's 开始 page): forms issued, returned, with problems, missing, days
to the deadline, and which step comes next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .project import Project
from .round_data import load_round
from .status import round_status

#: next steps, in the order a round goes through them
STEPS = ("add_round", "generate", "collect", "remind", "fix", "judge", "closed")


@dataclass
class Desk:
    round: str
    deadline: str
    days_left: int  # 0 on the day, negative after it
    closed: bool
    departments: int  # departments with something to report
    issued: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    #: returned with problems of any kind (gaps, wrong values, verdicts to explain): the departments
    #: 生成退回修改稿 makes a copy for
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # issued, nothing usable back yet
    next_step: str = ""


def round_desk(project: Project, round_name: str, today: date | None = None) -> Desk:
    from .report.data import revision_problems  # the report package loads xlsxwriter: not at import

    today = today or date.today()
    data = load_round(project, round_name)  # read once: the 报送情况 and the verdicts behind the problems
    rnd = data.round
    statuses = round_status(project, rnd.name, today, data)
    to_revise = [d for d in revision_problems(project, rnd.name, today, data) if d in data.files]
    desk = Desk(
        rnd.name,
        rnd.deadline,
        (date.fromisoformat(rnd.deadline) - today).days,
        bool(rnd.closed_at),
        len(statuses),
        issued=[s.department for s in statuses if s.issued],
        returned=[s.department for s in statuses if s.reported],
        problems=to_revise,
        missing=[s.department for s in statuses if s.issued and not s.reported],
    )
    if desk.closed:
        desk.next_step = "closed"
    elif not desk.issued:
        desk.next_step = "generate"
    elif not desk.returned:
        desk.next_step = "collect"
    elif desk.problems:
        desk.next_step = "fix"
    elif desk.missing:
        desk.next_step = "remind" if desk.days_left <= 3 else "collect"
    else:
        desk.next_step = "judge"
    return desk
