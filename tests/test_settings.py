"""`ecodesk settings`: region and terrain after init, per-indicator name, target text, local target,
tolerance and comparison — each change audited, and shown in the reason where it changed a verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecodesk.cli import main
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.project import Project
from ecodesk.verdicts import judge_round

from .filling import fill


def test_init_on_the_builtin_catalogue_is_east(tmp_path, capsys):
    assert main(["init", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "地区类别：东部地区" in out
    assert "『(略)建成区黑臭水体消除率』的名称含发布时省略的文字“(略)”" in out  # the clerk is told to complete it
    assert main(["catalog", str(tmp_path / "p")]) == 0  # catalog says it too, until completed
    assert "提示：指标 5『(略)建成区黑臭水体消除率』的名称含发布时省略的文字" in capsys.readouterr().out
    assert main(["settings", str(tmp_path / "p"), "--indicator", "(略)建成区黑臭水体消除率",
                 "--name", "县级城市建成区黑臭水体消除率", "--note", "据原文补全"]) == 0  # fmt: skip
    assert main(["catalog", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "指标 5『" not in out and "指标 20『农村生活污水治理(管控)率』的指标值含" in out
    with pytest.raises(SystemExit) as e:  # the option that only relabelled the 2024 table is gone
        main(["init", str(tmp_path / "q"), "--indicator-set", "2016"])
    assert e.value.code == 2


def test_settings_change_region_and_an_indicator_and_say_so(tmp_path, capsys):
    root = tmp_path / "项目"
    assert main(["init", str(root)]) == 0
    assert main(["settings", str(root), "--region", "west", "--terrain", "hill", "--note", "按省厅分区"]) == 0
    out = capsys.readouterr().out
    assert "地区类别：西部地区；地形类别：丘陵" in out
    assert main(["settings", str(root), "--region", "nowhere"]) == 2
    assert "地区类别『nowhere』无效" in capsys.readouterr().err

    # the published name has "(略)": the clerk completes it; the key stays
    args = ["settings", str(root), "--indicator", "(略)建成区黑臭水体消除率", "--name", "县级城市建成区黑臭水体消除率"]
    assert main([*args, "--note", "据原文补全", "--json"]) == 0
    ind = json.loads(capsys.readouterr().out)["indicator"]
    assert ind["name"] == "县级城市建成区黑臭水体消除率"
    assert ind["edits"]["name"]["original"] == "(略)建成区黑臭水体消除率"

    assert main(["settings", str(root), "--indicator", "PM2.5浓度", "--local-target", "力争26微克/立方米以下",
                 "--tolerance", "0.5", "--comparison", "基准年2020", "--json"]) == 0  # fmt: skip
    ind = json.loads(capsys.readouterr().out)["indicator"]
    assert (ind["local_target_text"], ind["tolerance"], ind["comparison"]) == ("力争26微克/立方米以下", 0.5, "base:2020")
    assert main(["settings", str(root), "--name", "x"]) == 2
    assert "请用 --indicator 指明" in capsys.readouterr().err
    assert main(["settings", str(root), "--indicator", "PM2.5浓度", "--comparison", "去年"]) == 2
    with Project.open(root) as p:
        actions = [e["action"] for e in p.ledger.audit_events()]
        assert actions.count("indicator.edit") == 2 and "settings.update" in actions
        assert p.info().region == "west"


def test_settings_complete_a_tasks_elided_requirements(tmp_path, capsys):
    """Annex 2 was published with "(略)" in 11 tasks: init says how to complete each; ``--task`` by
    序号, key or 主要任务 changes 具体要求 or 主要任务 (audited with old, new and note), keeps the key,
    and the next form prints it."""
    import openpyxl

    from ecodesk.forms import layout as L

    root = tmp_path / "项目"
    assert main(["init", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.count("的具体要求含发布时省略的文字“(略)”") == 11
    with Project.open(root) as p:
        task = p.find_task("1")
    assert f"任务 1『{task.title}』的具体要求含发布时省略的文字“(略)”" in out
    assert f"ecodesk settings 项目文件夹 --task {task.key} --requirements … --note 据原文补全" in out
    done = task.requirements.replace("(略)", "对")
    assert main(["settings", str(root), "--task", "1", "--requirements", done, "--note", "据原文补全", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["task"]
    assert (data["key"], data["requirements"], data["title"]) == (task.key, done, task.title)
    assert main(["settings", str(root), "--task", task.title, "--title", "提高生态文明建设考核比例", "--note", "简称"]) == 0
    assert "主要任务：提高生态文明建设考核比例" in capsys.readouterr().out
    assert main(["catalog", str(root)]) == 0
    out = capsys.readouterr().out
    assert "任务 1『" not in out and out.count("的具体要求含发布时省略的文字“(略)”") == 10

    # what is refused, with what to do
    assert main(["settings", str(root), "--requirements", "x"]) == 2
    assert "请用 --task 指明要修改哪项任务" in capsys.readouterr().err
    assert main(["settings", str(root), "--task", "99", "--title", "x"]) == 2
    assert "没有找到任务『99』" in capsys.readouterr().err
    assert main(["settings", str(root), "--task", "1", "--title", " "]) == 2
    assert "任务名称（主要任务）不能为空" in capsys.readouterr().err
    assert main(["settings", str(root), "--task", "1", "--indicator", "PM2.5浓度", "--name", "x"]) == 2
    assert "一次只能修改一项" in capsys.readouterr().err
    assert main(["settings", str(root), "--indicator", "5", "--unit", "x"]) == 2  # 序号 5 has four indicators
    assert "『5』对应多项指标（5 地表水达到或好于Ⅲ类水体比例、5 县城污水处理率" in capsys.readouterr().err

    with Project.open(root) as p:
        edits = [e["detail"] for e in p.ledger.audit_events() if e["action"] == "task.edit"]
        assert [e["changes"] for e in edits] == [
            {"requirements": {"old": task.requirements, "new": done}},
            {"title": {"old": task.title, "new": "提高生态文明建设考核比例"}},
        ]
        assert [e["note"] for e in edits] == ["据原文补全", "简称"]
        p.add_round("2025年上半年", "2025-07-15")
        [form] = generate_round(p, "2025年上半年", ["组织部"]).forms
    ws = openpyxl.load_workbook(form.path)[L.SHEET_TASKS]
    texts = {c.value for r in ws.iter_rows() for c in r}
    assert {done, "提高生态文明建设考核比例", task.key} <= texts and task.requirements not in texts


def test_an_edited_target_that_changes_the_verdict_is_named_in_the_reason(project, tmp_path):
    project.add_round("2025年度", "2025-12-31")
    form = Path(generate_round(project, "2025年度", ["农业农村局"]).forms[0].path)
    collect(project, "2025年度", [fill(form, tmp_path / "r.xlsx", {"农膜回收率": {"current": 86}})])
    key = project.find_indicator("农膜回收率").key
    v = next(v for v in judge_round(project, "2025年度").verdicts if v.key == key)
    assert v.verdict == "达标"  # ≥85
    project.edit_indicator("农膜回收率", "市里下达的更高要求", target_text="≥90")
    v = next(v for v in judge_round(project, "2025年度").verdicts if v.key == key)
    assert v.verdict == "未达标"
    assert "创建办修改了本项设置：指标值原为『≥85』（依据：市里下达的更高要求）；按原设置判定为达标" in v.reason
    assert v.short.endswith("（创建办修改了指标值，按原设置为达标）")
    assert _printed_note(project, "农膜回收率", tmp_path / "a.xlsx") == ("× 未达标", v.short)  # the printed 说明
    project.edit_indicator("农膜回收率", "市里放宽", target_text="≥80")
    v = next(v for v in judge_round(project, "2025年度").verdicts if v.key == key)
    assert v.verdict == "达标"  # unchanged from the original verdict: nothing to say
    assert _printed_note(project, "农膜回收率", tmp_path / "b.xlsx") == ("√ 达标", None)
    project.edit_indicator("农膜回收率", "恢复", target_text="≥85")  # back to the original: no note
    v = next(v for v in judge_round(project, "2025年度").verdicts if v.key == key)
    assert v.verdict == "达标" and "创建办修改" not in v.reason


def test_a_setting_that_turns_a_verdict_into_a_pass_is_printed_too(project, tmp_path):
    project.add_round("2025年度", "2025-12-31")
    form = Path(generate_round(project, "2025年度", ["农业农村局"]).forms[0].path)
    collect(project, "2025年度", [fill(form, tmp_path / "r.xlsx", {"农膜回收率": {"current": 82}})])
    assert _printed_note(project, "农膜回收率", tmp_path / "a.xlsx")[0] == "× 未达标"
    project.edit_indicator("农膜回收率", "省厅文件调整为≥80", target_text="≥80")
    # a 达标 prints no 说明, except where a settings change made it one
    assert _printed_note(project, "农膜回收率", tmp_path / "b.xlsx") == (
        "√ 达标", "创建办修改了指标值，按原设置为未达标"
    )
    event = [e for e in project.ledger.audit_events() if e["action"] == "indicator.edit"][-1]
    assert event["detail"]["note"] == "省厅文件调整为≥80"


def _printed_note(project, name: str, out: Path) -> tuple[str, str | None]:
    """(达标情况, 说明) of an indicator on the printed 指标责任分解表."""
    import openpyxl

    from ecodesk.report import annex1_sheet, write_report

    ws = openpyxl.load_workbook(write_report(project, "2025年度", out).path)[annex1_sheet.SHEET]
    col = {ws.cell(3, c).value: c for c in range(1, ws.max_column + 1)}
    r = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 4).value == name)
    return ws.cell(r, col["达标情况"]).value, ws.cell(r, col["说明"]).value
