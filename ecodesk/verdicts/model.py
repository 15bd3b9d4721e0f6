"""What a verdict is: the :class:`Outcome` enum (the words the ledger stores), one indicator's
:class:`Verdict` with its reason and sources, a task's :class:`TaskProgress`, a round's
:class:`RoundVerdicts`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..findings import Finding
from ..rules.evaluate import RuleStatus


class Outcome(StrEnum):
    """A verdict. The values are what the ledger has always stored (overrides, snapshots), so
    existing projects read unchanged; what a clerk sees is :data:`VERDICT_LABELS`."""

    PASS = "达标"
    FAIL = "未达标"
    REVIEW = "待核实"
    MISSING = "缺报"
    PENDING = "待报"  # before the deadline, what has not arrived is not yet missing (set by the system only)
    NA = "不适用"


PASS, FAIL, REVIEW, MISSING, PENDING, NA = (
    Outcome.PASS, Outcome.FAIL, Outcome.REVIEW, Outcome.MISSING, Outcome.PENDING, Outcome.NA
)  # fmt: skip
VERDICTS = (PASS, FAIL, REVIEW, MISSING, NA)  # what the clerk may set
#: how each verdict is shown (the CLI, the app, the report): display only, never compared
VERDICT_LABELS: dict[Outcome, str] = {o: o.value for o in Outcome}
#: every verdict a round can show, in the order counts and tables list them
SHOWN = (PASS, FAIL, REVIEW, MISSING, PENDING, NA)
#: the verdict a rule's status gives (what the clerk sees is the verdict's word, never the status)
FROM_RULE: dict[RuleStatus, Outcome] = {
    RuleStatus.PASS: PASS, RuleStatus.FAIL: FAIL, RuleStatus.REVIEW: REVIEW, RuleStatus.MISSING: MISSING
}  # fmt: skip


@dataclass
class LocalVerdict:
    """How the value stands against the county's own target (never the national verdict)."""

    text: str  # the local target as written
    verdict: Outcome  # 达标 / 未达标 / 待核实 / 缺报
    reason: str
    target: str = ""  # the local target's value judged against, when it is one ("26", "41.2")
    label: str = ""  # where the target came from ("平湖目标值")

    @property
    def summary(self) -> str:
        word = {PASS: "已达到", FAIL: "未达到"}.get(self.verdict, "无法判断")
        return f"本地目标『{self.text}』{word}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "verdict": self.verdict,
            "reason": self.reason,
            "target": self.target,
            "label": self.label,
        }


@dataclass
class Verdict:
    key: str
    number: str
    name: str
    group: str
    unit: str
    target_text: str
    departments: str
    lead: str
    verdict: Outcome  # a str: "达标" == Outcome.PASS
    reason: str
    value: str = ""  # as reported (original text)
    value_number: float | None = None
    previous: str = ""
    previous_from: str = ""  # "住建局填报的上期值（上年）" / "台账上年（2024年度）" / "台账上一轮（轮次名）"
    comparison: str = ""  # the comparison the indicator uses: 上年 / 上年同期 / 上一轮 / 基准年
    comparison_period: str = ""  # that period ("2024年度"); "" when the round has no period
    comparison_round: str = ""  # the ledger round holding that period, "" if none
    assigned: str = ""  # 上级下达目标值, as the department typed it
    sources: list[dict[str, str]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)  # what needs a person (conflicts, flags), as sentences
    findings: list[Finding] = field(default_factory=list)  # the same as findings (code, fields, location)
    computed: str = ""  # the verdict before any override
    overridden: bool = False  # the clerk confirmed or changed this verdict
    override_note: str = ""
    override_at: str = ""
    reported_by: list[str] = field(default_factory=list)
    short: str = ""  # the reason in one sentence, without file names or cells (for printed sheets)
    conflicts: list[str] = field(default_factory=list)  # departments whose value differs
    corrected_value: str = ""  # the clerk's corrected 本期值 given with an override
    local_target: str = ""  # one line: "本地目标『力争26微克/立方米以下』未达到"
    local: LocalVerdict | None = None  # the local target's own verdict, reason and target value
    setting_change: str = ""  # "创建办修改了指标值，按原设置为达标": a settings change altered it

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "number": self.number,
            "name": self.name,
            "group": self.group,
            "unit": self.unit,
            "target_text": self.target_text,
            "verdict": self.verdict,
            "computed": self.computed,
            "value": self.value,
            "value_number": self.value_number,
            "previous": self.previous,
            "previous_from": self.previous_from,
            "comparison": {
                "label": self.comparison,
                "period": self.comparison_period,
                "round": self.comparison_round,
            },
            "target": self.assigned,  # the JSON keeps its documented name
            "reason": self.reason,
            "sources": self.sources,
            "issues": self.issues,
            "findings": [f.to_dict() for f in self.findings],
            "override_note": self.override_note,
            "short": self.short,
            "corrected_value": self.corrected_value,
            "local": self.local.to_dict() if self.local is not None else None,
            "setting_change": self.setting_change,
        }


@dataclass
class TaskProgress:
    key: str
    number: str
    title: str
    department: str
    status: str  # a TaskStatus: 已完成 / 推进中 / 未启动 / 滞后 / 未报
    progress: str = ""
    problems: str = ""
    plan: str = ""
    source: str = ""


@dataclass
class RoundVerdicts:
    round: str
    verdicts: list[Verdict]
    tasks: list[TaskProgress]
    period: str = ""  # the round's period code ("2025", "2025-H1"), "" when not stated
    period_label: str = ""  # "2025年度"

    def counts(self) -> dict[str, int]:
        counts = {v: sum(1 for x in self.verdicts if x.verdict == v) for v in SHOWN}
        if not counts[PENDING]:
            del counts[PENDING]  # only while something is still due
        return counts


#: value flags (stored by intake) that need a person before a verdict is final
