"""One writer per project: the lock, who holds it, a killed holder, read-only opening."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ecodesk.ledger.store import current_user
from ecodesk.lock import read_holder
from ecodesk.messages import EcoDeskError, msg
from ecodesk.project import Project, init_project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "项目"
    init_project(path).close()
    return path


def test_second_writer_is_told_who_and_where(root: Path) -> None:
    with Project.open(root, lock=True):
        with pytest.raises(EcoDeskError) as err:
            Project.open(root, lock=True)
        holder = read_holder(root)
        assert (holder.user, holder.host) == (current_user(), socket.gethostname())
        assert err.value.code == "project.in_use"
        assert str(err.value) == msg("project.in_use", path=root, holder=holder.describe())
        assert holder.describe().startswith(f"{current_user()}（本机的另一个 EcoDesk 窗口或命令，自 ")
        with Project.open(root, read_only=True) as reader:  # reading is always possible
            assert reader.read_only and reader.rounds() == []
            with pytest.raises(EcoDeskError) as write:
                reader.add_round("一轮", "2030-01-01")
            assert write.value.code == "project.read_only"
    with Project.open(root, lock=True) as again:  # released on close
        again.add_round("一轮", "2030-01-01")
    assert read_holder(root).user == ""


def test_a_killed_holder_leaves_no_lock(root: Path) -> None:
    code = (
        "import sys, time\n"
        "from ecodesk.project import Project\n"
        "p = Project.open(sys.argv[1], lock=True)\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(root)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(EcoDeskError):
            Project.open(root, lock=True)
    finally:
        proc.kill()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
    deadline = time.monotonic() + 5
    while True:
        try:
            Project.open(root, lock=True).close()
            break
        except EcoDeskError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_cli_write_refused_while_the_app_has_the_project(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ecodesk.cli import main

    with Project.open(root, lock=True):
        assert main(["round", "add", str(root), "一轮", "--deadline", "2030-01-01"]) == 2
        assert capsys.readouterr().err.strip() == msg(
            "project.in_use", path=root, holder=read_holder(root).describe()
        )
        assert main(["round", "list", str(root)]) == 0  # reading is fine


def test_new_project_only_in_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "办公文件"
    folder.mkdir()
    (folder / "desktop.ini").write_text("")  # the system's own files do not count
    init_project(folder, county="嵊州市").close()
    busy = tmp_path / "文件多"
    busy.mkdir()
    (busy / "通知.docx").write_bytes(b"x")
    with pytest.raises(EcoDeskError) as err:
        init_project(busy, county="嵊州市")
    assert str(err.value) == msg("project.folder_not_empty", path=busy, suggest=busy / "嵊州市创建项目")
    assert sorted(p.name for p in busy.iterdir()) == ["通知.docx"]  # nothing written
