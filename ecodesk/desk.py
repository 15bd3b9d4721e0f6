"""A round at a glance (the app's 开始 page): forms issued, returned, with problems, missing, days
to the deadline, and which step comes next."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from .ledger.current import current_files
from .project import Project
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
    problems: list[str] = field(default_factory=list)  # returned with gaps or wrong values, or unusable files
    missing: list[str] = field(default_factory=list)  # issued, nothing usable back yet
    next_step: str = ""


def round_desk(project: Project, round_name: str, today: date | None = None) -> Desk:
    today = today or date.today()
    rnd = project.round(round_name)
    statuses = round_status(project, rnd.name, today)
    with_value_problems = {
        d for d, r in current_files(project.ledger.conn, rnd.id).items() if json.loads(r["problems"] or "[]")
    }
    desk = Desk(
        rnd.name,
        rnd.deadline,
        (date.fromisoformat(rnd.deadline) - today).days,
        bool(rnd.closed_at),
        len(statuses),
        issued=[s.department for s in statuses if s.issued],
        returned=[s.department for s in statuses if s.reported],
        problems=[
            s.department
            for s in statuses
            if (s.reported and (s.missing_indicators or s.missing_tasks or s.department in with_value_problems))
            or (not s.reported and s.problem_files)
        ],
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
