"""The same returns, dropped in any order, in one batch or several, give the same ledger: the same
current file values per department and round, the same files marked for the clerk, the same
files refused. (Which of two byte-different files with identical values is cited as the source
may differ; their values may not.)"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecodesk.catalogue.builtin import load_builtin
from ecodesk.demo import set_saved_time
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.project import Project

from .filling import fill

R1, R2 = "2025年第一轮", "2025年第二轮"
T0 = dt.datetime(2025, 6, 1, 9, 0)
REFUSED = ("stale", "wrong_department", "not_template", "unreadable")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("order")
    with Project.create(base / "项目", load_builtin(), region="east") as p:
        p.add_round(R1, "2025-06-30")
        f1 = {f.department: Path(f.path) for f in generate_round(p, R1, ["水利局", "住建局"]).forms}
        p.add_round(R2, "2025-12-31")
        f2 = {f.department: Path(f.path) for f in generate_round(p, R2, ["水利局", "住建局"]).forms}
    d = base / "files"
    d.mkdir()
    water, housing = "河湖岸线保护率", "县城污水处理率"
    files = [
        fill(f2["水利局"], d / "水利_旧.xlsx", {water: {"current": 90}}, saved_at=T0),
        fill(f2["水利局"], d / "水利_新.xlsx", {water: {"current": 96}}, saved_at=T0 + dt.timedelta(days=2)),
        fill(f2["水利局"], d / "水利_甲.xlsx", {water: {"current": 97}}, saved_at=T0 + dt.timedelta(days=3)),
        fill(f2["水利局"], d / "水利_乙.xlsx", {water: {"current": 98}}, saved_at=T0 + dt.timedelta(days=3)),
        fill(f2["住建局"], d / "住建_一.xlsx", {housing: {"current": 95}}, saved_at=T0),
        fill(f2["住建局"], d / "住建_钟错.xlsx", {housing: {"current": 94}}, saved_at=T0),
        fill(f1["住建局"], d / "住建_一季度.xlsx", {housing: {"current": 93}}, saved_at=T0),  # round 1's
    ]
    set_saved_time(files[5], dt.datetime(2099, 1, 1))  # a computer whose clock is wrong
    shutil.copyfile(files[0], d / "水利_旧(转发).xlsx")
    files.append(d / "水利_旧(转发).xlsx")
    (d / "说明.txt").write_text("请查收", encoding="utf-8")
    files.append(d / "说明.txt")
    return base / "项目", files


def ledger_of(root: Path) -> dict[str, object]:
    with Project.open(root) as p:
        c = p.ledger.conn
        rounds = {r["id"]: r["name"] for r in c.execute("SELECT id, name FROM rounds")}
        current = {
            (rounds[r["round_id"]], r["department"]): (r["values_hash"], bool(r["needs_confirmation"]))
            for r in c.execute("SELECT * FROM submissions WHERE is_current = 1")
        }
        files = {
            (rounds[r["round_id"]], r["sha256"], r["status"] if r["status"] in REFUSED else "taken")
            for r in c.execute("SELECT * FROM submissions")
        }
        values = {
            (rounds[r["round_id"]], r["department"], r["indicator_key"], r["current_raw"])
            for r in c.execute(
                "SELECT s.round_id, v.department, v.indicator_key, v.current_raw FROM indicator_values v "
                "JOIN submissions s ON s.id = v.submission_id WHERE s.is_current = 1"
            )
        }
    return {"current": current, "files": files, "values": values}


def run(template: Path, where: Path, batches: list[list[Path]]) -> dict[str, object]:
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(template, where)
    with Project.open(where) as p:
        for batch in batches:
            collect(p, R2, batch)
    return ledger_of(where)


@st.composite
def orders(draw, n: int):
    order = draw(st.permutations(list(range(n))))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=3)))
    bounds = [0, *cuts, n]
    return [order[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def test_any_order_and_batching_gives_the_same_ledger(corpus, tmp_path_factory):
    template, files = corpus
    work = tmp_path_factory.mktemp("runs")
    expected = run(template, work / "one", [files])
    current = expected["current"]
    assert current[(R1, "住建局")][1] is False  # round 1's form went to round 1
    assert current[(R2, "水利局")][1] is True  # 甲 and 乙 saved in the same second: the clerk is asked
    assert current[(R2, "住建局")][1] is True  # a clock in 2099 cannot order files either
    assert len(current) == 3

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(orders(len(files)))
    def check(batches):
        got = run(template, work / "again", [[files[i] for i in b] for b in batches])
        assert got == expected, batches

    check()
