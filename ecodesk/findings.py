"""One finding type for the whole core: what intake, rule parsing, catalogue import and verdicts
notice is data — a message code, where it is, and the fields its template needs — rendered only
when shown, by :func:`ecodesk.messages.msg` from the one message catalogue.

A :class:`Finding` is a ``(code, fields)`` pair (so ``for code, fields in findings`` keeps
working) whose location (file, sheet, row, cell, indicator or task key) is read from its fields.
The ledger stores findings as :meth:`Finding.to_dict` (code, fields, location, and the message as
rendered then, for readers that only show text); :meth:`Finding.from_dict` and :func:`render`
bring them back, so rewording a template rewords stored findings too.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .messages import MESSAGES, msg

#: the fields that say where a finding is (the rest fill the message template)
LOCATION_FIELDS = ("file", "sheet", "row", "cell", "col", "key")


class Finding(NamedTuple):
    code: str
    fields: dict[str, Any]

    @classmethod
    def of(cls, code: str, **fields: Any) -> Finding:
        assert code in MESSAGES, f"no message for finding {code!r}"
        return cls(code, fields)

    @property
    def location(self) -> dict[str, Any]:
        """Where the finding is: the location fields it has (``{"sheet": "指标填报", "row": 7}``)."""
        return {k: self.fields[k] for k in LOCATION_FIELDS if self.fields.get(k) not in (None, "")}

    @property
    def message(self) -> str:
        return msg(self.code, **self.fields)

    def at(self, **location: Any) -> Finding:
        """The same finding with more location (a file's name, an indicator's key)."""
        return Finding(self.code, {**self.fields, **location})

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "fields": _plain(self.fields), **self.location, "message": self.message}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        fields = dict(d.get("fields") or {})
        for k in LOCATION_FIELDS:
            if k in d and k not in fields:
                fields[k] = d[k]
        return cls(str(d.get("code", "")), fields)


def render(d: dict[str, Any] | str) -> str:
    """The text of a stored finding: rendered again from its code and fields when the catalogue
    has the code and the fields fill it, else the text stored with it (or the text itself, as
    projects made before findings were data stored their import warnings)."""
    if isinstance(d, str):
        return d
    code, fields = d.get("code", ""), d.get("fields")
    if code in MESSAGES and isinstance(fields, dict):
        try:
            return msg(code, **fields)
        except (KeyError, IndexError, ValueError):
            pass
    return str(d.get("message", ""))


def stored(d: dict[str, Any] | str) -> dict[str, Any]:
    """A stored finding as ``--json`` prints it: code, fields, location and the message rendered now
    (a finding stored as bare text has an empty code)."""
    if isinstance(d, str):
        return {"code": "", "fields": {}, "message": d}
    return {**d, "message": render(d)}


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields as JSON keeps them (numbers and text; anything else as its text)."""
    return {
        k: v if isinstance(v, (str, int, float, bool)) or v is None else str(v) for k, v in fields.items()
    }
