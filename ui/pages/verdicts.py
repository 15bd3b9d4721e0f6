"""校验: every indicator's verdict with colour, filters, the selected row's reason and source cells,
确认 / 改判 / 撤销; and the key tasks' progress."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..dialogs import OverrideDialog
from ..models import TASK_COLOURS, VERDICT_COLOURS, Column, RecordModel
from ..widgets import make_table
from .base import Page

if TYPE_CHECKING:
    from ..state import AppState

CONFIRM_NOTE = "经核对，确认系统判定"


def indicator_name(v: Any) -> str:
    return f"{v.group}：{v.name}" if v.group else v.name


def manual(v: Any) -> str:
    if not v.overridden:
        return ""
    return "已确认" if v.verdict == v.computed else "已改判"


VERDICT_COLUMNS = [
    Column("序号", lambda v: v.number, align_center=True),
    Column("指标名称", indicator_name),
    Column("责任部门", lambda v: v.departments),
    Column("本期值", lambda v: v.value, align_center=True),
    Column("上期值", lambda v: v.previous, align_center=True),
    Column("指标值", lambda v: v.target_text),
    Column("判定", lambda v: v.verdict, colour=lambda v: VERDICT_COLOURS.get(v.verdict), align_center=True),
    Column("人工", manual, align_center=True),
]
TASK_COLUMNS = [
    Column("序号", lambda t: t.number, align_center=True),
    Column("主要任务", lambda t: t.title),
    Column("部门", lambda t: t.department),
    Column("完成状态", lambda t: t.status, colour=lambda t: TASK_COLOURS.get(t.status), align_center=True),
    Column("进展情况", lambda t: t.progress),
    Column("存在问题", lambda t: t.problems),
]
FILTERS = (
    ("全部", ("all", "")),
    ("未达标", ("verdict", "未达标")),
    ("待核实", ("verdict", "待核实")),
    ("缺报", ("verdict", "缺报")),
    ("待报（未到截止日期）", ("verdict", "待报")),
    ("达标", ("verdict", "达标")),
    ("不适用", ("verdict", "不适用")),
)


class VerdictsPage(Page):
    title = "校验"

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.result: Any = None
        self.departments_of: dict[str, list[str]] = {}

        row = QHBoxLayout()
        row.addWidget(QLabel("显示："))
        self.filter = QComboBox()
        self.filter.setMinimumWidth(200)
        for label, data in FILTERS:
            self.filter.addItem(label, data)
        self.filter.currentIndexChanged.connect(lambda _index: self._apply_filter())
        row.addWidget(self.filter)
        self.counts = QLabel()
        row.addWidget(self.counts, 1)
        self.refresh_button = QPushButton("重新校验")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        self.layout_.addLayout(row)

        self.tabs = QTabWidget()
        tab = QWidget()
        tl = QVBoxLayout(tab)
        self.verdicts = RecordModel(VERDICT_COLUMNS)
        self.view = make_table(
            self.verdicts, stretch=1, widths={0: 44, 2: 190, 3: 80, 4: 70, 5: 170, 6: 70, 7: 56}
        )
        self.view.selectionModel().currentRowChanged.connect(self.show_details)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 130])  # the table gets the space; the details are a few lines
        tl.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton("确认")
        self.confirm_button.setToolTip("核对无误，确认系统判定（记入台账，汇总表中注明已人工确认）")
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.override_button = QPushButton("改判…")
        self.override_button.clicked.connect(self.override_selected)
        self.clear_button = QPushButton("撤销人工处理")
        self.clear_button.clicked.connect(self.clear_selected)
        buttons.addStretch(1)
        for b in (self.confirm_button, self.override_button, self.clear_button):
            buttons.addWidget(b)
        tl.addLayout(buttons)
        self.tabs.addTab(tab, "指标判定")
        self.tasks = RecordModel(TASK_COLUMNS)
        self.tabs.addTab(
            make_table(self.tasks, stretch=4, widths={0: 44, 1: 240, 2: 110, 3: 80, 5: 200}), "重点任务进展"
        )
        self.layout_.addWidget(self.tabs, 1)
        self.show_details()

    # ---- load ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        name = self.round_name
        if not name or self.project is None:
            self.result = None
            self.verdicts.set_rows([])
            self.tasks.set_rows([])
            self.counts.setText("请先添加轮次并回收报回的填报表")
            return

        def call(project: Any, progress: Any, cancel: Any) -> Any:
            from ecodesk.verdicts import judge_round

            return judge_round(project, name)

        self.counts.setText("正在校验…")
        self.run(call, text=f"正在校验『{name}』…", on_done=self._judged, retry=self.refresh)

    def _judged(self, result: Any) -> None:
        assert self.project is not None
        keep = self.selected()
        self.result = result
        cat = self.project.catalogue()
        self.departments_of = {i.key: i.departments for i in cat.indicators}
        current = self.filter.currentData()
        self.filter.blockSignals(True)
        while self.filter.count() > len(FILTERS):
            self.filter.removeItem(len(FILTERS))
        inds_of, _tasks = cat.by_department()
        for d in cat.department_names():
            if inds_of.get(d):
                self.filter.addItem(f"部门：{d}", ("dept", d))
        self.filter.setCurrentIndex(max(0, self.filter.findData(current)))
        self.filter.blockSignals(False)
        counts = result.counts()
        self.counts.setText("　".join(f"{k} {n}" for k, n in counts.items()))
        if counts.get("未达标") or counts.get("待核实"):
            self.set_guide("在“显示”中选“未达标”“待核实”，逐项核对理由和数据来源，必要时“确认”或“改判…”")
        elif counts.get("待报") or counts.get("缺报"):
            self.set_guide("还有部门没有报送：到“报送情况”页复制催报通知")
        else:
            self.set_guide("已全部核对：到“导出”页生成汇总表")
        self.tasks.set_rows(result.tasks)
        self._apply_filter(keep.key if keep else None)
        self.say(f"『{result.round}』校验完成：" + "，".join(f"{k} {n} 项" for k, n in counts.items() if n))

    def _apply_filter(self, select_key: str | None = None) -> None:
        kind, value = self.filter.currentData() or ("all", "")
        rows = list(self.result.verdicts) if self.result else []
        if kind == "verdict":
            rows = [v for v in rows if v.verdict == value]
        elif kind == "dept":
            rows = [v for v in rows if value in self.departments_of.get(v.key, [])]
        self.verdicts.set_rows(rows)
        index = next((i for i, v in enumerate(rows) if v.key == select_key), 0 if rows else -1)
        if index >= 0:
            self.view.selectRow(index)
        self.show_details()

    def select_key(self, key: str) -> None:
        for i, v in enumerate(self.verdicts.rows):
            if v.key == key:
                self.view.selectRow(i)
                return

    # ---- the selected indicator ----------------------------------------------------------------
    def selected(self) -> Any:
        return self.verdicts.record(self.view.currentIndex())

    def show_details(self) -> None:
        v = self.selected()
        can = v is not None and not self.busy and not self.read_only
        self.override_button.setEnabled(can)
        self.confirm_button.setEnabled(can and v.computed != "待报")  # nothing to confirm before it is due
        self.clear_button.setEnabled(can and bool(manual(v)))
        if v is None:
            self.details.setHtml("<p style='color:#666'>选择一行，查看判定理由和数据来源</p>")
            return
        e = html.escape
        colour = VERDICT_COLOURS.get(v.verdict, "#FFFFFF")
        parts = [
            f"<p><b>{e(indicator_name(v))}</b>　<span style='background:{colour}'>&nbsp;{e(v.verdict)}&nbsp;</span>"
        ]
        if v.verdict != v.computed:
            parts.append(f"（系统判定：{e(v.computed)}）")
        parts.append("</p>")
        parts.append(f"<p><b>理由：</b>{e(v.reason)}</p>")
        if v.sources:
            items = "".join(
                f"<li>{e(s['department'])}，{e(s['file'])}，{e(s['sheet'])}!{e(s['cell'])}</li>"
                for s in v.sources
            )
            parts.append(f"<p><b>数据来源：</b></p><ul>{items}</ul>")
        if v.issues:
            items = "".join(f"<li>{e(i)}</li>" for i in v.issues)
            parts.append(f"<p><b>需要核实：</b></p><ul>{items}</ul>")
        if v.override_note:
            parts.append(f"<p><b>人工说明：</b>{e(v.override_note)}</p>")
        self.details.setHtml("".join(parts))

    def set_busy(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        self.show_details()

    # ---- decisions -----------------------------------------------------------------------------
    def confirm_selected(self) -> None:
        v = self.selected()
        if v is not None:
            self.override(v.key, v.computed, CONFIRM_NOTE)

    def override_selected(self) -> None:
        v = self.selected()
        if v is None:
            return
        answer = OverrideDialog.ask(indicator_name(v), v.computed, v.verdict, self)
        if answer is not None:
            self.override(v.key, *answer)

    def override(self, key: str, verdict: str, note: str, value: str = "") -> None:
        name = self.need_round()
        if not name or not self.state.writable():
            return

        def call(project: Any, progress: Any, cancel: Any) -> Any:
            from ecodesk.verdicts import judge_round, override_verdict

            override_verdict(project, name, key, verdict, note, value)
            return judge_round(project, name)

        def done(result: Any) -> None:
            self._judged(result)
            self.select_key(key)
            v = next((x for x in result.verdicts if x.key == key), None)
            label = indicator_name(v) if v else key
            if v is not None and v.verdict == v.computed:
                self.say(f"已确认『{label}』的判定：{verdict}")
            else:
                self.say(f"已将『{label}』改判为{verdict}，说明已记入台账，汇总表中会注明")
            self.state.changed(self)

        self.run(call, text="正在保存判定…", on_done=done)

    def clear_selected(self) -> None:
        v, name = self.selected(), self.need_round()
        if v is None or not name or not self.state.writable():
            return
        key = v.key

        def call(project: Any, progress: Any, cancel: Any) -> Any:
            from ecodesk.verdicts import clear_override, judge_round

            clear_override(project, name, key)
            return judge_round(project, name)

        def done(result: Any) -> None:
            self._judged(result)
            self.select_key(key)
            self.say(f"已撤销『{indicator_name(v)}』的人工处理，恢复系统判定：{v.computed}")
            self.state.changed(self)

        self.run(call, text="正在撤销…", on_done=done)
