"""What a file is and who sent it, as facts for the policy (decide.py), which only weighs them:
the template's provenance, a department named in the file name (or an attachment's), the rows
filled in, a saved time that can be trusted."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .analyse import Analysis, ReadContext
from .decide import BAD_SIGNATURE, BROKEN, NO_PROVENANCE, SIGNED, FileFacts
from .match import CatalogueIndex, resolve_department

_SPACE = re.compile(r"\s+")


def department_in_name(name: str, idx: CatalogueIndex, template_of: str | None = None) -> str | None:
    """The one roster department whose name or alias appears in the file name ``name`` (the
    longest match wins over names it contains: 生态环境分局 over 环境); None when none or several —
    except that a name naming the template's own department and one other (``水投集团（住建局转）``)
    names that other one."""
    found = departments_in_name(name, idx)
    if template_of in found and len(found) == 2:
        found.discard(template_of)
    return found.pop() if len(found) == 1 else None


def departments_in_name(name: str, idx: CatalogueIndex) -> set[str]:
    """Every roster department whose name or alias appears in ``name``."""
    stem = _SPACE.sub("", Path(name).stem)
    if not stem:
        return set()
    found: list[tuple[int, int, str]] = []  # (start, end, department)
    candidates = idx.name_candidates or [(d, d) for d in idx.department_names] + [
        (alias, d) for alias, d in idx.department_aliases.items() if len(alias) >= 2
    ]
    for text, dept in candidates:
        if text not in stem:  # most names are not in it: one C-speed test each
            continue
        start = stem.find(text)
        while start >= 0:
            found.append((start, start + len(text), dept))
            start = stem.find(text, start + 1)
    kept = [
        f
        for f in found
        if not any(g != f and g[0] <= f[0] and f[1] <= g[1] and g[1] - g[0] > f[1] - f[0] for g in found)
    ]
    return {d for _, _, d in kept}


def plausible_time(iso: str | None, now: datetime | None = None) -> str:
    """A saved time the policy may order files by: "" when missing, before 2000 or more than a day
    in the future (a computer whose clock is obviously wrong)."""
    if not iso:
        return ""
    try:
        t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    if t.year < 2000 or t > now + timedelta(days=1):
        return ""
    return iso


def filled_keys(a: Analysis) -> frozenset[str]:
    """Keys of the rows the sender wrote something in."""
    keys = {
        e.key
        for e in a.entries
        if e.current.raw or e.previous.raw or e.assigned.raw or e.source or e.note or e.evidence or e.period
    }
    keys |= {t.key for t in a.tasks if t.status.raw or t.progress or t.problems_text or t.plan}
    return frozenset(keys)


def only_rows(a: Analysis, keys: frozenset[str] | None) -> Analysis:
    """``a`` with only the rows ``keys`` (a department filled another's template), else ``a``."""
    if keys is None:
        return a
    return dataclasses.replace(
        a,
        entries=[e for e in a.entries if e.key in keys],
        tasks=[t for t in a.tasks if t.key in keys],
        _values_hash="",
    )


def facts(a: Analysis, ctx: ReadContext, secret: str) -> FileFacts:
    """What :func:`decide` needs to know of an analysed file."""
    prov = a.provenance
    if a.provenance_broken:
        state = BROKEN
    elif prov is None:
        state = NO_PROVENANCE
    else:
        state = SIGNED if prov.verify(secret) else BAD_SIGNATURE
    if a.code:  # unreadable: decided by its code alone (policy rows 1–2), no department to look for
        named = None
    else:
        named = resolve_department(a.filename_department, ctx.index) if a.filename_department else None
        named = named or department_in_name(a.name, ctx.index, prov.department if prov else a.department)
    rows = tuple((e.key, f"{e.sheet}第{e.row}行") for e in a.entries)
    rows += tuple((t.key, f"{t.sheet}第{t.row}行") for t in a.tasks)
    return FileFacts(
        sha256=a.sha256,
        unreadable=a.code,
        detail=a.detail,
        provenance=state,
        template_project=prov.project_id if prov else "",
        template_department=prov.department if prov else None,
        template_round=prov.round if prov else None,
        template_version=prov.issue_version if prov else None,
        template_content_hash=prov.content_hash if prov else "",
        has_layout=a.has_form_layout,
        title_department=None if prov else a.department,
        title_round=None if prov else a.round,
        filename_department=named,
        filename_round=a.filename_round,
        rows=rows,
        filled=filled_keys(a),
        content_time=plausible_time(a.content_time),
        values_hash=a.values_hash(),
    )
