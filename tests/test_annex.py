"""Annex 1 / Annex 2 workbooks: export, import of clerks' real-world tables, and broken files."""

from __future__ import annotations

import copy
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ecodesk.assets import get_asset
from ecodesk.catalogue import Assignment, Catalogue
from ecodesk.catalogue.builtin import load_builtin
from ecodesk.catalogue.export_annex import (
    ANNEX1_FILE,
    ANNEX2_FILE,
    task_departments_text,
    write_annex1,
    write_annex2,
    write_builtin_templates,
)
from ecodesk.catalogue.import_annex import CatalogueImportError, import_annex1, import_annex2, import_annexes
from ecodesk.findings import Finding
from ecodesk.messages import msg

from .conftest import needs_libreoffice, soffice_path
from .xlsx_tables import parse_table, save_table

BUILTIN = load_builtin()
ROSTER = BUILTIN.department_names()


def assert_same_catalogue(got: Catalogue, want: Catalogue) -> None:
    """Everything but ``source`` (the file name) must agree, item by item for readable failures."""
    assert (got.county, got.indicator_set) == (want.county, want.indicator_set)
    assert [i.key for i in got.indicators] == [i.key for i in want.indicators]
    for g, w in zip(got.indicators, want.indicators, strict=True):
        assert g == w
    for g, w in zip(got.tasks, want.tasks, strict=True):
        assert g == w
    assert got.departments == want.departments


# ---- export → import ------------------------------------------------------------------------
def test_export_then_import_gives_the_builtin_catalogue(tmp_path: Path) -> None:
    a1 = write_annex1(BUILTIN, tmp_path / "a1.xlsx")
    a2 = write_annex2(BUILTIN, tmp_path / "a2.xlsx")
    result = import_annexes(a1, a2)
    assert result.findings == []
    assert_same_catalogue(result.catalogue, BUILTIN)
    assert result.catalogue.source == "a1.xlsx、a2.xlsx"
    assert len(result.catalogue.indicators) == 31 and len(result.catalogue.numbers()) == 25
    assert len(result.catalogue.tasks) == 22


def test_export_then_import_into_the_builtin_roster(tmp_path: Path) -> None:
    a1 = write_annex1(BUILTIN, tmp_path / "a1.xlsx")
    a2 = write_annex2(BUILTIN, tmp_path / "a2.xlsx")
    result = import_annexes(a1, a2, roster=ROSTER)
    assert result.findings == []
    assert_same_catalogue(result.catalogue, BUILTIN)


def test_committed_templates_import_to_the_builtin_catalogue() -> None:
    a1, a2 = get_asset("templates", "xlsx", ANNEX1_FILE), get_asset("templates", "xlsx", ANNEX2_FILE)
    assert_same_catalogue(import_annexes(a1, a2).catalogue, BUILTIN)
    only = import_annex1(a1)
    assert only.catalogue.indicators == BUILTIN.indicators and only.catalogue.tasks == []
    assert only.findings == []
    assert import_annex2(a2).catalogue.tasks == BUILTIN.tasks


@pytest.mark.libreoffice
@pytest.mark.slow
@needs_libreoffice
def test_templates_saved_again_by_libreoffice_still_import(tmp_path: Path) -> None:
    """A clerk opens the template in LibreOffice (or WPS) and saves it: merges and text survive."""
    src = [write_annex1(BUILTIN, tmp_path / "a1.xlsx"), write_annex2(BUILTIN, tmp_path / "a2.xlsx")]
    out = tmp_path / "saved"
    profile = (tmp_path / "profile").as_uri()
    cmd = [str(soffice_path()), f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
    cmd += ["xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, src)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    result = import_annexes(out / "a1.xlsx", out / "a2.xlsx")
    assert result.findings == []
    assert_same_catalogue(result.catalogue, BUILTIN)


def test_write_builtin_templates_is_reproducible(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in write_builtin_templates(tmp_path / "a")]
    second = [p.read_bytes() for p in write_builtin_templates(tmp_path / "b")]
    assert first == second


def test_annex1_layout_merges_and_print_setup(tmp_path: Path) -> None:
    ws = load_workbook(write_annex1(BUILTIN, tmp_path / "a1.xlsx"))["附件1"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == "嵊州市国家生态文明建设示范区创建指标责任分解表" and "A1:H1" in merged
    assert [ws.cell(2, c).value for c in range(1, 9)] == [
        "领域", "任务", "序号", "指标名称", None, "单位", "指标值", "责任部门(标*为牵头单位)"
    ]  # fmt: skip
    assert "D2:E2" in merged
    assert {"A3:A5", "B3:B5", "D3:E3"} <= merged  # 目标责任 over 1–3; a plain name spans both name columns
    assert ws["C7"].value == 5 and "C7:C10" in merged and "D7:D10" in merged  # 5 水环境质量
    assert (ws["D7"].value, ws["E7"].value) == ("水环境质量", "地表水达到或好于Ⅲ类水体比例")
    assert ws["E10"].value == "较大面积农村黑臭水体整治率*"
    assert ws["A28"].value == "参考性指标" and "A28:B33" in merged
    assert ws["H3"].value == "组织部(考核办)" and ws["H6"].value.startswith("生态环境分局*、经信局")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # 1 page wide (the default width), any height
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$2:$2"


def test_annex2_layout_has_action_group_rows(tmp_path: Path) -> None:
    ws = load_workbook(write_annex2(BUILTIN, tmp_path / "a2.xlsx"))["附件2"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(2, c).value for c in range(1, 5)] == ["序号", "主要任务", "具体要求", "责任部门"]
    assert ws["A3"].value == "(一)实施目标责任落实行动" and "A3:D3" in merged
    assert (ws["A4"].value, ws["B4"].value) == (1, "提高生态文明建设工作占党政实绩考核的比例")
    assert ws["D4"].value == "市委办、市府办、组织部、宣传部、生态环境分局"
    assert ws["A7"].value == "(二)实施环境质量改善行动"


def test_task_departments_mark_a_lead_only_among_several() -> None:
    task = copy.deepcopy(BUILTIN.tasks[0])
    assert task_departments_text(task) == "市委办、市府办、组织部、宣传部、生态环境分局"
    task.assignments[2].role = "lead"
    assert task_departments_text(task) == "市委办、市府办、组织部*、宣传部、生态环境分局"


# ---- a clerk's own 嵊州 table, as published --------------------------------------------------
QUIRKY_ANNEX1 = r"""
| 附件1 |
| (略) 国家生态文明建设示范区创建指标责任分解表 | < | < | < | < | < | < |
| 领域 | 任务 | 编号 | 指标名称 | 单位 | 目标值 | 责任单位（标＊为牵头单位） |
| 目标责任 | （一）目标责任落实 | 1 | 生态文明建设工作占党政实绩考核的比例 | % | ≥20 | 组织部\n(考核办) |
| ^ | ^ | 2 | 党政领导干部生态环境损害责任追究制度 | - | 建立 | 组织部 |
| ^ | ^ | 3 | 领导干部自然资源资产离任审计 | - | 开展 | 审计局 |
| 生态安全 | （二）环境质量改善 | 4 | PM2.5浓度 | μg/m3 | 完成上级规定的考核任务,且保持稳定或持续下降 | 生态环境分局*\n经信局\n发改局\n交通运输局\n商务局\n住建局 |
| ^ | ^ | 5 | 水环境质量 | | | |
| ^ | ^ | ^ | 地表水达到或好于Ⅲ类水体比例 | % | 完成上级规定的考核任务,且保持稳定或持续提高 | 生态环境分局 |
| ^ | ^ | ^ | 县城污水处理率 | | ≥95 | 住建局* 、水投集团 |
| ^ | ^ | ^ | (略) 建成区黑臭水体消除率 | | 100 | 住建局* 、生态环境分局 、治水办 |
| ^ | ^ | ^ | 较大面积农村黑臭水体整治率＊ | | 100 | 治水办*\n生态环境分局\n住建局\n农业农村局 |
| ^ | （三）生态质量提升 | 6 | 区域生态保护监管 | | | |
| ^ | ^ | ^ | 生态质量指数(EQI) | - | △EQI>-1 | 生态环境分局 |
| ^ | ^ | ^ | 自然保护地和生态保护红线生态环境重点问 题整改率 | % | 100 | 自然资源局*、生态环境分局 |
| ^ | ^ | ^ | 生物多样性调查 | - | 开展 | 自然资源局 |
| ^ | ^ | 7 | 生态系统保护修复 | | | |
| ^ | ^ | ^ | 森林覆盖率* | % | 保持稳定或持续改善 | 自然资源局 |
| ^ | ^ | ^ | 草原综合植被盖度 * | | 保持稳定或持续改善 | 自然资源局 |
| ^ | （四）生态环境风险防范 | 8 | 受污染耕地安全利用率* | % | ≥93 | 农业农村局 |
| ^ | ^ | 9 | 重点建设用地安全利用 | - | 有效保障 | 生态环境分局 |
| ^ | ^ | 10 | 外来物种入侵防控 | - | 有效开展 | 自然资源局*、农业农村局 |
| ^ | ^ | 11 | 突发环境事件应急管理机制 | - | 建立 | 生态环境分局 |
| 生态经济 | （五）节能减排降碳增效 | 12 | 新增和更新公共汽电车中新能源和清洁能源车辆比例 | % | ≥80 | 交通运输局 |
| ^ | （六）资源节约集约 | 13 | 万元工业增加值用水量下降率 | % | 完成上级规定的考核任务 | 水利局 |
| ^ | ^ | 14 | 农田灌溉水有效利用系数* | % | 完成上级规定的考核任务 | 水利局 |
| ^ | ^ | 15 | 农膜回收率 | % | ≥85 | 农业农村局 |
| ^ | ^ | 16 | 一般工业固体废物综合利用率 | - | 保持稳定或持续改善 | 生态环境分局*、经信局 |
| 生态文化 | （七）全民共建共享 | 17 | 公众对生态环境质量满意程度 | % | ≥90 | 生态环境分局 |
| ^ | ^ | 18 | 城镇新建绿色建筑比例 | % | 100 | 住建局 |
| 生态文明制度 | （八）体制机制保障 | 19 | 生态环境信息公开率 | % | 100 | 生态环境分局 |
{reference}
| | | 21 | 声环境功能区夜间达标率 | % | 完成上级规定的考核任务,且保持稳定或持续提高 | 生态环境分局 |
| | | 22 | 危险废物填埋处置量占比 | % | 持续下降 | 生态环境分局 *，卫健局 |
| | | 23 | 河湖岸线保护率 | % | 完成上级规定的考核任务 | 水利局 |
| | | 24 | 规模以下畜禽粪污集中收运利用体系 | - | 建立 | 农业农村局 |
| | | 25 | 耕地土壤有机质含量 | g/kg | 保持稳定或有所提高 | 农业农村局 |
| 注：责任部门后标*的为牵头单位。 | < | < | < | < | < | < |
"""  # noqa: E501
ROW_20 = (
    "| 20 | 农村生活污水治理(管控)率 | % | 中西部地 (略) 市辖区、东部地区:≥60;中西部其他地区、东北地区:≥30 "
    "| 住建局 |"
)
REFERENCE_VARIANTS = {
    "a row of its own": f"| 参考性指标 | | | | | | |\n| | {ROW_20}",
    "merged beside the block": f"| 参考性指标 | < {ROW_20}",
}


@pytest.mark.parametrize("typed", [False, True], ids=["text", "numbers"])
@pytest.mark.parametrize("reference", list(REFERENCE_VARIANTS))
def test_quirky_shengzhou_annex1_imports_to_the_builtin_indicators(
    tmp_path: Path, reference: str, typed: bool
) -> None:
    table = QUIRKY_ANNEX1.replace("{reference}", REFERENCE_VARIANTS[reference])
    if reference == "merged beside the block":  # 参考性指标 merged down 领域+任务 of rows 20–25
        table = table.replace("| | | 2", "| ^ | ^ | 2")
    path = save_table(tmp_path / "嵊州附件1.xlsx", table, typed=typed)
    result = import_annex1(path)
    assert result.findings == []
    got = result.catalogue
    assert got.county == ""  # the title's county was elided by the publisher
    for g, w in zip(got.indicators, BUILTIN.indicators, strict=True):
        assert g == w
    assert got.tasks == []


def test_quirky_annex2_with_full_width_brackets_and_header_variants(tmp_path: Path) -> None:
    rows = [["2024-2025年嵊州市国家生态文明建设示范区创建重点工作任务清单", "<", "<", "<"],
            ["编号", "工作任务", "工作要求", "责任单位"]]  # fmt: skip
    group = ""
    for i, t in enumerate(BUILTIN.tasks):
        if t.action_group != group:
            label = t.action_group.replace("(", "（").replace(")", "）")
            rows.append([label, "<", "<", "<"] if i % 2 else [label, None, None, None])
            group = t.action_group
        rows.append([int(t.number), t.title, "  " + t.requirements + "\n", "，".join(t.departments)])
    rows.append(["注：各责任单位按季度报送进展。", None, None, None])
    result = import_annex2(save_table(tmp_path / "a2.xlsx", rows, sheet="附件2"))
    assert result.findings == []
    assert result.catalogue.county == "嵊州市" and result.catalogue.indicators == []
    for g, w in zip(result.catalogue.tasks, BUILTIN.tasks, strict=True):
        assert g == w


def test_annex2_onto_the_builtin_indicators(tmp_path: Path) -> None:
    a2 = write_annex2(BUILTIN, tmp_path / "a2.xlsx")
    result = import_annexes(None, a2, base=load_builtin())
    assert_same_catalogue(result.catalogue, BUILTIN)


def test_annex2_sheet_in_the_annex1_workbook(tmp_path: Path) -> None:
    head = "| 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |\n| 1 | 农膜回收率 | % | ≥85 | 农业农村局 |"
    tasks = """
    | 序号 | 主要任务 | 具体要求 | 责任部门 |
    | (六)实施资源节约集约行动 | < | < | < |
    | 1 | 推进 | 要求 | 农业农村局、生态环境分局 |
    """
    path = save_table(tmp_path / "both.xlsx", head, sheet="指标", 任务=tasks)
    cat = import_annexes(path).catalogue
    assert [(t.title, t.action_group) for t in cat.tasks] == [("推进", "(六)实施资源节约集约行动")]
    assert cat.tasks[0].departments == ["农业农村局", "生态环境分局"]
    only = import_annexes(save_table(tmp_path / "one.xlsx", head))
    assert only.catalogue.tasks == [] and [f.code for f in only.findings] == ["import.no_annex2"]


# ---- header variants, numbers, groups -------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "name", "target", "departments", "task"),
    [
        ("序号", "指标名称", "指标值", "责任部门(标*为牵头单位)", "任务"),
        ("编号", "指标", "目标值", "责任单位", "重点任务"),
        ("序 号", "指标名称", "目标", "牵头部门", "任务"),
        ("序号", "指 标 名 称", "指标值", "责任部门\n（标＊为牵头单位）", "任务"),
    ],
)
def test_header_variants(
    tmp_path: Path, number: str, name: str, target: str, departments: str, task: str
) -> None:
    rows = [["领域", task, number, name, "单位", target, departments],
            ["生态经济", "(六)资源节约集约", 15, "农膜回收率", "%", "≥85", "农业农村局"]]  # fmt: skip
    ind = import_annex1(save_table(tmp_path / "h.xlsx", rows)).catalogue.indicators[0]
    assert ind == BUILTIN.indicator(ind.key)


@pytest.mark.parametrize("value", ["1", 1, 1.0, " 1 "])
def test_numbers_written_any_way_read_the_same(tmp_path: Path, value: object) -> None:
    rows = [
        ["序号", "指标名称", "单位", "指标值", "责任部门"],
        [value, "农膜回收率", "%", 85.0, "农业农村局"],
    ]
    ind = import_annex1(save_table(tmp_path / "n.xlsx", rows)).catalogue.indicators[0]
    assert (ind.number, ind.target_text) == ("1", "85")


def test_group_name_column_left_blank_below_and_unit_given_once(tmp_path: Path) -> None:
    table = """
    | 序号 | 指标名称 | < | 单位 | 指标值 | 责任部门 |
    | 7 | 生态系统保护修复 | 森林覆盖率* | % | 保持稳定或持续改善 | 自然资源局 |
    |   |                 | 草原综合植被盖度* | | 保持稳定或持续改善 | 自然资源局 |
    | 8 | 受污染耕地安全利用率* | < | % | ≥93 | 农业农村局 |
    """
    inds = import_annex1(save_table(tmp_path / "g.xlsx", table)).catalogue.indicators
    assert [(i.number, i.group, i.name, i.unit) for i in inds] == [
        ("7", "生态系统保护修复", "森林覆盖率", "%"),
        ("7", "生态系统保护修复", "草原综合植被盖度", "%"),
        ("8", "", "受污染耕地安全利用率", "%"),
    ]
    assert all(i.applicability_mark for i in inds)


def test_sub_numbers_co_column_and_section_labels(tmp_path: Path) -> None:
    table = """
    | 序号 | 指标名称 | 单位 | 指标值 | 牵头单位 | 配合单位 |
    | 约束性指标 | < | < | < | < | < |
    | 5 | 水环境质量 | % | | | |
    | 5.1 | 地表水达到或好于Ⅲ类水体比例 | | 完成上级规定的考核任务 | 生态环境局 | 水利局、治水办 |
    | 5-2 | 县城污水处理率 | | ≥95 | 建设局、水投集团 | 生态环境局 |
    | 6 | 区域生态保护监管 | | | | |
    | (1) | 生态质量指数(EQI) | - | △EQI>-1 | 生态环境局 | |
    | ② | 生物多样性调查 | - | 开展 | 自然资源和规划局 | |
    | 26 | | | | | |
    | | 一、其他 | | | | |
    | 参考性指标 | | | | | |
    | 23 | 河湖岸线保护率 | % | 完成上级规定的考核任务 | 水利局 | |
    """
    result = import_annex1(save_table(tmp_path / "s.xlsx", table))
    inds = result.catalogue.indicators
    assert [(i.number, i.group, i.unit, i.reference) for i in inds] == [
        ("5", "水环境质量", "%", False),
        ("5", "水环境质量", "%", False),
        ("6", "区域生态保护监管", "-", False),
        ("6", "区域生态保护监管", "-", False),
        ("23", "", "%", True),
    ]
    assert _roles(result.catalogue)[:2] == [
        [("生态环境局", "lead"), ("水利局", "co"), ("治水办", "co")],
        [("建设局", "lead"), ("水投集团", "lead"), ("生态环境局", "co")],
    ]
    assert [(f.code, f.location, f.fields["text"]) for f in result.findings] == [
        ("import.not_indicator_row", {"file": "s.xlsx", "sheet": "附件1", "row": 9}, "26"),
        ("import.not_indicator_row", {"file": "s.xlsx", "sheet": "附件1", "row": 10}, "一、其他"),
    ]
    assert result.findings[0].message == (
        "『附件1』工作表第 9 行：『26』不是指标行，已跳过；如它是指标，请在附件1中补上该行的序号和指标名称"
    )


def test_a_name_without_target_or_department_is_kept_with_warnings(tmp_path: Path) -> None:
    table = """
    | 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
    | 1 | 农膜回收率 | % | | |
    | 2 | 森林覆盖率 | % | 保持稳定或持续改善 | 自然资源局 |
    """
    result = import_annex1(save_table(tmp_path / "w.xlsx", table))
    assert [i.name for i in result.catalogue.indicators] == ["农膜回收率", "森林覆盖率"]
    at = {"file": "w.xlsx", "sheet": "附件1", "row": 2}
    assert [(f.code, f.location) for f in result.findings] == [
        ("import.no_target", {**at, "cell": "D2"}),
        ("import.no_department", {**at, "cell": "E2"}),
    ]
    assert [f.message for f in result.findings] == [
        msg("import.no_target", **at, name="农膜回收率"),
        msg("import.no_department", **at, name="农膜回收率"),
    ]


def test_better_comes_from_the_builtin_catalogue_else_from_the_target(tmp_path: Path) -> None:
    table = """
    | 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
    | 1 | PM2.5 浓度 | μg/m3 | 力争26微克/立方米以下 | 生态环境局 |
    | 2 | 单位GDP能耗 | - | 完成上级规定的考核任务,且持续下降 | 发改局 |
    | 3 | 绿道长度 | km | ≥100 | 建设局 |
    | 4 | 公园服务半径覆盖率 | % | 持续提高 | 建设局 |
    | 5 | 河长制 | - | 建立 | 水利局 |
    """
    inds = import_annex1(save_table(tmp_path / "b.xlsx", table)).catalogue.indicators
    assert [i.better for i in inds] == ["lower", "lower", "higher", "higher", None]
    assert inds[0].name == "PM2.5浓度"


def test_title_names_the_county(tmp_path: Path) -> None:
    table = """
    | 2024-2025年平湖市国家生态文明建设示范区创建指标责任分解表 |
    | 序号 | 指标 | 指标值 | 责任单位 |
    | 1 | 农膜回收率 | ≥85 | 农业农村局 |
    """
    assert import_annex1(save_table(tmp_path / "t.xlsx", table)).catalogue.county == "平湖市"


# ---- 平湖's department names -----------------------------------------------------------------
PINGHU = """
| 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
| 1 | 生态文明建设工作占党政实绩考核的比例 | % | ≥20 | 组织部 |
| 3 | 领导干部自然资源资产离任审计 | - | 开展 | 审计局市场监管局 |
| 4 | PM2.5浓度 | μg/m3 | 完成上级规定的考核任务,且保持稳定或持续下降 | 生态环境局*、发改局(市长三角发展办)、建设局 |
| 7 | 森林覆盖率* | % | 保持稳定或持续改善 | 自然资源和规划局 |
| 17 | 公众对生态环境质量满意程度 | % | ≥90 | 生态环境局* 文旅体局 综合执法局 |
| 19 | 生态环境信息公开率 | % | 100 | 生态环境局*，政务数据办 |
"""


def _roles(cat: Catalogue) -> list[list[tuple[str, str]]]:
    return [[(a.department, a.role) for a in i.assignments] for i in cat.indicators]


def test_pinghu_names_map_to_the_project_roster(tmp_path: Path) -> None:
    result = import_annex1(save_table(tmp_path / "平湖.xlsx", PINGHU), roster=ROSTER)
    assert _roles(result.catalogue) == [
        [("组织部", "lead")],
        [("审计局", "co"), ("市场监管局", "co")],
        [("生态环境分局", "lead"), ("发改局", "co"), ("住建局", "co")],
        [("自然资源局", "lead")],
        [("生态环境分局", "lead"), ("文广旅游局", "co"), ("综合执法局", "co")],
        [("生态环境分局", "lead"), ("政务数据办", "co")],
    ]
    assert result.catalogue.department_names() == [*ROSTER, "政务数据办"]
    found = {f.code: f for f in result.findings}
    unsplit = found["import.department_unsplit"]
    assert unsplit.location["row"] == 3
    assert (unsplit.fields["name"], unsplit.fields["parts"]) == ("审计局市场监管局", "审计局、市场监管局")
    assert found["import.department_added"].fields == {"name": "政务数据办"}
    keys = [i.key for i in result.catalogue.indicators]
    assert keys[:2] == [BUILTIN.indicators[0].key, BUILTIN.indicators[2].key]  # same names, same keys


def test_pinghu_names_kept_without_a_roster(tmp_path: Path) -> None:
    result = import_annex1(save_table(tmp_path / "平湖.xlsx", PINGHU))
    assert result.catalogue.department_names() == [
        "组织部", "审计局", "市场监管局", "生态环境局", "发改局(市长三角发展办)", "建设局",
        "自然资源和规划局", "文旅体局", "综合执法局", "政务数据办",
    ]  # fmt: skip
    assert result.catalogue.indicators[1].assignments == [Assignment("审计局"), Assignment("市场监管局")]
    assert "import.department_added" not in {f.code for f in result.findings}
    dept = result.catalogue.departments[5]
    assert "住建局" in dept.aliases


def test_names_resolving_to_the_same_department_merge(tmp_path: Path) -> None:
    table = """
    | 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
    | 18 | 城镇新建绿色建筑比例 | % | 100 | 建设局、住建局* |
    """
    result = import_annex1(save_table(tmp_path / "m.xlsx", table), roster=ROSTER)
    assert result.catalogue.indicators[0].assignments == [Assignment("住建局", "lead")]


@settings(max_examples=20, deadline=None)
@given(
    rows=st.lists(st.integers(0, 30), unique=True).map(sorted),
    tasks=st.lists(st.integers(0, 21), unique=True).map(sorted),
    county=st.sampled_from(["", "嵊州市", "平湖市", "安吉县"]),
)
def test_any_part_of_the_catalogue_survives_export_and_import(
    rows: list[int], tasks: list[int], county: str
) -> None:
    cat = Catalogue(
        county, indicators=[BUILTIN.indicators[i] for i in rows], tasks=[BUILTIN.tasks[i] for i in tasks]
    )
    with tempfile.TemporaryDirectory() as folder:
        a1, a2 = write_annex1(cat, Path(folder, "a1.xlsx")), write_annex2(cat, Path(folder, "a2.xlsx"))
        if not rows:
            with pytest.raises(CatalogueImportError) as info:
                import_annexes(a1, a2)
            assert info.value.code == "import.no_indicator_rows"
            return
        got = import_annexes(a1, a2).catalogue
    assert (got.county, got.indicators, got.tasks) == (county, cat.indicators, cat.tasks)


# ---- broken tables --------------------------------------------------------------------------
def _error(path: Path) -> Finding:
    """The finding an unreadable table raises; its text is the catalogue's for its code."""
    with pytest.raises(CatalogueImportError) as info:
        import_annexes(path)
    assert type(info.value) is CatalogueImportError and isinstance(info.value, ValueError)
    assert str(info.value) == info.value.finding.message
    return info.value.finding


def test_no_header(tmp_path: Path) -> None:
    path = save_table(tmp_path / "x.xlsx", "| 会议纪要 |\n| 一、创建工作进展 | 良好 |", sheet="Sheet1")
    found = _error(path)
    assert (found.code, found.location, found.fields["sheets"]) == ("import.no_header", {"file": "x.xlsx"}, "『Sheet1』")
    assert "未找到" in found.message and "指标名称" in found.message


def test_blank_indicator_name(tmp_path: Path) -> None:
    table = """
    | 嵊州市国家生态文明建设示范区创建指标责任分解表 | < | < | < | < |
    | 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |
    | 1 | 农膜回收率 | % | ≥85 | 农业农村局 |
    | 2 | 森林覆盖率 | % | 保持稳定或持续改善 | 自然资源局 |
    | 3 | | % | 100 | 住建局 |
    """
    found = _error(save_table(tmp_path / "x.xlsx", table))
    assert (found.code, found.location) == ("import.no_indicator_name", {"file": "x.xlsx", "sheet": "附件1", "row": 5})
    assert found.message == "『附件1』工作表第 5 行：未找到“指标名称”，请检查该行是否为空或表头是否正确"


def test_missing_required_column(tmp_path: Path) -> None:
    table = "| 序号 | 指标名称 | 单位 | 责任部门 |\n| 1 | 农膜回收率 | % | 农业农村局 |"
    found = _error(save_table(tmp_path / "x.xlsx", table))
    assert (found.code, found.location) == ("import.missing_columns", {"file": "x.xlsx", "sheet": "附件1", "row": 1})
    assert found.fields["columns"].startswith("“指标值”")


def test_blank_number_outside_a_group(tmp_path: Path) -> None:
    table = "| 序号 | 指标名称 | 单位 | 指标值 | 责任部门 |\n| | 农膜回收率 | % | ≥85 | 农业农村局 |"
    found = _error(save_table(tmp_path / "x.xlsx", table))
    assert (found.code, found.location["row"]) == ("import.no_number", 2)


def test_task_without_title(tmp_path: Path) -> None:
    table = "| 序号 | 主要任务 | 具体要求 | 责任部门 |\n| 1 | | 要求 | 水利局 |"
    with pytest.raises(CatalogueImportError) as info:
        import_annex2(save_table(tmp_path / "x.xlsx", table, sheet="附件2"))
    found = info.value.finding
    assert (found.code, found.location) == ("import.no_task_title", {"file": "x.xlsx", "sheet": "附件2", "row": 2})


def test_docx_renamed_to_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "附件1.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    assert _error(path) == Finding("import.not_xlsx", {"file": "附件1.xlsx"})


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "import.empty_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "import.xls_or_password"),
        (b"hello", "import.not_xlsx"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(content)
    assert _error(path) == Finding(code, {"file": "附件1.xlsx"})


def test_missing_file(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.xlsx") == Finding("import.file_missing", {"path": tmp_path / "nope.xlsx"})


def test_nothing_given() -> None:
    with pytest.raises(CatalogueImportError) as info:
        import_annexes(None, None)
    assert info.value.code == "import.nothing_given"


def test_parse_table_helper_draws_merges() -> None:
    assert parse_table("| a | < |\n| ^ | b\\nc |") == [["a", "<"], ["^", "b\nc"]]
