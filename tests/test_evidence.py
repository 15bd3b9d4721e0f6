"""佐证材料 through the real path: generate → fill (the 佐证材料 cell names files) → put the files
beside the form (a folder, a zip) → collect → verdicts, 问题清单, 退回修改 → ecodesk archive, checked
file by file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ecodesk.archive import INDEX_NAME, build_archive
from ecodesk.cli import main as cli
from ecodesk.forms import layout as L
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.intake.evidence_desk import assign, confirm, remove, round_evidence
from ecodesk.intake.evidence_links import best_match, match_how, named_files, pages_of
from ecodesk.messages import EcoDeskError, msg
from ecodesk.report.data import gather
from ecodesk.report.revision import write_revisions
from ecodesk.verdicts import judge_round

from .evidence_files import make_docx, make_jpg, make_pdf, make_png
from .filling import fill

R1 = "2025年第一轮"
BIO, ALIEN, DUTY, AUDIT = (
    "生物多样性调查",
    "外来物种入侵防控",
    "党政领导干部生态环境损害责任追究制度",
    "领导干部自然资源资产离任审计",
)


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def issued(project):
    project.add_round(R1, "2025-06-30")
    forms = {f.department: Path(f.path) for f in generate_round(project, R1).forms}
    return project, forms


def key(project, name):
    return next(i.key for i in project.catalogue().indicators if i.name == name)


def _drop(issued, tmp_path):
    """自然资源局 in a folder, 组织部 in a zip, 审计局 with no evidence at all."""
    project, forms = issued
    inbox = tmp_path / "收件箱"
    zr = inbox / "自然资源局来件"
    zr.mkdir(parents=True)
    fill(
        forms["自然资源局"],
        zr / f"{R1}_自然资源局_填报表.xlsx",
        {
            BIO: {"current": "已开展", "evidence": "生物多样性调查报告.pdf、现场照片"},
            ALIEN: {"current": "有效开展", "evidence": "1. 外来物种防控方案.docx"},
        },
        default=1,
    )
    files = {
        "report": make_pdf(zr / "生物多样性调查报告.pdf", pages=3),  # exact
        "photo": make_jpg(zr / "现场照片.jpg", "first"),  # without extension
        "plan": make_docx(zr / "外来物种入侵防控方案.docx"),  # close: the clerk confirms
        "brief": make_pdf(zr / "工作简报.pdf", pages=1),  # not named: unassigned
        "exe": zr / "安装包.exe",  # refused
    }
    files["exe"].write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    # a statistics table beside the form: a spreadsheet that is no form is evidence too
    wb = openpyxl.Workbook()
    wb.active.append(["年份", "物种数"])
    wb.active.append([2024, 312])
    wb.save(zr / "物种统计表.xlsx")
    files["table"] = zr / "物种统计表.xlsx"
    # 组织部 sends a zip: the form names two files, only one is in it
    org = tmp_path / "组织部"
    org.mkdir()
    fill(
        forms["组织部"],
        org / f"{R1}_组织部_填报表.xlsx",
        {DUTY: {"current": "已建立", "evidence": "责任追究办法.pdf\n培训照片.png"}},
        default=25,
    )
    make_pdf(org / "责任追究办法.pdf", pages=2, text="rules")
    with zipfile.ZipFile(inbox / "组织部报送.zip", "w") as z:
        for f in sorted(org.iterdir()):
            z.write(f, f.name)
    # 审计局: qualitative 达标 without any evidence
    audit = inbox / "审计局"
    audit.mkdir()
    fill(forms["审计局"], audit / f"{R1}_审计局_填报表.xlsx", {AUDIT: {"current": "已开展"}}, default=1)
    return project, inbox, files


def test_folder_and_zip_link_match_refuse_and_find_missing(issued, tmp_path):
    project, inbox, files = _drop(issued, tmp_path)
    before = {p: sha(p) for p in inbox.rglob("*") if p.is_file()}
    res = collect(project, R1, [inbox])
    by_name = {Path(r.path.split("!")[-1]).name: r for r in res.results}
    assert {by_name[f"{R1}_{d}_填报表.xlsx"].status for d in ("自然资源局", "组织部", "审计局")} == {
        "accepted"
    }
    for n in (
        "生物多样性调查报告.pdf",
        "现场照片.jpg",
        "外来物种入侵防控方案.docx",
        "工作简报.pdf",
        "物种统计表.xlsx",
    ):
        assert (by_name[n].status, by_name[n].code) == ("evidence", "evidence.linked"), (
            n,
            by_name[n].message,
        )
        assert by_name[n].department == "自然资源局"
    assert (
        by_name["责任追究办法.pdf"].status == "evidence"
        and by_name["责任追究办法.pdf"].department == "组织部"
    )
    exe = by_name["安装包.exe"]
    assert exe.status == "unreadable" and exe.code == "unreadable.not_spreadsheet"
    assert "PDF" in exe.message and "佐证材料" in exe.message  # refused, saying what to send instead
    assert "未归类" in by_name["工作简报.pdf"].message
    assert {p: sha(p) for p in inbox.rglob("*") if p.is_file()} == before  # inputs untouched

    ev = round_evidence(project, R1)
    bio, alien, duty, audit = (key(project, n) for n in (BIO, ALIEN, DUTY, AUDIT))
    linked = {
        (f.name, ln.indicator_key, ln.matched_by, ln.confirmed)
        for ln, f in [(ln, ev.files[ln.evidence_id]) for ln in ev.links]
    }
    assert linked == {
        ("生物多样性调查报告.pdf", bio, "exact", True),
        ("现场照片.jpg", bio, "stem", True),
        ("外来物种入侵防控方案.docx", alien, "close", False),
        ("责任追究办法.pdf", duty, "exact", True),
    }
    assert sorted(f.name for f in ev.unassigned()) == sorted(["物种统计表.xlsx", "工作简报.pdf"])
    report = next(f for f in ev.files.values() if f.name == "生物多样性调查报告.pdf")
    assert pages_of(project.root / report.archived_path) == 3 and report.kind == "PDF"
    # archived once, under its hash
    assert (project.root / report.archived_path).read_bytes() == files["report"].read_bytes()
    assert report.archived_path.endswith(f"{report.sha256}.pdf")
    assert [(m.department, m.named) for m in ev.missing if m.indicator_key == duty] == [
        ("组织部", "培训照片.png")
    ]
    assert [(m.department, m.named) for m in ev.missing if m.indicator_key == audit] == [("审计局", "")]

    verdicts = {v.key: v for v in judge_round(project, R1).verdicts}
    assert verdicts[bio].verdict == "达标"
    assert verdicts[duty].verdict == "达标"  # one of its two files came
    assert verdicts[audit].verdict == "待核实" and "缺少佐证材料" in verdicts[audit].reason

    # 问题清单 and the 退回修改 copy name the file that did not come, on its 佐证材料 cell
    data = gather(project, R1)
    named = [p for p in data.problems if p.problem == msg("evidence.missing_named", named="培训照片.png")]
    assert len(named) == 1 and named[0].department == "组织部" and named[0].sheet == L.SHEET_INDICATORS
    revisions = {r.department: r for r in write_revisions(project, R1, tmp_path / "退回")}
    wb = openpyxl.load_workbook(revisions["组织部"].path)
    cell = wb[L.SHEET_INDICATORS][named[0].cell]
    assert cell.value == "责任追究办法.pdf\n培训照片.png"  # the department's own 佐证材料 cell
    assert "培训照片.png" in cell.comment.text and cell.fill.fgColor.rgb.endswith("FFC7CE")
    # 审计局's qualitative 达标 without evidence: asked for it, on its 佐证材料 cell
    audit_problem = next(p for p in data.problems if p.key == audit)
    assert audit_problem.ask == msg("evidence.ask_none") and audit_problem.cell[0] == named[0].cell[0]
    audit_cell = openpyxl.load_workbook(revisions["审计局"].path)[L.SHEET_INDICATORS][audit_problem.cell]
    assert "缺少佐证材料" in audit_cell.comment.text


def test_duplicate_resubmission_and_the_clerks_corrections(issued, tmp_path):
    project, inbox, files = _drop(issued, tmp_path)
    collect(project, R1, [inbox])
    bio, alien = key(project, BIO), key(project, ALIEN)
    # the same report sent again (another mail): recognised, archived once
    again = tmp_path / "再次发送"
    again.mkdir()
    shutil.copy(files["report"], again / "生物多样性调查报告.pdf")
    res = collect(project, R1, [again / "生物多样性调查报告.pdf"])
    assert [r.status for r in res.results] == ["duplicate"]
    assert res.results[0].code == "evidence.duplicate"
    count = project.ledger.conn.execute(
        "SELECT COUNT(*) FROM evidence WHERE sha256 = ? AND removed_at = ''",
        (sha(files["report"]),),
    ).fetchone()[0]
    assert count == 1
    assert len(list(project.archive_dir.rglob(f"{sha(files['report'])}.pdf"))) == 1

    # a re-submission: a new photo of the same name replaces the old one, a new file is added,
    # the report already linked is kept although not sent again
    forms = issued[1]
    second = tmp_path / "第二次报送"
    second.mkdir()
    fill(
        forms["自然资源局"],
        second / f"{R1}_自然资源局_填报表.xlsx",
        {
            BIO: {"current": "已开展", "evidence": "生物多样性调查报告.pdf、现场照片、专家评审意见.pdf"},
            ALIEN: {"current": "有效开展", "evidence": "外来物种防控方案.docx"},
        },
        # saved after the first file (two files saved in the same second are a tie the clerk decides)
        saved_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=5),
        default=2,
    )
    make_jpg(second / "现场照片.jpg", "second shot")
    make_pdf(second / "专家评审意见.pdf", pages=4)
    res = collect(project, R1, [second])
    assert sorted(r.status for r in res.results) == ["accepted", "evidence", "evidence"]
    ev = round_evidence(project, R1)
    now = sorted(
        (ev.files[ln.evidence_id].name, ev.files[ln.evidence_id].sha256)
        for ln in ev.links
        if ln.indicator_key == bio
    )
    assert now == sorted(
        [
            ("生物多样性调查报告.pdf", sha(files["report"])),
            ("现场照片.jpg", sha(second / "现场照片.jpg")),
            ("专家评审意见.pdf", sha(second / "专家评审意见.pdf")),
        ]
    )
    old_photo = project.ledger.conn.execute(
        "SELECT l.status FROM evidence_links l JOIN evidence f ON f.id = l.evidence_id WHERE f.sha256 = ?",
        (sha(files["photo"]),),
    ).fetchone()
    assert old_photo["status"] == "replaced"

    # the clerk: confirm the close match, assign the brief, remove the table with a note
    plan = next(ln for ln in ev.links if ln.indicator_key == alien)
    confirm(project, R1, plan.evidence_id, alien, "名称相近，内容即防控方案")
    brief = next(f for f in ev.unassigned() if f.name == "工作简报.pdf")
    assign(project, R1, brief.id, alien, note="简报记载防控工作")
    table = next(f for f in ev.unassigned() if f.name == "物种统计表.xlsx")
    with pytest.raises(EcoDeskError) as e:
        remove(project, R1, table.id, "")
    assert e.value.code == "evidence.note_required"
    remove(project, R1, table.id, "与本轮指标无关")
    ev = round_evidence(project, R1)
    assert all(ln.confirmed for ln in ev.links)
    assert {ev.files[ln.evidence_id].name for ln in ev.links if ln.indicator_key == alien} == {
        "外来物种入侵防控方案.docx",
        "工作简报.pdf",
    }
    assert ev.unassigned() == []
    actions = [e["action"] for e in project.ledger.audit_events()]
    assert {"evidence.confirm", "evidence.assign", "evidence.remove"} <= set(actions)
    # a later return naming the removed file does not bring it back
    collect(project, R1, [second])
    assert round_evidence(project, R1).unassigned() == []


def test_archive_tree_index_and_json(issued, tmp_path, capsys):
    project, inbox, files = _drop(issued, tmp_path)
    collect(project, R1, [inbox])
    out = tmp_path / "台账"
    assert cli(["archive", str(project.root), "--round", R1, "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cat = project.catalogue()
    ind = {i.key: i for i in cat.indicators}
    bio, alien, duty = (key(project, n) for n in (BIO, ALIEN, DUTY))
    folder = {k: f"{ind[k].number} {ind[k].name}" for k in (bio, alien, duty)}
    expected = {
        f"{folder[bio]}/自然资源局_生物多样性调查报告.pdf": files["report"],
        f"{folder[bio]}/自然资源局_现场照片.jpg": files["photo"],
        f"{folder[alien]}/自然资源局_外来物种入侵防控方案.docx": files["plan"],
        f"{folder[duty]}/组织部_责任追究办法.pdf": tmp_path / "组织部" / "责任追究办法.pdf",
        "未归类/自然资源局_工作简报.pdf": files["brief"],
        "未归类/自然资源局_物种统计表.xlsx": files["table"],
    }
    tree = {str(p.relative_to(out)).replace("\\", "/"): p for p in out.rglob("*") if p.is_file()}
    assert set(tree) == set(expected) | {INDEX_NAME, ".ecodesk-台账.json"}
    for rel, src in expected.items():
        assert tree[rel].read_bytes() == src.read_bytes(), rel
    assert data["index"] == str(out.resolve() / INDEX_NAME)
    items = {(i["indicator_key"], i["file"]): i for i in data["items"]}
    assert set(items) == {
        (bio, "生物多样性调查报告.pdf"),
        (bio, "现场照片.jpg"),
        (alien, "外来物种入侵防控方案.docx"),
        (duty, "责任追究办法.pdf"),
    }
    assert set(data) == {"index", "items", "missing"}  # the JSON issue 16 asks for, exactly
    for i in data["items"]:
        assert set(i) == {"indicator_key", "number", "name", "department", "file", "path", "sha256"}
        assert Path(i["path"]).read_bytes() and sha(Path(i["path"])) == i["sha256"]
        assert i["number"] == ind[i["indicator_key"]].number and i["name"] == ind[i["indicator_key"]].name
    assert {(m["indicator_key"], m["department"]) for m in data["missing"]} == {
        (duty, "组织部"),
        (key(project, AUDIT), "审计局"),
    }
    assert all(set(m) == {"indicator_key", "name", "department"} for m in data["missing"])
    assert len(data["missing"]) == 2  # once per indicator and department

    # the index: one row per indicator and file, missing rows highlighted, A4
    wb = openpyxl.load_workbook(out / INDEX_NAME)
    ws = wb.active
    header = [c.value for c in ws[3]]
    assert header[:5] == ["领域", "序号", "指标名称", "责任部门", "文件名"] and "SHA-256" in header
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    file_rows = {(r[2], r[4]): r for r in rows if r[9]}
    assert file_rows[(BIO, "生物多样性调查报告.pdf")][5:8] == [
        "PDF",
        "3",
        file_rows[(BIO, "生物多样性调查报告.pdf")][7],
    ]
    assert file_rows[(BIO, "生物多样性调查报告.pdf")][9] == sha(files["report"])
    assert (
        file_rows[(BIO, "生物多样性调查报告.pdf")][8] == f"{folder[bio]}\\自然资源局_生物多样性调查报告.pdf"
    )
    assert "待确认" in file_rows[(ALIEN, "外来物种入侵防控方案.docx")][10]
    missing = [
        r for r in ws.iter_rows(min_row=4) if r[4].value and str(r[4].value).startswith(("未收到", "缺少"))
    ]
    assert {(r[2].value, r[4].value) for r in missing} == {
        (DUTY, "未收到：培训照片.png"),
        (AUDIT, "缺少佐证材料"),
    }
    assert all(r[4].fill.fgColor.rgb.endswith("FFC7CE") for r in missing)
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert all(ind_.name in {r[2] for r in rows} for ind_ in cat.indicators)  # every indicator listed

    # twice: the same tree, the same bytes
    first = {rel: p.read_bytes() for rel, p in tree.items()}
    build_archive(project, R1, out)
    again = {
        str(p.relative_to(out)).replace("\\", "/"): p.read_bytes() for p in out.rglob("*") if p.is_file()
    }
    assert again == first
    # a folder holding anything else is not written into
    other = tmp_path / "别的文件夹"
    other.mkdir()
    (other / "记录.txt").write_text("x")
    with pytest.raises(EcoDeskError) as e:
        build_archive(project, R1, other)
    assert e.value.code == "archive.not_empty"


def test_archive_paths_stay_within_windows_limit(issued, tmp_path):
    project, forms = issued
    drop = tmp_path / "长文件名"
    drop.mkdir()
    long_name = "关于" + "生物多样性本底调查与评估工作阶段性成果及专家论证意见" * 2 + "汇编" * 10 + ".pdf"
    fill(
        forms["自然资源局"],
        drop / f"{R1}_自然资源局_填报表.xlsx",
        {BIO: {"current": "已开展", "evidence": long_name}},
        default=1,
    )
    make_pdf(drop / long_name)
    make_pdf(drop / (long_name[:-4] + "（修订）.pdf"), text="revised")
    collect(project, R1, [drop])
    out = tmp_path  # a deep project folder: 190 characters before the archive's own names
    while len(str(out)) < 190:
        out = out / ("生态文明建设示范区创建台账资料" * 4)[: min(60, 190 - len(str(out)) - 1)]
    result = build_archive(project, R1, out)
    paths = [i.path for i in result.items] + [u["path"] for u in result.unassigned]
    assert len(paths) == 2 and len(set(paths)) == 2
    for p in paths:
        assert len(str(Path(p))) <= 259  # Windows' MAX_PATH, counted as Windows counts (characters)
        assert "…" in Path(p).name  # shortened, never failed
        assert Path(p).is_file() and Path(p).suffix == ".pdf"


def test_names_and_types():
    assert named_files("1. 调查报告.pdf\n2、现场照片；《实施方案》") == [
        "调查报告.pdf",
        "现场照片",
        "实施方案",
    ]
    assert match_how("调查报告.pdf", "调查报告.pdf") == "exact"
    assert match_how("调查报告", "调查报告.PDF") == "stem"
    assert match_how("调查报告.doc", "调查报告.pdf") == "close"
    assert match_how("生物多样性调查报告", "生物多样性调査报告（终稿）.pdf") == "close"
    assert match_how("会议纪要", "现场照片.jpg") == ""
    # 填报说明 lets a department put its name in front of the file name
    assert best_match("实施方案.pdf", "住建局_实施方案.pdf", "住建局") == "exact"
    assert best_match("实施方案", "住建局-实施方案.docx", "住建局") == "stem"
    assert (
        best_match("实施方案.pdf", "水利局_实施方案.pdf", "住建局") == "close"
    )  # another's name: close only


def test_pdf_pages_agree_with_pdfinfo(tmp_path):
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils 未安装")
    p = make_pdf(tmp_path / "x.pdf", pages=5)
    info = subprocess.run(["pdfinfo", str(p)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           5" in info
    assert pages_of(p) == 5
    assert pages_of(make_png(tmp_path / "x.png")) == 1
    assert pages_of(make_docx(tmp_path / "x.docx", pages=7)) == 7
    assert pages_of(tmp_path / "不存在.pdf") is None


def test_form_asks_for_evidence_where_needed(issued):
    _, forms = issued
    wb = openpyxl.load_workbook(forms["自然资源局"])
    ws = wb[L.SHEET_INDICATORS]
    col = next(i for i, c in enumerate(L.INDICATOR_COLUMNS) if c.id == "evidence") + 1
    name_col = next(i for i, c in enumerate(L.INDICATOR_COLUMNS) if c.id == "name") + 1
    prompts = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            if rng.min_col == col:
                for row in range(rng.min_row, rng.max_row + 1):
                    name = str(ws.cell(row, name_col).value).split("：")[-1].rstrip("*")
                    prompts[name] = (dv.promptTitle, dv.prompt)
    assert prompts[BIO][0] == "佐证材料（须随表发送）" and "同一压缩包" in prompts[BIO][1]
    numeric = next(n for n, (t, _) in prompts.items() if t == "佐证材料")  # a number needs none
    assert numeric not in (BIO, ALIEN)
    guide = {r[0].value: r[1].value for r in wb["填报说明"].iter_rows() if r[0].value}
    assert "同一个压缩包" in guide["佐证材料"] and "PDF" in guide["佐证材料"]


def test_cli_evidence_commands_and_the_history_fingerprint(issued, tmp_path, capsys):
    from datetime import date

    from ecodesk.ledger import snapshots
    from ecodesk.project import Project

    project, inbox, _ = _drop(issued, tmp_path)
    collect(project, R1, [inbox])
    rnd, audit, alien = project.round(R1), key(project, AUDIT), key(project, ALIEN)

    def fingerprint(p):
        return snapshots.fingerprints(p.ledger.conn, [(rnd.id, 0, rnd.deadline)], date(2025, 7, 1))[rnd.id]

    before = fingerprint(project)
    root = str(project.root)
    project.close()
    assert cli(["evidence", "list", root, "--round", R1, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    brief = next(f for f in listed["files"] if f["name"] == "工作简报.pdf")
    assert brief["links"] == [] and brief["department"] == "自然资源局"
    assert {"indicator_key": audit, "department": "审计局", "named": "", "sheet": "", "row": 0} in listed[
        "missing"
    ]
    assign_args = ["evidence", "assign", root, str(brief["id"]), "--round", R1, "--indicator", alien]
    assert cli([*assign_args, "--note", "简报记载防控工作"]) == 0
    assert "已处理" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # argparse: the note is required to remove
        cli(["evidence", "remove", root, str(brief["id"]), "--round", R1])
    assert "--note" in capsys.readouterr().err
    assert cli(["evidence", "assign", root, "99999", "--round", R1, "--indicator", alien]) == 2
    assert msg("evidence.not_found", id=99999) in capsys.readouterr().err
    assert cli(["evidence", "list", root, "--round", R1]) == 0
    text = capsys.readouterr().out
    assert f"#{brief['id']}\t自然资源局\t工作简报.pdf → " in text and "（待确认）" in text and "[缺]" in text
    with Project.open(root) as again:
        assert fingerprint(again) != before  # the verdicts' inputs changed: history judges the round again


def test_a_zip_with_a_form_and_jpg_docx_evidence(issued, tmp_path):
    """A zip as a department sends it: the form and its photo (named without extension), its plan
    under a slightly different name (close: to confirm) and a file the form does not name."""
    project, forms = issued
    parts = tmp_path / "打包"
    parts.mkdir()
    fill(
        forms["自然资源局"],
        parts / f"{R1}_自然资源局_填报表.xlsx",
        {BIO: {"current": "已开展", "evidence": "调查现场照片\n生物多样性调查实施方案.docx"}},
        default=1,
    )
    make_jpg(parts / "调查现场照片.jpg", "zip")
    make_docx(parts / "生物多样性调查实施方案（修订稿）.docx", pages=5)
    make_docx(parts / "会议签到表.docx", text="签到")
    z = tmp_path / "自然资源局报送.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in sorted(parts.iterdir()):
            zf.write(f, f"自然资源局/{f.name}")
    res = collect(project, R1, [z])
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in res.results}
    assert by_name[f"{R1}_自然资源局_填报表.xlsx"].status == "accepted"
    for n in ("调查现场照片.jpg", "生物多样性调查实施方案（修订稿）.docx", "会议签到表.docx"):
        assert (by_name[n].status, by_name[n].department) == ("evidence", "自然资源局"), by_name[n].message
    bio = key(project, BIO)
    ev = round_evidence(project, R1)
    assert {(f.name, ln.matched_by, ln.confirmed) for ln, f in ev.for_indicator(bio)} == {
        ("调查现场照片.jpg", "stem", True),
        ("生物多样性调查实施方案（修订稿）.docx", "close", False),
    }
    assert [f.name for f in ev.unassigned()] == ["会议签到表.docx"]
    plan = next(f for _, f in ev.for_indicator(bio) if f.kind == "DOCX")
    assert pages_of(project.root / plan.archived_path) == 5
    assert (
        "对应指标" in by_name["调查现场照片.jpg"].message and "未归类" in by_name["会议签到表.docx"].message
    )
    assert not [m for m in ev.missing if m.indicator_key == bio]  # both names found a file
