"""导出: the consolidated workbook (and PDF), return-for-revision files, and a print preview that
draws the same pages as the PDF (from the report's one layout, :mod:`ui.report_pages`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..models import Column, RecordModel
from ..widgets import ProgressPanel, hint, make_table, open_path
from .base import Page

if TYPE_CHECKING:
    from ..state import AppState

OUTPUT_COLUMNS = [
    Column("类别", lambda o: o.kind, align_center=True),
    Column("文件", lambda o: o.name, tooltip=lambda o: str(o.path)),
    Column("版本", lambda o: f"第 {o.version} 版" if o.version else "", align_center=True),
    Column("生成时间", lambda o: o.modified, align_center=True),
]
REVISION_COLUMNS = [
    Column("部门", lambda r: r.department),
    Column("问题数", lambda r: len(r.problems), align_center=True),
    Column("退回修改稿", lambda r: Path(r.path).name if r.path else ""),
    Column("说明", lambda r: getattr(r, "message", ""), tooltip=lambda r: "\n".join(r.problems)),
]


class ExportPage(Page):
    title = "导出"

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.report_path = ""
        self.pdf_path = ""
        self.revision_folder = ""
        self.preview_pages: list[Any] = []  # the layouts the preview draws

        box = QGroupBox("汇总表")
        bl = QVBoxLayout(box)
        bl.addWidget(
            hint(
                "汇总表按附件1 的格式列出每项指标的本期值、上期值和完成情况，附报送情况和重点任务进展。"
                "改判和确认会注明。"
            )
        )
        row = QHBoxLayout()
        self.pdf = QCheckBox("同时生成 PDF（需要本机安装 LibreOffice）")
        self.report_button = QPushButton("生成汇总表")
        self.report_button.clicked.connect(self.write_report)
        row.addWidget(self.pdf)
        row.addStretch(1)
        row.addWidget(self.report_button)
        bl.addLayout(row)
        self.progress = ProgressPanel(cancellable=False)
        bl.addWidget(self.progress)
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        bl.addWidget(self.report_label)
        self.pdf_label = QLabel()
        self.pdf_label.setWordWrap(True)
        bl.addWidget(self.pdf_label)
        row = QHBoxLayout()
        self.open_file_button = QPushButton("打开文件")
        self.open_file_button.clicked.connect(lambda: open_path(self.report_path))
        self.open_pdf_button = QPushButton("打开 PDF")
        self.open_pdf_button.clicked.connect(lambda: open_path(self.pdf_path))
        self.open_folder_button = QPushButton("打开文件夹")
        self.open_folder_button.clicked.connect(lambda: open_path(Path(self.report_path).parent))
        self.preview_button = QPushButton("打印预览…")
        self.preview_button.clicked.connect(self.print_preview)
        row.addWidget(self.open_file_button)
        row.addWidget(self.open_pdf_button)
        row.addWidget(self.open_folder_button)
        row.addStretch(1)
        row.addWidget(self.preview_button)
        bl.addLayout(row)
        bl.addWidget(QLabel("本轮已生成的文件（每次生成都另存一版，不覆盖以前的；双击打开）："))
        self.outputs = RecordModel(OUTPUT_COLUMNS)
        self.output_view = make_table(self.outputs, stretch=1, widths={0: 80, 2: 70, 3: 130})
        self.output_view.doubleClicked.connect(self._open_output)
        self.output_view.selectionModel().currentRowChanged.connect(lambda *_: self._select_output())
        bl.addWidget(self.output_view, 1)
        self.layout_.addWidget(box, 3)

        rbox = QGroupBox("退回修改")
        rl = QVBoxLayout(rbox)
        rl.addWidget(
            hint(
                "为报回的表格有问题（数字填错、缺项等）的部门，各复制一份它报回的表格，标出要改的单元格并批注改法，"
                "发回给部门修改后重新报送。"
            )
        )
        row = QHBoxLayout()
        self.revisions_label = QLabel()
        self.revisions_label.setWordWrap(True)
        self.revisions_button = QPushButton("生成退回修改稿")
        self.revisions_button.clicked.connect(self.write_revisions)
        self.open_revisions_button = QPushButton("打开文件夹")
        self.open_revisions_button.clicked.connect(lambda: open_path(self.revision_folder))
        row.addStretch(1)
        row.addWidget(self.revisions_button)
        row.addWidget(self.open_revisions_button)
        rl.addLayout(row)
        rl.addWidget(self.revisions_label)
        self.revisions = RecordModel(REVISION_COLUMNS)
        rl.addWidget(make_table(self.revisions, stretch=3, widths={0: 140, 1: 60, 2: 300}), 1)
        self.layout_.addWidget(rbox, 2)
        self._update_buttons()

    def refresh(self) -> None:
        """The round's outputs as they are on disk (so a restart loses nothing)."""
        self.report_path = self.pdf_path = self.revision_folder = ""
        self.pdf_label.clear()
        self.revisions_label.clear()
        self.revisions.set_rows([])
        outputs = self.list_outputs()
        reports = [o for o in outputs if o.kind == "汇总表"]
        if reports:
            latest = reports[0]
            self.report_path = str(latest.path)
            pdf = next((o for o in outputs if o.kind == "PDF" and o.path.stem == latest.path.stem), None)
            self.pdf_path = str(pdf.path) if pdf else ""
            self.report_label.setText(f"最新的汇总表：{self.report_path}（{latest.modified} 生成）")
        else:
            self.report_label.setText(
                f"当前轮次：{self.round_name}，还没有生成汇总表" if self.round_name else "请先添加轮次"
            )
        revisions = [o for o in outputs if o.kind == "退回修改稿"]
        pending = self._pending_revisions({o.path.name: o.path for o in revisions})
        if revisions:
            self.revision_folder = str(revisions[0].path.parent)
            self.revisions_label.setText(
                f"已有 {len(revisions)} 份退回修改稿，保存在：{self.revision_folder}（见上方文件列表）"
            )
        elif pending:
            self.revisions_label.setText(pending)
        if not self.round_name:
            self.set_guide("先在“调度轮次”页添加轮次")
        elif self.read_only:
            self.set_guide("项目是只读的：可以打开已生成的文件，不能生成新文件")
        elif reports:
            self.set_guide("打开汇总表核对后打印；数据有变化时再点“生成汇总表”，会另存为新的一版")
        else:
            self.set_guide("点击“生成汇总表”；有问题的部门可生成退回修改稿发回修改")
        self._update_buttons()

    def _pending_revisions(self, written: dict[str, Path]) -> str:
        """Fill the 退回修改 table with each department's problems as they stand (what 生成退回修改稿
        will make; the 开始 page counts the same), and say so."""
        from ecodesk.forms.issue import safe_filename
        from ecodesk.ledger.current import current_files
        from ecodesk.report.data import revision_problems
        from ecodesk.report.revision import RevisionFile

        name, project = self.round_name, self.project
        if not name or project is None:
            return ""
        problems = self.state.attempt(lambda: revision_problems(project, name)) or {}
        rnd = self.state.attempt(lambda: project.round(name))
        current = set(current_files(project.ledger.conn, rnd.id)) if rnd is not None else set()
        rows = []
        for dept, found in problems.items():
            texts = [f"{p.item}：{p.own}（{p.ask}）" for p in found]
            if dept not in current:
                rows.append(RevisionFile(dept, None, texts, "该部门尚未报送，无可退回的文件，请催报"))
                continue
            copy = written.get(f"{safe_filename(name)}_{safe_filename(dept)}_退回修改.xlsx")
            said = "已生成（数据有变化时请重新生成）" if copy else "待生成：点击“生成退回修改稿”"
            rows.append(RevisionFile(dept, copy, texts, f"{said}；鼠标停在此处可看问题"))
        self.revisions.set_rows(rows)
        to_revise = sum(1 for d in problems if d in current)
        if not to_revise:
            return ""
        return (
            f"{to_revise} 个部门报回的表格有问题（见下表，鼠标停在“说明”上可看各项问题），"
            "点击“生成退回修改稿”为每个部门各生成一份"
        )

    def list_outputs(self) -> list[Any]:
        from ecodesk.outputs import list_outputs

        name, project = self.round_name, self.project
        if not name or project is None:
            rows: list[Any] = []
        else:
            rows = self.state.attempt(lambda: list_outputs(project, name)) or []
        self.outputs.set_rows(rows)
        return rows

    def _select_output(self) -> None:
        o = self.outputs.record(self.output_view.currentIndex())
        if o is not None and o.kind == "汇总表":
            self.report_path = str(o.path)
            self._update_buttons()

    def _open_output(self) -> None:
        o = self.outputs.record(self.output_view.currentIndex())
        if o is not None:
            open_path(o.path)

    def update_actions(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = not self.busy and bool(self.round_name)
        self.report_button.setEnabled(ready and not self.read_only)
        self.revisions_button.setEnabled(ready and not self.read_only)
        self.preview_button.setEnabled(ready)
        self.open_file_button.setEnabled(bool(self.report_path))
        self.open_folder_button.setEnabled(bool(self.report_path))
        self.open_pdf_button.setEnabled(bool(self.pdf_path))
        self.open_revisions_button.setEnabled(bool(self.revision_folder))

    def set_busy(self, busy: bool) -> None:
        self._update_buttons()

    # ---- consolidated workbook -----------------------------------------------------------------
    def write_report(self) -> None:
        name = self.need_round()
        if not name or not self.state.writable():
            return
        pdf = self.pdf.isChecked()

        def call(project: Any, progress: Any, cancel: Any) -> Any:
            from ecodesk.report import write_report

            return write_report(project, name, pdf=pdf, progress=progress)

        text = "正在生成汇总表和 PDF…" if pdf else "正在生成汇总表…"
        self.run(call, text=text, on_done=self._reported, panel=self.progress, retry=self.write_report)

    def _reported(self, result: Any) -> None:
        self.report_path = str(result.path)
        self.pdf_path = str(result.pdf) if getattr(result, "pdf", None) else ""
        self.report_label.setText(f"已生成汇总表：{self.report_path}")
        pdf_error = getattr(result, "pdf_error", None)
        drawn = False
        if self.pdf.isChecked() and not self.pdf_path and getattr(result, "layouts", None):
            self._qt_pdf(result)  # no LibreOffice: the same pages, drawn by Qt
            drawn = bool(self.pdf_path)
            pdf_error = "" if drawn else pdf_error
        if self.pdf_path:
            self.pdf_label.setStyleSheet("")
            how = "（本机未安装 LibreOffice，由本程序按同一版式生成）" if drawn else ""
            self.pdf_label.setText(f"PDF{how}：{self.pdf_path}")
        elif pdf_error:
            self.pdf_label.setStyleSheet("color: #8A4B00;")
            self.pdf_label.setText(f"未生成 PDF：{pdf_error}")
        else:
            self.pdf_label.clear()
        self.list_outputs()
        self._update_buttons()
        self.set_guide("点击“打开文件”核对汇总表，无误后打印")
        self.say(f"已生成汇总表：{Path(self.report_path).name}。点击“打开文件”查看")

    def _qt_pdf(self, result: Any) -> None:
        from ecodesk.messages import msg

        from ..report_pages import save_pdf

        if result.pdf_error != msg("report.no_libreoffice"):
            return
        try:
            self.pdf_path = str(save_pdf(result.layouts, Path(result.path).with_suffix(".pdf")))
        except OSError:
            self.pdf_path = ""

    # ---- return-for-revision files ---------------------------------------------------------------
    def write_revisions(self) -> None:
        name = self.need_round()
        if not name or not self.state.writable():
            return

        def call(project: Any, progress: Any, cancel: Any) -> Any:
            from ecodesk.report.revision import write_revisions

            return write_revisions(project, name)

        self.run(
            call,
            text="正在生成退回修改稿…",
            on_done=self._revised,
            panel=self.progress,
            retry=self.write_revisions,
        )

    def _revised(self, results: list[Any]) -> None:
        self.revisions.set_rows(results)
        written = [r for r in results if r.path]
        self.revision_folder = str(Path(written[0].path).parent) if written else ""
        if written:
            text = f"已为 {len(written)} 个部门生成退回修改稿，保存在：{self.revision_folder}"
            if len(written) < len(results):
                text += f"；另有 {len(results) - len(written)} 个部门有问题但没有可退回的文件，见“说明”列"
        elif results:
            text = f"{len(results)} 个部门有问题，但没有可退回的文件，请查看“说明”列"
        else:
            text = "没有需要退回修改的部门：已报送的表格都没有发现问题"
        self.revisions_label.setText(text)
        self.list_outputs()
        self._update_buttons()
        self.say(text)

    # ---- print preview -------------------------------------------------------------------------
    def print_preview(self) -> None:
        name = self.need_round()
        if not name:
            return

        def call(project: Any, progress: Any, cancel: Any) -> Any:
            from ecodesk.report.data import gather
            from ecodesk.report.writer import layouts

            return layouts(gather(project, name))

        self.run(call, text="正在准备打印预览…", on_done=self._show_preview)

    def _show_preview(self, pages: list[Any]) -> None:
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from ..report_pages import paint

        self.preview_pages = pages
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("打印预览：汇总表（与 PDF 相同的页面）")
        dialog.paintRequested.connect(lambda p: paint(pages, p))
        dialog.resize(1000, 700)
        self.say("已打开打印预览，可在预览窗口中选择打印机打印")
        dialog.exec()
