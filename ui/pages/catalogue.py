"""指标与部门: the catalogue as tables with each indicator's rule explained; edit a department's
contact and aliases; an indicator's name, unit and target text (to complete the publisher's "(略)"),
local target with its value or base-year figure, comparison period and 保持稳定 tolerance, each change
with a note (:mod:`.indicator_editor`); a task's 主要任务 and 具体要求 (also with a note); the project
settings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ecodesk.catalogue import REGION_CLASSES, TERRAIN_CLASSES

from ..models import Column, RecordModel
from ..widgets import hint, make_table
from .base import Page
from .indicator_editor import IndicatorEditor, field_label
from .start import class_combo

if TYPE_CHECKING:
    from ..state import AppState

ALL = ("all", "")
_ALIAS_SPLIT = re.compile(r"[、,，;；\s]+")

INDICATOR_COLUMNS = [
    Column("序号", lambda d: d["number"], align_center=True),
    Column("领域", lambda d: d["domain"] or ("参考性指标" if d["reference"] else "")),
    Column(
        "指标名称",
        lambda d: (
            (f"{d['group']}：" if d["group"] else "") + d["name"] + ("*" if d["applicability_mark"] else "")
        ),
    ),
    Column("单位", lambda d: d["unit"], align_center=True),
    Column("指标值", lambda d: d["target_text"]),
    Column("本地目标", lambda d: d["local_target_text"]),
    Column("容差", lambda d: d["tolerance"] or "", align_center=True),
    Column("比较期", lambda d: _comparison(d["comparison"]), align_center=True),
    Column("责任部门（*为牵头）", lambda d: d["departments_text"]),
]
DEPARTMENT_COLUMNS = [
    Column("部门", lambda r: r[0].name),
    Column("指标数", lambda r: r[1], align_center=True),
    Column("任务数", lambda r: r[2], align_center=True),
    Column("别名", lambda r: "、".join(r[0].aliases)),
    Column("联系人及电话", lambda r: r[0].contact),
]
TASK_COLUMNS = [
    Column("序号", lambda t: t["number"], align_center=True),
    Column("行动", lambda t: t["action_group"]),
    Column("主要任务", lambda t: t["title"]),
    Column("责任部门", lambda t: "、".join(t["departments"])),
]


class CataloguePage(Page):
    title = "指标与部门"

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.data: dict[str, Any] = {}
        self.catalogue: Any = None

        settings_box = QGroupBox("项目设置")
        sform = QHBoxLayout(settings_box)
        self.county = QLineEdit()
        self.county.setPlaceholderText("县（市、区）")
        self.county.setMaximumWidth(140)
        self.region = class_combo(REGION_CLASSES)
        self.terrain = class_combo(TERRAIN_CLASSES)
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("印在填报表上，如：创建办 张三 0575-12345678")
        self.save_settings_button = QPushButton("保存项目设置")
        self.save_settings_button.clicked.connect(self.save_settings)
        for label, widget, stretch in (
            ("县名：", self.county, 0),
            ("地区类别：", self.region, 0),
            ("地形：", self.terrain, 0),
            ("创建办联系方式：", self.contact, 1),
        ):
            sform.addWidget(QLabel(label))
            sform.addWidget(widget, stretch)
        sform.addWidget(self.save_settings_button)
        self.layout_.addWidget(settings_box)
        self.elision = QLabel()  # words the publisher elided, until the clerk completes them
        self.elision.setWordWrap(True)
        self.elision.setStyleSheet("color: #8A4B00;")
        self.elision.hide()
        self.layout_.addWidget(self.elision)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._indicator_tab(), "指标")
        self.tabs.addTab(self._department_tab(), "责任部门")
        self.tabs.addTab(self._task_tab(), "重点任务")
        self.layout_.addWidget(self.tabs, 1)

    # ---- tabs ----------------------------------------------------------------------------------
    def _indicator_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("显示："))
        self.filter = QComboBox()
        self.filter.setMinimumWidth(260)
        self.filter.currentIndexChanged.connect(self._apply_filter)
        row.addWidget(self.filter)
        self.filter_count = QLabel()
        row.addWidget(self.filter_count)
        row.addStretch(1)
        layout.addLayout(row)
        self.indicators = RecordModel(INDICATOR_COLUMNS)
        self.indicator_view = make_table(
            self.indicators, stretch=2, widths={0: 44, 1: 120, 3: 60, 4: 170, 5: 110, 6: 44, 7: 70, 8: 220}
        )
        self.indicator_view.selectionModel().currentRowChanged.connect(self._show_indicator)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.indicator_view)
        detail = QWidget()
        dl = QFormLayout(detail)
        self.explanation = QLabel("选择一行查看该指标的判定规则")
        self.explanation.setWordWrap(True)
        dl.addRow("判定规则：", self.explanation)
        self.editor = IndicatorEditor()
        self.save_indicator_button = self.editor.save_button
        self.save_indicator_button.clicked.connect(self.save_indicator)
        dl.addRow(self.editor)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        layout.addWidget(splitter, 1)
        return tab

    def _department_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.departments = RecordModel(DEPARTMENT_COLUMNS)
        self.department_view = make_table(self.departments, stretch=4, widths={0: 160, 1: 60, 2: 60, 3: 240})
        self.department_view.selectionModel().currentRowChanged.connect(self._show_department)
        layout.addWidget(self.department_view, 1)
        row = QHBoxLayout()
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("其他写法，用顿号分隔，如：市生态环境局、环保局")
        self.dept_contact = QLineEdit()
        self.dept_contact.setPlaceholderText("如：李四 13800000000")
        self.save_department_button = QPushButton("保存部门修改")
        self.save_department_button.clicked.connect(self.save_department)
        row.addWidget(QLabel("别名："))
        row.addWidget(self.aliases, 2)
        row.addWidget(QLabel("联系人及电话："))
        row.addWidget(self.dept_contact, 1)
        row.addWidget(self.save_department_button)
        layout.addLayout(row)
        layout.addWidget(hint("别名用于识别报回文件：文件名或表头写的是别名时，也能认出是哪个部门。"))
        return tab

    def _task_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.tasks = RecordModel(TASK_COLUMNS)
        self.task_view = make_table(self.tasks, stretch=2, widths={0: 44, 1: 200, 3: 300})
        self.task_view.selectionModel().currentRowChanged.connect(self._show_task)
        layout.addWidget(self.task_view, 1)
        form = QFormLayout()
        self.task_title = QLineEdit()
        self.task_requirements = QPlainTextEdit()
        self.task_requirements.setToolTip("印在各部门填报表“任务进展”表上；发布时省略了文字（“(略)”）的，请对照原文补全")
        self.task_requirements.setMaximumHeight(90)
        self.task_note = QLineEdit()
        self.task_note.setPlaceholderText("必填，如：据原文补全")
        self.save_task_button = QPushButton("保存任务修改")
        self.save_task_button.clicked.connect(self.save_task)
        note_row = QHBoxLayout()
        note_row.addWidget(self.task_note, 1)
        note_row.addWidget(self.save_task_button)
        form.addRow("主要任务：", self.task_title)
        form.addRow("具体要求：", self.task_requirements)
        form.addRow("修改依据：", note_row)
        layout.addLayout(form)
        return tab

    # ---- load ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        from ecodesk.catalogue.json import catalogue_to_dict

        assert self.project is not None
        settings = self.project.settings()
        cat = self.project.catalogue()
        self.catalogue = cat
        self.data = catalogue_to_dict(cat, settings.get("region"), settings.get("terrain"))
        prompt = cat.elision_prompt()
        self.elision.setText(prompt)
        self.elision.setVisible(bool(prompt))
        self.county.setText(settings.get("county") or cat.county)
        _select(self.region, settings.get("region"))
        _select(self.terrain, settings.get("terrain"))
        self.contact.setText(settings.get("office_contact", ""))

        current = self.filter.currentData() or ALL
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem("全部指标", ALL)
        for domain in dict.fromkeys(d["domain"] for d in self.data["indicators"] if d["domain"]):
            self.filter.addItem(f"领域：{domain}", ("domain", domain))
        if any(d["reference"] for d in self.data["indicators"]):
            self.filter.addItem("参考性指标", ("reference", ""))
        inds_of, tasks_of = cat.by_department()
        for name in cat.department_names():
            if inds_of.get(name):
                self.filter.addItem(f"部门：{name}", ("dept", name))
        index = max(0, self.filter.findData(current))
        self.filter.setCurrentIndex(index)
        self.filter.blockSignals(False)
        self._apply_filter()

        self.departments.set_rows(
            [(d, len(inds_of.get(d.name, [])), len(tasks_of.get(d.name, []))) for d in cat.departments]
        )
        self.tasks.set_rows(self.data["tasks"])
        self._show_task()
        for w in (self.save_settings_button, self.save_indicator_button, self.save_department_button,
                  self.save_task_button):  # fmt: skip
            w.setVisible(not self.read_only)
        self.set_guide(
            "项目是只读的：可以查看指标和部门，不能修改"
            if self.read_only
            else "核对指标、别名和联系方式；改好后到“调度轮次”页生成填报表"
        )

    def _apply_filter(self) -> None:
        kind, value = self.filter.currentData() or ALL
        rows = self.data.get("indicators", [])
        if kind == "domain":
            rows = [d for d in rows if d["domain"] == value]
        elif kind == "reference":
            rows = [d for d in rows if d["reference"]]
        elif kind == "dept":
            rows = [d for d in rows if value in d["lead"] or value in d["co"]]
        self.indicators.set_rows(rows)
        self.filter_count.setText(f"共 {len(rows)} 行")
        self._show_indicator()

    def _show_indicator(self) -> None:
        from ecodesk.local_targets import local_target_dict

        d = self.indicators.record(self.indicator_view.currentIndex())
        if d is None or self.project is None:
            self.explanation.setText("选择一行查看该指标的判定规则")
            self.editor.show_indicator(None)
            return
        text = d["explanation"]
        if d["warnings"]:
            text += "\n注意：" + "；".join(d["warnings"])
        self.explanation.setText(text)
        ind = self.catalogue.indicator(d["key"])
        local = local_target_dict(ind) or {}
        self.editor.show_indicator(ind, str(local.get("base_year") or ""))
        self.editor.setEnabled(not self.read_only)

    def _show_task(self) -> None:
        t = self.tasks.record(self.task_view.currentIndex())
        self.task_title.setText(t["title"] if t else "")
        self.task_requirements.setPlainText(t["requirements"] if t else "")
        self.task_note.clear()
        for w in (self.task_title, self.task_requirements, self.task_note):
            w.setEnabled(t is not None and not self.read_only)

    def _show_department(self) -> None:
        r = self.departments.record(self.department_view.currentIndex())
        self.aliases.setText("、".join(r[0].aliases) if r else "")
        self.dept_contact.setText(r[0].contact if r else "")

    # ---- save ----------------------------------------------------------------------------------
    def save_settings(self) -> None:
        if not self.state.writable():
            return
        assert self.project is not None
        values = {
            "county": self.county.text().strip(),
            "region": self.region.currentData(),
            "terrain": self.terrain.currentData(),
            "office_contact": self.contact.text().strip(),
        }
        project = self.project
        if not self.state.attempt(lambda: project.update_settings(**values) or True):
            return
        self.state.settings_changed()
        self.say(
            "已保存项目设置。已下发的填报表不会自动更改；如改了地区类别或联系方式，"
            "请在“调度轮次”页重新生成填报表"
        )

    def save_indicator(self) -> None:
        if not self.state.writable():
            return
        d = self.indicators.record(self.indicator_view.currentIndex())
        if d is None or self.project is None:
            self.say("请先在表中选择一个指标")
            return
        changes = self.editor.changes()
        note = self.editor.note.text().strip()
        if not changes:
            self.say(f"『{d['name']}』没有修改：改好上面的内容，写明修改依据，再点“保存指标修改”")
            return
        if not note:
            self.say("请在“修改依据”中写明为什么修改（如：据原文补全、市里下达的目标），再点“保存指标修改”")
            self.editor.note.setFocus()
            return
        project, key = self.project, d["key"]

        def save() -> bool:  # audited, with the original kept (ecodesk settings does the same)
            project.edit_indicator(key, note, **changes)
            return True

        if self.state.attempt(save):
            row = self.indicator_view.currentIndex().row()
            self.refresh()
            self.indicator_view.selectRow(row)
            what = "、".join(field_label(f) for f in changes)
            self.say(f"已保存『{d['name']}』的{what}（依据：{note}）。重新生成填报表后，各部门会看到新内容")

    def save_task(self) -> None:
        if not self.state.writable():
            return
        t = self.tasks.record(self.task_view.currentIndex())
        if t is None or self.project is None:
            self.say("请先在“重点任务”表中选择一个任务")
            return
        typed = {"title": self.task_title.text().strip(), "requirements": self.task_requirements.toPlainText().strip()}
        changes = {k: v for k, v in typed.items() if v != t[k]}
        note = self.task_note.text().strip()
        if not changes:
            self.say(f"任务 {t['number']} 没有修改：改好主要任务或具体要求，写明修改依据，再点“保存任务修改”")
            return
        if not note:
            self.say("请在“修改依据”中写明为什么修改（如：据原文补全），再点“保存任务修改”")
            self.task_note.setFocus()
            return
        project, key = self.project, t["key"]
        if self.state.attempt(lambda: project.edit_task(key, note, **changes) or True):
            row = self.task_view.currentIndex().row()
            self.refresh()
            self.task_view.selectRow(row)
            what = "、".join({"title": "主要任务", "requirements": "具体要求"}[f] for f in changes)
            self.say(f"已保存任务 {t['number']} 的{what}（依据：{note}）。重新生成填报表后，各部门会看到新内容")

    def save_department(self) -> None:
        if not self.state.writable():
            return
        r = self.departments.record(self.department_view.currentIndex())
        if r is None or self.project is None:
            self.say("请先在表中选择一个部门")
            return
        project, name = self.project, r[0].name
        aliases = [a for a in _ALIAS_SPLIT.split(self.aliases.text()) if a and a != name]
        contact = self.dept_contact.text().strip()

        def save() -> bool:
            cat = project.catalogue()
            dept = next(x for x in cat.departments if x.name == name)
            dept.aliases, dept.contact = list(dict.fromkeys(aliases)), contact
            project.replace_catalogue(cat, reason=f"修改部门『{name}』的别名和联系方式")
            return True

        if self.state.attempt(save):
            row = self.department_view.currentIndex().row()
            self.refresh()
            self.department_view.selectRow(row)
            self.say(f"已保存{name}的别名和联系方式")


def _comparison(setting: str) -> str:
    """The comparison column: empty for the default (上年同期), else 上一轮 / 基准年2020."""
    from ecodesk.periods import base_year, comparison_text

    if not setting:
        return ""
    year = base_year(setting)
    return f"基准年{year}" if year else comparison_text(setting)


def _select(combo: QComboBox, key: str | None) -> None:
    combo.setCurrentIndex(max(0, combo.findData(key)))
