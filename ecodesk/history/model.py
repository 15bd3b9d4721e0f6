"""The history of a project as frames (:class:`History`) and the views built from them: the
county's value and verdict per indicator and period, each department's completeness and
timeliness per round, verdict changes between comparable periods, one indicator's series, and the
JSON of ``ecodesk history --json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..catalogue import Catalogue
from ..verdicts.model import Outcome
from .rounds import RoundInfo

if TYPE_CHECKING:
    import pandas as pd

CHANGE_COLUMNS = ("round", "period", "previous_round", "previous_period", "indicator_key", "number", "name",
                  "before", "after", "change")  # fmt: skip
SERIES_FIELDS = ("round", "period", "value", "value_text", "verdict", "overridden", "override_note",
                 "department", "source")  # fmt: skip


@dataclass
class History:
    """All rounds of a project, as frames. ``values`` is the tidy long frame (:data:`COLUMNS`);
    ``verdicts`` has one row per round × indicator; ``timeliness`` one per round × department."""

    catalogue: Catalogue
    rounds: list[RoundInfo]
    values: pd.DataFrame
    verdicts: pd.DataFrame
    timeliness: pd.DataFrame

    def catalogue_keys(self) -> list[str]:
        """The indicators' keys in the county's Annex-1 order (the rows of the tables below)."""
        return [i.key for i in self.catalogue.indicators]

    def _table(self, column: str) -> pd.DataFrame:
        v = self.verdicts
        keys = self.catalogue_keys()
        return _grid(v["sort"].to_numpy(), v["round"], v[column], keys, [r.name for r in self.rounds])

    def indicator_table(self, column: str = "county_value") -> pd.DataFrame:
        """Indicator × round: the county's value (``county_value``: the number where there is one,
        else the text as reported) or the verdict (``verdict``), rows in Annex-1 order, columns in
        the order of time."""
        return self._table(column)

    def numeric_table(self) -> pd.DataFrame:
        """Indicator × round, numbers only (NaN where the county's value is text or missing)."""
        return self._table("value_number").astype(float)

    def _by_department(self, column: str) -> pd.DataFrame:
        t = self.timeliness
        order = list(dict.fromkeys(t["department"].tolist()))
        present = set(t["round"].tolist())
        rows = _positions(t["department"], order)
        return _grid(rows, t["round"], t[column], order, [r.name for r in self.rounds if r.name in present])

    def completeness(self) -> pd.DataFrame:
        """Department × round: the share of the indicators on its form that it filled."""
        return self._by_department("completeness")

    def timeliness_table(self) -> pd.DataFrame:
        """Department × round: 按时 / 逾期 / 未报送 / 未到期 (blank where no form was issued)."""
        return self._by_department("timeliness_label")

    def comparable_previous(self) -> dict[int, RoundInfo]:
        """For each round, the round it compares with (:func:`ecodesk.periods.comparison_for`):
        the same period a year earlier — 2024年度 for 2025年度, 2024年上半年 for 2025年上半年, never
        the half-year between — and, for a round without a period, the round before it."""
        by_name = {r.name: r for r in self.rounds}
        return {r.id: by_name[r.comparable] for r in self.rounds if r.comparable in by_name}

    def changes(self, round_name: str | None = None) -> pd.DataFrame:
        """Verdict changes between consecutive comparable periods (all rounds, or into one round):
        columns :data:`CHANGE_COLUMNS`; ``change`` is newly_failing / resolved / changed."""
        import numpy as np
        import pandas as pd

        pairs = pd.DataFrame(
            [(rid, p.id, p.name, p.period) for rid, p in self.comparable_previous().items()],
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
        then = self.verdicts[["round_id", "sort", "indicator_key", "verdict"]].rename(
            columns={"round_id": "previous_round_id", "verdict": "before", "indicator_key": "key_before"}
        )
        # joined on numbers (the round, the indicator's place in the catalogue), then the key checked
        j = now.merge(pairs, on="round_id").merge(then, on=["previous_round_id", "sort"])
        j = j[j["indicator_key"] == j["key_before"]]
        j = j[j["verdict"] != j["before"]].rename(columns={"verdict": "after"})
        j = j.sort_values(["round_order", "sort"], kind="stable")
        j["change"] = np.select(
            [j["after"] == Outcome.FAIL.value, j["before"] == Outcome.FAIL.value], ["newly_failing", "resolved"], "changed"
        )
        return j[list(CHANGE_COLUMNS)].reset_index(drop=True)

    def _series_frame(self) -> pd.DataFrame:
        v = self.verdicts
        out = v[["indicator_key", "round", "period", "verdict", "overridden", "override_note", "department",
                 "source"]].copy()  # fmt: skip
        out["value"] = v["value_number"].astype(object).where(v["value_number"].notna(), None)
        out["value_text"] = v["value"]
        return out

    def series(self, key: str) -> list[dict[str, Any]]:
        """One indicator's path: per round its period, the county's value, verdict and source."""
        s = self._series_frame()
        return _records(s[s["indicator_key"] == key])

    def to_json(self) -> dict[str, Any]:
        """The shape of ``ecodesk history --json``: a value that is not a number (a status such as
        已建立) is given as its text."""
        s = self._series_frame()
        s["value"] = s["value"].where(s["value"].notna() | (s["value_text"] == ""), s["value_text"])
        s["value"] = s["value"].where(s["value"].notna(), None)
        keep = ["round", "period", "value", "verdict"]
        by_key = {k: g[keep].to_dict("records") for k, g in s.groupby("indicator_key", sort=False)}
        inds = [
            {
                "key": i.key,
                "number": i.number,
                "name": i.name,
                "unit": i.unit,
                "series": by_key.get(i.key, []),
            }
            for i in self.catalogue.indicators
        ]
        return {"periods": [r.to_dict() for r in self.rounds], "indicators": inds}


def _positions(keys: Any, of: Any) -> Any:
    import pandas as pd

    return pd.Index(of).get_indexer(keys)


def _grid(rows: Any, cols: Any, values: pd.Series, index: list[Any], columns: list[str]) -> pd.DataFrame:
    """``values`` laid out as ``index`` × ``columns`` (``rows``: each value's row position in
    ``index``; ``cols``: its column label), NaN where nothing is — a pivot by position, the last
    value where two fall on one cell."""
    import numpy as np
    import pandas as pd

    at = _positions(cols, columns)
    ok = (rows >= 0) & (rows < len(index)) & (at >= 0)
    kind = float if values.dtype.kind == "f" else object
    grid = np.full((len(index), len(columns)), np.nan, dtype=kind)
    grid[rows[ok], at[ok]] = values.to_numpy(dtype=kind)[ok]
    return pd.DataFrame(grid, index=index, columns=columns)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = frame[list(SERIES_FIELDS)].to_dict("records")
    for row in out:
        row["overridden"] = bool(row["overridden"])
        row["value"] = None if _isnan(row["value"]) else float(row["value"])
    return out


def _isnan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and x != x)


def trend(values: list[float | None], better: str | None) -> str:
    """↑ / ↓ / → between the last two numbers of a series ("" where fewer than two), with 好转/变差
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
