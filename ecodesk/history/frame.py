"""Reading the ledger into the history's frames: the tidy long frame (one SQL query for the
values, one for the files, then vectorised pandas — no Python per row), the verdicts of every
round (from their snapshots), and each department's timeliness per round (the rule of
:mod:`ecodesk.timeliness`, vectorised)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..project import Project
from ..timeliness import TIMELINESS, TIMELINESS_COLUMNS
from .judged import VERDICT_FIELDS, judged_rounds
from .model import History
from .rounds import RoundInfo, round_infos

if TYPE_CHECKING:
    import pandas as pd

    from ..catalogue import Catalogue
    from ..verdicts import Verdict

#: The columns of the tidy long frame (one row per accepted value: round × indicator × department),
#: in order, with the Chinese headers of the files clerks and analysts open (xlsx, CSV).
HEADERS = {
    "round": "轮次", "period": "期别", "period_kind": "期别类型", "year": "年份", "deadline": "截止日期",
    "round_order": "轮次顺序", "indicator_key": "指标标识", "number": "序号", "group": "指标组",
    "name": "指标名称", "unit": "单位", "sort": "附件1顺序", "department": "填报部门", "role": "牵头/配合",
    "value": "本期值（原文）", "value_number": "本期值（数值）", "status": "完成状态", "not_applicable": "不适用",
    "previous_number": "上期值", "previous_period": "上期值期别", "target": "上级下达目标值（原文）",
    "target_number": "上级下达目标值", "county_value": "采用为全县数值", "verdict": "达标情况",
    "computed": "系统判定", "overridden": "人工判定", "override_note": "人工判定说明", "file": "来源文件",
    "sheet": "工作表", "cell": "单元格", "sha256": "文件SHA-256", "received_at": "接收时间",
    "saved_at": "部门保存时间", "submission_id": "报送编号", "note": "备注",
}  # fmt: skip
COLUMNS = tuple(HEADERS)

_VALUES_SQL = (
    "SELECT v.submission_id, v.indicator_key, v.department, v.current_raw, v.current_kind, v.current_number,"
    " v.current_status, v.not_applicable, v.previous_number, v.period, v.target_raw, v.target_number,"
    " v.sheet, v.current_cell, v.note"
    " FROM indicator_values v JOIN submissions s ON s.id = v.submission_id"
    " WHERE s.is_current = 1 AND (v.current_kind != 'empty' OR v.not_applicable = 1)"
)
_VALUES_NAMES = ("submission_id", "indicator_key", "department", "value", "current_kind", "value_number",
                 "status", "not_applicable", "previous_number", "previous_period", "target", "target_number",
                 "sheet", "cell", "note")  # fmt: skip
_SUBMISSIONS_SQL = (
    "SELECT id, round_id, department, is_current, original_name, sha256, received_at, content_time"
    " FROM submissions ORDER BY id"
)


def _query(conn: Any, sql: str, names: tuple[str, ...]) -> pd.DataFrame:
    """A query's rows as a frame, through a plain cursor (tuples, not the ledger's Row objects)."""
    import pandas as pd

    cur = conn.cursor()
    cur.row_factory = None
    rows = cur.execute(sql).fetchall()
    return pd.DataFrame.from_records(rows, columns=list(names)) if rows else pd.DataFrame(columns=list(names))


def _local_days(s: pd.Series) -> pd.Series:
    """ISO times as the local calendar day (NaT where empty or unreadable), as
    :func:`ecodesk.timeliness._day` reads one: a time with an offset is turned into local time, a
    time without one is local already."""
    import pandas as pd

    s = s.fillna("").astype(str)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    aware = s.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
    if aware.any():
        tz = datetime.now().astimezone().tzinfo
        t = pd.to_datetime(s[aware], utc=True, errors="coerce", format="ISO8601")
        out[aware] = t.dt.tz_convert(tz).dt.tz_localize(None)
    naive = ~aware & (s != "")
    if naive.any():
        out[naive] = pd.to_datetime(s[naive], errors="coerce", format="ISO8601")
    return out.dt.normalize()


def _rounds_frame(rounds: list[RoundInfo]) -> pd.DataFrame:
    import pandas as pd

    cols = ["round_id", "round", "period", "period_kind", "year", "deadline", "round_order"]
    return pd.DataFrame(
        [(r.id, r.name, r.period, r.kind, r.year, r.deadline, r.order) for r in rounds], columns=cols
    )


def _verdicts_frame(
    cat: Catalogue, rounds: list[RoundInfo], verdicts: dict[int, dict[str, list[Any]]]
) -> pd.DataFrame:
    import pandas as pd

    ids: list[int] = []
    cols: dict[str, list[Any]] = {f: [] for f in VERDICT_FIELDS}
    for rid, part in verdicts.items():
        ids += [rid] * len(part["indicator_key"])
        for f in VERDICT_FIELDS:
            cols[f] += part[f]
    v = pd.DataFrame(cols, columns=list(VERDICT_FIELDS), dtype=object)
    v.insert(0, "round_id", pd.Series(ids, dtype="int64"))
    info = {r.id: r for r in rounds}
    for c, get in (("round_order", "order"), ("period", "period"), ("round", "name")):
        v.insert(1, c, v["round_id"].map({rid: getattr(r, get) for rid, r in info.items()}))
    v["value_number"] = pd.to_numeric(v["value_number"], errors="coerce").astype(float)
    v["overridden"] = v["overridden"].astype(bool)
    sort = {i.key: n for n, i in enumerate(cat.indicators)}
    v["sort"] = v["indicator_key"].map(sort).fillna(len(sort)).astype(int)
    text = v["value"].where(v["value"] != "", None)
    v["county_value"] = v["value_number"].astype(object).where(v["value_number"].notna(), text)
    return v.sort_values(["round_order", "sort"], kind="stable").reset_index(drop=True)


def _values_frame(
    cat: Catalogue, rounds: pd.DataFrame, vframe: pd.DataFrame, raw: pd.DataFrame, subs: pd.DataFrame
) -> pd.DataFrame:
    import pandas as pd

    files = subs[["id", "round_id", "original_name", "sha256", "received_at", "content_time"]].rename(
        columns={"id": "submission_id", "original_name": "file", "content_time": "saved_at"}
    )
    ind_meta = pd.DataFrame(
        [(i.key, i.number, i.group, i.name, i.unit, n) for n, i in enumerate(cat.indicators)],
        columns=["indicator_key", "number", "group", "name", "unit", "sort"],
    )
    roles = pd.DataFrame(
        [
            (i.key, a.department, "牵头" if a.role == "lead" else "配合")
            for i in cat.indicators
            for a in i.assignments
        ],
        columns=["indicator_key", "department", "role"],
    ).drop_duplicates(["indicator_key", "department"])
    judged = vframe[["round_id", "indicator_key", "department", "verdict", "computed", "overridden",
                     "override_note"]].rename(columns={"department": "chosen"})  # fmt: skip
    long = (
        raw.merge(files, on="submission_id", how="inner")
        .merge(rounds, on="round_id", how="inner")
        .merge(ind_meta, on="indicator_key", how="inner")
        .merge(roles, on=["indicator_key", "department"], how="left")
        .merge(judged, on=["round_id", "indicator_key"], how="left")
    )
    long["county_value"] = long["department"] == long["chosen"]
    long["role"] = long["role"].fillna("")
    long["not_applicable"] = long["not_applicable"].astype(bool)
    long["overridden"] = long["overridden"].astype("boolean").fillna(False).astype(bool)
    long["year"] = long["year"].astype("Int64")
    for c in ("value_number", "previous_number", "target_number"):
        long[c] = pd.to_numeric(long[c], errors="coerce").astype(float)
    long = long.sort_values(["round_order", "sort", "department"], kind="stable").reset_index(drop=True)
    return long[list(COLUMNS)]


def _timeliness_frame(
    project: Project, cat: Catalogue, rounds: pd.DataFrame, raw: pd.DataFrame, subs: pd.DataFrame, today: date
) -> pd.DataFrame:
    """:func:`ecodesk.timeliness.timeliness_rows`, vectorised: one row per round and due department."""
    import numpy as np
    import pandas as pd

    issued = _query(
        project.ledger.conn,
        "SELECT round_id, department, indicator_count FROM issued_forms ORDER BY round_id, department, version",
        ("round_id", "department", "indicators"),
    ).drop_duplicates(["round_id", "department"], keep="last")  # the latest version's count
    issued["issued"] = True
    keys = ["round_id", "department"]
    files = subs.groupby(keys).size().rename("files").reset_index()
    cur = subs[subs["is_current"] == 1].drop_duplicates(keys, keep="last")
    cur = cur[[*keys, "received_at", "content_time"]].rename(columns={"content_time": "saved_at"})
    cur["submitted"] = True
    filled = raw.merge(subs[["id", "round_id"]], left_on="submission_id", right_on="id")
    filled = filled.groupby(["round_id", "department"]).size().rename("filled").reset_index()
    t = issued.merge(cur, on=keys, how="outer").merge(rounds[["round_id", "round", "period", "deadline",
                                                              "round_order"]], on="round_id")  # fmt: skip
    t = t.merge(files, on=keys, how="left").merge(filled, on=keys, how="left")
    inds_of, _ = cat.by_department()
    t["issued"] = t["issued"].astype("boolean").fillna(False).astype(bool)
    t["submitted"] = t["submitted"].astype("boolean").fillna(False).astype(bool)
    own = t["department"].map({d: len(v) for d, v in inds_of.items()}).fillna(0)
    t["indicators"] = t["indicators"].where(t["issued"], own).astype(int)
    t["files"] = t["files"].fillna(0).astype(int)
    t["filled"] = t["filled"].fillna(0).astype(int)
    t["received_at"] = t["received_at"].fillna("")
    t["saved_at"] = t["saved_at"].fillna("")
    day = _local_days(t["saved_at"]).fillna(_local_days(t["received_at"]))
    deadline = pd.to_datetime(t["deadline"])
    t["timeliness"] = np.select(
        [t["submitted"] & (day > deadline), t["submitted"], deadline >= pd.Timestamp(today)],
        ["late", "on_time", "pending"],
        "missing",
    )
    t["timeliness_label"] = t["timeliness"].map(TIMELINESS)
    share = np.minimum(t["filled"], t["indicators"]) / t["indicators"].where(t["indicators"] > 0)
    t["completeness"] = share.astype(object).where(share.notna(), None)
    order = {d: n for n, d in enumerate(cat.department_names())}
    t["_dept"] = t["department"].map(order).fillna(len(order))
    t = t.sort_values(["round_order", "_dept", "department"], kind="stable").reset_index(drop=True)
    return t[list(TIMELINESS_COLUMNS)]


def load(
    project: Project,
    today: date | None = None,
    judged: dict[str, list[Verdict]] | None = None,
    keep_judged: bool = True,
) -> History:
    """Read every round of ``project`` into a :class:`History`. ``judged``: verdicts the caller has
    just computed for some rounds (by name), so they are not judged twice; ``keep_judged=False``
    when they were judged as of another day than ``today`` (used here, not stored)."""
    cat = project.catalogue()
    rounds = round_infos(project)
    verdicts, fresh = judged_rounds(project, rounds, today, judged, keep_judged)
    conn = project.ledger.conn
    rframe = _rounds_frame(rounds)
    vframe = _verdicts_frame(cat, rounds, verdicts)
    raw = _query(conn, _VALUES_SQL, _VALUES_NAMES)
    subs = _query(conn, _SUBMISSIONS_SQL, ("id", "round_id", "department", "is_current", "original_name",
                                           "sha256", "received_at", "content_time"))  # fmt: skip
    long = _values_frame(cat, rframe, vframe, raw.drop(columns="current_kind"), subs)
    timeliness = _timeliness_frame(project, cat, rframe, raw, subs, today or date.today())
    # written last: a failed write (a full disk) must not spoil the reads above
    from ..ledger import snapshots

    snapshots.write(project.ledger, fresh)
    return History(catalogue=cat, rounds=rounds, values=long, verdicts=vframe, timeliness=timeliness)


def frame(project: Project, today: date | None = None) -> pd.DataFrame:
    """The tidy long frame: one row per accepted value (round × indicator × department) with its
    period, the indicator's verdict that round, override and source (columns: :data:`COLUMNS`)."""
    return load(project, today).values


def changes_into(project: Project, round_name: str, today: date | None = None) -> list[dict[str, Any]]:
    """What changed in ``round_name`` against its comparison round (newly 未达标, resolved, other
    verdict changes), one dict per indicator — for a briefing's "changed since last round"."""
    return load(project, today).changes(round_name).to_dict("records")
