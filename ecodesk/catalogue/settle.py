"""Settling a catalogue read from a county's annexes (:mod:`.import_annex`): every department
spelled one way (the project's roster, or the county's own most-used spelling, which the names
copied from the built-in catalogue follow), each indicator's better direction, stable keys, and
the findings the clerk should read about it (codes ``import.alias_*``, ``import.region_*``,
``import.department_added``)."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from ..rules.parse import parse_rule
from .departments import AliasTable, normalise_name
from .model import Assignment, Better, Catalogue, Department, Indicator, Task, assign_keys
from .model import name_fingerprint as fingerprint


def infer_better(target: str) -> Better | None:
    """Direction from the target text alone: 下降/≤ → lower, ≥/提高 → higher, else unknown."""
    if "下降" in target or "≤" in target:
        return "lower"
    if "≥" in target or "提高" in target:
        return "higher"
    return None


def _resolve(
    items: Iterable[Indicator | Task], aliases: AliasTable, roster: list[str], code: str, warn: list[Finding]
) -> None:
    """Spell every department as the roster does; merge duplicates the renaming creates. Each
    renaming is named once in a finding (``code``: ``import.alias_*``, whose list it follows)."""
    renamed: dict[str, str] = {}
    for item in items:
        merged: dict[str, Assignment] = {}
        for a in item.assignments:
            name = aliases.resolve(a.department, roster) if roster else a.department
            if name != a.department:
                renamed.setdefault(a.department, name)
            if name in merged:
                merged[name].role = "lead" if a.role == "lead" else merged[name].role
            else:
                merged[name] = Assignment(name, a.role, a.note)
        item.assignments = list(merged.values())
    for old, new in renamed.items():
        warn.append(Finding.of(code, old=old, new=new))


def _own_roster(items: Iterable[Indicator | Task], aliases: AliasTable) -> list[str]:
    """The county's own spellings: of the names its table uses for one department (建设局 in most
    rows, 住建局 in one), the most used one (the first written on a tie), in order of appearance."""
    counts: dict[str, int] = {}
    for item in items:
        for a in item.assignments:
            counts[a.department] = counts.get(a.department, 0) + 1
    groups: dict[frozenset[str], list[str]] = {}
    for name in counts:
        key = frozenset(normalise_name(x) for x in aliases.group_of(name))
        groups.setdefault(key, []).append(name)
    chosen = {max(names, key=lambda n: counts[n]) for names in groups.values()}  # max keeps the first on ties
    return [n for n in counts if n in chosen]


def settle(
    cat: Catalogue,
    aliases: AliasTable,
    roster: list[str] | None,
    own: list[Indicator | Task],
    base_names: list[str],
    ref: list[Catalogue],
) -> list[Finding]:
    """Resolve department names and build the roster. With ``roster`` (an existing project's
    list) every name follows it; without, the county's own files decide the spelling and names
    copied from the base catalogue (the built-in 嵊州 one) follow the county's, never the other way."""
    warn: list[Finding] = []
    own_ids = {id(x) for x in own}
    copied = [x for x in [*cat.indicators, *cat.tasks] if id(x) not in own_ids]
    if roster is not None:
        final = list(roster)
        _resolve([*cat.indicators, *cat.tasks], aliases, final, "import.alias_roster", warn)
    else:
        mine = _own_roster(own, aliases)
        _resolve(own, aliases, mine, "import.alias_own", warn)
        spelling = {normalise_name(x): n for n in mine for x in aliases.group_of(n)}
        final = list(dict.fromkeys([spelling.get(normalise_name(n), n) for n in base_names] + mine))
        _resolve(copied, aliases, final, "import.alias_builtin", warn)
    better = {fingerprint(i.name): i.better for c in reversed(ref) for i in c.indicators}
    for ind in cat.indicators:
        fp = fingerprint(ind.name)
        ind.better = ind.better or (
            better[fp] if fp in better else infer_better(ind.target_text) or infer_better(ind.local_target_text)
        )
    cat.departments = [Department(n) for n in final]
    cat.ensure_departments()
    added = [d.name for d in cat.departments[len(final) :]] if roster else []
    for d in cat.departments:
        d.aliases = [a for a in aliases.group_of(d.name) if a != d.name]
    assign_keys(cat)
    cat.check_keys_unique()
    for ind in own:  # a region/terrain case no class can take is reported now, not at judging time
        if isinstance(ind, Indicator):
            warn += [
                Finding.of(_REGION_FINDINGS[f.code], **f.fields, name=ind.name, key=ind.key)
                for f in parse_rule(ind.target_text, ind.unit, ind.better).findings
                if f.code in _REGION_FINDINGS
            ]
    return warn + [Finding.of("import.department_added", name=n) for n in added]


#: the rule findings about a region/terrain case, reported at import as the indicator's
_REGION_FINDINGS = {"rule.region_label": "import.region_label", "rule.region_case": "import.region_case"}
