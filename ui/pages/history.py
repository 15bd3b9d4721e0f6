"""历年趋势: one indicator's path over the rounds — the county's value, verdict, override and
source per period, as a table and a chart — and the whole history exported to Excel or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSplitter

from ..models import VERDICT_COLOURS, Column, RecordModel
from ..trend_chart import Point, TrendChart
from ..widgets import make_table
from .base import Page

if TYPE_CHECKING:
    from ecodesk.history import History

    from ..state import AppState


def _value(s: dict[str, Any]) -> str:
    from ecodesk.numbers import display_number

    if s["value"] is not None:
        return display_number(s["value"])
    return s["value_text"] or "—"


SERIES_COLUMNS = [
    Column("期别", lambda s: s["period"]),
    Column("轮次", lambda s: s["round"]),
    Column("全县数值", _value, align_center=True),
    Column(
        "达标情况",
        lambda s: s["verdict"],
        colour=lambda s: VERDICT_COLOURS.get(s["verdict"]),
        align_center=True,
    ),
    Column("人工判定", lambda s: s["override_note"] or ("已确认" if s["overridden"] else "")),
    Column("来源", lambda s: s["source"], tooltip=lambda s: s["source"]),
]


class HistoryPage(Page):
    title = "历年趋势"

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.history: History | None = None
        row = QHBoxLayout()
        row.addWidget(QLabel("指标："))
        self.indicator = QComboBox()
        self.indicator.setMinimumWidth(360)
        self.indicator.currentIndexChanged.connect(self.show_indicator)
        row.addWidget(self.indicator, 1)
        self.export_button = QPushButton("导出历年数据…")
        self.export_button.setToolTip("导出 Excel（指标历年值、明细、趋势图、报送及时性）或 CSV（明细）")
        self.export_button.clicked.connect(self.export)
        row.addWidget(self.export_button)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        self.layout_.addLayout(row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.chart = TrendChart()
        splitter.addWidget(self.chart)
        self.series = RecordModel(SERIES_COLUMNS)
        self.view = make_table(self.series, stretch=5, widths={0: 120, 1: 140, 2: 90, 3: 80, 4: 200})
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)

    def update_actions(self) -> None:
        for b in (self.export_button, self.refresh_button):
            b.setEnabled(self.project is not None and not self.busy)

    def refresh(self) -> None:
        from ecodesk import history

        if self.project is None:
            return
        self.summary.setText("正在读取各轮次的数据…")
        self.run(lambda project, progress, cancel: history.load(project), "正在读取历年数据", self._loaded)

    def _loaded(self, h: History) -> None:
        self.say("")  # the "正在读取历年数据" of the job is over
        self.history = h
        keep = self.indicator.currentData()
        self.indicator.blockSignals(True)
        self.indicator.clear()
        for ind in h.catalogue.indicators:
            name = f"{ind.group}：{ind.name}" if ind.group else ind.name
            self.indicator.addItem(f"{ind.number}  {name}", ind.key)
        at = self.indicator.findData(keep) if keep else -1
        self.indicator.setCurrentIndex(at if at >= 0 else 0)
        self.indicator.blockSignals(False)
        if not h.rounds:
            self.summary.setText("还没有调度轮次")
            self.set_guide("在“调度轮次”页添加轮次，生成并回收填报表后，这里显示各期数据")
        else:
            changes = h.changes()
            self.summary.setText(
                f"共 {len(h.rounds)} 期：{'、'.join(r.period for r in h.rounds)}；"
                f"与上一可比期相比判定有变化的 {len(changes)} 项次（其中新增未达标 "
                f"{int((changes['change'] == 'newly_failing').sum())} 项次）"
            )
            self.set_guide("选择一项指标查看各期数值、达标情况和来源；“导出历年数据…”可导出 Excel 或 CSV")
        self.show_indicator()

    def show_indicator(self) -> None:
        h, key = self.history, self.indicator.currentData()
        if h is None or key is None:
            self.series.set_rows([])
            self.chart.set_series("", [], "请选择一项指标")
            return
        ind = h.catalogue.indicator(key)
        rows = h.series(key)
        self.series.set_rows(rows)
        unit = f"（{ind.unit}）" if ind.unit.strip() not in ("", "-", "—") else ""
        self.chart.set_series(
            f"{ind.number} {ind.name}{unit}",
            [Point(s["period"], s["value"], s["verdict"]) for s in rows],
            "" if rows else "还没有调度轮次",
        )

    def export(self) -> None:
        if self.project is None:
            return
        start = str(self.project.reports_dir / "历年数据.xlsx")
        path, _ = QFileDialog.getSaveFileName(
            self, "导出历年数据", start, "Excel 工作簿 (*.xlsx);;CSV 明细 (*.csv)"
        )
        if not path:
            return
        out = Path(path)
        if out.suffix.lower() not in (".xlsx", ".csv"):
            out = out.with_suffix(".xlsx")
        county = self.project.info().county

        def work(project: Any, progress: Any, cancel: Any) -> Path:
            from ecodesk import history
            from ecodesk.history_export import write_csv, write_xlsx

            h = history.load(project)
            return write_csv(h, out) if out.suffix.lower() == ".csv" else write_xlsx(h, out, county)

        self.run(work, "正在导出历年数据", lambda p: self.say(f"已导出历年数据：{p}"))
