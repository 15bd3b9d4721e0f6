"""The 指标与部门 page's editor for one indicator: what the plan leaves open (name, unit and target
text where the published text elided words, the local target with its value or base-year figure,
the comparison period of 上期值, the 保持稳定 tolerance) and the note every change is saved with.
It only gathers what the clerk typed; the page saves it through ``Project.edit_indicator``, the
call ``ecodesk settings --indicator`` makes."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ecodesk.catalogue import Indicator

#: the comparison choices: (shown, what is passed to the core; "base" takes the year beside it)
COMPARISONS = (("上年同期（默认）", ""), ("上一轮", "上一轮"), ("基准年", "base"))


def field_label(fld: str) -> str:
    """What the saved-message calls a field (the core's names, as the fields are labelled here)."""
    from ecodesk.project import INDICATOR_FIELDS  # not at import: the window starts without xlsxwriter

    return {"local_base_value": "基准年数值", "comparison": "上期值比较期", "tolerance": "容差"}.get(
        fld, INDICATOR_FIELDS.get(fld, fld)
    )


def _number(text: str) -> float | str | None:
    """A typed number, None for an empty field, the text itself when it is no number (the core
    then says what to write)."""
    s = text.strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        return s


class IndicatorEditor(QWidget):
    def __init__(self) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.unit = QLineEdit()
        self.unit.setMaximumWidth(110)
        self.target = QLineEdit()
        self.target.setToolTip("国家指标值的原文；发布时省略了文字（“(略)”）的，请对照原文补全")
        self.local_target = QLineEdit()
        self.local_target.setPlaceholderText("本县自定的目标（可不填），如：力争26微克/立方米以下")
        self.local_value = QLineEdit()
        self.local_value.setMaximumWidth(90)
        self.local_value.setPlaceholderText("如 8.4")
        self.local_value.setToolTip("本地目标要求比基准年下降/提高时，它折算成的数值；不填则按基准年数值折算")
        self.local_base = QLineEdit()
        self.local_base.setMaximumWidth(90)
        self.local_base.setToolTip("本地目标基准年的数值（如 2020年的 10），据此按本地目标的百分比折算目标值")
        self.base_year = QLabel()
        self.comparison = QComboBox()
        for text, data in COMPARISONS:
            self.comparison.addItem(text, data)
        self.comparison.setToolTip("上期值与哪一期比较：默认与上年同期比；规划写明基准年的，选基准年")
        self.comparison_year = QSpinBox()
        self.comparison_year.setRange(2000, 2100)
        self.comparison_year.setValue(2020)
        self.comparison.currentIndexChanged.connect(self._comparison_changed)
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setDecimals(2)
        self.tolerance.setRange(0, 1000)
        self.tolerance.setToolTip("“保持稳定”允许的波动：本期比上期差不超过此数仍算保持稳定，默认 0")
        self.note = QLineEdit()
        self.note.setPlaceholderText("每项修改都要写明依据，如：据原文补全、市生态环境局下达的目标")
        self.save_button = QPushButton("保存指标修改")

        def add(row: int, col: int, label: str, widget: QWidget, span: int = 1) -> None:
            grid.addWidget(QLabel(label), row, col)
            grid.addWidget(widget, row, col + 1, 1, span)

        add(0, 0, "指标名称：", self.name)
        add(0, 2, "单位：", self.unit)
        add(0, 4, "指标值：", self.target, 3)
        add(1, 0, "本地目标：", self.local_target)
        add(1, 2, "本地目标值：", self.local_value)
        add(1, 4, "基准年数值：", self.local_base)
        grid.addWidget(self.base_year, 1, 6)
        compare = QHBoxLayout()
        compare.addWidget(self.comparison)
        compare.addWidget(self.comparison_year)
        compare.addStretch(1)
        grid.addWidget(QLabel("上期值比较期："), 2, 0)
        grid.addLayout(compare, 2, 1)
        add(2, 2, "“保持稳定”容差：", self.tolerance)
        add(3, 0, "修改依据：", self.note, 5)
        grid.addWidget(self.save_button, 3, 6)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(5, 1)
        grid.setColumnStretch(6, 1)
        self.shown: Indicator | None = None
        self.show_indicator(None)

    def _comparison_changed(self) -> None:
        self.comparison_year.setEnabled(self.isEnabled() and self.comparison.currentData() == "base")

    def show_indicator(self, ind: Indicator | None, base_year: str = "") -> None:
        """Fill the fields from ``ind`` (None: empty and disabled); ``base_year`` is the year the
        local target's text names ("比2020年下降16%")."""
        self.shown = ind
        self.setEnabled(ind is not None)
        self.note.clear()
        if ind is None:
            for w in (self.name, self.unit, self.target, self.local_target, self.local_value, self.local_base):
                w.clear()
            self.tolerance.setValue(0)
            self.comparison.setCurrentIndex(0)
            self.base_year.clear()
            return
        self.name.setText(ind.name)
        self.unit.setText(ind.unit)
        self.target.setText(ind.target_text)
        self.local_target.setText(ind.local_target_text)
        self.local_value.setText(_shown(ind.local_target_value))
        self.local_base.setText(_shown(ind.local_base_value))
        self.base_year.setText(f"（{base_year}年，取自本地目标）" if base_year else "")
        self.tolerance.setValue(float(ind.tolerance or 0))
        setting = ind.comparison or ""
        if setting.startswith("base:") and setting[5:].isdigit():
            self.comparison.setCurrentIndex(2)
            self.comparison_year.setValue(int(setting[5:]))
        else:
            self.comparison.setCurrentIndex(1 if setting == "previous_round" else 0)
        self._comparison_changed()

    def changes(self) -> dict[str, Any]:
        """The fields the clerk changed, as ``edit_indicator`` takes them."""
        from ecodesk.periods import comparison_setting

        ind = self.shown
        if ind is None:
            return {}
        typed: dict[str, Any] = {
            "name": self.name.text().strip(),
            "unit": self.unit.text().strip(),
            "target_text": self.target.text().strip(),
            "local_target_text": self.local_target.text().strip(),
            "local_target_value": _number(self.local_value.text()),
            "local_base_value": _number(self.local_base.text()),
            "tolerance": round(self.tolerance.value(), 2),
        }
        out = {f: v for f, v in typed.items() if v != getattr(ind, f)}
        if typed["tolerance"] == round(float(ind.tolerance or 0), 2):  # the box shows two decimals
            out.pop("tolerance", None)
        chosen = self.comparison.currentData()
        comparison = f"基准年{self.comparison_year.value()}" if chosen == "base" else chosen
        if comparison_setting(comparison) != (ind.comparison or ""):
            out["comparison"] = comparison
        return out


def _shown(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)
