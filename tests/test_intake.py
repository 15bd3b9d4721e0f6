"""Collecting returned workbooks filled with openpyxl: statuses, values with their source,
re-submissions, stale templates, careless edits, archives, nothing altered or lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect, make_current
from ecodesk.ledger.values import current_values
from ecodesk.messages import EcoDeskError, msg

from .filling import COL, FIRST, fill

R1, R2 = "2025年第一轮", "2025年第二轮"
T0 = dt.datetime(2025, 6, 1, 9, 0)


@pytest.fixture
def issued(project):
    project.add_round(R1, "2025-06-30")
    result = generate_round(project, R1)
    forms = {f.department: Path(f.path) for f in result.forms}
    return project, forms


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _values(project, round_name=R1):
    rid = project.round(round_name).id
    return {(v.department, v.indicator_key): v for v in current_values(project.ledger.conn, rid)}


def _key(project, name):
    return next(i.key for i in project.catalogue().indicators if i.name == name)


def test_accepted_values_keep_their_source(issued, tmp_path):
    project, forms = issued
    src = fill(
        forms["住建局"],
        tmp_path / "2025年第一轮_住建局_填报表.xlsx",
        {
            "县城污水处理率": {"current": 96.5, "source": "统计年报"},
            "城镇新建绿色建筑比例": {"current": "100%"},
            "PM2.5浓度": {"current": 27.3, "previous": 28.1, "period": "上年", "assigned": 26},
        },
        tasks={"广泛推行绿色建筑": {"status": "推进中", "progress": "已完成 3 个项目"}},
    )
    before = _sha(src)
    result = collect(project, R1, [src])
    [r] = result.results
    assert (r.status, r.code, r.department) == ("accepted", "accepted.new", "住建局")
    assert r.message == msg("accepted.new", department="住建局", round=R1, indicators=6, tasks=6)
    assert _sha(src) == before  # input never modified
    values = _values(project)
    v = values[("住建局", _key(project, "县城污水处理率"))]
    assert (v.current_number, v.current_raw, v.source, v.sheet) == (
        96.5,
        "96.5",
        "统计年报",
        L.SHEET_INDICATORS,
    )
    wb = openpyxl.load_workbook(src)
    ws = wb[L.SHEET_INDICATORS]
    assert ws[v.current_cell].value == 96.5  # the recorded cell really holds the value
    v = values[("住建局", _key(project, "城镇新建绿色建筑比例"))]
    assert (v.current_number, v.current_raw) == (100.0, "100%")
    v = values[("住建局", _key(project, "PM2.5浓度"))]
    assert (v.current_number, v.previous_number, v.target_number, v.period) == (27.3, 28.1, 26.0, "上年")
    assert ws[v.previous_cell].value == 28.1 and ws[v.target_cell].value == 26
    sub = project.ledger.conn.execute("SELECT * FROM submissions WHERE id = ?", (r.submission_id,)).fetchone()
    archived = project.root / sub["archived_path"]
    assert archived.name == f"{before}.xlsx" and _sha(archived) == before
    task = project.ledger.conn.execute(
        "SELECT * FROM task_reports WHERE submission_id = ?", (r.submission_id,)
    )
    task = {t["status"]: t["progress"] for t in task}
    assert task["推进中"] == "已完成 3 个项目"
    events = [e for e in project.ledger.audit_events() if e["action"] == "collect.accepted"]
    assert events[-1]["detail"]["values"][_key(project, "县城污水处理率")] == "96.5"


def test_resubmission_replaces_and_lists_changes(issued, tmp_path):
    project, forms = issued
    a = fill(
        forms["水利局"], tmp_path / "a.xlsx", {"河湖岸线保护率": {"current": 90, "assigned": 95}}, saved_at=T0
    )
    b = fill(
        forms["水利局"],
        tmp_path / "b.xlsx",
        {"河湖岸线保护率": {"current": 96, "assigned": 95}},
        saved_at=T0 + dt.timedelta(days=2),
    )
    first = collect(project, R1, [a]).results[0]
    second = collect(project, R1, [b]).results[0]
    assert second.status == "accepted" and second.code == "accepted.changed"
    assert second.changes == ["『河湖岸线保护率』本期值：90 → 96"]
    assert second.message == msg("accepted.changed", department="水利局", count=1)
    old = project.ledger.conn.execute(
        "SELECT status, is_current FROM submissions WHERE id = ?", (first.submission_id,)
    ).fetchone()
    assert tuple(old) == ("superseded", 0)
    assert _values(project)[("水利局", _key(project, "河湖岸线保护率"))].current_number == 96


def test_older_file_is_superseded_and_can_be_chosen(issued, tmp_path):
    project, forms = issued
    new = fill(
        forms["水利局"],
        tmp_path / "new.xlsx",
        {"河湖岸线保护率": {"current": 96}},
        saved_at=T0 + dt.timedelta(days=3),
    )
    old = fill(forms["水利局"], tmp_path / "old.xlsx", {"河湖岸线保护率": {"current": 80}}, saved_at=T0)
    results = collect(project, R1, [new, old]).results
    assert [r.status for r in results] == ["accepted", "superseded"]
    assert results[1].code == "superseded.older"
    assert _values(project)[("水利局", _key(project, "河湖岸线保护率"))].current_number == 96
    make_current(project, results[1].submission_id, "部门来电说明以旧表为准")
    assert _values(project)[("水利局", _key(project, "河湖岸线保护率"))].current_number == 80
    with pytest.raises(EcoDeskError) as e:
        make_current(project, 9999)
    assert e.value.code == "choose.not_found"


def test_duplicates(issued, tmp_path):
    project, forms = issued
    a = fill(forms["水利局"], tmp_path / "a.xlsx", {"河湖岸线保护率": {"current": 96}}, saved_at=T0)
    copy = tmp_path / "转发" / "a.xlsx"
    copy.parent.mkdir()
    shutil.copy(a, copy)
    resaved = fill(a, tmp_path / "resaved.xlsx", saved_at=T0 + dt.timedelta(hours=1))
    results = collect(project, R1, [a, copy, resaved]).results
    assert [r.code for r in results] == ["accepted.new", "duplicate.same_file", "duplicate.same_values"]
    assert collect(project, R1, [a]).results[0].status == "duplicate"  # running twice is safe
    assert len(_values(project)) == 3


def test_stale_round_and_forcing(issued, tmp_path):
    project, forms = issued
    project.add_round(R2, "2025-12-31")
    a = fill(forms["水利局"], tmp_path / "a.xlsx", {"河湖岸线保护率": {"current": 96}})
    r = collect(project, R2, [a]).results[0]  # a genuine form of round 1 goes to round 1
    assert (r.status, r.code, r.round) == ("accepted", "accepted.new", R1)
    assert r.message.startswith(msg("routed.other_round", form_round=R1, round=R2))
    assert not _values(project, R2) and _values(project, R1)
    r = collect(project, R2, [fill(a, tmp_path / "b.xlsx", saved_at=T0)], force=True).results[0]
    assert (r.status, r.code, r.round) == ("accepted", "accepted.forced_round", R2)
    assert _values(project, R2)


def test_stale_template_version(issued, tmp_path):
    project, forms = issued
    cat = project.catalogue()
    next(i for i in cat.indicators if i.name == "河湖岸线保护率").target_text = "≥90"
    project.replace_catalogue(cat)
    generate_round(project, R1, ["水利局"])
    r = collect(
        project, R1, [fill(forms["水利局"], tmp_path / "a.xlsx", {"河湖岸线保护率": {"current": 9}})]
    ).results[0]
    assert (r.status, r.code) == ("stale", "stale.version")
    assert r.message == msg("stale.version", old=1, new=2, department="水利局")


def test_rows_found_by_key_after_careless_edits(issued, tmp_path):
    project, forms = issued
    wb = openpyxl.load_workbook(forms["住建局"])
    ws = wb[L.SHEET_INDICATORS]
    ws.protection.sheet = False
    ws.insert_rows(FIRST + 1, 2)  # two blank rows inserted in the middle
    ws.cell(FIRST + 1, COL["name"]).value = "（本部门补充说明）"
    last = ws.max_row
    key_last, name_last = ws.cell(last, 1).value, ws.cell(last, COL["name"]).value
    ws.cell(last, COL["current"]).value = "  97 "  # a number typed as text with spaces
    ws.cell(FIRST, COL["current"]).value = "九十五"  # never turned into 0
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    r = collect(project, R1, [path]).results[0]
    assert r.status == "accepted" and not r.needs_confirmation
    v = _values(project)[("住建局", key_last)]
    assert v.current_number == 97 and v.current_cell == f"G{last}", name_last
    first_key = ws.cell(FIRST, 1).value
    v = _values(project)[("住建局", first_key)]
    assert (v.current_raw, v.current_number, v.current_kind) == ("九十五", None, "text")
    name = ws.cell(FIRST, COL["name"]).value.split("：")[-1]
    assert (
        msg("value.not_number", sheet=L.SHEET_INDICATORS, row=FIRST, name=name, field="本期值", raw="九十五")
        in r.problems
    )


def test_provenance_deleted_matches_by_name_for_confirmation(issued, tmp_path):
    project, forms = issued
    wb = openpyxl.load_workbook(forms["农业农村局"])
    del wb["_ecodesk"]
    ws = wb[L.SHEET_INDICATORS]
    ws.protection.sheet = False
    for r in range(FIRST, ws.max_row + 1):
        ws.cell(r, 1).value = None  # the key column cleared too
        ws.cell(r, COL["current"]).value = 91
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=FIRST, max_row=ws.max_row)]
    for i, row in enumerate(reversed(rows)):  # and the rows reversed
        for c, v in enumerate(row, start=1):
            ws.cell(FIRST + i, c).value = v
    path = tmp_path / "另存为.xlsx"
    wb.save(path)
    r = collect(project, R1, [path]).results[0]
    assert (r.status, r.code, r.department, r.needs_confirmation) == (
        "accepted",
        "accepted.confirm",
        "农业农村局",
        True,
    )
    cat = project.catalogue()
    got = {k for (d, k) in _values(project) if d == "农业农村局"}
    assert got == {i.key for i in cat.indicators_for("农业农村局")}


def test_zip_of_returns_and_folders(issued, tmp_path):
    project, forms = issued
    folder = tmp_path / "收件箱" / "六月"
    folder.mkdir(parents=True)
    fill(forms["水利局"], folder / "水利局.xlsx", {"河湖岸线保护率": {"current": 96}})
    z = tmp_path / "收件箱" / "打包.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(
            fill(
                forms["审计局"],
                tmp_path / "审计局.xlsx",
                {"领导干部自然资源资产离任审计": {"current": "已开展"}},
            ),
            "审计局报送.xlsx",
        )
        zf.writestr("说明.txt", "请查收")
    results = collect(project, R1, [tmp_path / "收件箱"]).results
    by_name = {Path(r.path.split("!")[-1]).name: r for r in results}
    assert by_name["水利局.xlsx"].status == "accepted"
    assert by_name["审计局报送.xlsx"].status == "accepted" and "打包.zip!" in by_name["审计局报送.xlsx"].path
    assert by_name["说明.txt"].status == "unreadable"


def test_progress_cancel_and_parallel_equal_serial(issued, tmp_path):
    project, forms = issued
    files = []
    for i, (dept, form) in enumerate(sorted(forms.items())):
        files.append(fill(form, tmp_path / f"{i:02d}_{dept}.xlsx", default=50 + i))
    seen = []
    partial = collect(
        project, R1, files, progress=lambda i, n, t: seen.append(i), cancel=lambda: len(seen) >= 4
    )
    assert partial.cancelled and len(partial.results) == 4
    rest = collect(project, R1, files, workers=2)  # re-run completes; the 4 already taken are duplicates
    assert rest.counts()["duplicate"] == 4 and rest.counts()["accepted"] == len(files) - 4
    assert len({d for (d, _k) in _values(project)}) == len(
        [d for d, f in forms.items() if project.catalogue().indicators_for(d)]
    )


def test_results_of_a_run_show_files_replaced_later_in_the_same_run(issued, tmp_path):
    from ecodesk.intake.collect import list_submissions

    project, forms = issued
    a = fill(forms["水利局"], tmp_path / "1_初稿.xlsx", {"河湖岸线保护率": {"current": 80}}, saved_at=T0)
    b = fill(forms["水利局"], tmp_path / "2_终稿.xlsx", {"河湖岸线保护率": {"current": 96}},
             saved_at=T0 + dt.timedelta(days=1))
    results = collect(project, R1, [a, b]).results
    assert [r.status for r in results] == ["superseded", "accepted"]
    assert results[0].code == "superseded.replaced"
    listed = list_submissions(project, R1)
    assert [(r.path, r.status) for r in listed] == [(str(a), "superseded"), (str(b), "accepted")]
