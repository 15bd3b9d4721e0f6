"""The desktop app driven as a clerk would: new project → round → generate → departments fill two
forms → drop them on the window → verdicts and an override → 报送情况 and 催报 → export.

Asserts the texts the clerk sees: table cells, the status bar, message boxes (captured by patching
QMessageBox.exec), the 催报 text and the error dialog. Runs offscreen.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QDate, QMimeData, QPoint, QPointF, QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from ecodesk import __version__
from ecodesk.demo import sample_pdf
from ecodesk.messages import EcoDeskError, msg
from tests.filling import fill
from ui import errors
from ui.dialogs import OverrideDialog
from ui.main_window import MainWindow
from ui.models import COLLECT_COLOURS, VERDICT_COLOURS, RecordModel

pytestmark = pytest.mark.gui

ROUND = "2025年第一轮"
RATIO = "生态文明建设工作占党政实绩考核的比例"
SYSTEM = "党政领导干部生态环境损害责任追究制度"
AUDIT = "领导干部自然资源资产离任审计"
DEADLINE = QDate.currentDate().addDays(30)


# ---- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _test_paths():
    QStandardPaths.setTestModeEnabled(True)  # logs and data go to a test location, not the user's
    yield
    QStandardPaths.setTestModeEnabled(False)


class Boxes:
    """Message boxes shown, as (title, text, buttons); ``answer`` is the button text to click."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, list[str]]] = []
        self.answer = ""

    @property
    def texts(self) -> list[str]:
        return [text for _, text, _ in self.shown]


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    captured = Boxes()

    def fake_exec(box: QMessageBox) -> int:
        captured.shown.append((box.windowTitle(), box.text(), [b.text() for b in box.buttons()]))
        for button in box.buttons():
            if captured.answer and button.text() == captured.answer:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return captured


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()) or True)
    return urls


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: Any, settings: QSettings, boxes: Boxes, opened: list[str]) -> MainWindow:
    w = MainWindow(settings=settings, reopen_last=False)
    qtbot.addWidget(w)
    w.show()
    return w


# ---- helpers -----------------------------------------------------------------------------------
def cells(model: RecordModel, row: int) -> list[str]:
    return [model.text(row, c) for c in range(len(model.columns))]


def results(model: RecordModel, row: int) -> list[str]:
    """A 回收 row as 文件, 状态, 部门, 说明 (the 问题数 column is checked on its own)."""
    headers = [col.header for col in model.columns]
    return [model.text(row, c) for c, h in enumerate(headers) if h != "问题数"]


def column(model: RecordModel, header: str) -> list[str]:
    c = [col.header for col in model.columns].index(header)
    return [model.text(r, c) for r in range(len(model.rows))]


def background(model: RecordModel, row: int, header: str) -> str:
    c = [col.header for col in model.columns].index(header)
    return model.data(model.index(row, c), Qt.ItemDataRole.BackgroundRole).color().name().upper()


def status_bar(w: MainWindow) -> str:
    return w.statusBar().currentMessage()


def wait(qtbot: Any, w: MainWindow) -> None:
    qtbot.waitUntil(lambda: not w.busy, timeout=30_000)


def drop(w: MainWindow, paths: list[Path]) -> bool:
    """Drag ``paths`` over the window and drop them, as Explorer does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(400, 300),  # QDragEnterEvent takes an integer point (QDropEvent a float one)
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(w, enter)
    accepted = enter.isAccepted()
    event = QDropEvent(
        QPointF(400, 300),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(w, event)
    return accepted


def create_project(qtbot: Any, w: MainWindow, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = w.start_page
    page.county.setText("测试县")  # QTest cannot type CJK characters
    page.region.setCurrentIndex(page.region.findText("东部地区"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(root))
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    wait(qtbot, w)


def add_round(qtbot: Any, w: MainWindow, name: str = ROUND) -> None:
    page = w.rounds_page
    page.name.setText(name)
    page.deadline.setDate(DEADLINE)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)


def generate(qtbot: Any, w: MainWindow) -> dict[str, Path]:
    qtbot.mouseClick(w.rounds_page.generate_button, Qt.MouseButton.LeftButton)
    wait(qtbot, w)
    return {r["department"]: Path(r["path"]) for r in w.rounds_page.forms.rows if r["path"]}


# ---- the whole workflow ------------------------------------------------------------------------
def test_workflow(
    qtbot: Any,
    window: MainWindow,
    boxes: Boxes,
    opened: list[str],
    tmp_path: Path,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = window
    deadline = DEADLINE.toString("yyyy-MM-dd")
    assert status_bar(w) == "就绪。请新建项目，或打开已有的项目文件夹"
    assert not (w.nav.item(2).flags() & Qt.ItemFlag.ItemIsEnabled)  # 调度轮次 needs a project

    # -- 开始: new project ------------------------------------------------------------------------
    root = tmp_path / "项目"
    create_project(qtbot, w, root, monkeypatch)
    assert w.project is not None
    cat = w.project.catalogue()
    assert status_bar(w) == (
        f"已新建项目：{root}（指标 {len(cat.indicators)} 行，重点任务 {len(cat.tasks)} 项，"
        f"责任部门 {len(cat.departments)} 个）。下一步：在“调度轮次”页添加轮次并生成填报表"
    )
    assert w.project_label.text() == f"测试县　·　{root}"
    assert w.project.settings()["region"] == "east"
    assert w.current_page() is w.rounds_page
    assert w.recent_projects() == [str(root)]
    assert boxes.shown == []

    # -- 调度轮次: a bad name, then a round ----------------------------------------------------------
    add_round(qtbot, w, "第一轮/上")
    assert boxes.texts == [msg("round.bad_name", name="第一轮/上")]
    add_round(qtbot, w)
    assert status_bar(w) == f"已添加轮次『{ROUND}』，截止日期 {deadline}。下一步：点击“生成本轮填报表”"
    assert cells(w.rounds_page.rounds, 0)[:2] == [ROUND, deadline]
    assert w.round_combo.currentText() == f"{ROUND}（截止 {deadline}）"
    forms = generate(qtbot, w)
    folder = root / "下发模板" / ROUND
    assert len(forms) == len([d for d in cat.department_names() if cat.indicators_for(d) or cat.tasks_for(d)])
    assert status_bar(w) == (
        f"已生成 {len(forms)} 份填报表，保存在：{folder}。下一步：把文件发给各部门，收回后拖到“回收”页"
    )
    assert cells(w.rounds_page.forms, 0) == [
        "组织部",
        "第 1 版",
        "2",
        "2",
        f"{ROUND}_组织部_填报表.xlsx",
        "组织部：已生成",
    ]
    qtbot.mouseClick(w.rounds_page.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(folder)]

    # -- departments fill two forms (the ratio fails ≥20) -------------------------------------------
    returned = tmp_path / "报回"
    returned.mkdir()
    tasks = {
        "提高生态文明建设工作占党政实绩考核的比例": {"status": "推进中", "progress": "已修订考核办法"},
        "落实党政领导干部生态环境损害责任追究制度": {"status": "已完成"},
    }
    org = fill(
        forms["组织部"],
        returned / forms["组织部"].name,
        {RATIO: {"current": 15}, SYSTEM: {"current": "已建立", "evidence": "责任追究办法.pdf"}},
        tasks,
    )
    audit = fill(
        forms["审计局"],
        returned / forms["审计局"].name,
        {AUDIT: {"current": "已开展", "evidence": "审计报告"}},
        {"落实领导干部自然资源资产离任审计制度": {"status": "已完成"}},
    )

    # -- 回收: drop the folder on the window ---------------------------------------------------------
    assert drop(w, [returned])
    wait(qtbot, w)
    page = w.collect_page
    assert w.current_page() is page
    rows = {r[0]: r for r in (results(page.results, i) for i in range(len(page.results.rows)))}
    assert rows[org.name] == [
        org.name,
        "已接收",
        "组织部",
        msg("accepted.new", department="组织部", round=ROUND, indicators=2, tasks=2),
    ]
    assert rows[audit.name] == [
        audit.name,
        "已接收",
        "审计局",
        msg("accepted.new", department="审计局", round=ROUND, indicators=1, tasks=1),
    ]
    assert background(page.results, 0, "状态") == COLLECT_COLOURS["accepted"]
    assert status_bar(w) == "本次处理 2 个文件：已接收 2。下一步：到“校验”页查看判定结果"

    # dropping the same files again is safe: the core reports duplicates
    junk = tmp_path / "会议通知.docx"
    junk.write_bytes(b"PK\x03\x04 not really a document")
    drop(w, [org, audit, junk])
    wait(qtbot, w)
    new = [results(page.results, i) for i in range(2, len(page.results.rows))]
    assert [r[1] for r in new] == ["重复", "重复", "无法读取"]
    assert new[0][3].startswith("该文件已于 ") and new[0][3].endswith("接收过，无需重复处理")
    assert (
        status_bar(w)
        == "本次处理 3 个文件：重复 2、无法读取 1。有 1 个文件未能采用，请查看“说明”列并按提示处理。"
    )

    # a corrected file: its changes and problems show when selected
    fixed = fill(
        forms["组织部"],
        tmp_path / f"{ROUND}_组织部_填报表(修改).xlsx",
        {
            RATIO: {"current": 16, "previous": "十八"},
            SYSTEM: {"current": "已建立", "evidence": "责任追究办法.pdf"},
        },
        tasks,
        # saved after the first file (files saved in the same second are not ordered: the clerk is asked)
        saved_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=5),
    )
    drop(w, [fixed])
    wait(qtbot, w)
    last = len(page.results.rows) - 1
    row = results(page.results, last)
    assert row[:3] == [fixed.name, "已接收", "组织部"]
    assert row[3] == "已接收组织部重新报送的填报表，较上次接收的文件有 2 处变化，已替换"
    first_org = column(page.results, "文件").index(org.name)
    assert results(page.results, first_org)[1:] == [
        "已被替换",
        "组织部",
        msg("superseded.replaced", department="组织部"),
    ]
    page.view.selectRow(last)
    details = page.details.toPlainText()
    assert f"『{RATIO}』本期值：15 → 16" in details
    assert f"『{RATIO}』上期值：（空） → 十八" in details
    assert "填写问题（1 处，请报送部门修改）：" in details and "『十八』不是数字" in details

    # an older draft is not used; the clerk adopts it with a note
    draft = fill(
        forms["组织部"],
        tmp_path / f"{ROUND}_组织部_填报表(初稿).xlsx",
        {RATIO: {"current": 12}, SYSTEM: {"current": "已建立", "evidence": "责任追究办法.pdf"}},
        tasks,
        saved_at=dt.datetime(2025, 6, 1, 9),
    )
    drop(w, [draft])
    wait(qtbot, w)
    last = len(page.results.rows) - 1
    assert results(page.results, last)[1] == "已被替换"
    page.view.selectRow(last)
    assert page.adopt_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("电话核实，以初稿数据为准", True))
    qtbot.mouseClick(page.adopt_button, Qt.MouseButton.LeftButton)
    adopted = msg("accepted.reinstated", department="组织部")
    assert results(page.results, last)[1:] == ["已接收", "组织部", adopted]
    assert results(page.results, column(page.results, "文件").index(fixed.name))[1] == "已被替换"
    assert status_bar(w) == f"{adopted}。下一步：到“校验”页查看判定结果"

    # the 佐证材料 the forms name arrive later, the department's name in front: linked to their rows
    evidence = tmp_path / "佐证材料"
    evidence.mkdir()
    (evidence / "组织部_责任追究办法.pdf").write_bytes(sample_pdf("rules"))
    (evidence / "审计局-审计报告.pdf").write_bytes(sample_pdf("audit"))
    drop(w, [evidence])
    wait(qtbot, w)
    assert status_bar(w).startswith("本次处理 2 个文件：佐证材料 2。")

    # -- 校验 ------------------------------------------------------------------------------------
    w.go(w.verdicts_page)
    wait(qtbot, w)
    vp = w.verdicts_page
    n = len(cat.indicators)
    # before the deadline what has not arrived is 待报, not 缺报
    assert vp.counts.text() == f"达标 2　未达标 1　待核实 0　缺报 0　待报 {n - 3}　不适用 0"
    vp.filter.setCurrentIndex(vp.filter.findText("未达标"))
    assert len(vp.verdicts.rows) == 1
    assert cells(vp.verdicts, 0) == ["1", RATIO, "组织部(考核办)", "12", "", "≥20", "未达标", ""]
    assert background(vp.verdicts, 0, "判定") == VERDICT_COLOURS["未达标"]
    vp.view.selectRow(0)
    reason = f"本期 12%，未达到 ≥20%（组织部，{draft.name}，指标填报!G4）"
    assert f"理由：{reason}" in vp.details.toPlainText()
    assert f"数据来源：\n组织部，{draft.name}，指标填报!G4" in vp.details.toPlainText()

    note = "经与组织部核实，考核比例已调整为20%"
    monkeypatch.setattr(OverrideDialog, "ask", classmethod(lambda cls, *a, **k: ("达标", note, "20")))
    qtbot.mouseClick(vp.override_button, Qt.MouseButton.LeftButton)
    wait(qtbot, w)
    assert status_bar(w) == f"已将『{RATIO}』改判为达标，说明已记入台账，汇总表中会注明"
    assert vp.verdicts.rows == []  # no 未达标 left
    vp.filter.setCurrentIndex(vp.filter.findText("全部"))
    i = column(vp.verdicts, "指标名称").index(RATIO)
    assert cells(vp.verdicts, i)[6:] == ["达标", "已改判"]
    vp.view.selectRow(i)
    assert (
        f"理由：人工改判为达标（{note}；系统判定：未达标）；本期值更正为 20（原填报 12）。{reason}"
        in vp.details.toPlainText()
    )
    vp.view.selectRow(column(vp.verdicts, "指标名称").index(SYSTEM))
    qtbot.mouseClick(vp.confirm_button, Qt.MouseButton.LeftButton)
    wait(qtbot, w)
    assert status_bar(w) == f"已确认『{SYSTEM}』的判定：达标"
    assert cells(vp.verdicts, column(vp.verdicts, "指标名称").index(SYSTEM))[6:] == ["达标", "已确认"]
    vp.filter.setCurrentIndex(vp.filter.findText("部门：审计局"))
    assert column(vp.verdicts, "指标名称") == [AUDIT]

    # -- 报送情况 and 催报 --------------------------------------------------------------------------
    w.go(w.status_page)
    sp = w.status_page
    departments = len(sp.statuses.rows)
    assert sp.summary.text() == (
        f"『{ROUND}』截止 {deadline}：{departments} 个部门，已报送 2 个，待报（未到期） {departments - 2} 个"
    )
    org_row = cells(sp.statuses, column(sp.statuses, "部门").index("组织部"))
    assert org_row[1] == "已报送" and org_row[3] == "" and org_row[5] == ""  # on time, nothing missing
    assert cells(sp.statuses, column(sp.statuses, "部门").index("生态环境分局"))[1] == "待报（未到期）"
    reminder = sp.reminder.toPlainText()
    assert (
        reminder.splitlines()[0] == f"【催报】测试县生态文明建设示范区创建{ROUND}填报（截止日期 {deadline}）"
    )
    assert reminder.splitlines()[1] == f"距截止日期还有 30 天，以下 {departments - 2} 个部门尚未报送，请按时报送："
    assert "生态环境分局" in reminder.splitlines()[2] and "组织部" not in reminder.splitlines()[2]
    qtbot.mouseClick(sp.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == reminder
    assert status_bar(w) == "催报通知已复制，可以粘贴到微信群或邮件中发送"

    # -- 导出 ------------------------------------------------------------------------------------
    w.go(w.export_page)
    ep = w.export_page
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    previews: list[str] = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda d: previews.append(d.windowTitle()) or 0)
    qtbot.mouseClick(ep.preview_button, Qt.MouseButton.LeftButton)
    wait(qtbot, w)
    assert previews == ["打印预览：汇总表（与 PDF 相同的页面）"]
    from ui.report_pages import page_texts

    texts = page_texts(ep.preview_pages)
    assert "测试县国家生态文明建设示范区创建" in texts[0] and "工作简报" in texts[0]
    assert any(RATIO in t for t in texts)

    monkeypatch.setattr("ecodesk.office.find_soffice", lambda: None)  # a PC without LibreOffice
    ep.pdf.setChecked(True)
    qtbot.mouseClick(ep.report_button, Qt.MouseButton.LeftButton)
    wait(qtbot, w)
    report = root / "汇总报告" / f"{ROUND}_汇总表.xlsx"
    assert report.is_file()
    pdf = report.with_suffix(".pdf")  # drawn by Qt from the same pages
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert ep.pdf_label.text() == f"PDF（本机未安装 LibreOffice，由本程序按同一版式生成）：{pdf}"
    assert ep.report_label.text() == f"已生成汇总表：{report}"
    assert status_bar(w) == f"已生成汇总表：{report.name}。点击“打开文件”查看"
    qtbot.mouseClick(ep.open_file_button, Qt.MouseButton.LeftButton)
    assert opened[-1] == str(report)
    qtbot.mouseClick(ep.revisions_button, Qt.MouseButton.LeftButton)
    wait(qtbot, w)
    assert status_bar(w) == ep.revisions_label.text()
    assert status_bar(w).startswith(
        ("已为 ", "没有需要退回修改的部门", f"{len(ep.revisions.rows)} 个部门有问题")
    )
    assert "生态环境分局" not in column(ep.revisions, "部门")  # not reported, but not due yet either
    assert boxes.texts == [msg("round.bad_name", name="第一轮/上")]  # no other message box all along


def test_generate_can_be_cancelled(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_project(qtbot, window, tmp_path / "项目", monkeypatch)
    add_round(qtbot, window)
    page = window.rounds_page
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    assert page.progress.isVisible() and not page.generate_button.isEnabled()
    qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert page.progress.label.text() == "正在取消，请稍候…"
    wait(qtbot, window)
    made = len(page.forms.rows)
    assert made < len(window.project.catalogue().departments)
    assert status_bar(window) == (
        f"已取消：只生成了 {made} 个部门的填报表，其余部门未生成。需要时请再次点击“生成本轮填报表”"
    )
    assert not page.progress.isVisible() and page.generate_button.isEnabled()


def test_locked_report_offers_retry(
    qtbot: Any, window: MainWindow, boxes: Boxes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report_mod = pytest.importorskip("ecodesk.report", reason="ecodesk.report 尚未提供")
    create_project(qtbot, window, tmp_path / "项目", monkeypatch)
    add_round(qtbot, window)
    real = report_mod.write_report
    calls: list[int] = []

    def locked_once(project: Any, round_name: str, **kw: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise PermissionError(
                13, "Permission denied", str(tmp_path / "项目" / "汇总报告" / "汇总表.xlsx")
            )
        return real(project, round_name, **kw)

    monkeypatch.setattr(report_mod, "write_report", locked_once)
    boxes.answer = "重试"
    window.go(window.export_page)
    qtbot.mouseClick(window.export_page.report_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(calls) == 2 and not window.busy, timeout=30_000)
    _title, text, buttons = boxes.shown[0]
    assert (
        text
        == "无法写入『汇总表.xlsx』，它可能正在 Excel 或 WPS 中打开。请先在 Excel 中关闭该文件，再点击重试"
    )
    assert buttons[:2] == ["重试", "取消"]  # then Qt's 显示详细信息 (details for support)
    assert window.export_page.report_label.text().startswith("已生成汇总表：")


def test_catalogue_page_edits_through_the_core(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecodesk.project import init_project

    root = tmp_path / "已有项目"
    init_project(root, county="平湖市", region="central_west_other").close()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(root))
    qtbot.mouseClick(window.start_page.open_button, Qt.MouseButton.LeftButton)
    assert status_bar(window) == f"已打开项目：平湖市（{root}）"
    window.go(window.catalogue_page)
    page = window.catalogue_page
    assert page.region.currentText() == "中西部其他地区"

    page.filter.setCurrentIndex(page.filter.findText("部门：审计局"))
    assert column(page.indicators, "指标名称") == [AUDIT]
    page.filter.setCurrentIndex(0)
    row = column(page.indicators, "指标名称").index("生态系统保护修复：森林覆盖率*")
    page.indicator_view.selectRow(row)
    assert "上期" in page.explanation.text()  # 保持稳定或持续改善 compares with the previous value
    page.local_target.setText("力争达到 65%")
    page.tolerance.setValue(0.5)
    qtbot.mouseClick(page.save_indicator_button, Qt.MouseButton.LeftButton)
    assert status_bar(window) == "已保存『森林覆盖率』的本地目标和容差。重新生成填报表后，各部门会看到新内容"
    saved = next(i for i in window.project.catalogue().indicators if i.name == "森林覆盖率")
    assert (saved.local_target_text, saved.tolerance) == ("力争达到 65%", 0.5)
    assert cells(page.indicators, row)[5:7] == ["力争达到 65%", "0.5"]

    page.tabs.setCurrentIndex(1)
    page.department_view.selectRow(column(page.departments, "部门").index("审计局"))
    page.aliases.setText("市审计局、审计局、 县审计局")
    page.dept_contact.setText("王五 0573-1234567")
    qtbot.mouseClick(page.save_department_button, Qt.MouseButton.LeftButton)
    assert status_bar(window) == "已保存审计局的别名和联系方式"
    dept = next(d for d in window.project.catalogue().departments if d.name == "审计局")
    assert (dept.aliases, dept.contact) == (["市审计局", "县审计局"], "王五 0573-1234567")

    page.region.setCurrentIndex(page.region.findText("东部地区"))
    page.contact.setText("创建办 张三 0573-7654321")
    qtbot.mouseClick(page.save_settings_button, Qt.MouseButton.LeftButton)
    assert status_bar(window).startswith("已保存项目设置。")
    assert window.project.settings()["region"] == "east"
    assert window.project.settings()["office_contact"] == "创建办 张三 0573-7654321"


def test_last_project_reopens(qtbot: Any, settings: QSettings, tmp_path: Path, boxes: Boxes) -> None:
    from ecodesk.project import init_project

    root = tmp_path / "上次的项目"
    init_project(root, county="嵊州市").close()
    settings.setValue("last_project", str(root))
    settings.setValue("recent_projects", [str(root)])
    w = MainWindow(settings=settings)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.project is not None)
    assert w.project_label.text() == f"嵊州市　·　{root}"
    w.go(w.start_page)
    assert w.start_page.recent.item(0).text() == str(root)

    w.close_project()
    root.joinpath("ecodesk.sqlite").unlink()
    w2 = MainWindow(settings=settings)
    qtbot.addWidget(w2)
    qtbot.waitUntil(lambda: status_bar(w2).startswith("上次的项目"))
    assert status_bar(w2) == f"上次的项目文件夹『{root}』已不存在，请新建项目或打开其他项目"
    assert boxes.shown == []


def test_error_messages_say_what_to_do() -> None:
    locked = PermissionError(13, "Permission denied", r"C:\报告\汇总表.xlsx")
    assert errors.describe(locked)[0] == (
        "无法写入『汇总表.xlsx』，它可能正在 Excel 或 WPS 中打开。请先在 Excel 中关闭该文件，再点击重试"
    )
    assert (
        errors.describe(EcoDeskError("round.exists", name="一轮"))[0]
        == "调度轮次『一轮』已存在，请换一个名称"
    )
    assert errors.describe(ZeroDivisionError("x"))[0] == errors.UNEXPECTED


def test_uncaught_exception_dialog(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[errors.ErrorDialog] = []
    monkeypatch.setattr(errors.ErrorDialog, "exec", lambda d: shown.append(d) or 0)
    monkeypatch.setattr(errors, "HEADLESS_PLATFORMS", ())  # as on a desktop
    try:
        raise RuntimeError("测试用的意外错误")
    except RuntimeError as exc:
        errors.excepthook(type(exc), exc, exc.__traceback__)
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "EcoDesk 出错了"
    assert dialog.version.text() == f"EcoDesk 版本 {__version__}"
    details = dialog.details.toPlainText()
    assert details.startswith(f"EcoDesk 版本 {__version__}\n")
    assert "RuntimeError: 测试用的意外错误" in details
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == details
    assert dialog.copy_button.text() == "已复制"
    assert any("测试用的意外错误" in r.getMessage() for r in caplog.records)


def test_uncaught_exception_without_a_screen_goes_to_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Offscreen nobody could close the dialog: the tool would hang (as ui.screenshot did)."""
    assert QGuiApplication.platformName() == "offscreen"
    monkeypatch.setattr(errors.ErrorDialog, "exec", lambda d: pytest.fail("a dialog nobody can close"))
    try:
        raise RuntimeError("无人值守时的错误")
    except RuntimeError as exc:
        errors.excepthook(type(exc), exc, exc.__traceback__)
    assert "RuntimeError: 无人值守时的错误" in capsys.readouterr().err


def test_override_needs_a_note(qtbot: Any) -> None:
    dialog = OverrideDialog(RATIO, "未达标", "未达标")
    qtbot.addWidget(dialog)
    dialog.verdict.setCurrentText("达标")
    dialog._accept()
    assert dialog.error.text() == "请填写改判说明：为什么改判、依据是什么"
    assert dialog.result() == 0
    dialog.note.setPlainText("以省站数据为准")
    dialog.value.setText(" 100 ")
    dialog._accept()
    assert dialog.values() == ("达标", "以省站数据为准", "100")


def test_selftest_command(tmp_path: Path) -> None:
    env = {**_env(), "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path)}  # its log goes to tmp
    done = subprocess.run(
        [sys.executable, "-m", "ui.app", "--selftest"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for step in (
        "打开窗口",
        "新建项目",
        "添加轮次",
        "生成填报表",
        "填写两份填报表",
        "回收",
        "校验",
        "报送情况",
        "生成汇总表",
    ):
        assert any(line.startswith(f"[通过] {step}") for line in lines), done.stdout
    assert lines[-1].startswith("自检通过")


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}


def test_window_starts_fast_without_heavy_imports(tmp_path: Path) -> None:
    """openpyxl, xlsxwriter, calamine and pandas load inside actions, so the window is interactive at once."""
    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "from PySide6.QtCore import QSettings\n"
        "from ui.app import create_app\n"
        "app = create_app(['ecodesk-gui'])\n"
        "from ui.main_window import MainWindow\n"
        "w = MainWindow(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat), reopen_last=False)\n"
        "w.show(); app.processEvents()\n"
        "print(time.perf_counter() - t)\n"
        "print(','.join(m for m in ('openpyxl', 'xlsxwriter', 'python_calamine', 'pandas') if m in sys.modules))\n"
    )
    env = {**_env(), "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "s.ini")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    _seconds, heavy = done.stdout.splitlines()[-2:]
    assert heavy == ""  # the timing itself is measured in bench/bench_startup.py
