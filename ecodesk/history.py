"""History across rounds and years: every accepted value of every indicator and department, with
its round's period, the indicator's verdict in that round, the clerk's override and the source
cell — one tidy pandas DataFrame — and the views built from it: the county's value per indicator
and period, each department's completeness and timeliness per round, and verdict changes between
consecutive comparable periods.

pandas is imported inside the functions that need it, never at module import, so neither the app's
start nor a plain ``ecodesk validate`` pays for it.

Verdicts are the ones :func:`ecodesk.verdicts.judge_round` gives (the lead department's value
unless the clerk chose otherwise, overrides applied). Judging twenty rounds of a province takes
seconds, so each round's verdicts are kept in the ledger (``verdict_snapshots``) under a
fingerprint of everything that can change them: the catalogue, the settings, the rounds, the
current files and overrides of the round and of every earlier round, the code, and — while a round
is still open — the date. Any change gives a new fingerprint, and the round is judged afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue
from .project import Project
from .timeliness import TIMELINESS_COLUMNS, timeliness_rows

if TYPE_CHECKING:
    import pandas as pd

    from .periods import Period
    from .verdicts import Verdict

#: The columns of the tidy long frame (one row per accepted value: round × indicator × department),
#: in order, with the Chinese headers of the files clerks and analysts open (xlsx, CSV).
HEADERS = {
    "round": "轮次",
    "period": "期别",
    "period_kind": "期别类型",
    "year": "年份",
    "deadline": "截止日期",
    "round_order": "轮次顺序",
    "indicator_key": "指标标识",
    "number": "序号",
    "group": "指标组",
    "name": "指标名称",
    "unit": "单位",
    "sort": "附件1顺序",
    "department": "填报部门",
    "role": "牵头/配合",
    "value": "本期值（原文）",
    "value_number": "本期值（数值）",
    "status": "完成状态",
    "not_applicable": "不适用",
    "previous_number": "上期值",
    "previous_period": "上期值期别",
    "target": "上级下达目标值（原文）",
    "target_number": "上级下达目标值",
    "county_value": "采用为全县数值",
    "verdict": "达标情况",
    "computed": "系统判定",
    "overridden": "人工判定",
    "override_note": "人工判定说明",
    "file": "来源文件",
    "sheet": "工作表",
    "cell": "单元格",
    "sha256": "文件SHA-256",
    "received_at": "接收时间",
    "saved_at": "部门保存时间",
    "submission_id": "报送编号",
    "note": "备注",
}
COLUMNS = tuple(HEADERS)


# ---- periods (ecodesk.periods) ----------------------------------------------------------------
@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    deadline: str
    period: str  # 2025年度 / 2025年上半年 / … or the round's name where it has no period
    kind: str  # 年度 / 上半年 / 下半年 / 第N季度 / N月 / "" (no period)
    year: int | None
    order: int  # chronological position (0-based)
    start: str  # first day of the period, for ordering; the deadline where there is no period
    comparable: str = ""  # the round of the same period a year earlier (ecodesk.periods), if any

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.name, "period": self.period}


def _start(p: Period) -> str:
    month = {"year": 1, "half": 6 * (p.index - 1) + 1, "quarter": 3 * (p.index - 1) + 1, "month": p.index}[
        p.kind
    ]
    return f"{p.year}-{month:02d}-01"


def round_infos(project: Project) -> list[RoundInfo]:
    """Every round with its period, in the order of time (period start, then deadline), and the
    round it compares with by default (the same period a year earlier; for a round without a
    period, the round before it)."""
    from .periods import comparison_for, round_period

    rounds = project.rounds()
    raw = []
    for r in rounds:
        p = round_period(r)
        label = p.label if p else r.name
        kind = ("年度" if p.kind == "year" else label[len(f"{p.year}年") :]) if p else ""
        raw.append((_start(p) if p else r.deadline, r.deadline, r.id, r, label, kind, p.year if p else None))
    raw.sort(key=lambda t: (t[0], t[1], t[2]))
    return [
        RoundInfo(r.id, r.name, r.deadline, label, kind, year, i, start, comparison_for(rounds, r.name).round)
        for i, (start, _, _, r, label, kind, year) in enumerate(raw)
    ]


# ---- verdicts, judged once per change ----------------------------------------------------------
#: What the history keeps of each verdict (one column each in a round's snapshot).
VERDICT_FIELDS = ("indicator_key", "number", "name", "unit", "value", "value_number", "previous",
                  "previous_from", "target", "verdict", "computed", "overridden", "override_note",
                  "department", "source", "reason")  # fmt: skip


def _columns(verdicts: list[Verdict]) -> dict[str, list[Any]]:
    """A judged round as columns; the county's value is the chosen department's (the lead's unless
    it left the cell empty), or the clerk's corrected value where the override carries one."""
    cols: dict[str, list[Any]] = {f: [] for f in VERDICT_FIELDS}
    for v in verdicts:
        src = v.sources[0] if v.sources and v.verdict != "缺报" else None
        corrected = getattr(v, "corrected_value", None)
        if corrected not in (None, ""):
            value = str(corrected)
            number = float(corrected) if isinstance(corrected, int | float) else v.value_number
        else:
            value, number = v.value, v.value_number
        row = {
            "indicator_key": v.key,
            "number": v.number,
            "name": v.name,
            "unit": v.unit,
            "value": value,
            "value_number": number,
            "previous": v.previous,
            "previous_from": v.previous_from,
            "target": v.target,
            "verdict": v.verdict,
            "computed": v.computed,
            "overridden": v.overridden,
            "override_note": v.override_note,
            "department": src["department"] if src else "",
            "source": f"{src['department']}，{src['file']}，{src['sheet']}!{src['cell']}" if src else "",
            "reason": v.reason,
        }
        for k in VERDICT_FIELDS:
            cols[k].append(row[k])
    return cols


def round_verdicts(
    project: Project, rounds: list[RoundInfo] | None = None, today: date | None = None, store: bool = True
) -> dict[int, dict[str, list[Any]]]:
    """The verdicts of every round as columns (:data:`VERDICT_FIELDS`), from the ledger's snapshot
    where it is still valid, judged where anything changed (and, with ``store``, the snapshot
    renewed)."""
    out, fresh = _round_verdicts(project, rounds if rounds is not None else round_infos(project), today)
    if store:
        from .ledger import snapshots

        snapshots.write(project.ledger, fresh)
    return out


def _round_verdicts(
    project: Project,
    rounds: list[RoundInfo],
    today: date | None,
    judged: dict[str, list[Verdict]] | None = None,
) -> tuple[dict[int, dict[str, list[Any]]], dict[int, tuple[str, dict[str, list[Any]]]]]:
    from .ledger import snapshots
    from .verdicts import judge_round

    conn = project.ledger.conn
    prints = snapshots.fingerprints(
        conn, [(r.id, r.order, r.deadline) for r in rounds], today or date.today()
    )
    out = snapshots.read(conn, prints)
    fresh = {}
    for info in rounds:
        if info.name in (judged or {}):  # just judged by the caller, from the same ledger
            out[info.id] = _columns(judged[info.name])  # type: ignore[index]
            fresh[info.id] = (prints[info.id], out[info.id])
        elif info.id not in out:
            out[info.id] = _columns(judge_round(project, info.name).verdicts)
            fresh[info.id] = (prints[info.id], out[info.id])
    return {r.id: out[r.id] for r in rounds}, fresh


# ---- the history model -----------------------------------------------------------------------
@dataclass
class History:
    """All rounds of a project, as frames. ``values`` is the tidy long frame (:data:`COLUMNS`);
    ``verdicts`` has one row per round × indicator; ``timeliness`` one per round × department."""

    catalogue: Catalogue
    rounds: list[RoundInfo]
    values: pd.DataFrame
    verdicts: pd.DataFrame
    timeliness: pd.DataFrame

    # -- views -----------------------------------------------------------------------------
    def indicator_table(self, column: str = "county_value") -> pd.DataFrame:
        """Indicator × round: the county's value (``county_value``: the number where there is one,
        else the text as reported) or the verdict (``verdict``), rows in Annex-1 order, columns in
        the order of time."""
        frame = self.verdicts.pivot(index="indicator_key", columns="round", values=column)
        keys = [i.key for i in self.catalogue.indicators]
        return frame.reindex(index=keys, columns=[r.name for r in self.rounds])

    def numeric_table(self) -> pd.DataFrame:
        """Indicator × round, numbers only (NaN where the county's value is text or missing)."""
        frame = self.verdicts.pivot(index="indicator_key", columns="round", values="value_number")
        keys = [i.key for i in self.catalogue.indicators]
        return frame.reindex(index=keys, columns=[r.name for r in self.rounds]).astype(float)

    def completeness(self) -> pd.DataFrame:
        """Department × round: the share of the indicators on its form that it filled."""
        t = self.timeliness
        frame = t.pivot(index="department", columns="round", values="completeness")
        return frame.reindex(columns=[r.name for r in self.rounds if r.name in frame.columns])

    def timeliness_table(self) -> pd.DataFrame:
        """Department × round: 按时 / 逾期 / 未报送 / 未到期 (blank where no form was issued)."""
        t = self.timeliness
        frame = t.pivot(index="department", columns="round", values="timeliness_label")
        return frame.reindex(columns=[r.name for r in self.rounds if r.name in frame.columns])

    def comparable_previous(self) -> dict[int, RoundInfo]:
        """For each round, the round it compares with (:func:`ecodesk.periods.comparison_for`):
        the same period a year earlier — 2024年度 for 2025年度, 2024年上半年 for 2025年上半年, never
        the half-year between — and, for a round without a period, the round before it."""
        by_name = {r.name: r for r in self.rounds}
        return {r.id: by_name[r.comparable] for r in self.rounds if r.comparable in by_name}

    def changes(self, round_name: str | None = None) -> pd.DataFrame:
        """Verdict changes between consecutive comparable periods (all rounds, or into one round):
        columns round, period, previous_round, previous_period, indicator_key, number, name,
        before, after, change (newly_failing / resolved / changed)."""
        import pandas as pd

        cols = ["round", "period", "previous_round", "previous_period", "indicator_key", "number", "name",
                "before", "after", "change"]  # fmt: skip
        pairs = pd.DataFrame(
            [
                {
                    "round_id": rid,
                    "previous_round_id": p.id,
                    "previous_round": p.name,
                    "previous_period": p.period,
                }
                for rid, p in self.comparable_previous().items()
            ],
            columns=["round_id", "previous_round_id", "previous_round", "previous_period"],
        )
        v = self.verdicts
        if round_name is not None:
            v = v[v["round"] == round_name]
        now = v[
            [
                "round_id",
                "round",
                "period",
                "round_order",
                "sort",
                "indicator_key",
                "number",
                "name",
                "verdict",
            ]
        ]
        then = self.verdicts[["round_id", "indicator_key", "verdict"]].rename(
            columns={"round_id": "previous_round_id", "verdict": "before"}
        )
        j = now.merge(pairs, on="round_id").merge(then, on=["previous_round_id", "indicator_key"])
        j = j[j["verdict"] != j["before"]].rename(columns={"verdict": "after"})
        j = j.sort_values(["round_order", "sort"], kind="stable")
        j["change"] = [
            "newly_failing" if a == "未达标" else "resolved" if b == "未达标" else "changed"
            for a, b in zip(j["after"], j["before"], strict=True)
        ]
        return j[cols].reset_index(drop=True)

    def series(self, key: str) -> list[dict[str, Any]]:
        """One indicator's path: per round its period, the county's value, verdict and source."""
        v = self.verdicts[self.verdicts["indicator_key"] == key].set_index("round_id")
        out = []
        for r in self.rounds:
            if r.id not in v.index:
                continue
            row = v.loc[r.id]
            num = row["value_number"]
            out.append(
                {
                    "round": r.name,
                    "period": r.period,
                    "value": None if _isnan(num) else float(num),
                    "value_text": row["value"],
                    "verdict": row["verdict"],
                    "overridden": bool(row["overridden"]),
                    "override_note": row["override_note"],
                    "department": row["department"],
                    "source": row["source"],
                }
            )
        return out

    def to_json(self) -> dict[str, Any]:
        """The shape of ``ecodesk history --json``."""
        inds = []
        for ind in self.catalogue.indicators:
            inds.append(
                {
                    "key": ind.key,
                    "number": ind.number,
                    "name": ind.name,
                    "unit": ind.unit,
                    "series": [
                        {k: s[k] for k in ("round", "period", "value", "verdict")} | _text_value(s)
                        for s in self.series(ind.key)
                    ],
                }
            )
        return {"periods": [r.to_dict() for r in self.rounds], "indicators": inds}


def _text_value(s: dict[str, Any]) -> dict[str, Any]:
    """A value that is not a number (a status such as 已建立) is given as its text."""
    if s["value"] is None and s["value_text"]:
        return {"value": s["value_text"]}
    return {}


def _isnan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and x != x)


def trend(values: list[float | None], better: str | None) -> str:
    """↑ / ↓ / → between the last two numbers of a series (… where fewer than two), with 好转/变差
    where the indicator's better direction is known."""
    nums = [x for x in values if not _isnan(x)]
    if len(nums) < 2:
        return ""
    a, b = nums[-2], nums[-1]
    if abs(b - a) <= 1e-9:
        return "→ 持平"
    arrow = "↑" if b > a else "↓"
    if better in ("higher", "lower"):
        good = (b > a) == (better == "higher")
        return f"{arrow} {'好转' if good else '变差'}"
    return arrow


def load(
    project: Project, today: date | None = None, judged: dict[str, list[Verdict]] | None = None
) -> History:
    """Read every round of ``project`` into a :class:`History`. ``judged``: verdicts the caller has
    just computed for some rounds (by name), so they are not judged twice."""
    import pandas as pd

    cat = project.catalogue()
    rounds = round_infos(project)
    verdicts, fresh = _round_verdicts(project, rounds, today, judged)
    info = {r.id: r for r in rounds}
    by_key = {i.key: (n, i) for n, i in enumerate(cat.indicators)}

    # -- per round × indicator ------------------------------------------------------------------
    parts = []
    for rid, cols in verdicts.items():
        r = info[rid]
        part = pd.DataFrame(cols, columns=list(VERDICT_FIELDS))
        part.insert(0, "round_order", r.order)
        part.insert(0, "period", r.period)
        part.insert(0, "round", r.name)
        part.insert(0, "round_id", r.id)
        parts.append(part)
    head = ["round_id", "round", "period", "round_order", *VERDICT_FIELDS]
    vframe = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=head)
    vframe["value_number"] = pd.to_numeric(vframe["value_number"], errors="coerce").astype(float)
    vframe["overridden"] = vframe["overridden"].astype(bool)
    vframe["sort"] = vframe["indicator_key"].map({k: n for k, (n, _) in by_key.items()}).fillna(len(by_key))
    text = vframe["value"].where(vframe["value"] != "", None)
    vframe["county_value"] = vframe["value_number"].astype(object).where(vframe["value_number"].notna(), text)
    chosen = set(zip(vframe["round_id"], vframe["indicator_key"], vframe["department"], strict=True))

    # -- the tidy long frame ---------------------------------------------------------------------
    conn = project.ledger.conn
    raw = pd.read_sql_query(
        "SELECT s.round_id, v.indicator_key, v.department, v.current_raw AS value, v.current_kind,"
        " v.current_number AS value_number, v.current_status AS status, v.not_applicable,"
        " v.previous_number, v.period AS previous_period, v.target_raw AS target, v.target_number,"
        " v.sheet, v.current_cell AS cell, v.note, s.id AS submission_id, s.original_name AS file,"
        " s.sha256, s.received_at, s.content_time AS saved_at"
        " FROM indicator_values v JOIN submissions s ON s.id = v.submission_id"
        " WHERE s.is_current = 1 AND (v.current_kind != 'empty' OR v.not_applicable = 1)",
        conn,
    )
    raw = raw[raw["round_id"].isin(info.keys()) & raw["indicator_key"].isin(by_key.keys())]
    meta = pd.DataFrame(
        [
            {
                "round_id": r.id,
                "round": r.name,
                "period": r.period,
                "period_kind": r.kind,
                "year": r.year,
                "deadline": r.deadline,
                "round_order": r.order,
            }
            for r in rounds
        ],
        columns=["round_id", "round", "period", "period_kind", "year", "deadline", "round_order"],
    )
    ind_meta = pd.DataFrame(
        [
            {
                "indicator_key": i.key,
                "number": i.number,
                "group": i.group,
                "name": i.name,
                "unit": i.unit,
                "sort": n,
            }
            for n, i in enumerate(cat.indicators)
        ],
        columns=["indicator_key", "number", "group", "name", "unit", "sort"],
    )
    roles = pd.DataFrame(
        [
            {
                "indicator_key": i.key,
                "department": a.department,
                "role": "牵头" if a.role == "lead" else "配合",
            }
            for i in cat.indicators
            for a in i.assignments
        ],
        columns=["indicator_key", "department", "role"],
    )
    verdict_cols = vframe[["round_id", "indicator_key", "verdict", "computed", "overridden", "override_note"]]
    long = (
        raw.merge(meta, on="round_id", how="left")
        .merge(ind_meta, on="indicator_key", how="left")
        .merge(roles, on=["indicator_key", "department"], how="left")
        .merge(verdict_cols, on=["round_id", "indicator_key"], how="left")
    )
    long["role"] = long["role"].fillna("")
    long["not_applicable"] = long["not_applicable"].astype(bool)
    long["overridden"] = long["overridden"].fillna(False).astype(bool)
    long["year"] = long["year"].astype("Int64")
    keys = list(zip(long["round_id"], long["indicator_key"], long["department"], strict=True))
    long["county_value"] = [k in chosen for k in keys]
    long = long.sort_values(["round_order", "sort", "department"], kind="stable").reset_index(drop=True)
    long = long[list(COLUMNS)]

    timeliness = pd.DataFrame(timeliness_rows(project, rounds, today), columns=list(TIMELINESS_COLUMNS))
    # written last: a failed write (a full disk) must not spoil the reads above
    from .ledger import snapshots

    snapshots.write(project.ledger, fresh)
    return History(
        catalogue=cat,
        rounds=rounds,
        values=long,
        verdicts=vframe.sort_values(["round_order", "sort"], kind="stable").reset_index(drop=True),
        timeliness=timeliness,
    )


def frame(project: Project, today: date | None = None) -> pd.DataFrame:
    """The tidy long frame: one row per accepted value (round × indicator × department) with its
    period, the indicator's verdict that round, override and source (columns: :data:`COLUMNS`)."""
    return load(project, today).values


def changes_into(project: Project, round_name: str) -> list[dict[str, Any]]:
    """What changed in ``round_name`` against its comparison round (newly 未达标, resolved, other
    verdict changes), one dict per indicator — for a briefing's "changed since last round"."""
    return load(project).changes(round_name).to_dict("records")
