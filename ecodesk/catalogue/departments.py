"""Department names: splitting a 责任部门 cell, lead marks, and the editable alias table.

Cells seen in real tables: "生态环境分局*\\n经信局", "住建局* 、水投集团", "组织部\\n(考核办)",
"自然资源局*、生态环境分局", "审计局市场监管局" (no separator), "生态环境 分局" (stray space).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..assets import get_asset
from ..findings import Finding
from .model import Assignment

_SEPARATORS = re.compile(r"[、,，;；/\n\r\t]+")
_BRACKET = re.compile(r"^(?P<base>[^()]+?)\((?P<note>[^()]*)\)$")


def normalise_name(name: str) -> str:
    """Canonical spelling of a department name for comparison: NFKC (full-width brackets and
    asterisks become ASCII), no spaces."""
    s = unicodedata.normalize("NFKC", name)
    return re.sub(r"\s+", "", s).strip()


@dataclass
class AliasTable:
    """Groups of names that mean the same department (住建局 = 建设局 = 住房和城乡建设局)."""

    groups: list[list[str]] = field(default_factory=list)

    @classmethod
    def default(cls) -> AliasTable:
        return cls.load(get_asset("resources", "aliases.json"))

    @classmethod
    def load(cls, path: Path) -> AliasTable:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls([list(g) for g in data.get("groups", [])])

    def group_of(self, name: str) -> list[str]:
        n = normalise_name(name)
        for g in self.groups:
            if n in (normalise_name(x) for x in g):
                return g
        return [name]

    def resolve(
        self, name: str, roster: Iterable[str], roster_aliases: dict[str, list[str]] | None = None
    ) -> str:
        """The roster name meaning ``name``: the same name, a department alias recorded in the
        project, or a name of the same alias group. Unknown names are returned as written."""
        n = normalise_name(name)
        roster = list(roster)
        for r in roster:
            if normalise_name(r) == n:
                return r
        for r, aliases in (roster_aliases or {}).items():
            if n in (normalise_name(a) for a in aliases):
                return r
        group = {normalise_name(x) for x in self.group_of(name)}
        for r in roster:
            if normalise_name(r) in group:
                return r
        return name

    def known_names(self) -> set[str]:
        return {normalise_name(x) for g in self.groups for x in g}


@dataclass
class SplitResult:
    """The cell's assignments, and what the clerk should check about it: findings (codes
    ``import.department_*``) whose messages need the cell's ``sheet`` and ``row``, which the
    caller adds with :meth:`Finding.at`."""

    assignments: list[Assignment]
    findings: list[Finding] = field(default_factory=list)


def _split_concatenated(token: str, known: set[str]) -> list[str] | None:
    """Split "审计局市场监管局" into known names, or None when it cannot be done exactly."""
    if not token or token in known:
        return [token] if token else []
    best: list[str] | None = None
    for i in range(len(token) - 1, 1, -1):
        head = token[:i]
        if head in known:
            rest = _split_concatenated(token[i:], known)
            if rest is not None:
                cand = [head, *rest]
                if best is None or len(cand) < len(best):
                    best = cand
    return best


def split_department_cell(text: str, known: Iterable[str] = ()) -> SplitResult:
    """Turn a 责任部门 cell into assignments.

    ``known`` are names the project (roster and alias table) already knows; they let the splitter
    re-join a name broken by a stray space and split names written without a separator. A single
    department without a mark is the responsible (lead) one; with several, only marked ones lead.
    """
    known_set = {normalise_name(k) for k in known}
    s = unicodedata.normalize("NFKC", str(text or "")).replace("＊", "*")
    s = re.sub(r"\s*\(\s*", "(", s)  # "组织部\n(考核办)" → "组织部(考核办)"
    s = re.sub(r"\s*\)", ")", s)
    s = re.sub(r"\s*\*", "*", s)  # "住建局 *" → "住建局*"
    raw: list[str] = []
    for part in _SEPARATORS.split(s):
        raw.extend(x for x in part.split(" ") if x)
    # re-join pieces of a name broken by a stray space ("生态环境 分局")
    tokens: list[str] = []
    for tok in raw:
        if tokens and tok.strip("*") not in known_set and tokens[-1].strip("*") not in known_set:
            joined = tokens[-1] + tok
            if joined.replace("*", "") in known_set:
                tokens[-1] = joined.replace("*", "") + ("*" if "*" in joined else "")
                continue
        if tok == "*" and tokens:
            tokens[-1] += "*"
            continue
        tokens.append(tok)
    out: list[Assignment] = []
    findings: list[Finding] = []
    for tok in tokens:
        lead = "*" in tok
        name = tok.replace("*", "").strip()
        if not name:
            continue
        note = ""
        m = _BRACKET.match(name)
        if m and name not in known_set:
            name, note = m.group("base").strip(), m.group("note").strip()
        pieces = [name]
        if known_set and name not in known_set:
            split = _split_concatenated(name, known_set)
            if split and len(split) > 1:
                pieces = split
                findings.append(Finding.of("import.department_unsplit", name=name, parts="、".join(split)))
        for i, p in enumerate(pieces):
            is_lead = lead and i == len(pieces) - 1
            out.append(Assignment(p, "lead" if is_lead else "co", note if i == len(pieces) - 1 else ""))
    if len(out) == 1 and out[0].role == "co":
        out[0].role = "lead"
    seen: set[str] = set()
    unique: list[Assignment] = []
    for a in out:
        if a.department in seen:
            findings.append(Finding.of("import.department_repeated", name=a.department))
            continue
        seen.add(a.department)
        unique.append(a)
    return SplitResult(unique, findings)
