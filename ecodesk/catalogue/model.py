"""The catalogue: indicators (Annex 1), key tasks (Annex 2), departments and who owns what.

Everything a county varies — names, targets, departments — is data held here, never code.
Keys are derived from normalised names so that re-importing the same table yields the same keys.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from ..schemes import scheme as _scheme

Role = Literal["lead", "co"]
Better = Literal["higher", "lower"]

#: Region classes a county can be set to (data: resources/schemes.json, see ecodesk.schemes).
REGION_CLASSES: dict[str, str] = _scheme("region").names()
#: Terrain classes used by tables that split 山区 / 丘陵 / 平原.
TERRAIN_CLASSES: dict[str, str] = _scheme("terrain").names()
#: Versions of the national indicator set a catalogue can follow.
INDICATOR_SET_VERSIONS = ("2016", "2019", "2021", "2024")

ELISION = "(略)"
#: indicator fields the clerk may complete where the published text elided words, with their labels
ELIDABLE = {"name": "名称", "unit": "单位", "target_text": "指标值", "local_target_text": "本地目标"}
#: task fields the clerk may complete likewise (Annex 2 was published with "(略)" in its requirements)
TASK_ELIDABLE = {"title": "主要任务", "requirements": "具体要求"}
_ELISION_RE = re.compile(r"\s*[（(]\s*略\s*[）)]\s*")
_SPACE_RE = re.compile(r"\s+")


def clean_text(text: Any) -> str:
    """Trim a cell's text: NFC, no stray spaces inside Chinese names ("重点问 题" → "重点问题"),
    elisions written uniformly as "(略)". Line breaks become nothing (they are layout)."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).replace("\u3000", " ").strip()
    s = _ELISION_RE.sub(ELISION, s)
    # remove spaces between two CJK characters or between CJK and punctuation; keep spaces between
    # latin words ("PM2.5 浓度" stays readable as "PM2.5浓度")
    s = _SPACE_RE.sub("", s) if not re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", s) else _SPACE_RE.sub(" ", s)
    return s


def name_fingerprint(name: str) -> str:
    """Normalised form of an indicator/task name used for keys and matching: NFKC, no spaces,
    no applicability mark, no elision marker, no punctuation, lower-case."""
    s = unicodedata.normalize("NFKC", clean_text(name))
    s = s.replace(ELISION, "")
    s = re.sub(r"[\s*＊·、，,。.:：;；\"'“”‘’（）()\[\]【】-]", "", s)
    return s.lower()


def stable_key(prefix: str, name: str) -> str:
    digest = hashlib.sha1(name_fingerprint(name).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


@dataclass
class Department:
    name: str
    aliases: list[str] = field(default_factory=list)
    contact: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": list(self.aliases), "contact": self.contact}


@dataclass
class Assignment:
    """One department's share of an indicator or task. ``note`` keeps a bracketed sub-unit as
    written ("组织部(考核办)" → name 组织部, note 考核办)."""

    department: str
    role: Role = "co"
    note: str = ""

    def display(self, with_mark: bool = True) -> str:
        s = self.department + (f"({self.note})" if self.note else "")
        return s + ("*" if with_mark and self.role == "lead" else "")


@dataclass
class Indicator:
    key: str
    number: str  # 序号 as written ("1" … "25"); sub-indicators of a group share the number
    name: str  # 指标名称 as written, without the applicability mark
    unit: str  # 单位 as written ("%", "-", "μg/m3", "" …)
    target_text: str  # 指标值 as written
    domain: str = ""  # 领域 (blank in the 参考性指标 block)
    task: str = ""  # 任务 ((一)目标责任落实 …)
    group: str = ""  # group name for numbers holding several sub-indicators (水环境质量)
    reference: bool = False  # 参考性指标
    applicability_mark: bool = False  # "*" after the name: applies only where relevant
    better: Better | None = None  # which direction is better, for 改善 and superior targets
    assignments: list[Assignment] = field(default_factory=list)
    tolerance: float = 0.0  # per-indicator tolerance for "保持稳定"
    local_target_text: str = ""  # a county's own extra target (平湖: PM2.5 力争26微克/立方米以下)
    local_target_label: str = ""  # where it was written ("平湖目标值" column, "指标值括号内" …)
    local_target_value: float | None = None  # the value a local "比2020年下降16%" works out to
    local_base_value: float | None = None  # the base-year figure it is worked out from
    edits: dict[str, Any] = field(default_factory=dict)  # the clerk's changes: {field: {original, note, at}}
    evidence: str = ""  # 佐证材料 the department should attach
    comparison: str = ""  # 上期值: "" same period a year earlier, "previous_round", "base:2020"

    @property
    def lead(self) -> list[str]:
        return [a.department for a in self.assignments if a.role == "lead"]

    @property
    def co(self) -> list[str]:
        return [a.department for a in self.assignments if a.role == "co"]

    @property
    def departments(self) -> list[str]:
        return [a.department for a in self.assignments]

    @property
    def responsible(self) -> str:
        """The department whose value is the indicator's value: the marked lead, or the only /
        first listed department when none is marked."""
        return (self.lead or self.departments or [""])[0]

    def departments_text(self) -> str:
        """责任部门 as the table writes it: lead marked with * when several share the row."""
        several = len(self.assignments) > 1
        return "、".join(a.display(with_mark=several) for a in self.assignments)

    @property
    def display_name(self) -> str:
        return self.name + ("*" if self.applicability_mark else "")


@dataclass
class Task:
    key: str
    number: str
    title: str  # 主要任务
    requirements: str = ""  # 具体要求
    action_group: str = ""  # (一)实施目标责任落实行动
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def departments(self) -> list[str]:
        return [a.department for a in self.assignments]

    def departments_text(self) -> str:
        return "、".join(a.display(with_mark=False) for a in self.assignments)


@dataclass
class Catalogue:
    county: str = ""
    indicator_set: str = "2024"
    indicators: list[Indicator] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    source: str = ""  # where it came from (built-in, file name)

    # ---- lookups -------------------------------------------------------------------------
    def indicator(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)

    def task(self, key: str) -> Task:
        for t in self.tasks:
            if t.key == key:
                return t
        raise KeyError(key)

    def department_names(self) -> list[str]:
        return [d.name for d in self.departments]

    def indicators_for(self, department: str) -> list[Indicator]:
        return [i for i in self.indicators if department in i.departments]

    def tasks_for(self, department: str) -> list[Task]:
        return [t for t in self.tasks if department in t.departments]

    def by_department(self) -> tuple[dict[str, list[Indicator]], dict[str, list[Task]]]:
        """Each department's indicators and tasks in one pass (for loops over departments:
        ``indicators_for`` scans the whole table on every call)."""
        inds: dict[str, list[Indicator]] = {d.name: [] for d in self.departments}
        tasks: dict[str, list[Task]] = {d.name: [] for d in self.departments}
        for ind in self.indicators:
            for a in ind.assignments:
                inds.setdefault(a.department, []).append(ind)
        for t in self.tasks:
            for a in t.assignments:
                tasks.setdefault(a.department, []).append(t)
        return inds, tasks

    def numbers(self) -> list[str]:
        """Distinct 序号 in table order."""
        seen: list[str] = []
        for ind in self.indicators:
            if ind.number not in seen:
                seen.append(ind.number)
        return seen

    def ensure_departments(self) -> None:
        """Add a Department for every name used in an assignment but missing from the roster."""
        known = {d.name for d in self.departments}
        for item in [*self.indicators, *self.tasks]:
            for a in item.assignments:
                if a.department not in known:
                    self.departments.append(Department(a.department))
                    known.add(a.department)

    def elided(self) -> list[tuple[Indicator, list[str]]]:
        """Indicators whose name, unit or target text still holds the publisher's "(略)", with the
        labels of those fields (名称, 指标值 …): it prints on forms and sheets until the clerk completes it."""
        out = []
        for ind in self.indicators:
            labels = [label for fld, label in ELIDABLE.items() if ELISION in getattr(ind, fld)]
            if labels:
                out.append((ind, labels))
        return out

    def elided_tasks(self) -> list[tuple[Task, list[str]]]:
        """Tasks whose 主要任务 or 具体要求 still holds the publisher's "(略)", with those fields' labels."""
        out = []
        for task in self.tasks:
            labels = [label for fld, label in TASK_ELIDABLE.items() if ELISION in getattr(task, fld)]
            if labels:
                out.append((task, labels))
        return out

    def elision_prompt(self) -> str:
        """What the app says about indicators and tasks still holding "(略)" (a sentence each), or ""."""
        from ..messages import msg

        parts = []
        found = self.elided()
        if found:
            names = "、".join(f"{ind.number} {ind.name}" for ind, _ in found)
            parts.append(msg("catalog.elided_app", count=len(found), names=names))
        tasks = self.elided_tasks()
        if tasks:
            numbers = "、".join(t.number for t, _ in tasks)
            parts.append(msg("catalog.elided_tasks_app", count=len(tasks), numbers=numbers))
        return "\n".join(parts)

    def check_keys_unique(self) -> None:
        for label, items in (("指标", self.indicators), ("任务", self.tasks)):
            seen: set[str] = set()
            for it in items:
                if it.key in seen:
                    raise ValueError(f"{label}标识重复：{it.key}")
                seen.add(it.key)


def assign_keys(catalogue: Catalogue) -> None:
    """Give every indicator/task without a key a stable one; names that repeat get a suffix."""
    for prefix, items, attr in (("ind", catalogue.indicators, "name"), ("task", catalogue.tasks, "title")):
        used: dict[str, int] = {}
        for it in items:
            if it.key:
                continue
            base = stable_key(prefix, getattr(it, attr))
            n = used.get(base, 0)
            used[base] = n + 1
            it.key = base if n == 0 else f"{base}-{n + 1}"
