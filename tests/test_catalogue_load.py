"""The catalogue read back from the ledger (plain tuples, columns named once) equals what the
Row-by-name reader it replaced returned, on the built-in catalogue and on a province-sized one
with aliases, co-departments, notes and a clerk's edits — and equals the catalogue that was saved."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from ecodesk.catalogue import Assignment, Catalogue, Department, Indicator, Task
from ecodesk.catalogue.builtin import load_builtin
from ecodesk.project import Project


def _row_reader(ledger) -> Catalogue:  # the reader before plain tuples, kept as the reference
    c = ledger.conn
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
        county=ledger.get_setting("county", ""),
        indicator_set=ledger.get_setting("indicator_set", "2024"),
        indicators=indicators,
        tasks=tasks,
        departments=departments,
        source=ledger.get_setting("catalogue_source", ""),
    )


def _province(base: Catalogue, counties: list[str]) -> Catalogue:
    cat = Catalogue(county="省级汇总", indicator_set=base.indicator_set, source="test-province")
    for county in counties:
        c = copy.deepcopy(base)
        for ind in c.indicators:
            ind.key = f"{county}-{ind.key}"
            ind.name = f"{ind.name}（{county}）"
            for a in ind.assignments:
                a.department = county + a.department
        for t in c.tasks:
            t.key = f"{county}-{t.key}"
            for a in t.assignments:
                a.department = county + a.department
        for d in c.departments:
            d.aliases = [county + x for x in d.aliases] + [f"{county}{d.name}（简称）"]
            d.name = county + d.name
        cat.indicators += c.indicators
        cat.tasks += c.tasks
        cat.departments += c.departments
    first = cat.indicators[0]
    first.edits = {"unit": {"original": first.unit, "note": "按省厅口径", "at": "2026-03-01T10:00:00+08:00"}}
    first.assignments.append(Assignment(cat.departments[-1].name, "co", "协助提供数据"))
    cat.departments[0].contact = "张三 0311-1234567"
    return cat


def _check(root: Path, cat: Catalogue) -> None:
    with Project.create(root, cat) as p:
        saved = p.catalogue()
        new = p.ledger.load_catalogue()
        assert new == _row_reader(p.ledger)
        assert new == saved
        assert [i.key for i in new.indicators] == [i.key for i in cat.indicators]
        assert [len(i.assignments) for i in new.indicators] == [len(i.assignments) for i in cat.indicators]
        assert all(isinstance(i.edits, dict) for i in new.indicators)
        assert new.indicators[0].edits is not new.indicators[1].edits  # a clerk's edit touches one


def test_builtin_catalogue_reads_back_as_before(tmp_path: Path) -> None:
    _check(tmp_path / "县", load_builtin())


def test_province_catalogue_reads_back_as_before(tmp_path: Path) -> None:
    cat = _province(load_builtin(), ["安平县", "宁和县", "兴丰县"])
    _check(tmp_path / "省", cat)
    assert cat.indicators[0].edits["unit"]["note"] == "按省厅口径"
    assert json.dumps(cat.indicators[0].edits, ensure_ascii=False)
