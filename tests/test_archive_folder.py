"""The archive copy makes each folder once per process, and makes it again when it went away."""

from __future__ import annotations

import shutil
from pathlib import Path

from ecodesk.intake.analyse import ReadContext, archive_copy


def test_archive_copy_survives_its_folder_being_removed(tmp_path: Path):
    ctx = ReadContext(None, {}, {}, str(tmp_path / "回收归档"), str(tmp_path))  # type: ignore[arg-type]
    sha = "ab" + "0" * 62
    first = archive_copy(b"one", sha, "a.xlsx", ctx)
    assert (tmp_path / first).read_bytes() == b"one"
    shutil.rmtree(tmp_path / "回收归档")
    again = archive_copy(b"one", sha, "a.xlsx", ctx)
    assert again == first and (tmp_path / again).read_bytes() == b"one"
