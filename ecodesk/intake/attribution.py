"""Evidence of who sent a file, beyond its template: a department named in the file name (or in
an attachment's name). Kept apart from the policy (decide.py), which only weighs the evidence."""

from __future__ import annotations

import re
from pathlib import Path

from .match import CatalogueIndex

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
    candidates = [(d, d) for d in idx.department_names]
    candidates += [(alias, d) for alias, d in idx.department_aliases.items() if len(alias) >= 2]
    for text, dept in candidates:
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
