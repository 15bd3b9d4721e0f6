"""A project on disk: the ledger, its folders, rounds, versions and copying."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from ecodesk.catalogue.builtin import load_builtin
from ecodesk.ledger.schema import SCHEMA_VERSION
from ecodesk.messages import EcoDeskError, msg
from ecodesk.project import ARCHIVE_DIR, ISSUED_DIR, LEDGER_NAME, REPORTS_DIR, Project


def test_create_makes_ledger_and_folders(project):
    for sub in (ISSUED_DIR, ARCHIVE_DIR, REPORTS_DIR):
        assert (project.root / sub).is_dir()
    assert (project.root / LEDGER_NAME).is_file()
    info = project.info()
    assert info.county == "嵊州市" and info.region == "east" and len(info.project_id) == 32
    assert len(project.settings()["secret"]) == 64


def test_catalogue_round_trips_through_the_ledger(project, builtin):
    stored = project.catalogue()
    assert stored.indicators == builtin.indicators  # every field, assignments included
    assert [(t.key, t.title, t.requirements, t.action_group, t.departments) for t in stored.tasks] == [
        (t.key, t.title, t.requirements, t.action_group, t.departments) for t in builtin.tasks
    ]
    assert {d.name: d.aliases for d in stored.departments}["住建局"][:2] == ["建设局", "住房和城乡建设局"]


def test_rounds(project):
    r = project.add_round(" 2025年第一轮 ", "2025-6-30".replace("-6-", "-06-"))
    assert (r.name, r.deadline) == ("2025年第一轮", "2025-06-30")
    project.add_round("2025年第二轮", "2025-12-31")
    assert [x.name for x in project.rounds()] == ["2025年第一轮", "2025年第二轮"]
    with pytest.raises(EcoDeskError) as e:
        project.add_round("2025年第一轮", "2025-07-01")
    assert e.value.code == "round.exists"
    with pytest.raises(EcoDeskError) as e:
        project.add_round("第三轮", "2025/13/01")
    assert str(e.value) == msg("round.bad_deadline", value="2025/13/01")
    with pytest.raises(EcoDeskError) as e:
        project.add_round("a/b", "2025-07-01")
    assert e.value.code == "round.bad_name"
    with pytest.raises(EcoDeskError) as e:
        project.round("不存在")
    assert "2025年第一轮、2025年第二轮" in str(e.value)


def test_project_folder_can_be_copied_and_reopened(project, tmp_path):
    project.add_round("2025年第一轮", "2025-06-30")
    project.close()
    shutil.copytree(project.root, tmp_path / "U盘" / "项目副本")
    with Project.open(tmp_path / "U盘" / "项目副本") as copy:
        assert [r.name for r in copy.rounds()] == ["2025年第一轮"]
        assert len(copy.catalogue().indicators) == 31
        assert copy.info().project_id == Project.open(project.root).info().project_id


def test_open_errors(tmp_path):
    with pytest.raises(EcoDeskError) as e:
        Project.open(tmp_path / "nope")
    assert e.value.code == "project.not_found"
    (tmp_path / "plain").mkdir()
    with pytest.raises(EcoDeskError) as e:
        Project.open(tmp_path / "plain")
    assert e.value.code == "project.not_project"
    assert "不是 EcoDesk 项目" in str(e.value)


def test_newer_ledger_is_refused(project):
    project.ledger.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    project.close()
    with pytest.raises(EcoDeskError) as e:
        Project.open(project.root)
    assert e.value.code == "project.newer"
    assert str(e.value) == msg("project.newer", found=SCHEMA_VERSION + 1, supported=SCHEMA_VERSION)


def test_corrupt_ledger_is_reported(tmp_path):
    root = tmp_path / "坏项目"
    root.mkdir()
    (root / LEDGER_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(EcoDeskError) as e:
        Project.open(root)
    assert e.value.code == "project.corrupt"


def test_create_twice_is_refused(project):
    with pytest.raises(EcoDeskError) as e:
        Project.create(project.root, load_builtin())
    assert e.value.code == "project.exists"


def test_failed_write_leaves_ledger_unchanged(project):
    before = project.rounds()
    with pytest.raises(sqlite3.IntegrityError), project.ledger.transaction() as c:
        c.execute("INSERT INTO rounds(name, deadline, created_at) VALUES('x', '2025-01-01', 'now')")
        c.execute("INSERT INTO rounds(name, deadline, created_at) VALUES('x', '2025-01-01', 'now')")
    assert project.rounds() == before


def test_bad_region_is_refused(tmp_path):
    with pytest.raises(EcoDeskError) as e:
        Project.create(tmp_path / "p", load_builtin(), region="mars")
    assert e.value.code == "region.unknown"
    assert not (tmp_path / "p" / LEDGER_NAME).exists()
