"""Who sent it, for which round: a file goes to its own round, the round in use is remembered,
and every automatic decision can be corrected by the clerk (through the core and the CLI)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ecodesk.cli import main
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect, list_submissions
from ecodesk.ledger.values import current_values
from ecodesk.messages import EcoDeskError, msg
from ecodesk.project import Project
from ecodesk.verdicts import judge_round

from .filling import fill

R1, R2 = "2025年第一轮", "2025年第二轮"
T0 = dt.datetime(2025, 6, 1, 9, 0)


@pytest.fixture
def two_rounds(project):
    project.add_round(R1, "2025-06-30")
    forms1 = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    project.add_round(R2, "2025-12-31")
    forms2 = {f.department: Path(f.path) for f in generate_round(project, R2).forms}
    return project, forms1, forms2


def _values(project, round_name):
    rid = project.round(round_name).id
    return {(v.department, v.indicator_key): v for v in current_values(project.ledger.conn, rid)}


def _key(project, name):
    return next(i.key for i in project.catalogue().indicators if i.name == name)


def _verdict(project, round_name, name):
    return next(v for v in judge_round(project, round_name).verdicts if v.name == name)


def test_a_late_return_of_round_1_goes_to_round_1_while_round_2_is_current(two_rounds, tmp_path):
    project, forms1, forms2 = two_rounds
    late = fill(
        forms1["水利局"], tmp_path / "水利局（一季度，迟报）.xlsx", {"河湖岸线保护率": {"current": 96}}
    )
    before = _verdict(project, R1, "河湖岸线保护率")
    assert before.verdict == "缺报"
    result = collect(project, R2, [late])
    [r] = result.results
    assert (r.status, r.code, r.department, r.round) == ("accepted", "accepted.new", "水利局", R1)
    prefix = msg("routed.other_round", form_round=R1, round=R2)
    assert r.message.startswith(prefix) and f"已接收水利局的{R1}填报表" in r.message
    key = _key(project, "河湖岸线保护率")
    assert _values(project, R1)[("水利局", key)].current_number == 96
    assert not _values(project, R2)  # round 2 untouched
    assert _verdict(project, R1, "河湖岸线保护率").verdict != "缺报"  # round 1's verdict updated
    assert _verdict(project, R2, "河湖岸线保护率").verdict == "缺报"
    event = [e for e in project.ledger.audit_events() if e["action"] == "collect.accepted"][-1]
    assert event["detail"]["round"] == R1 and event["detail"]["routed_from"] == R2
    # a round-2 return in the same drop stays in round 2
    now = fill(forms2["水利局"], tmp_path / "水利局二季度.xlsx", {"河湖岸线保护率": {"current": 97}})
    again = fill(late, tmp_path / "水利局（再次转发）.xlsx")
    rs = collect(project, R2, [now, again]).results
    assert [(r.status, r.round) for r in rs] == [("accepted", R2), ("duplicate", R1)]
    assert _values(project, R2)[("水利局", key)].current_number == 97


def test_forcing_a_file_into_another_round_is_explicit_and_audited(two_rounds, tmp_path):
    project, forms1, _ = two_rounds
    f = fill(forms1["水利局"], tmp_path / "a.xlsx", {"河湖岸线保护率": {"current": 96}})
    [r] = collect(project, R2, [f], force=True).results
    assert (r.status, r.code, r.round) == ("accepted", "accepted.forced_round", R2)
    assert r.message == msg("accepted.forced_round", form_round=R1, round=R2, department="水利局")
    assert not _values(project, R1)
    event = [e for e in project.ledger.audit_events() if e["action"] == "collect.accepted"][-1]
    assert event["detail"]["forced_from"] == R1 and event["detail"]["round"] == R2


def test_the_round_in_use_is_remembered_per_project(two_rounds, tmp_path, capsys):
    project, forms1, forms2 = two_rounds
    root = project.root
    assert project.last_round() == R2  # nothing chosen yet: the latest
    project.remember_round(R1)
    project.close()
    with Project.open(root) as p:
        assert p.last_round() == R1
    f = fill(forms1["水利局"], tmp_path / "a.xlsx", {"河湖岸线保护率": {"current": 96}})
    assert main(["collect", str(root), str(f), "--json"]) == 0  # no --round: the one used last
    data = json.loads(capsys.readouterr().out)
    assert data["round"] == R1 and data["results"][0]["round"] == R1
    assert main(["validate", str(root), "--round", R2, "--json"]) == 0  # reading does not change it
    assert json.loads(capsys.readouterr().out)["round"] == R2
    with Project.open(root) as p:
        assert p.last_round() == R1
    assert main(["submissions", str(root), "--round", R2, "--json"]) == 0  # a reader too
    assert json.loads(capsys.readouterr().out) == []
    with Project.open(root) as p:
        assert p.last_round() == R1
    g = fill(forms2["水利局"], tmp_path / "b.xlsx", {"河湖岸线保护率": {"current": 97}})
    assert main(["collect", str(root), "--round", R2, str(g), "--json"]) == 0
    capsys.readouterr()
    with Project.open(root) as p:
        assert p.last_round() == R2  # --round of a command that writes is remembered


def test_no_round_yet_says_how_to_add_one(project, capsys):
    root = str(project.root)
    assert main(["validate", root]) == 2
    assert msg("round.none") in capsys.readouterr().err


# ---- the clerk's corrections -------------------------------------------------------------------
def _bare(src: Path, dst: Path, current: float, title: bool = True) -> Path:
    """A form saved without its hidden provenance (and, unless ``title``, without its title)."""
    import openpyxl

    from ecodesk.forms import layout as L

    wb = openpyxl.load_workbook(src)
    del wb["_ecodesk"]
    for sheet in (L.SHEET_INDICATORS, L.SHEET_TASKS):
        ws = wb[sheet]
        ws.protection.sheet = False
        if not title:
            for row in ws.iter_rows(min_row=1, max_row=3):
                for c in row:
                    if isinstance(c.value, str) and "（" in c.value:
                        c.value = None
    ws = wb[L.SHEET_INDICATORS]
    for r in range(L.FIRST_DATA_ROW + 1, ws.max_row + 1):
        if ws.cell(r, 1).value:
            ws.cell(r, 1 + [c.id for c in L.INDICATOR_COLUMNS].index("current")).value = current
    wb.save(dst)
    return dst


def _events(project, action):
    return [e["detail"] for e in project.ledger.audit_events() if e["action"] == action]


def test_assign_a_file_without_department_survives_a_restart(two_rounds, tmp_path, capsys):
    project, forms1, _ = two_rounds
    root = project.root
    f = _bare(forms1["水利局"], tmp_path / "报表.xlsx", 95, title=False)
    [r] = collect(project, R1, [f]).results
    assert (r.status, r.code) == ("not_template", "not_template.no_department")
    project.close()
    code = main(
        [
            "assign",
            str(root),
            "--round",
            R1,
            str(f),
            "--department",
            "水利局",
            "--note",
            "电话确认为水利局",
            "--json",
        ]
    )
    assert code == 0, capsys.readouterr().err
    out = json.loads(capsys.readouterr().out)
    assert (out["status"], out["code"], out["department"], out["submission_id"]) == (
        "accepted",
        "accepted.assigned",
        "水利局",
        r.submission_id,
    )
    with Project.open(root) as p:  # after a restart
        values = _values(p, R1)
        assert values[("水利局", _key(p, "河湖岸线保护率"))].current_number == 95
        [event] = _events(p, "correct.assign")
        assert event["note"] == "电话确认为水利局" and event["was"] == "not_template"
        subs = {s.submission_id: s for s in list_submissions(p, R1)}
        assert subs[r.submission_id].status == "accepted"


def test_assign_takes_only_the_rows_of_the_department(two_rounds, tmp_path):
    from ecodesk.intake.corrections import assign

    project, forms1, _ = two_rounds
    f = _bare(forms1["住建局"], tmp_path / "报表.xlsx", 95, title=False)
    [r] = collect(project, R1, [f]).results
    cat = project.catalogue()
    own = {i.key for i in cat.indicators_for("水投集团")}
    zj = {i.key for i in cat.indicators_for("住建局")}
    assert own & zj and zj - own  # 水投集团 shares some of 住建局's rows
    res = assign(project, R1, f"#{r.submission_id}", "水投集团", "住建局转来的，由水投集团填写")
    assert res.department == "水投集团" and "未采用" in res.message
    got = {k for (d, k) in _values(project, R1) if d == "水投集团"}
    assert got == own & zj
    with pytest.raises(EcoDeskError) as e:
        assign(project, R1, f"#{r.submission_id}", "统计局", "试试")
    assert e.value.code == "correct.no_rows"
    with pytest.raises(EcoDeskError) as e:
        assign(project, R1, f"#{r.submission_id}", "没有这个局", "试试")
    assert e.value.code == "correct.unknown_department"
    with pytest.raises(EcoDeskError) as e:
        assign(project, R1, f"#{r.submission_id}", "水投集团", "  ")
    assert e.value.code == "correct.no_note"


def test_confirm_reinstate_withdraw_through_the_cli_survive_a_restart(two_rounds, tmp_path, capsys):
    project, forms1, _ = two_rounds
    root = str(project.root)
    key = _key(project, "河湖岸线保护率")
    old = fill(forms1["水利局"], tmp_path / "旧.xlsx", {"河湖岸线保护率": {"current": 80}}, saved_at=T0)
    new = fill(
        forms1["水利局"],
        tmp_path / "新.xlsx",
        {"河湖岸线保护率": {"current": 96}},
        saved_at=T0 + dt.timedelta(days=2),
    )
    collect(project, R1, [old])
    collect(project, R1, [new])
    bare = _bare(forms1["水利局"], tmp_path / "另存为.xlsx", 91)  # saved now: the newest
    [b] = collect(project, R1, [bare]).results
    assert (b.code, b.needs_confirmation) == ("accepted.confirm", True)
    project.close()

    def run(*argv):
        code = main([*argv, "--json"])
        cap = capsys.readouterr()
        assert code == 0, cap.err
        return json.loads(cap.out)

    listed = run("submissions", root, "--round", R1)
    assert [s["status"] for s in listed] == ["superseded", "superseded", "accepted"]
    assert listed[-1]["needs_confirmation"] and not listed[0]["needs_confirmation"]
    r = run("reinstate", root, "--round", R1, str(old), "--note", "部门来电：以旧表为准")
    assert (r["status"], r["code"]) == ("accepted", "accepted.reinstated")
    with Project.open(root) as p:
        assert _values(p, R1)[("水利局", key)].current_number == 80
    r = run("withdraw", root, "--round", R1, "旧.xlsx", "--note", "误收")
    assert r["status"] == "withdrawn" and r["message"] == msg("withdrawn.by_clerk", department="水利局")
    with Project.open(root) as p:
        assert ("水利局", key) not in _values(p, R1)
    r = run("reinstate", root, "--round", R1, f"#{b.submission_id}", "--note", "以另存的表为准")
    assert r["needs_confirmation"] is False and r["status"] == "accepted"
    r = run("confirm", root, "--round", R1, f"#{b.submission_id}", "--note", "已电话核对")
    assert r["message"] == msg("accepted.confirmed", department="水利局")
    with Project.open(root) as p:
        assert _values(p, R1)[("水利局", key)].current_number == 91
        notes = [
            (e["action"], e["detail"]["note"])
            for e in p.ledger.audit_events()
            if e["action"].startswith("correct.")
        ]
        assert notes == [
            ("correct.reinstate", "部门来电：以旧表为准"),
            ("correct.withdraw", "误收"),
            ("correct.reinstate", "以另存的表为准"),
            ("correct.confirm", "已电话核对"),
        ]
    assert main(["confirm", root, "--round", R1, "没有这个.xlsx", "--note", "x"]) == 2
    assert "ecodesk submissions" in capsys.readouterr().err


# ---- the sender is a fact to establish -----------------------------------------------------------
def _shared(project, lead, other):
    """Indicator names in ``lead``'s form that ``other`` also fills, and one it does not."""
    cat = project.catalogue()
    mine = {i.key for i in cat.indicators_for(other)}
    theirs = cat.indicators_for(lead)
    return [i.name for i in theirs if i.key in mine], next(
        (i.name for i in theirs if i.key not in mine), None
    )


def test_a_department_on_another_departments_template_is_recorded_as_itself(two_rounds, tmp_path):
    from ecodesk.status import round_status

    project, forms1, _ = two_rounds
    shared, _ = _shared(project, "发改局", "商务局")
    assert shared
    f = fill(forms1["发改局"], tmp_path / "商务局报送.xlsx", {shared[0]: {"current": 26.5, "assigned": 28}})
    [r] = collect(project, R1, [f]).results
    assert (r.status, r.code, r.department) == ("accepted", "accepted.other_template", "商务局")
    assert "请提醒商务局下次使用下发给本部门的模板" in r.message
    got = {k for (d, k) in _values(project, R1) if d == "商务局"}
    cat = project.catalogue()
    assert got == {i.key for i in cat.indicators_for("商务局")} & {
        i.key for i in cat.indicators_for("发改局")
    }
    status = {s.department: s for s in round_status(project, R1)}
    assert status["商务局"].reported and not status["发改局"].reported
    assert not status["发改局"].problem_files  # 发改局 is not told to re-send anything
    # when the rows say otherwise, the file waits for the clerk
    _, not_mine = _shared(project, "住建局", "商务局")
    g = fill(forms1["住建局"], tmp_path / "商务局报送(2).xlsx", {not_mine: {"current": 1}})
    [r] = collect(project, R1, [g]).results
    assert (r.status, r.code) == ("wrong_department", "wrong_department.renamed")
    assert "指定部门…" in r.message and "ecodesk assign" in r.message


def test_a_forwarded_form_is_the_co_departments_return_and_never_replaces_the_leads(two_rounds, tmp_path):
    project, forms1, _ = two_rounds
    shared, _ = _shared(project, "住建局", "水投集团")
    lead = fill(forms1["住建局"], tmp_path / "住建局.xlsx", default=95, saved_at=T0)
    [r] = collect(project, R1, [lead]).results
    assert r.code == "accepted.new"
    forwarded = fill(
        forms1["住建局"],
        tmp_path / "水投集团（住建局转）.xlsx",
        {name: {"current": 88} for name in shared},
        saved_at=T0 + dt.timedelta(days=1),
    )
    [r2] = collect(project, R1, [forwarded]).results
    assert (r2.status, r2.code, r2.department) == ("accepted", "accepted.other_template", "水投集团")
    values = _values(project, R1)
    zj = [v for (d, _), v in values.items() if d == "住建局"]
    assert zj and all(
        v.current_raw == "95" for v in zj if v.indicator_key in {_key(project, n) for n in shared}
    )
    assert {v.submission_id for v in zj} == {r.submission_id}  # the lead's file is still current
    assert {v.current_raw for (d, _), v in values.items() if d == "水投集团"} == {"88"}


def test_department_in_the_file_name(project):
    from ecodesk.intake.attribution import department_in_name
    from ecodesk.intake.collect import build_context

    idx = build_context(project).index
    assert department_in_name("2025年第一轮_商务局_填报表.xlsx", idx) == "商务局"
    assert department_in_name("住房和城乡建设局（6月）.xlsx", idx) == "住建局"
    assert department_in_name("生态环境分局报送.xlsx", idx) == "生态环境分局"
    assert department_in_name("住建局转水投集团.xlsx", idx) is None  # two departments: no evidence
    assert department_in_name("水投集团（住建局转）.xlsx", idx, template_of="住建局") == "水投集团"
    assert department_in_name("报表.xlsx", idx) is None


def test_implausible_saved_times_do_not_order_files():
    from ecodesk.intake.attribution import plausible_time

    assert plausible_time("2025-06-01T09:00:00Z") == "2025-06-01T09:00:00Z"
    assert plausible_time("2099-01-01T00:00:00Z") == ""
    assert plausible_time("1980-01-01T00:00:00Z") == ""
    assert plausible_time(None) == plausible_time("garbage") == ""


# ---- 佐证材料 and saved mails -----------------------------------------------------------------------
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"


def _docx(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def _evidence_rows(project):
    return [dict(r) for r in project.ledger.conn.execute("SELECT * FROM evidence ORDER BY id")]


def test_attachments_in_a_folder_are_evidence_of_that_return(two_rounds, tmp_path):
    import hashlib

    project, forms1, _ = two_rounds
    folder = tmp_path / "水利局6月报送"
    folder.mkdir()
    form = fill(forms1["水利局"], folder / "填报表.xlsx", {"河湖岸线保护率": {"current": 96}})
    (folder / "岸线巡查记录.pdf").write_bytes(PDF)
    (folder / "现场照片.jpg").write_bytes(JPG)
    _docx(folder / "情况说明.docx")
    other = tmp_path / "其他"
    other.mkdir()
    (other / "住建局污水厂运行台账.pdf").write_bytes(PDF + b"2")  # names its department
    (other / "无名.pdf").write_bytes(PDF + b"3")
    result = collect(project, R1, [folder, other])
    by_name = {Path(r.path).name: r for r in result.results}
    assert by_name[form.name].status == "accepted"
    for name in ("岸线巡查记录.pdf", "现场照片.jpg", "情况说明.docx"):
        r = by_name[name]
        assert (r.status, r.code, r.department) == ("evidence", "evidence.linked", "水利局"), r.message
    assert by_name["住建局污水厂运行台账.pdf"].department == "住建局"
    assert by_name["无名.pdf"].code == "evidence.unlinked"
    assert result.counts()["unreadable"] == 0  # evidence is never an unreadable return
    listed = {a["name"] for a in by_name[form.name].attachments}
    assert listed == {"岸线巡查记录.pdf", "现场照片.jpg", "情况说明.docx"}
    sha = hashlib.sha256(PDF).hexdigest()
    row = next(e for e in _evidence_rows(project) if e["sha256"] == sha)
    assert (project.root / row["archived_path"]).read_bytes() == PDF and sha in row["archived_path"]
    assert (row["kind"], row["linked_by"], row["submission_id"]) == (
        "pdf",
        "folder",
        by_name[form.name].submission_id,
    )
    [again] = collect(project, R1, [folder / "岸线巡查记录.pdf"]).results
    assert again.code == "evidence.duplicate"
    # listed with the return after a restart too
    [sub] = [s for s in list_submissions(project, R1) if s.submission_id == by_name[form.name].submission_id]
    assert {a["name"] for a in sub.attachments} == listed


def test_attachments_in_a_zip_and_a_fake_attachment(two_rounds, tmp_path):
    import zipfile

    project, forms1, _ = two_rounds
    form = fill(forms1["水利局"], tmp_path / "f.xlsx", {"河湖岸线保护率": {"current": 96}})
    z = tmp_path / "水利局报送.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(form, "六月/填报表.xlsx")
        zf.writestr("六月/佐证/照片.jpg", JPG)  # another folder of the same zip
        zf.writestr("六月/说明.pdf", PDF)
        zf.writestr("六月/坏的.pdf", b"not a pdf at all")
    results = {r.path.rsplit("!", 1)[1]: r for r in collect(project, R1, [z]).results}
    assert results["六月/说明.pdf"].status == "evidence" and results["六月/说明.pdf"].department == "水利局"
    assert results["六月/佐证/照片.jpg"].code == "evidence.unlinked"  # not beside the form, no name
    assert results["六月/坏的.pdf"].status == "unreadable"  # a broken file is still reported


def _eml(
    path: Path, form: Path, sender: str = "shuili@example.gov.cn", name: str = "水利局填报表.xlsx"
) -> Path:
    from email.message import EmailMessage
    from email.utils import format_datetime

    m = EmailMessage()
    m["From"] = f"水利局 张三 <{sender}>"
    m["To"] = "office@example.gov.cn"
    m["Subject"] = "2025年第一轮填报表（水利局）"
    m["Date"] = format_datetime(dt.datetime(2025, 6, 20, 16, 30, tzinfo=dt.UTC))
    m.set_content("请查收附件。")
    m.add_attachment(
        form.read_bytes(),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=name,
    )
    m.add_attachment(PDF, maintype="application", subtype="pdf", filename="巡查记录.pdf")
    raw = m.as_bytes()
    # an attachment named the way Chinese mail clients do: an RFC 2047 word in GBK
    gbk = "=?GBK?B?" + __import__("base64").b64encode("现场照片.jpg".encode("gbk")).decode() + "?="
    extra = (
        f'--BOUNDARY\r\nContent-Type: image/jpeg; name="{gbk}"\r\n'
        f'Content-Disposition: attachment; filename="{gbk}"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + __import__("base64").b64encode(JPG).decode()
        + "\r\n"
    ).encode()
    boundary = m.get_boundary().encode()
    raw = raw.replace(
        b"--" + boundary + b"--", extra.replace(b"BOUNDARY", boundary) + b"--" + boundary + b"--"
    )
    path.write_bytes(raw)
    return path


def test_a_saved_mail_is_opened_and_its_sender_recorded(two_rounds, tmp_path):
    project, forms1, _ = two_rounds
    form = fill(forms1["水利局"], tmp_path / "f.xlsx", {"河湖岸线保护率": {"current": 96}})
    eml = _eml(tmp_path / "来信.eml", form)
    result = collect(project, R1, [eml])
    names = {r.path.split("!", 1)[1]: r for r in result.results}
    assert set(names) == {"水利局填报表.xlsx", "巡查记录.pdf", "现场照片.jpg"}
    assert names["水利局填报表.xlsx"].status == "accepted"
    assert names["巡查记录.pdf"].department == names["现场照片.jpg"].department == "水利局"
    mail = dict(project.ledger.conn.execute("SELECT * FROM mails").fetchone())
    assert (mail["sender"], mail["sender_name"], mail["subject"]) == (
        "shuili@example.gov.cn",
        "水利局 张三",
        "2025年第一轮填报表（水利局）",
    )
    assert mail["sent_at"].startswith("2025-06-20T16:30")
    sub = project.ledger.conn.execute(
        "SELECT mail_id FROM submissions WHERE id = ?", (names["水利局填报表.xlsx"].submission_id,)
    ).fetchone()
    assert sub["mail_id"] == mail["id"]
    assert {e["mail_id"] for e in _evidence_rows(project)} == {mail["id"]}


def test_a_known_sender_address_names_the_department(two_rounds, tmp_path):
    project, forms1, _ = two_rounds
    cat = project.catalogue()
    next(d for d in cat.departments if d.name == "水利局").contact = "李四 0575-1234 shuili@example.gov.cn"
    project.replace_catalogue(cat)
    bare = _bare(forms1["水利局"], tmp_path / "报表.xlsx", 95, title=False)
    eml = _eml(tmp_path / "来信.eml", bare, name="报表.xlsx")
    [r] = [r for r in collect(project, R1, [eml]).results if r.path.endswith(".xlsx")]
    assert (r.status, r.department, r.needs_confirmation) == ("accepted", "水利局", True)
    other = _eml(tmp_path / "陌生.eml", bare, sender="someone@example.com", name="报表.xlsx")
    [r] = [r for r in collect(project, R2, [other]).results if r.path.endswith(".xlsx")]
    assert r.code == "not_template.no_department"


def test_two_half_forms_from_one_department_merge_row_by_row(two_rounds, tmp_path):
    project, forms1, forms2 = two_rounds
    names = [i.name for i in project.catalogue().indicators_for("住建局")]
    first, second = names[: len(names) // 2], names[len(names) // 2 :]
    a = fill(forms1["住建局"], tmp_path / "科室甲.xlsx", {n: {"current": 91} for n in first}, saved_at=T0)
    b = fill(
        forms1["住建局"],
        tmp_path / "科室乙.xlsx",
        {n: {"current": 92} for n in second},
        saved_at=T0 + dt.timedelta(hours=1),
    )
    assert collect(project, R1, [a]).results[0].code == "accepted.new"
    [rb] = collect(project, R1, [b]).results
    assert (rb.status, rb.code) == ("accepted", "accepted.merged")
    values = {k: v for (d, k), v in _values(project, R1).items() if d == "住建局"}
    by_name = {n: values[_key(project, n)] for n in names}
    assert {by_name[n].current_raw for n in first} == {"91"} and {by_name[n].current_raw for n in second} == {
        "92"
    }
    assert {by_name[n].file_name for n in first} == {"科室甲.xlsx"}  # each value keeps its own source
    assert {by_name[n].file_name for n in second} == {"科室乙.xlsx"}
    v = _verdict(project, R1, first[0])
    assert any(s["file"] == "科室甲.xlsx" for s in v.to_dict()["sources"])
    # the other order gives the same values (into round 2, from round 2's forms)
    a2 = fill(forms2["住建局"], tmp_path / "甲2.xlsx", {n: {"current": 91} for n in first}, saved_at=T0)
    b2 = fill(
        forms2["住建局"],
        tmp_path / "乙2.xlsx",
        {n: {"current": 92} for n in second},
        saved_at=T0 + dt.timedelta(hours=1),
    )
    collect(project, R2, [b2])
    assert collect(project, R2, [a2]).results[0].code == "accepted.merged"
    again = {k: v.current_raw for (d, k), v in _values(project, R2).items() if d == "住建局"}
    assert again == {k: v.current_raw for k, v in values.items()}


def test_overlapping_half_forms_ask_the_clerk(two_rounds, tmp_path):
    project, forms1, _ = two_rounds
    names = [i.name for i in project.catalogue().indicators_for("住建局")]
    a = fill(forms1["住建局"], tmp_path / "甲.xlsx", {n: {"current": 91} for n in names[:3]}, saved_at=T0)
    b = fill(
        forms1["住建局"],
        tmp_path / "乙.xlsx",
        {n: {"current": 92} for n in names[2:]},
        saved_at=T0 + dt.timedelta(hours=1),
    )
    collect(project, R1, [a])
    [r] = collect(project, R1, [b]).results
    assert (r.status, r.needs_confirmation) == ("accepted", True)
    assert msg("accepted.overlap", department="住建局") in r.message
