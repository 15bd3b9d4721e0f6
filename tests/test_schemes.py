"""Region and terrain schemes through the real path: a 西部 county judged by the 西部 bound of a
2016-style table, terrain cases written as clerks write them, an unreadable case reported at import."""

from __future__ import annotations

from pathlib import Path

from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.project import init_project
from ecodesk.verdicts import judge_round

from .filling import fill
from .xlsx_tables import save_table

TABLE = r"""
| 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
| 1 | 单位地区生产总值用水量 | 立方米/万元 | 东部地区≤50;中部地区≤70;西部地区≤80 | 水利局 |
| 2 | 森林覆盖率 | % | ≥60 山区 ≥40 丘陵 ≥30 平原 | 自然资源局 |
| 3 | 林草覆盖率 | % | 山区≥60\n丘陵地区≥40\n平原地区≥18 | 自然资源局 |
| 4 | 受保护地区占国土面积比例 | % | 山区≥20；丘陵区≥15；平原区≥10 | 自然资源局 |
| 5 | 生态用地比例 | % | 东部地区≥50;港澳地区≥40 | 自然资源局 |
| 6 | 单位GDP能耗 | 吨标煤/万元 | ≤0.70且能源消耗总量不超过控制目标值 | 发改局 |
"""


def test_a_western_hill_county(tmp_path):
    annex = save_table(tmp_path / "西部某县附件1.xlsx", TABLE)
    project = init_project(tmp_path / "p", annex1=annex, county="某县", region="west", terrain="hill")
    with project:
        stored = project.settings()["import_warnings"]
        region = [w for w in stored if w["code"] == "import.region_label"]
        assert [(w["fields"]["name"], w["fields"]["label"]) for w in region] == [("生态用地比例", "港澳地区")]
        assert region[0]["key"]  # located at the indicator
        project.add_round("2025年度", "2025-12-31")
        forms = {f.department: Path(f.path) for f in generate_round(project, "2025年度").forms}
        files = [
            fill(forms["水利局"], tmp_path / "w.xlsx", {"单位地区生产总值用水量": {"current": 75}}),
            fill(forms["自然资源局"], tmp_path / "z.xlsx", {
                "森林覆盖率": {"current": 45}, "林草覆盖率": {"current": 39}, "受保护地区占国土面积比例": {"current": 15},
                "生态用地比例": {"current": 55}}),
            fill(forms["发改局"], tmp_path / "f.xlsx", {"单位GDP能耗": {"current": 0.75}}),
        ]  # fmt: skip
        collect(project, "2025年度", files)
        v = {x.name: x for x in judge_round(project, "2025年度").verdicts}
    assert v["单位地区生产总值用水量"].verdict == "达标"  # ≤80 for 西部 (the 中部 bound 70 would fail it)
    assert v["单位地区生产总值用水量"].reason.startswith("按西部地区标准，本期 75立方米/万元，符合 ≤80")
    assert (v["森林覆盖率"].verdict, v["林草覆盖率"].verdict) == ("达标", "未达标")  # ≥40 / ≥40 for 丘陵
    assert v["林草覆盖率"].reason.startswith("按丘陵标准，本期 39%，未达到 ≥40%")
    assert v["受保护地区占国土面积比例"].verdict == "达标"  # 丘陵区 ≥15
    assert v["生态用地比例"].verdict == "待核实"  # no case for 西部: never the 东部 one
    assert v["单位GDP能耗"].verdict == "未达标"  # the typed half (≤0.70) still decides a failure
    assert "本期 0.75吨标煤/万元，不符合 ≤0.7吨标煤/万元" in v["单位GDP能耗"].reason
