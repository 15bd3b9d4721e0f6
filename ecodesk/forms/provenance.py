"""Provenance of a fill-in workbook: who it was made for, for which round, and which row holds
which indicator — signed with an HMAC whose secret never leaves the project ledger.

The payload lives on a very-hidden sheet as ``key | value`` rows; row keys also sit in a hidden
column of each input sheet, so intake finds rows by key even after rows are moved.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field, fields
from typing import Any

FORMAT = "ecodesk-form/1"
#: Layout version of the fill-in workbook. Bump when columns move; intake reads all versions it knows.
FORM_VERSION = 1
PROVENANCE_SHEET = "_ecodesk"
KEY_HEADER = "标识"


@dataclass
class Provenance:
    project_id: str
    round: str
    department: str
    issue_version: int
    generated_at: str
    indicator_keys: list[str] = field(default_factory=list)
    task_keys: list[str] = field(default_factory=list)
    content_hash: str = ""
    form_version: int = FORM_VERSION
    format: str = FORMAT
    signature: str = ""

    def payload(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "signature"}

    def canonical(self) -> bytes:
        return json.dumps(self.payload(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def sign(self, secret: str) -> Provenance:
        self.signature = hmac.new(bytes.fromhex(secret), self.canonical(), hashlib.sha256).hexdigest()
        return self

    def verify(self, secret: str) -> bool:
        expected = hmac.new(bytes.fromhex(secret), self.canonical(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.signature or "")

    # ---- sheet form: rows of (name, value) ---------------------------------------------------
    def to_rows(self) -> list[tuple[str, str]]:
        rows = [
            (k, json.dumps(v, ensure_ascii=False) if isinstance(v, list) else str(v))
            for k, v in self.payload().items()
        ]
        rows.append(("signature", self.signature))
        return rows

    @classmethod
    def from_rows(cls, rows: list[list[Any]]) -> Provenance | None:
        """Read the sheet back; None when it is not a provenance sheet of ours."""
        values: dict[str, str] = {}
        for row in rows:
            if len(row) >= 2 and isinstance(row[0], str):
                values[row[0]] = "" if row[1] is None else str(row[1])
        if values.get("format") != FORMAT:
            return None
        try:
            return cls(
                project_id=values["project_id"],
                round=values["round"],
                department=values["department"],
                issue_version=int(float(values["issue_version"])),
                generated_at=values["generated_at"],
                indicator_keys=list(json.loads(values.get("indicator_keys", "[]"))),
                task_keys=list(json.loads(values.get("task_keys", "[]"))),
                content_hash=values.get("content_hash", ""),
                form_version=int(float(values.get("form_version", FORM_VERSION))),
                format=values["format"],
                signature=values.get("signature", ""),
            )
        except (KeyError, ValueError, TypeError):
            return None


def content_hash(rows: list[dict[str, Any]]) -> str:
    """Hash of what a department is asked (rows, targets, rules): equal hashes mean a re-issued
    form asks the same questions."""
    blob = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(blob).hexdigest()[:16]
