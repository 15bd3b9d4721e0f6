"""A round's 佐证材料 as the clerk, the verdicts and the archive see it — the files received, which
indicators they are linked to, what a form names but did not arrive, and what a qualitative
indicator needs but nobody sent — and the clerk's corrections (assign, confirm, remove with a
note). The tables are described in :mod:`.evidence` and :mod:`.evidence_links`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..ledger.evidence import (
    change_link,
    evidence_cells,
    evidence_file,
    evidence_files,
    link_by_clerk,
    round_links,
    set_evidence_department,
    take_out_evidence,
)
from ..ledger.store import current_user, now_iso
from ..messages import EcoDeskError
from ..rules.evidence import needs_evidence
from .evidence_links import best_match, named_files, type_label


@dataclass
class EvidenceFile:
    id: int
    department: str
    name: str  # as the department sent it
    kind: str  # PDF / JPG / DOCX …
    received_at: str
    sha256: str
    archived_path: str  # relative to the project folder
    original_path: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Link:
    evidence_id: int
    indicator_key: str
    department: str
    matched_by: str  # exact | stem | close | clerk
    named: str
    confirmed: bool
    note: str


@dataclass
class Missing:
    indicator_key: str
    department: str
    named: str  # the name written in the form; '' when the indicator needs evidence and none came
    sheet: str = ""
    row: int = 0


@dataclass
class RoundEvidence:
    files: dict[int, EvidenceFile]  # received and not removed
    links: list[Link]  # active links only
    missing: list[Missing]
    replaced: set[int] = field(default_factory=set)  # files a newer one of the same name replaced
    _keys: set[str] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        self._keys = {ln.indicator_key for ln in self.links}

    def for_indicator(self, key: str) -> list[tuple[Link, EvidenceFile]]:
        return [(ln, self.files[ln.evidence_id]) for ln in self.links if ln.indicator_key == key]

    def has_evidence(self, key: str) -> bool:
        return key in self._keys

    def unassigned(self) -> list[EvidenceFile]:
        linked = {ln.evidence_id for ln in self.links}
        return [f for f in self.files.values() if f.id not in linked and f.id not in self.replaced]


def round_evidence(project: Any, round_name: str) -> RoundEvidence:
    rnd = project.round(round_name)
    conn: sqlite3.Connection = project.ledger.conn
    files = {
        r["id"]: EvidenceFile(
            r["id"],
            r["department"],
            r["original_name"],
            type_label(r["original_name"]),
            r["received_at"],
            r["sha256"],
            r["archived_path"],
            r["original_path"],
            r["note"],
        )
        for r in evidence_files(conn, rnd.id)
    }
    links = [
        Link(
            r["evidence_id"],
            r["indicator_key"],
            r["department"],
            r["matched_by"],
            r["named"],
            bool(r["confirmed"]),
            r["note"],
        )
        for r in round_links(conn, rnd.id)
        if r["evidence_id"] in files
    ]
    replaced = {r["evidence_id"] for r in round_links(conn, rnd.id, "replaced")} - {
        ln.evidence_id for ln in links
    }
    return RoundEvidence(files, links, _missing(project, rnd.id, files, links), replaced)


def _missing(project: Any, round_id: int, files: dict[int, EvidenceFile], links: list[Link]) -> list[Missing]:
    cat = project.catalogue()
    needs = {i.key for i in cat.indicators if needs_evidence(i)}
    missing: list[Missing] = []
    reported: dict[str, set[str]] = {}
    by_row: dict[tuple[str, str], list[tuple[Link, EvidenceFile]]] = {}
    for ln in links:
        by_row.setdefault((ln.indicator_key, ln.department), []).append((ln, files[ln.evidence_id]))
    for r in evidence_cells(project.ledger.conn, round_id):
        key, dept = r["indicator_key"], r["department"]
        mine = by_row.get((key, dept), [])
        unmatched = [
            n
            for n in named_files(r["evidence"])
            if not any(ln.named == n or best_match(n, f.name, dept) for ln, f in mine)
        ]
        clerk = sum(1 for ln, _ in mine if ln.matched_by == "clerk")
        unmatched = unmatched[clerk:]  # the clerk's own assignments stand for what was named
        missing += [Missing(key, dept, n, r["sheet"], r["row"]) for n in unmatched]
        if r["current_kind"] != "empty" and not r["not_applicable"]:
            reported.setdefault(key, set()).add(dept)
    covered = {(ln.indicator_key, ln.department) for ln in links} | {
        (m.indicator_key, m.department) for m in missing
    }
    for ind in cat.indicators:
        if ind.key not in needs:
            continue
        for dept in sorted(reported.get(ind.key, ()), key=lambda d: (d != ind.responsible, d)):
            if (ind.key, dept) not in covered:
                missing.append(Missing(ind.key, dept, ""))
    return missing


# ---- the clerk's corrections -------------------------------------------------------------------
def _file_row(conn: sqlite3.Connection, round_id: int, evidence_id: int) -> sqlite3.Row:
    row = evidence_file(conn, round_id, evidence_id)
    if row is None or row["removed_at"]:
        raise EcoDeskError("evidence.not_found", id=evidence_id)
    return row


def _indicator(project: Any, key: str) -> Any:
    try:
        return project.catalogue().indicator(key)
    except KeyError as exc:
        raise EcoDeskError("evidence.unknown_indicator", key=key) from exc


def assign(
    project: Any,
    round_name: str,
    evidence_id: int,
    indicator_key: str,
    department: str | None = None,
    note: str = "",
) -> None:
    """The clerk says which indicator (and department) a file is evidence for."""
    rnd = project.round(round_name)
    ind = _indicator(project, indicator_key)
    row = _file_row(project.ledger.conn, rnd.id, evidence_id)
    dept = project.resolve_department(department) if department else (row["department"] or ind.responsible)
    with project.ledger.transaction() as c:
        if dept != row["department"]:
            set_evidence_department(c, evidence_id, dept)
        link_by_clerk(c, rnd.id, evidence_id, dept, indicator_key, note.strip(), now_iso(), current_user())
        project.ledger.audit(
            c,
            "evidence.assign",
            round=rnd.name,
            file=row["original_name"],
            evidence=evidence_id,
            indicator=ind.name,
            department=dept,
            note=note,
        )


def confirm(project: Any, round_name: str, evidence_id: int, indicator_key: str, note: str = "") -> None:
    """The clerk confirms a link made from a close name match."""
    rnd = project.round(round_name)
    with project.ledger.transaction() as c:
        n = change_link(c, rnd.id, evidence_id, indicator_key, "confirm", note.strip(), now_iso(), current_user())
        if not n:
            raise EcoDeskError("evidence.no_link", id=evidence_id)
        project.ledger.audit(
            c, "evidence.confirm", round=rnd.name, evidence=evidence_id, indicator=indicator_key, note=note
        )


def remove(
    project: Any, round_name: str, evidence_id: int, note: str, indicator_key: str | None = None
) -> None:
    """Take a file off one indicator (``indicator_key``), or out of the round's evidence altogether.
    A note is required; the archived copy is kept, and automatic linking never brings it back."""
    if not note.strip():
        raise EcoDeskError("evidence.note_required")
    rnd = project.round(round_name)
    row = _file_row(project.ledger.conn, rnd.id, evidence_id)
    with project.ledger.transaction() as c:
        if indicator_key:
            n = change_link(
                c, rnd.id, evidence_id, indicator_key, "remove", note.strip(), now_iso(), current_user()
            )
            if not n:
                raise EcoDeskError("evidence.no_link", id=evidence_id)
        else:
            take_out_evidence(c, evidence_id, note.strip(), now_iso())
        project.ledger.audit(
            c,
            "evidence.remove",
            round=rnd.name,
            file=row["original_name"],
            evidence=evidence_id,
            indicator=indicator_key,
            note=note,
        )

