"""The house: each decision made in one room. The ledger answers "which file of a department
counts in a round", a report run reads one catalogue, and the rooms keep their layers."""

from __future__ import annotations

import pytest

from ecodesk.demo import run_demo
from ecodesk.ledger.current import current_files, filled_keys, issued_forms, latest_issued, round_counts
from ecodesk.ledger.store import Ledger
from ecodesk.project import Project
from ecodesk.report import write_report
from ecodesk.status import round_status


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("house") / "示例")


def test_the_ledger_names_one_current_file_per_department(demo):
    with Project.open(demo.root) as project:
        rnd = project.rounds()[0]
        conn = project.ledger.conn
        files = current_files(conn, rnd.id)
        every = conn.execute("SELECT * FROM submissions WHERE round_id = ?", (rnd.id,)).fetchall()
        accepted = {r["department"] for r in every if r["status"] == "accepted"}
        assert set(files) == accepted and files  # the demo has accepted files …
        assert any(r["status"] != "accepted" for r in every)  # … and others that do not count
        assert all(r["is_current"] == 1 and r["round_id"] == rnd.id for r in files.values())
        # what the 报送情况 says was received is exactly the ledger's current files
        statuses = {s.department: s for s in round_status(project, rnd.name)}
        assert {d for d, s in statuses.items() if s.reported} == set(files)
        assert all(statuses[d].received_file == r["original_name"] for d, r in files.items())
        indicators, _tasks = filled_keys(conn, rnd.id)
        assert set(indicators) <= set(files)
        issued = round_counts(conn, rnd.id)
        assert issued == (len(issued_forms(conn, rnd.id)), len(every))
        newest = issued_forms(conn, rnd.id, latest=True)
        assert len({r["department"] for r in newest}) == len(newest)
        assert all(latest_issued(conn, rnd.id, r["department"])["id"] == r["id"] for r in newest)


def test_one_report_run_loads_the_catalogue_once(demo, tmp_path, monkeypatch):
    loads = []
    real = Ledger.load_catalogue

    def counting(self):
        loads.append(1)
        return real(self)

    monkeypatch.setattr(Ledger, "load_catalogue", counting)
    with Project.open(demo.root, lock=True) as project:
        rnd = project.rounds()[0]
        loads.clear()
        write_report(project, rnd.name, tmp_path / "汇总.xlsx")
        assert len(loads) == 1
        with project.one_catalogue(), pytest.raises(RuntimeError):
            project.replace_catalogue(project.catalogue())
        project.catalogue()  # outside the run: read afresh again
        assert len(loads) == 3  # one for the block above, one now


def test_sql_lives_in_the_ledger():
    """Every table is the ledger's: no module outside ``ecodesk/ledger`` (the app's ``ui/`` too)
    writes SQL or calls ``execute`` (intake asks named ledger functions; a new module with SQL
    fails here)."""
    import re
    from pathlib import Path

    import ecodesk

    root = Path(ecodesk.__file__).parent
    sql = re.compile(r"\.execute(many|script)?\(|[\"'](SELECT|INSERT|UPDATE|DELETE) ")
    found = {
        p.relative_to(root.parent).as_posix()
        for p in [*root.rglob("*.py"), *(root.parent / "ui").rglob("*.py")]
        if p.relative_to(root.parent).parts[:2] != ("ecodesk", "ledger")
        and sql.search(p.read_text(encoding="utf-8"))
    }
    assert not found, sorted(found)


def test_the_readme_layout_names_every_module():
    """The README's Layout section is the map of the core: every module and package is on it."""
    import re
    from pathlib import Path

    import ecodesk

    root = Path(ecodesk.__file__).parent
    text = (root.parent / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## Layout") :].split("```")[1]
    named = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", block))
    modules = {p for p in root.rglob("*.py") if p.stem not in ("__init__", "__main__")}
    packages = {p for p in root.rglob("__init__.py")} - {root / "__init__.py"}
    missing = sorted(p.relative_to(root).as_posix() for p in modules if p.stem not in named)
    missing += sorted(p.parent.relative_to(root).as_posix() + "/" for p in packages if p.parent.name not in named)
    assert not missing, f"README.md's Layout does not name: {missing}"
