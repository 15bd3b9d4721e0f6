"""The catalogue's tables in the ledger (departments and their aliases, indicators, tasks, who
owns what): saving a whole catalogue inside the caller's transaction and loading it back. A mixin
of :class:`~ecodesk.ledger.store.Ledger`, which provides ``conn``, ``get_setting`` and
``set_settings``."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from ..catalogue import Assignment, Catalogue, Department, Indicator, Task


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
        c = self.conn
        names = {r["id"]: r["name"] for r in c.execute("SELECT id, name FROM departments")}
        aliases: dict[int, list[str]] = {}
        for r in c.execute("SELECT alias, department_id FROM department_aliases ORDER BY rowid"):
            aliases.setdefault(r["department_id"], []).append(r["alias"])
        departments = [
            Department(r["name"], aliases.get(r["id"], []), r["contact"])
            for r in c.execute("SELECT * FROM departments ORDER BY sort, id")
        ]

        def assignments(table: str, col: str) -> dict[str, list[Assignment]]:
            out: dict[str, list[Assignment]] = {}
            for r in c.execute(f"SELECT * FROM {table} ORDER BY sort"):
                out.setdefault(r[col], []).append(Assignment(names[r["department_id"]], r["role"], r["note"]))
            return out

        ia = assignments("indicator_assignments", "indicator_key")
        ta = assignments("task_assignments", "task_key")
        indicators = [
            Indicator(
                key=r["key"],
                number=r["number"],
                name=r["name"],
                unit=r["unit"],
                target_text=r["target_text"],
                domain=r["domain"],
                task=r["task"],
                group=r["grp"],
                reference=bool(r["reference"]),
                applicability_mark=bool(r["applicability_mark"]),
                better=r["better"],
                assignments=ia.get(r["key"], []),
                tolerance=r["tolerance"],
                local_target_text=r["local_target_text"],
                evidence=r["evidence"],
                comparison=r["comparison"],
                local_target_label=r["local_target_label"],
                local_target_value=r["local_target_value"],
                local_base_value=r["local_base_value"],
                edits=json.loads(r["edits"] or "{}"),
            )
            for r in c.execute("SELECT * FROM indicators ORDER BY sort")
        ]
        tasks = [
            Task(
                key=r["key"],
                number=r["number"],
                title=r["title"],
                requirements=r["requirements"],
                action_group=r["action_group"],
                assignments=ta.get(r["key"], []),
            )
            for r in c.execute("SELECT * FROM tasks ORDER BY sort")
        ]
        return Catalogue(
            county=self.get_setting("county", ""),
            indicator_set=self.get_setting("indicator_set", "2024"),
            indicators=indicators,
            tasks=tasks,
            departments=departments,
            source=self.get_setting("catalogue_source", ""),
        )
