"""The catalogue's tables in the ledger (departments and their aliases, indicators, tasks, who
owns what): saving a whole catalogue inside the caller's transaction and loading it back. A mixin
of :class:`~ecodesk.ledger.store.Ledger`, which provides ``conn``, ``get_setting`` and
``set_settings``."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from ..catalogue import Assignment, Catalogue, Department, Indicator, Task

#: (column of the indicators table, Indicator field) in the order load_catalogue reads them
_INDICATOR_COLUMNS = (
    ("key", "key"), ("number", "number"), ("name", "name"), ("unit", "unit"), ("target_text", "target_text"),
    ("domain", "domain"), ("task", "task"), ("grp", "group"), ("reference", "reference"),
    ("applicability_mark", "applicability_mark"), ("better", "better"), ("tolerance", "tolerance"),
    ("local_target_text", "local_target_text"), ("evidence", "evidence"), ("comparison", "comparison"),
    ("local_target_label", "local_target_label"), ("local_target_value", "local_target_value"),
    ("local_base_value", "local_base_value"), ("edits", "edits"),
)  # fmt: skip


class CatalogueTables:
    conn: sqlite3.Connection

    if TYPE_CHECKING:  # provided by Ledger

        def get_setting(self, key: str, default: Any = None) -> Any: ...

        def set_settings(self, values: dict[str, Any], conn: sqlite3.Connection | None = None) -> None: ...

    def save_catalogue(self, cat: Catalogue, conn: sqlite3.Connection) -> None:
        """Replace the stored catalogue by ``cat`` (inside the caller's transaction)."""
        cat.ensure_departments()
        cat.check_keys_unique()
        for table in (
            "indicator_assignments",
            "task_assignments",
            "indicators",
            "tasks",
            "department_aliases",
        ):
            conn.execute(f"DELETE FROM {table}")
        ids: dict[str, int] = {}
        keep = [d.name for d in cat.departments]
        conn.execute(f"DELETE FROM departments WHERE name NOT IN ({','.join('?' * len(keep))})", keep)
        for sort, d in enumerate(cat.departments):
            conn.execute(
                "INSERT INTO departments(name, contact, sort) VALUES(?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET contact = excluded.contact, sort = excluded.sort",
                (d.name, d.contact, sort),
            )
            ids[d.name] = conn.execute("SELECT id FROM departments WHERE name = ?", (d.name,)).fetchone()[0]
        for d in cat.departments:
            for alias in d.aliases:
                conn.execute(
                    "INSERT OR IGNORE INTO department_aliases(alias, department_id) VALUES(?, ?)",
                    (alias, ids[d.name]),
                )
        for sort, i in enumerate(cat.indicators):
            conn.execute(
                "INSERT INTO indicators(key, sort, domain, task, number, grp, name, unit, target_text, reference,"
                " applicability_mark, better, tolerance, local_target_text, evidence, comparison,"
                " local_target_label, local_target_value, local_base_value, edits)"
                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    i.key,
                    sort,
                    i.domain,
                    i.task,
                    i.number,
                    i.group,
                    i.name,
                    i.unit,
                    i.target_text,
                    int(i.reference),
                    int(i.applicability_mark),
                    i.better,
                    i.tolerance,
                    i.local_target_text,
                    i.evidence,
                    i.comparison,
                    i.local_target_label,
                    i.local_target_value,
                    i.local_base_value,
                    json.dumps(i.edits, ensure_ascii=False, default=str),
                ),
            )
            self._save_assignments(conn, "indicator_assignments", "indicator_key", i.key, i.assignments, ids)
        for sort, t in enumerate(cat.tasks):
            conn.execute(
                "INSERT INTO tasks(key, sort, number, title, requirements, action_group) VALUES(?,?,?,?,?,?)",
                (t.key, sort, t.number, t.title, t.requirements, t.action_group),
            )
            self._save_assignments(conn, "task_assignments", "task_key", t.key, t.assignments, ids)
        self.set_settings(
            {"county": cat.county, "indicator_set": cat.indicator_set, "catalogue_source": cat.source}, conn
        )

    @staticmethod
    def _save_assignments(
        conn: sqlite3.Connection,
        table: str,
        col: str,
        key: str,
        assignments: list[Assignment],
        ids: dict[str, int],
    ) -> None:
        for sort, a in enumerate(assignments):
            conn.execute(
                f"INSERT INTO {table}({col}, department_id, role, note, sort) VALUES(?,?,?,?,?)",
                (key, ids[a.department], a.role, a.note, sort),
            )

    def load_catalogue(self) -> Catalogue:
        # plain tuples through a plain cursor, columns named once (a province's catalogue is
        # thousands of indicators and assignments: no Row object and no lookup by name per value)
        c = self.conn.cursor()
        c.row_factory = None
        names = dict(c.execute("SELECT id, name FROM departments").fetchall())
        aliases: dict[int, list[str]] = {}
        for alias, did in c.execute(
            "SELECT alias, department_id FROM department_aliases ORDER BY rowid"
        ).fetchall():
            aliases.setdefault(did, []).append(alias)
        departments = [
            Department(name, aliases.get(did, []), contact)
            for did, name, contact in c.execute(
                "SELECT id, name, contact FROM departments ORDER BY sort, id"
            ).fetchall()
        ]

        def assignments(table: str, col: str) -> dict[str, list[Assignment]]:
            out: dict[str, list[Assignment]] = {}
            sql = f"SELECT {col}, department_id, role, note FROM {table} ORDER BY sort"
            for key, did, role, note in c.execute(sql).fetchall():
                out.setdefault(key, []).append(Assignment(names[did], role, note))
            return out

        ia = assignments("indicator_assignments", "indicator_key")
        ta = assignments("task_assignments", "task_key")
        # the indicators table's columns and the Indicator fields they fill, named once
        cols = ", ".join(col for col, _ in _INDICATOR_COLUMNS)
        fields = [fld for _, fld in _INDICATOR_COLUMNS]
        indicators = []
        for r in c.execute(f"SELECT {cols} FROM indicators ORDER BY sort").fetchall():
            row = dict(zip(fields, r, strict=True))
            row["reference"], row["applicability_mark"] = bool(row["reference"]), bool(row["applicability_mark"])
            row["edits"] = {} if row["edits"] in (None, "", "{}") else json.loads(row["edits"])
            indicators.append(Indicator(**row, assignments=ia.get(row["key"], [])))
        tasks = [
            Task(key=k, number=n, title=t, requirements=req, action_group=g, assignments=ta.get(k, []))
            for k, n, t, req, g in c.execute(
                "SELECT key, number, title, requirements, action_group FROM tasks ORDER BY sort"
            ).fetchall()
        ]
        return Catalogue(
            county=self.get_setting("county", ""),
            indicator_set=self.get_setting("indicator_set", "2024"),
            indicators=indicators,
            tasks=tasks,
            departments=departments,
            source=self.get_setting("catalogue_source", ""),
        )
