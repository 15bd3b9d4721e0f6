"""What the clerk may set per indicator (``ecodesk settings DIR --indicator …``, the app's
指标与部门 page), per task (``--task``: Annex 2's wording) and per project (region, terrain): finding
the indicator or task, checking and typing each value, and recording every change with its original
value and note, so verdicts whose outcome it changed can say so."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .catalogue import REGION_CLASSES, TERRAIN_CLASSES, Catalogue, Indicator, Task, clean_text
from .ledger.store import Ledger, current_user, now_iso
from .messages import EcoDeskError

T = TypeVar("T")

#: What the clerk may set per indicator (``ecodesk settings DIR --indicator …``), in words.
INDICATOR_FIELDS: dict[str, str] = {
    "name": "指标名称",
    "unit": "单位",
    "target_text": "指标值",
    "local_target_text": "本地目标",
    "local_target_value": "本地目标值",
    "local_base_value": "本地目标基准年数值",
    "tolerance": "保持稳定的容差",
    "comparison": "上期值比较期",
    "better": "越高越好/越低越好",
}


def field_value(fld: str, value: Any) -> Any:
    """A typed value for an indicator field, or the Chinese error saying what to write."""
    from .periods import comparison_setting

    if fld in ("local_target_value", "local_base_value"):
        if value in (None, ""):
            return None
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise EcoDeskError("indicator.bad_number", field=INDICATOR_FIELDS[fld], value=value) from exc
    if fld == "tolerance":
        try:
            x = abs(float(value))
        except (TypeError, ValueError) as exc:
            raise EcoDeskError("indicator.bad_number", field=INDICATOR_FIELDS[fld], value=value) from exc
        return x
    if fld == "comparison":
        try:
            return comparison_setting(value)
        except ValueError as exc:
            raise EcoDeskError("indicator.bad_comparison", value=value) from exc
    if fld == "better":
        v = {"高": "higher", "越高越好": "higher", "低": "lower", "越低越好": "lower", "": None}.get(
            str(value or "").strip(), value
        )
        if v not in ("higher", "lower", None):
            raise EcoDeskError("indicator.bad_better", value=value)
        return v
    text = clean_text(value) if fld == "name" else str(value or "").strip()  # targets as typed
    if fld == "name" and not text:
        raise EcoDeskError("indicator.empty_name")
    return text


def check_region(region: str | None) -> None:
    if region is not None and region not in REGION_CLASSES:
        raise EcoDeskError("region.unknown", value=region, choices="、".join(REGION_CLASSES))


def check_terrain(terrain: str | None) -> None:
    if terrain is not None and terrain not in TERRAIN_CLASSES:
        raise EcoDeskError("terrain.unknown", value=terrain, choices="、".join(TERRAIN_CLASSES))


def _one(kind: str, ref: str, items: Sequence[T], names: Callable[[T], tuple[str, ...]], label: Callable[[T], str]) -> T:
    """The one item ``ref`` names: by any of its ``names`` (key, name …), else by 序号 when that
    number has one item; else ``{kind}.unknown`` / ``{kind}.ambiguous`` listing the candidates."""
    ref = (ref or "").strip()
    hits = [x for x in items if ref in names(x)] or [x for x in items if getattr(x, "number", None) == ref]
    if len(hits) != 1:
        raise EcoDeskError(f"{kind}.unknown" if not hits else f"{kind}.ambiguous", ref=ref,
                           names="、".join(f"{getattr(x, 'number', '')} {label(x)}" for x in hits))  # fmt: skip
    return hits[0]


def find_indicator(cat: Catalogue, ref: str) -> Indicator:
    """An indicator by key (ind-…), by name, or by 序号 when that number has one indicator."""
    return _one("indicator", ref, cat.indicators, lambda i: (i.key, i.name, i.display_name), lambda i: i.name)


def edit_indicator(ledger: Ledger, ref: str, note: str = "", **values: Any) -> Indicator:
    """Change what the plan leaves open for one indicator (name, unit, target_text,
    local_target_text, local_target_value, local_base_value, tolerance, comparison, better).
    Each change is audited and kept with the original value and the note, so verdicts whose
    outcome it changed can say so."""
    unknown = set(values) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    cat = ledger.load_catalogue()  # afresh: the copy it changes is the copy it saves
    ind = cat.indicator(find_indicator(cat, ref).key)
    changed: dict[str, Any] = {}
    for fld, value in values.items():
        value = field_value(fld, value)
        old = getattr(ind, fld)
        if value == old:
            continue
        original = ind.edits.get(fld, {}).get("original", old)
        setattr(ind, fld, value)
        changed[fld] = {"old": old, "new": value}
        if value == original:
            ind.edits.pop(fld, None)
        else:
            ind.edits[fld] = {"original": original, "value": value, "note": note, "at": now_iso(),
                              "actor": current_user()}  # fmt: skip
    if changed:
        with ledger.transaction() as c:
            ledger.save_catalogue(cat, c)
            ledger.audit(c, "indicator.edit", key=ind.key, indicator=ind.name, changes=changed, note=note)
    return ind


#: What the clerk may set per task (``ecodesk settings DIR --task …``): Annex 2's wording, to
#: complete what the publisher elided or correct a county's own text.
TASK_FIELDS: dict[str, str] = {"title": "主要任务", "requirements": "具体要求"}


def find_task(cat: Catalogue, ref: str) -> Task:
    """A task by key (task-…), by its 主要任务, or by 序号 when that number has one task."""
    return _one("task", ref, cat.tasks, lambda t: (t.key, t.title), lambda t: t.title)


def edit_task(ledger: Ledger, ref: str, note: str = "", **values: Any) -> Task:
    """Change a task's 主要任务 or 具体要求. Each change is audited with the old and new text and
    the note; the task keeps its key, so reports and returns of earlier rounds still match it."""
    unknown = set(values) - set(TASK_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    cat = ledger.load_catalogue()  # afresh: the copy it changes is the copy it saves
    task = find_task(cat, ref)
    changed: dict[str, Any] = {}
    for fld, value in values.items():
        text = clean_text(value) if fld == "title" else str(value or "").strip()
        if fld == "title" and not text:
            raise EcoDeskError("task.empty_title")
        if text != getattr(task, fld):
            changed[fld] = {"old": getattr(task, fld), "new": text}
            setattr(task, fld, text)
    if changed:
        with ledger.transaction() as c:
            ledger.save_catalogue(cat, c)
            ledger.audit(c, "task.edit", key=task.key, task=task.title, changes=changed, note=note)
    return task
