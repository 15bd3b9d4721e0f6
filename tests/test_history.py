"""History across rounds and years, through the real path: five rounds over three years (annual and
half-year) generated, filled as departments would, collected and judged, with a re-submission, a
late and a missing department, a co-department's different value and an override; then the frame,
the CLI's JSON, the xlsx (charts present, values equal to the ledger) and the CSV."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ecodesk import history
from ecodesk.cli import main as cli
from ecodesk.forms.issue import generate_round
from ecodesk.history_export import SHEET_CHART_DATA, SHEET_LONG, SHEET_TABLE, write_csv, write_xlsx
from ecodesk.intake.collect import collect
from ecodesk.numbers import display_number
from ecodesk.project import Project
from ecodesk.report.layout import VERDICT_MARK
from ecodesk.verdicts import judge_round, override_verdict

from .filling import fill

ROUNDS = [  # name, deadline
    ("2024年度", "2025-01-31"),
    ("2025年上半年", "2025-07-15"),
    ("2025年度", "2026-01-31"),
    ("2026年上半年", "2026-07-15"),
    ("2026年度", "2027-01-31"),
]
TODAY = dt.date(2026, 12, 1)  # the last round is still open
PM, SAT, PLAN, FOREST, WASTE = (
    "PM2.5浓度",
    "公众对生态环境质量满意程度",
    "突发环境事件应急管理机制",
    "森林覆盖率",
    "一般工业固体废物综合利用率",
)
PM_VALUES = [32.0, 30.0, 29.0, 28.0, 31.0]
SAT_VALUES = [92.0, 88.0, 91.0, 93.0, 85.0]
FOREST_VALUES = [64.0, None, 64.2, 64.2, None]  # 自然资源局 misses 2025年上半年 and (so far) 2026年度
DEPTS = ["生态环境分局", "经信局", "自然资源局"]
OVERRIDE_NOTE = "省级满意度调查口径为 90.5%，按省通报认定"


def _on_time(deadline: str, days: int = 5) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(deadline) - dt.timedelta(days=days), dt.time(10))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from ecodesk.catalogue.builtin import load_builtin

    root = tmp_path_factory.mktemp("history")
    project = Project.create(root / "项目", load_builtin(), region="east")
    inbox = root / "收件"
    inbox.mkdir()
    for n, (name, deadline) in enumerate(ROUNDS):
        project.add_round(name, deadline)
        forms = {f.department: Path(f.path) for f in generate_round(project, name, DEPTS).forms}
        saved = _on_time(deadline)
        files = []
        env = {
            PM: {"current": PM_VALUES[n], "assigned": 35},
            SAT: {"current": SAT_VALUES[n]},
            PLAN: {"current": "已建立"},
        }
        if name == "2025年度":  # a draft first, then the final file
            draft = {**env, PM: {"current": 35.0, "assigned": 35}}
            collect(
                project, name, [fill(forms["生态环境分局"], inbox / f"{n}-draft.xlsx", draft, saved_at=saved)]
            )
            saved = saved + dt.timedelta(days=2)
        files.append(fill(forms["生态环境分局"], inbox / f"{n}-env.xlsx", env, saved_at=saved))
        co_pm = PM_VALUES[n] + (1.5 if name == "2025年度" else 0)  # the co-department differs once
        files.append(
            fill(
                forms["经信局"],
                inbox / f"{n}-jx.xlsx",
                {PM: {"current": co_pm}, WASTE: {"current": 90}},
                saved_at=saved,
            )
        )
        if FOREST_VALUES[n] is not None:
            late = name == "2024年度"
            when = dt.datetime(2025, 2, 5, 9) if late else _on_time(deadline)
            files.append(
                fill(
                    forms["自然资源局"],
                    inbox / f"{n}-zr.xlsx",
                    {FOREST: {"current": FOREST_VALUES[n]}},
                    saved_at=when,
                )
            )
        collect(project, name, files)
    sat = _key(project, SAT)
    computed = next(v for v in judge_round(project, "2025年上半年").verdicts if v.key == sat).verdict
    assert computed == "未达标"  # 88 < 90
    override_verdict(project, "2025年上半年", sat, "达标", OVERRIDE_NOTE)
    yield project
    project.close()


def _key(project: Project, name: str) -> str:
    return next(i.key for i in project.catalogue().indicators if i.name == name)


def _ledger_values(project: Project) -> pd.DataFrame:
    """What the ledger holds, read row by row without the history model."""
    rows = project.ledger.conn.execute(
        "SELECT r.name AS round, v.indicator_key, v.department, v.current_number, v.current_raw, s.original_name"
        " FROM indicator_values v JOIN submissions s ON s.id = v.submission_id JOIN rounds r ON r.id = s.round_id"
        " WHERE s.is_current = 1 AND v.current_kind != 'empty'"
    ).fetchall()
    return pd.DataFrame([dict(r) for r in rows])


# ---- the model ---------------------------------------------------------------------------------
def test_periods_are_read_from_round_names_in_order_of_time(built):
    h = history.load(built, today=TODAY)
    assert [(r.name, r.period, r.kind, r.year) for r in h.rounds] == [
        ("2024年度", "2024年度", "年度", 2024),
        ("2025年上半年", "2025年上半年", "上半年", 2025),
        ("2025年度", "2025年度", "年度", 2025),
        ("2026年上半年", "2026年上半年", "上半年", 2026),
        ("2026年度", "2026年度", "年度", 2026),
    ]
    prev = {by.name: r.name for by in h.rounds for rid, r in h.comparable_previous().items() if rid == by.id}
    assert prev == {"2025年度": "2024年度", "2026年度": "2025年度", "2026年上半年": "2025年上半年"}


def test_frame_holds_every_accepted_value_with_its_source(built):
    f = history.frame(built, today=TODAY)
    ledger = _ledger_values(built)
    assert len(f) == len(ledger)
    assert set(history.COLUMNS) == set(f.columns)
    merged = f.merge(
        ledger,
        left_on=["round", "indicator_key", "department"],
        right_on=["round", "indicator_key", "department"],
        validate="one_to_one",
    )
    assert len(merged) == len(ledger)
    assert (merged["file"] == merged["original_name"]).all()
    nums = merged.dropna(subset=["current_number"])
    assert (nums["value_number"] == nums["current_number"]).all()
    # the re-submission replaced the draft: only the final 29 of 2025年度 is there
    pm = _key(built, PM)
    lead = f[(f["indicator_key"] == pm) & (f["department"] == "生态环境分局")]
    assert lead["value_number"].tolist() == PM_VALUES
    assert lead[lead["round"] == "2025年度"]["file"].item() == "2-env.xlsx"
    assert lead["county_value"].all() and (lead["role"] == "牵头").all()
    co = f[(f["indicator_key"] == pm) & (f["department"] == "经信局")]
    assert co["value_number"].tolist() == [32.0, 30.0, 30.5, 28.0, 31.0]
    assert not co["county_value"].any() and (co["role"] == "配合").all()
    assert (lead["cell"].str.match(r"^[A-Z]+\d+$")).all() and (lead["sheet"] == "指标填报").all()
    plan = f[f["indicator_key"] == _key(built, PLAN)]
    assert plan["status"].tolist() == ["已建立"] * 5 and plan["value_number"].isna().all()


def test_verdicts_in_the_frame_are_the_rounds_verdicts(built):
    h = history.load(built, today=TODAY)
    for name, _ in ROUNDS:
        judged = {v.key: v for v in judge_round(built, name).verdicts}
        sub = h.verdicts[h.verdicts["round"] == name].set_index("indicator_key")
        assert len(sub) == len(judged)
        for key, v in judged.items():
            assert (sub.at[key, "verdict"], sub.at[key, "computed"]) == (v.verdict, v.computed), (
                name,
                v.name,
            )
        rows = h.values[h.values["round"] == name]
        for row in rows.itertuples():
            assert row.verdict == judged[row.indicator_key].verdict
    sat = _key(built, SAT)
    row = h.values[(h.values["round"] == "2025年上半年") & (h.values["indicator_key"] == sat)].iloc[0]
    assert (row["verdict"], row["computed"], row["overridden"], row["override_note"]) == (
        "达标",
        "未达标",
        True,
        OVERRIDE_NOTE,
    )


def test_county_value_comes_from_the_lead(built):
    h = history.load(built, today=TODAY)
    table = h.indicator_table()
    pm, forest, plan = _key(built, PM), _key(built, FOREST), _key(built, PLAN)
    assert table.loc[pm].tolist() == PM_VALUES
    assert table.loc[plan].tolist() == ["已建立"] * 5
    f = table.loc[forest].tolist()
    assert f[0] == 64.0 and f[2] == 64.2 and pd.isna(f[1]) and pd.isna(f[4])
    verdicts = h.indicator_table("verdict").loc[forest].tolist()
    assert (verdicts[1], verdicts[4]) == ("缺报", "待报")  # 2026年度 is not yet due


def test_changes_between_comparable_periods(built):
    h = history.load(built, today=TODAY)
    sat = _key(built, SAT)
    ch = h.changes()
    mine = ch[ch["indicator_key"] == sat][["round", "previous_round", "before", "after", "change"]]
    # 2025上半年 was overridden to 达标, so 2026上半年 (达标) is no change; 2026年度 fails after 2025年度 passed
    assert mine.values.tolist() == [["2026年度", "2025年度", "达标", "未达标", "newly_failing"]]
    forest = ch[ch["indicator_key"] == _key(built, FOREST)]
    assert forest[forest["round"] == "2026年度"]["after"].tolist() == ["待报"]
    assert set(h.changes("2026年度")["round"]) == {"2026年度"}


def test_timeliness_and_completeness(built):
    h = history.load(built, today=TODAY)
    t = h.timeliness_table()
    assert t.loc["自然资源局"].tolist() == ["逾期", "未报送", "按时", "按时", "未到期"]
    assert t.loc["生态环境分局"].tolist() == ["按时"] * 5
    env = h.timeliness[
        (h.timeliness["department"] == "生态环境分局") & (h.timeliness["round"] == "2025年度")
    ].iloc[0]
    assert env["files"] == 2  # the draft and the final file
    assert env["filled"] == 3 and env["completeness"] == pytest.approx(3 / env["indicators"])
    assert env["indicators"] == 13


# ---- verdict snapshots --------------------------------------------------------------------------
def test_snapshots_are_used_until_something_changes(built, monkeypatch):
    history.load(built, today=TODAY)  # snapshots written
    import ecodesk.verdicts as verdicts_mod

    real = verdicts_mod.judge_round
    judged: list[str] = []

    def spy(project, name):
        judged.append(name)
        return real(project, name)

    monkeypatch.setattr(verdicts_mod, "judge_round", spy)
    before = history.load(built, today=TODAY).verdicts
    assert judged == []
    # an override in 2025年度 changes that round and every later one (they may compare with it)
    pm = _key(built, PM)
    override_verdict(built, "2025年度", pm, "待核实", "经信局数值待核")
    after = history.load(built, today=TODAY).verdicts
    assert set(judged) >= {"2025年度"} and "2024年度" not in judged and "2025年上半年" not in judged
    row = after[(after["round"] == "2025年度") & (after["indicator_key"] == pm)].iloc[0]
    assert row["verdict"] == "待核实" and row["override_note"] == "经信局数值待核"
    from ecodesk.verdicts import clear_override

    clear_override(built, "2025年度", pm)
    again = history.load(built, today=TODAY).verdicts
    pd.testing.assert_frame_equal(again.drop(columns=["reason"]), before.drop(columns=["reason"]))


def test_pandas_is_not_imported_until_history_is_used():
    code = "import sys, ecodesk.cli, ecodesk.history, ecodesk.verdicts; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---- the command and the files ------------------------------------------------------------------
def test_cli_json_has_the_documented_shape(built, capsys):
    assert cli(["history", str(built.root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["periods", "indicators"]
    assert data["periods"] == [{"round": n, "period": n} for n, _ in ROUNDS]
    assert len(data["indicators"]) == len(built.catalogue().indicators)
    for ind in data["indicators"]:
        assert list(ind) == ["key", "number", "name", "unit", "series"]
        for s in ind["series"]:
            assert list(s) == ["round", "period", "value", "verdict"]
    pm = next(i for i in data["indicators"] if i["name"] == PM)
    assert [s["value"] for s in pm["series"]] == PM_VALUES
    sat = next(i for i in data["indicators"] if i["name"] == SAT)
    assert [s["verdict"] for s in sat["series"]][1] == "达标"  # the override
    plan = next(i for i in data["indicators"] if i["name"] == PLAN)
    assert {s["value"] for s in plan["series"]} == {"已建立"}


def test_cli_text_and_bad_extension(built, capsys, tmp_path):
    assert cli(["history", str(built.root)]) == 0
    out = capsys.readouterr().out
    assert "5 期" in out and f"4 {PM}：2024年度 32（" in out
    assert "2026年度" in out and "达标 → 未达标" in out
    assert cli(["history", str(built.root), "--out", str(tmp_path / "x.pdf")]) == 2
    assert "扩展名应为 .xlsx 或 .csv" in capsys.readouterr().err


def test_xlsx_table_charts_and_long_table_equal_the_ledger(built, tmp_path):
    out = tmp_path / "历年.xlsx"
    assert cli(["history", str(built.root), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == [SHEET_TABLE, "趋势图", SHEET_LONG]
    ws = wb[SHEET_TABLE]
    header = [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
    periods = [n for n, _ in ROUNDS]
    assert header[5:10] == periods and header[10:15] == periods
    cat = built.catalogue()
    rows = {ws.cell(r, 1).value + "|" + ws.cell(r, 2).value: r for r in range(5, ws.max_row + 1)}
    assert len(rows) == len(cat.indicators)
    ledger = _ledger_values(built)
    for i, ind in enumerate(cat.indicators):  # the county's own Annex-1 order, units and targets
        r = 5 + i
        assert ws.cell(r, 1).value == ind.number and ws.cell(r, 3).value == ind.unit
        assert ws.cell(r, 4).value == ind.target_text
        for j, name in enumerate(periods):
            cell = ws.cell(r, 6 + j).value
            got = ledger[(ledger["round"] == name) & (ledger["indicator_key"] == ind.key)].set_index(
                "department"
            )
            # the lead's value; where the lead left it empty, the first co-department's (and flagged)
            who = next((d for d in ind.departments if d in got.index), None)
            if who is None:
                assert cell is None
            elif pd.notna(got.at[who, "current_number"]):
                assert cell == got.at[who, "current_number"]
            else:
                assert cell == got.at[who, "current_raw"]
    pm_row = 5 + next(i for i, ind in enumerate(cat.indicators) if ind.name == PM)
    assert ws.cell(pm_row, 16).value == "↑ 变差"  # 28 → 31, lower is better
    # one native chart per indicator with a numeric series, drawn from numbers equal to the ledger
    numeric = {k for k in ledger.dropna(subset=["current_number"])["indicator_key"]}
    with zipfile.ZipFile(out) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = [z.read(n).decode() for n in charts]
    assert len(charts) == len(numeric) >= 4
    assert all("<c:lineChart>" in x for x in xml)
    data = wb[SHEET_CHART_DATA]
    pm_chart = next(x for x in xml if PM in x)
    ref = re.search(r"<c:val><c:numRef><c:f>(.+?)</c:f>", pm_chart).group(1)
    row = int(re.search(r"\$B\$(\d+)", ref).group(1))
    assert [data.cell(row, c).value for c in range(2, 7)] == PM_VALUES
    # the long table is the frame
    long = wb[SHEET_LONG]
    assert long.max_row - 1 == len(ledger)
    head = [c.value for c in long[1]]
    assert head[:3] == ["轮次", "期别", "期别类型"]


def test_csv_is_the_long_table_in_utf8_with_bom(built, tmp_path):
    out = tmp_path / "历年.csv"
    assert cli(["history", str(built.root), "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert list(back.columns) == [history.HEADERS[c] for c in history.COLUMNS]
    ledger = _ledger_values(built)
    assert len(back) == len(ledger)
    pm = back[(back["指标名称"] == PM) & (back["填报部门"] == "生态环境分局")]
    assert pm["本期值（数值）"].tolist() == PM_VALUES


def test_an_empty_project_has_an_empty_history(tmp_path, capsys):
    from ecodesk.catalogue.builtin import load_builtin

    with Project.create(tmp_path / "空", load_builtin()) as p:
        h = history.load(p)
        assert h.values.empty and h.rounds == []
        write_xlsx(h, tmp_path / "空.xlsx")
        write_csv(h, tmp_path / "空.csv")
    assert cli(["history", str(tmp_path / "空"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["periods"] == [] and all(i["series"] == [] for i in data["indicators"])


# ---- the consolidated report's 历年趋势 sheet ----------------------------------------------------
def _chart_titles(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        return ["".join(re.findall(r"<a:t>([^<]*)</a:t>", z.read(n).decode())) for n in names]


def test_report_has_a_trend_sheet_up_to_its_round(built, tmp_path):
    from ecodesk.report import write_report
    from ecodesk.report.trend_sheet import SHEET

    out = write_report(built, "2025年度", tmp_path / "汇总.xlsx").path
    ws = openpyxl.load_workbook(out)[SHEET]
    header = [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
    assert header[:7] == ["序号", "指标名称", "单位", "指标值", "2024年度", "2025年上半年", "2025年度"]
    assert header[7:9] == ["较上一可比期", "趋势"]  # the later rounds are not in an earlier round's report
    ledger = _ledger_values(built)
    cat = built.catalogue()
    for i, ind in enumerate(cat.indicators):
        r = 5 + i
        assert ws.cell(r, 1).value == ind.number and ws.cell(r, 4).value == ind.target_text
        for j, name in enumerate(["2024年度", "2025年上半年", "2025年度"]):
            got = ledger[(ledger["round"] == name) & (ledger["indicator_key"] == ind.key)].set_index(
                "department"
            )
            who = next((d for d in ind.departments if d in got.index), None)
            want = "" if who is None else got.at[who, "current_number"]
            if who is not None and pd.isna(want):
                want = got.at[who, "current_raw"]
            shown = ws.cell(r, 5 + j).value.split(" ", 1)  # "√ 29": the verdict's mark, the value
            assert shown[0] in VERDICT_MARK.values(), (ind.name, name)
            assert (shown[1] if len(shown) > 1 else "") == (
                display_number(want) if isinstance(want, float) else want
            ), (ind.name, name)


def test_report_trend_sheet_marks_changes_and_charts_them(built, tmp_path):
    from ecodesk.report import write_report
    from ecodesk.report.trend_sheet import SHEET

    out = write_report(built, "2026年度", tmp_path / "汇总.xlsx").path
    wb = openpyxl.load_workbook(out)
    assert SHEET in wb.sheetnames
    ws = wb[SHEET]
    rows = {ws.cell(r, 2).value: r for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value}
    sat = rows[SAT]
    assert [ws.cell(sat, c).value for c in range(5, 10)] == ["√ 92", "√ 88", "√ 91", "√ 93", "× 85"]
    assert ws.cell(sat, 10).value == "达标→未达标（比2025年度）"
    assert ws.cell(sat, 11).value == "↓ 变差"
    assert not ws.cell(rows[PLAN], 10).value  # 已建立 every year: no change, no chart
    h = history.load(built)
    changed = set(h.changes("2026年度")["indicator_key"])
    failing = set(
        h.verdicts[(h.verdicts["round"] == "2026年度") & (h.verdicts["verdict"] == "未达标")]["indicator_key"]
    )
    numeric = set(h.numeric_table().dropna(how="all").index)
    want = {i.name for i in built.catalogue().indicators if i.key in (changed | failing) & numeric}
    titles = [t for t in _chart_titles(out) if t.split(" ", 1)[0].isdigit()]  # the 总览 chart has no number
    assert len(titles) == len(want) and all(any(f"{n}（" in t or f"{n}：" in t for t in titles) for n in want)
    assert {SAT, PM, FOREST} <= want


def test_a_departments_timeliness_record(built):
    from ecodesk.timeliness import record, timeliness_rows

    rows = timeliness_rows(built, today=TODAY)
    ids = {r.name: r.id for r in built.rounds()}
    assert record(rows, "自然资源局", ids["2026年度"]) == "按时 2，逾期 1，未报送 1，未到期 1"
    assert record(rows, "自然资源局", ids["2025年上半年"]) == "逾期 1，未报送 1"
    assert record(rows, "生态环境分局", ids["2026年度"]) == "按时 5"
    assert record(rows, "组织部", ids["2026年度"]) == ""  # never issued a form here


def test_the_report_judges_its_round_once(built, tmp_path, monkeypatch):
    import ecodesk.verdicts.judge as judge_mod
    from ecodesk.report import write_report

    history.load(built)  # every snapshot valid
    judged: list[str] = []
    real = judge_mod._judge_round  # the judging itself, whoever asks for it

    def spy(data, *a, **k):
        judged.append(data.round.name)
        return real(data, *a, **k)

    monkeypatch.setattr(judge_mod, "_judge_round", spy)
    override_verdict(built, "2026年度", _key(built, PLAN), "达标", "佐证材料已现场核验")  # the round changed
    judged.clear()
    write_report(built, "2026年度", tmp_path / "r.xlsx")
    assert judged.count("2026年度") == 1  # the briefing also judges the round before, by deadline
    from ecodesk.verdicts import clear_override

    clear_override(built, "2026年度", _key(built, PLAN))


def test_changes_into_one_round_for_a_briefing(built):
    got = history.changes_into(built, "2026年度")
    sat = next(c for c in got if c["name"] == SAT)
    assert (sat["before"], sat["after"], sat["change"], sat["previous_round"]) == (
        "达标",
        "未达标",
        "newly_failing",
        "2025年度",
    )
    assert history.changes_into(built, "2024年度") == []  # nothing to compare with


def test_a_single_point_is_no_chart(built, tmp_path):
    """One period is no trend: the first round's report has no trend chart, and a history of one
    period has no chart (趋势图 says why); the table still has the values."""
    from dataclasses import replace

    from ecodesk.report import write_report
    from ecodesk.report.trend_sheet import SHEET

    out = write_report(built, "2024年度", tmp_path / "首轮.xlsx").path
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET].cell(5, 5).value  # the values are there
    assert [t for t in _chart_titles(out) if t.split(" ", 1)[0].isdigit()] == []
    h = history.load(built, today=TODAY)
    first = h.rounds[0]
    one = replace(
        h,
        rounds=[first],
        values=h.values[h.values["round"] == first.name],
        verdicts=h.verdicts[h.verdicts["round"] == first.name],
        timeliness=h.timeliness[h.timeliness["round"] == first.name],
    )
    path = write_xlsx(one, tmp_path / "一期.xlsx", "嵊州市")
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/charts/")]
    charts = openpyxl.load_workbook(path)["趋势图"]
    assert "至少两期有数值才作图" in charts.cell(1, 1).value
    table = openpyxl.load_workbook(path)[SHEET_TABLE]
    pm_row = 5 + next(i for i, ind in enumerate(built.catalogue().indicators) if ind.name == PM)
    assert table.cell(pm_row, 6).value == PM_VALUES[0]


def test_the_briefing_says_what_changed_against_the_comparison_period(built, tmp_path):
    """简报 三、 is the history's changes into the round, against the same period a year earlier
    (2026年度 against 2025年度, not the half-year between)."""
    from ecodesk.report import write_report

    out = write_report(built, "2026年度", tmp_path / "r.xlsx").path
    brief = openpyxl.load_workbook(out)["简报"]
    text = "\n".join(str(c.value) for row in brief.iter_rows() for c in row if c.value is not None)
    assert "三、与上一可比期（2025年度）相比" in text
    newly = next(x for x in text.splitlines() if x.startswith("新增未达标"))
    want = [c for c in history.changes_into(built, "2026年度") if c["change"] == "newly_failing"]
    assert f"新增未达标 {len(want)} 项" in newly and SAT in newly
    assert all(f"{c['number']} {c['name']}" in newly for c in want)
    other = next((x for x in text.splitlines() if x.startswith("其他判定变化")), "")
    assert "→待报" not in other  # not yet due is no change to tell a leader
    assert "已整改达标 0 项" in text
    first = openpyxl.load_workbook(write_report(built, "2024年度", tmp_path / "r0.xlsx").path)["简报"]
    assert any("本轮为首轮" in str(c.value) for row in first.iter_rows() for c in row)


def test_the_frames_timeliness_is_the_timeliness_modules(built):
    """The history's vectorised timeliness gives what ecodesk.timeliness gives row by row."""
    from ecodesk.timeliness import TIMELINESS_COLUMNS, timeliness_rows

    h = history.load(built, today=TODAY)
    rows = pd.DataFrame(timeliness_rows(built, h.rounds, TODAY), columns=list(TIMELINESS_COLUMNS))
    got = h.timeliness.astype(object).where(h.timeliness.notna(), None)
    assert got.to_dict("records") == rows.astype(object).where(rows.notna(), None).to_dict("records")


def test_above_the_size_limit_the_long_tables_go_to_the_csv(built, tmp_path, monkeypatch, capsys):
    """A province's 20 rounds: 明细 says where the full table is (nothing silently cut), and
    报送及时性 becomes a department × period table."""
    import ecodesk.history_export as export

    monkeypatch.setattr(export, "LONG_MAX_ROWS", 10)
    out = tmp_path / "大.xlsx"
    assert cli(["history", str(built.root), "--out", str(out)]) == 0
    assert "未写入工作簿；完整明细请导出 CSV" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    long = wb[SHEET_LONG]
    n = len(history.frame(built))
    assert (
        long.max_row == 2
        and f"明细共 {n:,} 行" in long.cell(2, 1).value
        and "--out 明细.csv" in long.cell(2, 1).value
    )
    t = wb["报送及时性"]
    assert [t.cell(1, c).value for c in range(1, 7)] == ["部门", *[name for name, _ in ROUNDS]]
    rows = {t.cell(r, 1).value: [t.cell(r, c).value for c in range(2, 7)] for r in range(2, t.max_row + 1)}
    assert rows["自然资源局"] == ["逾期", "未报送", "按时", "按时", "未到期"]
    ch = wb["判定变化"]
    listed = [ch.cell(r, 2).value for r in range(2, ch.max_row + 1) if ch.cell(r, 5).value]
    assert set(listed) == {"2026年度"} and len(listed) == len(history.changes_into(built, "2026年度"))
    assert "只列最近的" in str(ch.cell(len(listed) + 3, 1).value)


def test_a_history_judged_afresh_writes_the_same_workbook(built, tmp_path):
    """The first opening judges the rounds (verdicts as Outcome values), later ones read the
    snapshots (plain words): the frames and the workbook's cells are the same either way."""
    later = history.load(built, today=TODAY)
    with built.ledger.transaction() as c:
        c.execute("DELETE FROM verdict_snapshots")
        c.execute("DELETE FROM history_blocks")  # or the frames are read back, not judged
    fresh = history.load(built, today=TODAY)
    assert {type(v) for v in fresh.verdicts["verdict"]} == {str}
    pd.testing.assert_frame_equal(fresh.verdicts, later.verdicts)
    pd.testing.assert_frame_equal(fresh.values, later.values)
    a = write_xlsx(fresh, tmp_path / "a.xlsx", "嵊州市")
    b = write_xlsx(later, tmp_path / "b.xlsx", "嵊州市")
    for name in (SHEET_TABLE, "判定变化"):
        got = [[c.value for c in row] for row in openpyxl.load_workbook(a)[name].iter_rows()]
        assert got == [[c.value for c in row] for row in openpyxl.load_workbook(b)[name].iter_rows()]
        assert any("达标" in row for row in got) or name != SHEET_TABLE


def test_a_rounds_fingerprint_follows_its_current_files(built):
    """The fingerprint joins each round's current files in SQLite: a file's new content (its
    values hash) renews that round's and the later rounds', not the earlier ones'; an emptied
    hash too."""
    from ecodesk.ledger import snapshots

    conn = built.ledger.conn
    rounds = history.round_infos(built)
    spec = [(r.id, r.order, r.deadline) for r in rounds]
    by_name = {r.name: r for r in rounds}
    before = snapshots.fingerprints(conn, spec, TODAY)
    assert snapshots.fingerprints(conn, spec, TODAY) == before  # the same files, the same prints
    target = by_name["2025年度"]
    sid, old = conn.execute(
        "SELECT id, values_hash FROM submissions WHERE round_id = ? AND is_current = 1 ORDER BY id LIMIT 1",
        (target.id,),
    ).fetchone()
    try:
        seen = []
        for new in ("", "changed", "changed again"):
            conn.execute("UPDATE submissions SET values_hash = ? WHERE id = ?", (new, sid))
            now = snapshots.fingerprints(conn, spec, TODAY)
            assert now[target.id] != before[target.id]
            for r in rounds:
                if r.order < target.order and r.id < target.id:
                    assert now[r.id] == before[r.id], r.name
            seen.append(now[target.id])
        assert len(set(seen)) == 3
    finally:
        conn.execute("UPDATE submissions SET values_hash = ? WHERE id = ?", (old, sid))
    assert snapshots.fingerprints(conn, spec, TODAY) == before


# ---- history blocks: each round's part of the frames, kept in the ledger -----------------------
def _built_afresh(project: Project) -> history.History:
    """The history built from the ledger's rows, nothing read back from blocks."""
    with project.ledger.transaction() as c:
        c.execute("DELETE FROM history_blocks")
    return history.load(project, today=TODAY)


def _assert_same_history(a: history.History, b: history.History) -> None:
    for name in ("values", "verdicts", "timeliness"):
        x, y = getattr(a, name), getattr(b, name)
        pd.testing.assert_frame_equal(x, y, check_exact=True, obj=name)
        for c in x.columns:  # object columns: the same Python types (1.0 is not "1.0", None not NaN)
            if x[c].dtype == object:
                assert [type(v) for v in x[c]] == [type(v) for v in y[c]], (name, c)


@pytest.fixture
def rebuilt(monkeypatch):
    """The rounds history.load builds from the ledger's rows (not read from their blocks), per call."""
    import ecodesk.history.reading as reading

    calls: list[list[str]] = []
    real = reading.build

    def spy(project, cat, rounds, some, *a, **k):
        calls.append([r.name for r in some])
        return real(project, cat, rounds, some, *a, **k)

    monkeypatch.setattr(reading, "build", spy)
    return calls


def test_a_reopened_history_is_read_back_from_its_blocks_as_built(built, rebuilt):
    first = _built_afresh(built)
    assert rebuilt == [[name for name, _ in ROUNDS]]
    n = built.ledger.conn.execute("SELECT count(*) FROM history_blocks").fetchone()[0]
    assert n == len(ROUNDS)
    again = history.load(built, today=TODAY)
    assert rebuilt == [[name for name, _ in ROUNDS]]  # nothing built the second time
    _assert_same_history(again, first)
    assert len(again.values) == len(_ledger_values(built))


def test_a_change_rebuilds_only_the_rounds_it_touches(built, rebuilt):
    history.load(built, today=TODAY)
    pm = _key(built, PM)
    override_verdict(built, "2026年度", pm, "待核实", "经信局数值待核")  # the last round
    try:
        rebuilt.clear()
        h = history.load(built, today=TODAY)
        assert rebuilt == [["2026年度"]]
        row = h.values[(h.values["round"] == "2026年度") & (h.values["indicator_key"] == pm)].iloc[0]
        assert row["verdict"] == "待核实" and row["override_note"] == "经信局数值待核"
        _assert_same_history(h, _built_afresh(built))
    finally:
        from ecodesk.verdicts import clear_override

        clear_override(built, "2026年度", pm)


def test_a_file_that_is_not_current_still_counts_in_timeliness(built, rebuilt, tmp_path):
    """A file that does not change any verdict (an older copy, superseded on arrival) still counts
    as sent: the round's block is rebuilt for it, and only that round's."""
    history.load(built, today=TODAY)
    conn = built.ledger.conn
    rid = next(r.id for r in built.rounds() if r.name == "2024年度")
    path = Path(
        conn.execute(
            "SELECT path FROM issued_forms WHERE round_id = ? AND department = '自然资源局'", (rid,)
        ).fetchone()[0]
    )
    path = path if path.is_absolute() else built.root / path
    old = fill(path, tmp_path / "旧稿.xlsx", {FOREST: {"current": 63.0}}, saved_at=dt.datetime(2025, 1, 2, 9))
    before = conn.execute("SELECT max(id) FROM submissions").fetchone()[0]
    collect(built, "2024年度", [old])
    try:
        added = conn.execute("SELECT is_current FROM submissions WHERE id > ?", (before,)).fetchall()
        assert [r[0] for r in added] == [0]  # older than the current file: it stays current
        rebuilt.clear()
        h = history.load(built, today=TODAY)
        assert rebuilt == [["2024年度"]]
        t = h.timeliness.set_index(["round", "department"])
        assert t.loc[("2024年度", "自然资源局"), "files"] == 2
        assert h.values[h.values["round"] == "2024年度"]["value_number"].tolist().count(63.0) == 0
        _assert_same_history(h, _built_afresh(built))
    finally:
        with built.ledger.transaction() as c:
            c.execute("DELETE FROM indicator_values WHERE submission_id > ?", (before,))
            c.execute("DELETE FROM task_reports WHERE submission_id > ?", (before,))
            c.execute("DELETE FROM submissions WHERE id > ?", (before,))


def test_a_damaged_block_is_rebuilt_not_trusted(built, rebuilt):
    good = _built_afresh(built)
    rid = next(r.id for r in built.rounds() if r.name == "2025年上半年")
    with built.ledger.transaction() as c:
        c.execute("UPDATE history_blocks SET data = ? WHERE round_id = ?", (b"\x05\x00\x00\x00{\"x\"", rid))
    rebuilt.clear()
    h = history.load(built, today=TODAY)
    assert rebuilt == [[name for name, _ in ROUNDS]]  # every round built again, none trusted
    _assert_same_history(h, good)
    data = built.ledger.conn.execute("SELECT data FROM history_blocks WHERE round_id = ?", (rid,)).fetchone()[0]
    assert len(data) > 100  # stored again
    rebuilt.clear()
    _assert_same_history(history.load(built, today=TODAY), good)
    assert rebuilt == []


def test_rebuild_judges_and_builds_every_round_whatever_is_kept(built, rebuilt, capsys):
    """What the project keeps is trusted while its key matches; when it is in doubt (say a snapshot
    was edited by hand), ``ecodesk history --rebuild`` judges and builds every round again and keeps
    the result."""
    import json as _json

    pm = _key(built, PM)
    good = _built_afresh(built).verdicts
    rid = next(r.id for r in built.rounds() if r.name == "2024年度")
    conn = built.ledger.conn
    cols = _json.loads(conn.execute("SELECT verdicts FROM verdict_snapshots WHERE round_id = ?", (rid,)).fetchone()[0])
    at = cols["indicator_key"].index(pm)
    right = cols["verdict"][at]
    cols["verdict"][at] = "未达标" if right != "未达标" else "达标"
    with built.ledger.transaction() as c:
        c.execute("UPDATE verdict_snapshots SET verdicts = ? WHERE round_id = ?", (_json.dumps(cols), rid))
        c.execute("DELETE FROM history_blocks")

    def pm_2024(v: pd.DataFrame) -> str:
        return v[(v["round"] == "2024年度") & (v["indicator_key"] == pm)]["verdict"].item()

    assert pm_2024(history.load(built, today=TODAY).verdicts) == cols["verdict"][at]  # the edited one, trusted
    rebuilt.clear()
    capsys.readouterr()
    assert cli(["history", str(built.root), "--rebuild", "--json"]) == 0
    assert rebuilt == [[name for name, _ in ROUNDS]]
    series = next(i for i in _json.loads(capsys.readouterr().out)["indicators"] if i["key"] == pm)["series"]
    assert series[0]["round"] == "2024年度" and series[0]["verdict"] == right == pm_2024(good)
    assert pm_2024(history.load(built, today=TODAY).verdicts) == right  # kept anew


def test_the_workbook_shows_save_times_on_the_offices_clock(built, tmp_path, monkeypatch):
    """A file's save time is kept as UTC ("…Z"); the workbook a clerk reads shows it in Beijing time
    (8 hours later), not the UTC digits — 报送及时性 and 明细 alike; the CSV keeps the ISO text."""
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        h = history.load(built, today=TODAY)
        out = write_xlsx(h, tmp_path / "时间.xlsx", "嵊州市")
        wb = openpyxl.load_workbook(out)
    finally:
        monkeypatch.undo()
        time.tzset()
    t = h.timeliness.set_index(["round", "department"]).loc[("2024年度", "自然资源局")]
    saved = dt.datetime.fromisoformat(t["saved_at"])
    assert saved.utcoffset() == dt.timedelta(0)  # kept as UTC
    beijing = (saved + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    ws = wb["报送及时性"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "2024年度" and r[3] == "自然资源局")
    assert row[head.index("部门保存时间")] == beijing
    long = wb[SHEET_LONG]
    lhead = [c.value for c in long[1]]
    at = lhead.index("部门保存时间")
    shown = {r[at] for r in long.iter_rows(min_row=2, values_only=True) if r[0] == "2024年度" and r[12] == "自然资源局"}
    assert shown == {beijing}
    csv = write_csv(h, tmp_path / "明细.csv").read_text(encoding="utf-8-sig")
    assert t["saved_at"] in csv
