"""Building the history's frames from the ledger's rows: the tidy long frame (one SQL query for
the values, one for the files, then joined by position — numpy takes from the small tables each
value row points into, no Python per row and no merge on text keys), the verdicts of every round
(from their snapshots), and each department's timeliness per round (the rule of
:mod:`ecodesk.timeliness`, vectorised). :func:`build` builds them for some or all rounds; each
frame's column types are fixed (:data:`TYPES`), whatever the rows hold, so a round's part built
alone is the part of the frames built for every round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..ledger import across_rounds
from ..project import Project
from ..timeliness import TIMELINESS, TIMELINESS_COLUMNS
from .judged import VERDICT_FIELDS, judged_rounds
from .rounds import RoundInfo

if TYPE_CHECKING:
    import pandas as pd

    from ..catalogue import Catalogue
    from ..verdicts import Verdict

Frames = dict[str, "pd.DataFrame"]  # "values", "verdicts", "timeliness"

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

_TEXT = "str"
#: Each frame's column types.
TYPES: dict[str, dict[str, str]] = {
    "values": {
        **{c: _TEXT for c in COLUMNS},
        "year": "Int64", "round_order": "int64", "sort": "int64", "submission_id": "int64",
        "value_number": "float64", "previous_number": "float64", "target_number": "float64",
        "not_applicable": "bool", "county_value": "bool", "overridden": "bool",
    },
    "verdicts": {
        "round_id": "int64", "round": _TEXT, "period": _TEXT, "round_order": "int64",
        **{f: "object" for f in VERDICT_FIELDS}, "value_number": "float64", "overridden": "bool",
        "sort": "int64", "county_value": "object",
    },
    "timeliness": {
        "round_id": "int64", "round": _TEXT, "period": _TEXT, "deadline": _TEXT, "department": _TEXT,
        "issued": "bool", "submitted": "bool", "received_at": _TEXT, "saved_at": _TEXT, "files": "int64",
        "timeliness": _TEXT, "timeliness_label": _TEXT, "indicators": "int64", "filled": "int64",
        "completeness": "object",
    },
}  # fmt: skip


def _typed(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``frame`` with the column types of :data:`TYPES` (a column whose rows made pandas infer
    another — all empty, or no rows at all — is converted)."""
    for c, t in TYPES[kind].items():
        if str(frame[c].dtype) != t:
            frame[c] = frame[c].astype(t)
    return frame


_VALUES_NAMES = (
    "submission_id",
    "round_id",
    "indicator_key",
    "department",
    "value",
    "value_number",
    "status",
    "not_applicable",
    "previous_number",
    "previous_period",
    "target",
    "target_number",
    "sheet",
    "cell",
    "note",
)  # fmt: skip (the ledger's VALUE_COLUMNS, as the history names them)


def _rounds_frame(rounds: list[RoundInfo]) -> pd.DataFrame:
    import pandas as pd

    cols = ["round_id", "round", "period", "period_kind", "year", "deadline", "round_order"]
    return pd.DataFrame(
        [(r.id, r.name, r.period, r.kind, r.year, r.deadline, r.order) for r in rounds], columns=cols
    )


def _verdicts_frame(
    cat: Catalogue, rounds: list[RoundInfo], verdicts: dict[int, dict[str, list[Any]]]
) -> pd.DataFrame:
    import numpy as np
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
    n = len(cat.indicators)
    pos = pd.Index([i.key for i in cat.indicators]).get_indexer(v["indicator_key"])
    v["sort"] = np.where(pos >= 0, pos, n).astype(int)
    text = v["value"].where(v["value"] != "", None)
    v["county_value"] = v["value_number"].astype(object).where(v["value_number"].notna(), text)
    order = np.lexsort((v["sort"].to_numpy(), v["round_order"].to_numpy()))  # stable, as sort_values
    return _typed(v.take(order).reset_index(drop=True)[list(TYPES["verdicts"])], "verdicts")


def _positions(keys: Any, of: Any) -> Any:
    """Where each of ``keys`` is in ``of`` (-1 where it is not), as a numpy array."""
    import pandas as pd

    return pd.Index(of).get_indexer(keys)


def _take(values: Any, at: Any) -> Any:
    """``values[at]`` as an object array, None where ``at`` is -1 (a left join's missing row)."""
    import numpy as np

    arr = np.asarray(values, dtype=object)
    if not len(arr):
        return np.full(len(at), None, dtype=object)
    out = arr[np.where(at >= 0, at, 0)]
    out[at < 0] = None
    return out


def _text(small: Any, at: Any) -> Any:
    """``small[at]`` (None where ``at`` is -1): a text column taken from a small table — pandas'
    ``str`` array made once from the small table, then taken, instead of checking every row's value
    (an object array where the small table is not all text)."""
    import numpy as np
    import pandas as pd

    arr = np.asarray(small, dtype=object)
    if pd.api.types.infer_dtype(arr, skipna=True) != "string":
        return _take(arr, at)
    return pd.array(arr, dtype="str").take(at, allow_fill=True)


def _values_frame(
    cat: Catalogue, rounds: pd.DataFrame, vframe: pd.DataFrame, raw: dict[str, Any], subs: dict[str, Any]
) -> pd.DataFrame:
    """The long frame from the value rows (columns of numpy arrays), joined by position — the
    rounds, the catalogue, the files and the verdicts are small tables each row points into."""
    import numpy as np
    import pandas as pd

    keys = [i.key for i in cat.indicators]
    ind = _positions(raw["indicator_key"], keys)
    rnd = _positions(raw["round_id"], rounds["round_id"])
    keep = (ind >= 0) & (rnd >= 0)  # an indicator no longer in the catalogue, a round gone: not history
    depts = raw["department"]
    dcode, duniq = pd.factorize(depts[keep], sort=True)
    order_keep = np.lexsort((dcode, ind[keep], rounds["round_order"].to_numpy()[rnd[keep]]))
    rows = np.flatnonzero(keep)[order_keep]
    ind, rnd = ind[rows], rnd[rows]
    sub = _positions(raw["submission_id"][rows], subs["id"])
    out: dict[str, Any] = {}
    for c in ("round", "period", "period_kind", "deadline"):
        out[c] = _text(rounds[c].to_numpy(dtype=object), rnd)
    for c in ("year", "round_order"):
        out[c] = rounds[c].to_numpy(dtype=object)[rnd]
    out["indicator_key"] = raw["indicator_key"][rows]
    for c in ("number", "group", "name", "unit"):
        out[c] = _text([getattr(i, c) for i in cat.indicators], ind)
    out["sort"] = ind.astype(int)
    out["department"] = depts[rows]
    roles: dict[int, str] = {}  # (indicator, department) as one number → 牵头 / 配合 (the first assignment)
    width = len(duniq) + 1
    code_of = dict(zip(duniq.tolist(), range(len(duniq)), strict=True))
    for n, i in enumerate(cat.indicators):
        for a in i.assignments:
            if a.department in code_of:
                roles.setdefault(n * width + code_of[a.department], "牵头" if a.role == "lead" else "配合")
    at = _positions(ind * width + dcode[order_keep], list(roles))
    out["role"] = _text([*roles.values(), ""], np.where(at >= 0, at, len(roles)))
    for c in ("value", "value_number", "status", "not_applicable", "previous_number", "previous_period", "target",
              "target_number"):  # fmt: skip
        out[c] = raw[c][rows]
    vkey = pd.Index(vframe["round_id"].to_numpy() * (len(keys) + 1) + vframe["sort"].to_numpy())
    first = np.flatnonzero(~vkey.duplicated())  # one verdict per round and indicator
    at = _positions(rounds["round_id"].to_numpy()[rnd] * (len(keys) + 1) + ind, vkey[first])
    at = np.where(at >= 0, first[np.maximum(at, 0)], -1)
    chosen = _take(vframe["department"], at)
    out["county_value"] = out["department"] == chosen
    for c in ("verdict", "computed", "override_note"):
        out[c] = _text(vframe[c].to_numpy(dtype=object), at)
    out["overridden"] = _take(vframe["overridden"], at)
    for c, col in (("file", "original_name"), ("sha256", "sha256"), ("received_at", "received_at"),
                   ("saved_at", "content_time")):  # fmt: skip
        out[c] = _text(subs[col], sub)
    for c in ("sheet", "cell", "submission_id", "note"):
        out[c] = raw[c][rows]
    long = pd.DataFrame(out)
    long["not_applicable"] = long["not_applicable"].astype(bool)
    long["overridden"] = long["overridden"].astype("boolean").fillna(False).astype(bool)
    long["year"] = long["year"].astype("Int64")
    long["round_order"] = long["round_order"].astype("int64")
    for c in ("value_number", "previous_number", "target_number"):
        long[c] = pd.to_numeric(long[c], errors="coerce").astype(float)
    return _typed(long[list(COLUMNS)], "values")


def _timeliness_frame(
    cat: Catalogue,
    rounds: pd.DataFrame,
    raw: dict[str, Any],
    subs: dict[str, Any],
    issued: list[Any],
    today: date,
) -> pd.DataFrame:
    """:func:`ecodesk.timeliness.timeliness_rows`, vectorised: one row per round and due department."""
    import numpy as np
    import pandas as pd

    names = list(dict.fromkeys(cat.department_names()))
    # every department as a number (the catalogue's in its order, then the others by name), and every
    # (round, department) as one number
    others = set(subs["department"].tolist()) | {d for _, d, _ in issued}
    depts = pd.Index([*names, *sorted(others - set(names))])
    width = len(depts)

    def key(rids: Any, ds: Any) -> Any:
        return np.asarray(rids, dtype=np.int64) * width + depts.get_indexer(ds)

    latest = {(rid, d): n for rid, d, n in issued}  # the latest version's count (oldest first)
    issued_keys = key([k[0] for k in latest], [k[1] for k in latest]) if latest else np.array([], np.int64)
    sub_keys = key(subs["round_id"], subs["department"])
    current = subs["is_current"] == 1
    cur = pd.Series(np.flatnonzero(current), index=sub_keys[current])
    cur = cur[~cur.index.duplicated(keep="last")]
    files = pd.Series(sub_keys).value_counts()
    filled = pd.Series(key(raw["round_id"], raw["department"])).value_counts()
    due = np.unique(np.concatenate([issued_keys, cur.index.to_numpy()]))
    rid, dpos = due // width, due % width
    rpos = _positions(rid, rounds["round_id"])
    due, rid, dpos, rpos = due[rpos >= 0], rid[rpos >= 0], dpos[rpos >= 0], rpos[rpos >= 0]
    t = pd.DataFrame({"round_id": rid})
    for c in ("round", "period", "deadline"):
        t[c] = rounds[c].to_numpy(dtype=object)[rpos]
    t["department"] = depts.to_numpy(dtype=object)[dpos]
    t["issued"] = np.isin(due, issued_keys)
    at = cur.reindex(due).to_numpy()
    t["submitted"] = ~np.isnan(at)
    at = np.where(t["submitted"], at, 0).astype(int)
    for c, col in (("received_at", "received_at"), ("saved_at", "content_time")):
        t[c] = np.where(t["submitted"], subs[col][at], "")
        t[c] = t[c].where(t[c].notna(), "")
    t["files"] = files.reindex(due).fillna(0).astype(int).to_numpy()
    own = dict.fromkeys(names, 0)  # the indicators on a department's form, where none was issued
    for i in cat.indicators:
        for a in i.assignments:
            own[a.department] = own.get(a.department, 0) + 1
    counts = pd.Series(list(latest.values()), index=issued_keys, dtype="int64").reindex(due).to_numpy()
    mine = np.array([own.get(d, 0) for d in depts], dtype=np.int64)[dpos]
    t["indicators"] = np.where(np.isnan(counts), mine, np.nan_to_num(counts)).astype(int)
    t["filled"] = filled.reindex(due).fillna(0).astype(int).to_numpy()
    days = _days(t["saved_at"].tolist(), t["received_at"].tolist())
    deadline = pd.to_datetime(t["deadline"]).to_numpy()
    t["timeliness"] = np.select(
        [t["submitted"] & (days > deadline), t["submitted"], deadline >= np.datetime64(today)],
        ["late", "on_time", "pending"],
        "missing",
    )
    t["timeliness_label"] = t["timeliness"].map(TIMELINESS)
    n, expected_n = t["filled"].to_numpy(), t["indicators"].to_numpy()
    share = np.minimum(n, expected_n) / np.where(expected_n > 0, expected_n, np.nan)
    t["completeness"] = pd.Series(share).astype(object).where(~np.isnan(share), None)
    order = np.lexsort((dpos, rounds["round_order"].to_numpy()[rpos]))  # the catalogue's departments first
    return _typed(t.take(order).reset_index(drop=True)[list(TIMELINESS_COLUMNS)], "timeliness")


def _days(saved: list[str], received: list[str]) -> Any:
    """Each return's local calendar day (:func:`ecodesk.times.local_date` of the save time, else of
    the receipt — the rule of :mod:`ecodesk.timeliness`, read once per distinct pair of times), as
    numpy days (NaT where neither reads)."""
    import numpy as np

    from ..times import local_date

    epoch = date(1970, 1, 1).toordinal()
    nat = np.iinfo(np.int64).min  # numpy's NaT
    seen: dict[tuple[str, str], int] = {}
    for pair in zip(saved, received, strict=True):
        if pair not in seen:
            day = (local_date(pair[0]) if pair[0] else None) or (local_date(pair[1]) if pair[1] else None)
            seen[pair] = nat if day is None else day.toordinal() - epoch
    days = np.array([seen[p] for p in zip(saved, received, strict=True)], dtype=np.int64)
    return days.view("datetime64[D]").astype("datetime64[ns]")


_INTEGERS = {"submission_id", "round_id", "id", "is_current", "not_applicable"}
_NUMBERS = {"value_number", "previous_number", "target_number"}


def _columns(rows: list[tuple[Any, ...]], names: Sequence[str]) -> dict[str, Any]:
    """Rows of the ledger (plain tuples) as one numpy array per column: integers, numbers (NaN
    where empty) and the rest as objects."""
    import numpy as np

    table = np.array(rows, dtype=object) if rows else np.empty((0, len(names)), dtype=object)
    out = {}
    for j, n in enumerate(names):
        c = table[:, j]
        if n in _INTEGERS:
            out[n] = np.where(c == None, 0, c).astype(np.int64)  # noqa: E711 (elementwise)
        elif n in _NUMBERS:
            out[n] = c.astype(float)  # None → NaN
        else:
            out[n] = c
    return out


def build(
    project: Project,
    cat: Catalogue,
    rounds: list[RoundInfo],
    some: list[RoundInfo],
    prints: dict[int, str],
    today: date,
    judged: dict[str, list[Verdict]] | None = None,
    keep_judged: bool = True,
    reuse: bool = True,
) -> tuple[Frames, dict[int, tuple[str, Any]]]:
    """The frames of the rounds ``some`` (of all the project's ``rounds``, with their verdict
    fingerprints ``prints``), and the verdicts judged now (for :func:`ecodesk.ledger.snapshots.write`);
    ``reuse=False``: no verdict snapshot read, every round judged again."""
    verdicts, fresh = judged_rounds(project, some, today, judged, keep_judged, prints, reuse)
    ids = None if len(some) == len(rounds) else [r.id for r in some]
    conn = project.ledger.conn
    rframe = _rounds_frame(rounds)
    vframe = _verdicts_frame(cat, rounds, verdicts)
    raw = _columns(across_rounds.current_values(conn, ids), _VALUES_NAMES)
    subs = _columns(across_rounds.all_submissions(conn, ids), across_rounds.SUBMISSION_COLUMNS)
    frames = {
        "values": _values_frame(cat, rframe, vframe, raw, subs),
        "verdicts": vframe,
        "timeliness": _timeliness_frame(cat, rframe, raw, subs, across_rounds.issued_counts(conn, ids), today),
    }
    return frames, fresh
