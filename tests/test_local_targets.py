"""Local targets: imported three ways from a county's Annex 1 (an extra column, brackets, after
"；"), shown on the department's form beside the national target, judged on their own and never
changing the national verdict — generate → fill → collect → validate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ecodesk.catalogue.import_annex import import_annex1
from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.local_targets import is_local_header, split_target_text
from ecodesk.project import init_project
from ecodesk.verdicts import judge_round

from .filling import COL, fill
from .xlsx_tables import save_table

PM_NATIONAL = "完成上级规定的考核任务,且保持稳定或持续下降"
WAYS = {
    "column": f"""
    | 序号 | 指标名称 | 单位 | 指标值 | 平湖目标值 | 责任部门 | 备注 |
    | 1 | PM2.5浓度 | μg/m3 | {PM_NATIONAL} | 力争26微克/立方米以下 | 生态环境局 | |
    | 2 | 万元工业增加值用水量 | 立方米/万元 | 完成上级规定的考核任务 | 到2025年比2020年下降16% | 经信局 | |
    | 3 | 公众对生态文明建设的满意度 | % | ≥80 | 位列嘉兴市前列 | 宣传部 | |
    """,
    "bracket": f"""
    | 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
    | 1 | PM2.5浓度 | μg/m3 | {PM_NATIONAL}（力争26微克/立方米以下） | 生态环境局 |
    | 2 | 万元工业增加值用水量 | 立方米/万元 | 完成上级规定的考核任务（平湖：到2025年比2020年下降16%） | 经信局 |
    | 3 | 公众对生态文明建设的满意度 | % | ≥80（位列嘉兴市前列） | 宣传部 |
    """,
    "semicolon": f"""
    | 序号 | 指标名称 | 单位 | 目标值（平湖） | 指标值 | 责任部门 |
    | 1 | PM2.5浓度 | μg/m3 | | {PM_NATIONAL}；力争26微克/立方米以下 | 生态环境局 |
    | 2 | 万元工业增加值用水量 | 立方米/万元 | | 完成上级规定的考核任务；到2025年比2020年下降16% | 经信局 |
    | 3 | 公众对生态文明建设的满意度 | % | | ≥80；本地目标：位列嘉兴市前列 | 宣传部 |
    """,
}
LOCAL = ["力争26微克/立方米以下", "到2025年比2020年下降16%", "位列嘉兴市前列"]


@pytest.mark.parametrize("way", list(WAYS))
def test_local_targets_are_imported_and_judged_beside_the_national_rule(way, tmp_path):
    annex = save_table(tmp_path / f"平湖附件1_{way}.xlsx", WAYS[way])
    result = import_annex1(annex)
    inds = result.catalogue.indicators
    assert [i.local_target_text for i in inds] == LOCAL
    assert [i.target_text for i in inds] == [PM_NATIONAL, "完成上级规定的考核任务", "≥80"]
    if way == "column":
        assert inds[0].local_target_label == "平湖目标值"
        unknown = [f for f in result.findings if f.code == "import.unknown_column"]
        assert [(f.fields["header"], f.location["row"]) for f in unknown] == [("备注", 1)]
    else:  # a local target read out of the 指标值 text is named in a warning
        local = [f for f in result.findings if f.code.startswith("import.local_")]
        assert (local[0].fields["local"], local[0].location["row"]) == (LOCAL[0], 2)
        assert local[0].code == ("import.local_in_brackets" if way == "bracket" else "import.local_after_semicolon")

    project = init_project(tmp_path / "平湖", annex1=annex, county="平湖市", region="east")
    with project:
        cat = project.catalogue()
        water = next(i for i in cat.indicators if i.name == "万元工业增加值用水量")
        water.local_base_value = 10.0  # the 2020 figure: the local target works out to 8.4
        project.replace_catalogue(cat)
        project.add_round("2025年度", "2025-12-31")
        forms = {f.department: Path(f.path) for f in generate_round(project, "2025年度").forms}
        ws = openpyxl.load_workbook(forms["生态环境局"])[L.SHEET_INDICATORS]
        assert ws.cell(L.FIRST_DATA_ROW + 1, COL["target"]).value == f"{PM_NATIONAL}\n本地目标：{LOCAL[0]}"
        ws = openpyxl.load_workbook(forms["经信局"])[L.SHEET_INDICATORS]
        assert ws.cell(L.FIRST_DATA_ROW + 1, COL["target"]).value.endswith(f"本地目标：{LOCAL[1]}（目标值 8.4）")

        saved = dt.datetime(2025, 12, 20)
        files = [
            fill(forms["生态环境局"], tmp_path / "pm.xlsx",
                 {"PM2.5浓度": {"current": 27.3, "previous": 28, "assigned": 30}}, saved_at=saved),
            # the national 上级下达目标值 (9) is not the local target (8.4): each is judged on its own
            fill(forms["经信局"], tmp_path / "w.xlsx",
                 {"万元工业增加值用水量": {"current": 8.6, "assigned": 9}}, saved_at=saved),
            fill(forms["宣传部"], tmp_path / "s.xlsx", {"公众对生态文明建设的满意度": {"current": 92}}, saved_at=saved),
        ]  # fmt: skip
        collect(project, "2025年度", files)
        verdicts = {v.name: v for v in judge_round(project, "2025年度").verdicts}

    pm = verdicts["PM2.5浓度"]
    assert pm.verdict == "达标"  # national: 27.3 ≤ 30 and ≤ 28 — the local 26 does not change it
    assert (pm.local.verdict, pm.local.target) == ("未达标", "")
    assert pm.local.reason == f"本地目标『{LOCAL[0]}』：本期 27.3μg/m3，不符合 ≤26μg/m3"
    assert pm.to_dict()["local"]["verdict"] == "未达标"
    w = verdicts["万元工业增加值用水量"]
    assert w.verdict == "达标"  # 8.6 ≤ 9 (national)
    assert (w.local.verdict, w.local.target) == ("未达标", "8.4")  # 8.6 > 8.4 (local)
    assert "本地目标值按2020年基数 10 折算" in w.local.reason
    s = verdicts["公众对生态文明建设的满意度"]
    assert s.verdict == "达标" and s.local.verdict == "待核实"  # a ranking: a person judges it


def test_a_local_target_needing_a_value_says_so(project, tmp_path):
    cat = project.catalogue()
    ind = next(i for i in cat.indicators if i.name == "PM2.5浓度")
    ind.local_target_text = "到2025年比2020年下降16%"
    project.replace_catalogue(cat)
    project.add_round("2025年度", "2025-12-31")
    form = Path(generate_round(project, "2025年度", ["生态环境分局"]).forms[0].path)
    collect(project, "2025年度", [fill(form, tmp_path / "r.xlsx",
                                      {"PM2.5浓度": {"current": 27, "previous": 28, "assigned": 30}})])  # fmt: skip
    v = next(v for v in judge_round(project, "2025年度").verdicts if v.key == ind.key)
    assert v.verdict == "达标" and v.local.verdict == "待核实"
    assert "请在指标设置中填写本地目标值（或2020年基数）" in v.local.reason


@pytest.mark.parametrize(
    ("header", "local"),
    [("本地目标", True), ("平湖目标值", True), ("目标值（平湖）", True), ("本县目标值", True),
     ("指标值", False), ("目标值", False), ("上级目标值", False), ("考核目标", False), ("备注", False)],
)  # fmt: skip
def test_local_target_headers(header, local):
    assert is_local_header(header) is local


def test_brackets_that_are_notes_and_region_cases_are_not_local_targets():
    assert split_target_text("≥60（东部地区）").local == ""
    assert split_target_text("山区≥33；丘陵≥22；平原≥16").local == ""
    assert split_target_text("(略)建成区黑臭水体消除率").local == ""
