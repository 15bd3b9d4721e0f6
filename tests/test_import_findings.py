"""What importing a county's annexes says the clerk should check: findings with codes and
locations, stored in the ledger as codes and fields, and shown by ``ecodesk init`` (text and
``--json``) from the one message catalogue."""

from __future__ import annotations

import json
from pathlib import Path

from ecodesk.cli import main
from ecodesk.findings import render, stored
from ecodesk.messages import msg
from ecodesk.project import Project, init_project

from .xlsx_tables import save_table

ANNEX1 = """
| 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
| 1 | 农膜回收率 | % | | 审计局市场监管局 |
| 2 | 森林覆盖率 | % | 保持稳定或持续改善 | 自然资源局、自然资源局 |
"""
AT = {"file": "附件1.xlsx", "sheet": "附件1"}


def test_init_prints_and_stores_the_import_findings(tmp_path: Path, capsys) -> None:
    annex = save_table(tmp_path / "附件1.xlsx", ANNEX1)
    root = tmp_path / "项目"
    assert main(["init", str(root), "--annex1", str(annex), "--region", "east", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["warnings"]
    where = [(w["code"], w.get("sheet"), w.get("row"), w.get("cell")) for w in found]
    assert where[:3] == [
        ("import.department_unsplit", "附件1", 2, "E2"),
        ("import.no_target", "附件1", 2, "D2"),
        ("import.department_repeated", "附件1", 3, "E3"),
    ]
    first = found[0]
    assert first["file"] == "附件1.xlsx" and first["fields"]["parts"] == "审计局、市场监管局"
    assert first["message"] == msg("import.department_unsplit", **AT, row=2, name="审计局市场监管局", parts="审计局、市场监管局")
    with Project.open(root) as project:  # the ledger holds codes and fields, not sentences
        held = project.settings()["import_warnings"]
    assert [h["code"] for h in held] == [w["code"] for w in found]
    assert held[1]["fields"] == {**AT, "row": 2, "cell": "D2", "name": "农膜回收率"}

    assert main(["init", str(tmp_path / "二"), "--annex1", str(annex), "--region", "east"]) == 0
    out = capsys.readouterr().out
    assert f"  提示：{msg('import.no_target', **AT, row=2, name='农膜回收率')}\n" in out


def test_a_project_made_before_findings_were_data_still_shows_its_warnings(tmp_path: Path, capsys) -> None:
    old = "『附件1』工作表第 2 行：指标『农膜回收率』的“指标值”为空"
    with init_project(tmp_path / "p") as project:
        project.update_settings(import_warnings=[old])
    assert render(old) == old and stored(old) == {"code": "", "fields": {}, "message": old}
    with Project.open(tmp_path / "p") as project:
        assert [render(w) for w in project.settings()["import_warnings"]] == [old]


def test_a_stored_finding_is_worded_by_the_catalogue_of_today(tmp_path: Path) -> None:
    annex = save_table(tmp_path / "附件1.xlsx", ANNEX1)
    with init_project(tmp_path / "p", annex1=annex, region="east") as project:
        held = project.settings()["import_warnings"]
    no_target = next(h for h in held if h["code"] == "import.no_target")
    reworded = {**no_target, "message": "旧的说法"}  # the text stored then is only a fallback
    assert render(reworded) == msg("import.no_target", **no_target["fields"])


def test_init_with_an_unreadable_annex_says_why_and_makes_nothing(tmp_path: Path, capsys) -> None:
    annex = tmp_path / "附件1.xlsx"
    annex.write_bytes(b"hello")
    root = tmp_path / "项目"
    assert main(["init", str(root), "--annex1", str(annex)]) == 2
    assert capsys.readouterr().err == msg("import.not_xlsx", file="附件1.xlsx") + "\n"
    assert not root.exists()
