from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
DATA = Path(__file__).resolve().parent / "data"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(
    soffice_path() is None, reason="LibreOffice 未安装（见 scripts/system-packages.sh）"
)


@pytest.fixture
def builtin():
    from ecodesk.catalogue.builtin import load_builtin

    return load_builtin()


@pytest.fixture
def project(tmp_path):
    from ecodesk.catalogue.builtin import load_builtin
    from ecodesk.project import Project

    p = Project.create(tmp_path / "项目", load_builtin(), region="east")
    yield p
    p.close()
