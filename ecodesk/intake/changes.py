"""What changed since a department's previous accepted file: one line per changed cell, worded
by the message catalogue (``change.*``)."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..messages import msg
from .analyse import Analysis, ReadContext


def changes_since(
    old: dict[str, Any], old_tasks: dict[str, sqlite3.Row], a: Analysis, ctx: ReadContext
) -> list[str]:
    """What changed since the department's previous accepted file, one line per changed cell."""

    def short(text: str) -> str:
        return (text[:30] + "…") if len(text) > 30 else (text or msg("change.empty"))

    out = []
    for e in a.entries:
        before = old.get(e.key)
        name = ctx.row_rules[e.key].name if e.key in ctx.row_rules else e.key
        pairs = [
            ("本期值", before.current_raw if before else "", e.current.raw),
            ("上期值", before.previous_raw if before else "", e.previous.raw),
            ("上级下达目标值", before.target_raw if before else "", e.assigned.raw),
            ("数据来源", before.source if before else "", e.source),
            ("完成情况说明", before.note if before else "", e.note),
            ("佐证材料", before.evidence if before else "", e.evidence),
        ]
        out += [
            msg("change.indicator", name=name, field=label, old=short(x), new=short(y))
            for label, x, y in pairs
            if (x or "") != (y or "")
        ]
    for t in a.tasks:
        before = old_tasks.get(t.key)
        name = ctx.task_names.get(t.key, t.key)
        pairs = [
            ("完成状态", before["status_raw"] if before else "", t.status.raw),
            ("进展情况", before["progress"] if before else "", t.progress),
            ("存在问题", before["problems"] if before else "", t.problems_text),
            ("下步计划", before["plan"] if before else "", t.plan),
        ]
        out += [
            msg("change.task", name=name, field=label, old=short(x), new=short(y))
            for label, x, y in pairs
            if (x or "") != (y or "")
        ]
    return out
