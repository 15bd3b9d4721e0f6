"""Rosters: a name that is an alias of a department the county already has is that department
(with a warning); the county's own spellings are never rewritten to another county's."""

from __future__ import annotations

from pathlib import Path

from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.project import init_project
from ecodesk.verdicts import judge_round

from .filling import fill
from .xlsx_tables import save_table

PINGHU_STRAY = """
| 2025年平湖市国家生态文明建设示范区创建指标责任分解表 |
| 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
| 4 | PM2.5浓度 | μg/m3 | 完成上级规定的考核任务,且保持稳定或持续下降 | 生态环境局*、建设局 |
| 13 | 城镇新建绿色建筑比例 | % | 100 | 住建局 |
| 14 | 城镇人均公园绿地面积 | 平方米 | ≥15 | 建设局*、自然资源和规划局 |
"""
PINGHU_TASKS = """
| 序号 | 主要任务 | 具体要求 | 责任部门 |
| 1 | 推进绿色建筑 | 新建建筑全面执行绿色建筑标准 | 建设局、自然资源和规划局 |
| 2 | 加强公园建设 | 新建改造公园绿地 | 建设局 |
"""


def test_pinghu_annex1_with_one_stray_zhujianju(tmp_path):
    annex = save_table(tmp_path / "平湖附件1.xlsx", PINGHU_STRAY)
    project = init_project(tmp_path / "平湖", annex1=annex, region="east")
    with project:
        cat = project.catalogue()
        assert cat.county == "平湖市"
        assert "住建局" not in cat.department_names() and "建设局" in cat.department_names()
        green = next(i for i in cat.indicators if i.name == "城镇新建绿色建筑比例")
        assert green.lead == ["建设局"]
        stored = project.settings()["import_warnings"]
        alias = {"code": "import.alias_own", "fields": {"old": "住建局", "new": "建设局"}}
        assert any(w["code"] == alias["code"] and w["fields"] == alias["fields"] for w in stored)
        project.add_round("2025年度", "2025-12-31")
        forms = {f.department: Path(f.path) for f in generate_round(project, "2025年度").forms}
        assert "住建局" not in forms  # no form for a department 平湖 does not have
        filled = fill(forms["建设局"], tmp_path / "j.xlsx",
                      {"城镇新建绿色建筑比例": {"current": 100}, "城镇人均公园绿地面积": {"current": 16}})  # fmt: skip
        assert [r.status for r in collect(project, "2025年度", [filled]).results] == ["accepted"]
        v = next(v for v in judge_round(project, "2025年度").verdicts if v.key == green.key)
        assert (v.verdict, v.lead) == ("达标", "建设局")


def test_annex2_only_import_keeps_the_countys_spellings(tmp_path):
    annex2 = save_table(tmp_path / "平湖附件2.xlsx", PINGHU_TASKS, sheet="附件2")
    project = init_project(tmp_path / "平湖", annex2=annex2, county="平湖市", region="east")
    with project:
        cat = project.catalogue()
        names = cat.department_names()
        assert "建设局" in names and "自然资源和规划局" in names
        assert "住建局" not in names and "自然资源局" not in names  # never renamed to 嵊州's spelling
        assert [t.departments for t in cat.tasks] == [["建设局", "自然资源和规划局"], ["建设局"]]
        # the built-in indicators 嵊州 gives to 住建局 now belong to 平湖's 建设局
        assert any("建设局" in i.departments for i in cat.indicators)
        project.add_round("2025年度", "2025-12-31")
        forms = {f.department for f in generate_round(project, "2025年度").forms}
        assert "建设局" in forms and "住建局" not in forms
