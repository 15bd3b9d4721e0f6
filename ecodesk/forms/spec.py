"""What one department's fill-in workbook holds, as plain data: :func:`ecodesk.forms.issue`
builds a :class:`FormSpec` from the catalogue and the ledger, :mod:`ecodesk.forms.workbook` writes it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.model import Rule


class FormError(ValueError):
    """A fill-in workbook could not be written as specified (an Excel limit would be broken)."""


@dataclass
class FormRow:
    key: str
    number: str
    name: str
    unit: str
    target_text: str
    role: str  # 牵头 / 配合
    rule: Rule
    explanation: str
    better: str | None = None
    tolerance: float = 0.0
    allow_na: bool = False
    previous: float | str | None = None
    previous_period: str = ""  # label of a pre-filled 上期值: 上年 / 上年同期 / 上一轮 / 基准年
    comparison: str = ""  # which period 上期值 is: 上年 / 上年同期 / 上一轮 / 基准年
    comparison_period: str = ""  # that period's label ("2024年度"), "" when the round has none
    evidence: str = ""  # what 佐证材料 to send ('' when the indicator needs none)


@dataclass
class TaskRow:
    key: str
    number: str
    title: str
    requirements: str
    departments: str


@dataclass
class FormSpec:
    county: str
    round: str
    deadline: str
    department: str
    office_contact: str = ""
    password: str = ""
    region: str | None = None
    terrain: str | None = None
    indicators: list[FormRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
