"""Issue a round: one fill-in workbook per department, a 发放清单, and ledger records.

Re-generating never overwrites an issued file: when what a department is asked has changed, a
new version is written beside the old one; when nothing changed, the issued file is kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from ..catalogue import Catalogue, Indicator
from ..ledger.current import issued_forms, latest_issued
from ..ledger.rounds_table import record_issued_form
from ..ledger.store import now_iso
from ..ledger.values import ComparisonValues
from ..local_targets import form_text
from ..messages import EcoDeskError, os_reason
from ..project import Project
from ..rules import indicator_rule
from ..rules.evidence import needs_evidence
from ..rules.explain import explain
from ..times import short_time
from ..xlsx.atomic import OPTIONS
from ..xlsx.formats import Formats
from ..xlsx.page import Page, print_a4
from . import layout as L
from .provenance import Provenance, content_hash
from .spec import FormRow, FormSpec, TaskRow
from .styles import STYLES
from .workbook import write_form

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class IssuedForm:
    department: str
    version: int
    path: str
    indicators: int
    tasks: int
    status: str  # "new" / "new_version" / "unchanged"
    message: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class GenerateResult:
    round: str
    deadline: str
    folder: str
    manifest: str = ""
    forms: list[IssuedForm] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    cancelled: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "deadline": self.deadline,
            "folder": self.folder,
            "manifest": self.manifest,
            "forms": [f.to_dict() for f in self.forms],
            "skipped": self.skipped,
            "cancelled": self.cancelled,
        }


def safe_filename(text: str) -> str:
    return _UNSAFE.sub("_", text).strip() or "_"


def form_filename(round_name: str, department: str, version: int) -> str:
    suffix = "" if version == 1 else f"_第{version}版"
    return f"{safe_filename(round_name)}_{safe_filename(department)}_填报表{suffix}.xlsx"


def _display_name(ind: Indicator) -> str:
    return f"{ind.group}：{ind.display_name}" if ind.group else ind.display_name


def build_spec(
    project: Project,
    cat: Catalogue,
    round_name: str,
    deadline: str,
    department: str,
    previous: ComparisonValues | None = None,
    by_dept: tuple[dict[str, list[Any]], dict[str, list[Any]]] | None = None,
) -> FormSpec:
    """One department's form. ``previous``: the round's comparison periods and the ledger's figures
    for them (pre-fills of 上期值); computed when not given."""
    settings = project.settings()
    region, terrain = settings.get("region"), settings.get("terrain")
    if previous is None:
        previous = project.ledger.comparison_values(round_name, cat.indicators)
    spec = FormSpec(
        county=cat.county,
        round=round_name,
        deadline=deadline,
        department=department,
        office_contact=settings.get("office_contact", ""),
        password=settings.get("protection_password", "") or "",
        region=region,
        terrain=terrain,
    )
    inds_of, tasks_of = by_dept if by_dept is not None else cat.by_department()
    for ind in inds_of.get(department, []):
        rule = indicator_rule(ind).rule
        prev = previous.prefill(ind.key, department, ind.responsible)
        comp = previous.comparisons.get(ind.key)
        spec.indicators.append(
            FormRow(
                key=ind.key,
                number=ind.number,
                name=_display_name(ind),
                unit=ind.unit,
                target_text=form_text(ind),
                role="牵头" if department in ind.lead else "配合",
                rule=rule,
                explanation=explain(rule, unit=ind.unit, region=region, terrain=terrain)
                + (f"。本地目标：{ind.local_target_text}（另行评价，不影响达标判定）" if ind.local_target_text else ""),
                better=ind.better,
                tolerance=ind.tolerance,
                allow_na=ind.applicability_mark,
                previous=prev[0] if prev else None,
                previous_period=prev[1] if prev else "",
                comparison=comp.label if comp else "",
                comparison_period=comp.period if comp else "",
                evidence=(ind.evidence.strip() or L.EVIDENCE_DEFAULT) if needs_evidence(ind) else "",
            )
        )
    for t in tasks_of.get(department, []):
        spec.tasks.append(TaskRow(t.key, t.number, t.title, t.requirements, t.departments_text()))
    return spec


def _spec_hash(spec: FormSpec) -> str:
    rows: list[dict[str, Any]] = [
        {
            "key": r.key,
            "number": r.number,
            "name": r.name,
            "unit": r.unit,
            "target": r.target_text,
            "role": r.role,
            "rule": r.rule.to_dict(),
            "na": r.allow_na,
            "tol": r.tolerance,
            "comparison": [r.comparison, r.comparison_period],
        }
        for r in spec.indicators
    ]
    rows += [{"task": t.key, "title": t.title, "req": t.requirements} for t in spec.tasks]
    rows.append({"deadline": spec.deadline, "region": spec.region, "terrain": spec.terrain})
    return content_hash(rows)


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def generate_round(
    project: Project,
    round_name: str,
    departments: list[str] | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> GenerateResult:
    """Write the fill-in workbooks of ``round_name`` and record them in the ledger."""
    from ..rounds import check_open

    rnd = project.round(round_name)
    check_open(rnd)
    cat = project.catalogue()
    roster = cat.department_names()
    if departments:
        wanted = []
        for name in departments:
            resolved = project.resolve_department(name)
            if resolved not in roster:
                raise EcoDeskError("generate.unknown_department", name=name, names="、".join(roster))
            wanted.append(resolved)
    else:
        wanted = roster
    folder = Path(out) if out else project.issued_dir / safe_filename(rnd.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EcoDeskError("project.not_writable", path=folder, detail=os_reason(exc)) from exc
    result = GenerateResult(rnd.name, rnd.deadline, str(folder))
    secret = project.settings()["secret"]
    project_id = project.info().project_id
    by_dept = cat.by_department()
    previous = project.ledger.comparison_values(rnd.name, cat.indicators)
    for i, dept in enumerate(wanted):
        if cancel and cancel():
            result.cancelled = True
            break
        if progress:
            progress(i, len(wanted), f"正在生成：{dept}")
        spec = build_spec(project, cat, rnd.name, rnd.deadline, dept, previous, by_dept)
        if not spec.indicators and not spec.tasks:
            result.skipped.append({"department": dept, "reason": "本部门在目录中没有指标或任务，未生成"})
            continue
        result.forms.append(_issue_one(project, rnd.id, spec, folder, secret, project_id))
    if progress:
        progress(len(wanted), len(wanted), "正在写发放清单")
    result.manifest = str(write_manifest(project, rnd.name, folder))
    return result


def _issue_one(
    project: Project, round_id: int, spec: FormSpec, folder: Path, secret: str, project_id: str
) -> IssuedForm:
    chash = _spec_hash(spec)
    latest = latest_issued(project.ledger.conn, round_id, spec.department)
    counts = (len(spec.indicators), len(spec.tasks))
    if latest and latest["content_hash"] == chash and Path(latest["path"]).is_file():
        return IssuedForm(
            spec.department,
            latest["version"],
            latest["path"],
            *counts,
            "unchanged",
            f"{spec.department}：内容未变化，沿用已下发的第 {latest['version']} 版",
        )
    version = (latest["version"] + 1) if latest else 1
    path = folder / form_filename(spec.round, spec.department, version)
    while path.exists():  # a file of that name exists but is not in the ledger: never overwrite it
        version += 1
        path = folder / form_filename(spec.round, spec.department, version)
    prov = Provenance(
        project_id=project_id,
        round=spec.round,
        department=spec.department,
        issue_version=version,
        generated_at=now_iso(),
        indicator_keys=[r.key for r in spec.indicators],
        task_keys=[t.key for t in spec.tasks],
        content_hash=chash,
    ).sign(secret)
    write_form(path, spec, prov)
    with project.ledger.transaction() as c:
        record_issued_form(
            c, round_id, spec.department, version, str(path), _sha256(path), chash, prov.generated_at, *counts
        )
        project.ledger.audit(
            c, "form.issue", round=spec.round, department=spec.department, version=version, path=str(path)
        )
    if version == 1:
        return IssuedForm(spec.department, 1, str(path), *counts, "new", f"{spec.department}：已生成")
    return IssuedForm(
        spec.department,
        version,
        str(path),
        *counts,
        "new_version",
        f"{spec.department}：内容有变化，已生成第 {version} 版（旧版保留，旧版报回将提示重新填报）",
    )


def write_manifest(project: Project, round_name: str, folder: Path) -> Path:
    """The 发放清单: which file goes to which department, with counts and the deadline."""
    rnd = project.round(round_name)
    rows = issued_forms(project.ledger.conn, rnd.id, latest=True)
    order = {d: i for i, d in enumerate(project.catalogue().department_names())}
    rows = sorted(rows, key=lambda r: order.get(r["department"], 999))
    path = folder / f"{safe_filename(rnd.name)}_发放清单.xlsx"
    tmp = path.with_name(path.name + ".part")
    wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
    f = Formats(wb, STYLES)
    head, cell, center, title = f.header, f.cell, f.center, f.title
    ws = wb.add_worksheet("发放清单")
    headers = ["序号", "部门", "文件名", "版本", "指标数", "任务数", "截止日期", "生成时间", "发送情况"]
    widths = [5, 16, 44, 6, 7, 7, 11, 20, 12]
    ws.merge_range(0, 0, 0, len(headers) - 1, f"{rnd.name} 填报表发放清单", title)
    ws.set_row(0, 26)
    for c, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.write(1, c, h, head)
        ws.set_column(c, c, w)
    for i, r in enumerate(rows, start=2):
        values = [
            i - 1,
            r["department"],
            Path(r["path"]).name,
            r["version"],
            r["indicator_count"],
            r["task_count"],
            rnd.deadline,
            short_time(r["generated_at"], seconds=True),
            "",
        ]
        for c, v in enumerate(values):
            if isinstance(v, int):
                ws.write_number(i, c, v, center)
            else:
                ws.write_string(i, c, str(v), cell)
    print_a4(ws, Page(repeat=(1, 1)))
    wb.close()
    tmp.replace(path)
    return path
