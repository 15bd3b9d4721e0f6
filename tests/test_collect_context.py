"""What collect works out once per run (the context every file is read against) is exactly what
it would work out per indicator: the speed-ups must not change a single rule."""

from __future__ import annotations

import dataclasses

from ecodesk.intake import collect as collect_mod
from ecodesk.intake.analyse import row_rule
from ecodesk.intake.match import build_index


def _province(builtin, counties=("甲县", "乙县", "丙县")):
    """The built-in catalogue once per county, as a province-wide project holds it."""
    inds = [
        dataclasses.replace(i, key=f"{i.key}-{n}", name=f"{i.name}（{county}）")
        for n, county in enumerate(counties)
        for i in builtin.indicators
    ]
    return dataclasses.replace(builtin, indicators=inds)


def test_row_rules_parse_each_rule_text_once_and_equal_row_rule(builtin, monkeypatch):
    cat = _province(builtin)
    parsed: list[str] = []
    real = collect_mod.row_rule
    monkeypatch.setattr(collect_mod, "row_rule", lambda ind: parsed.append(ind.key) or real(ind))
    got = collect_mod.row_rules(cat.indicators)
    assert got == {i.key: row_rule(i) for i in cat.indicators}
    assert all(got[i.key].name == i.name for i in cat.indicators)
    texts = {(i.target_text, i.unit, i.better, i.applicability_mark) for i in builtin.indicators}
    assert len(parsed) == len(texts) < len(cat.indicators)


def test_index_fingerprints_are_each_items_name(builtin):
    from ecodesk.catalogue import name_fingerprint

    cat = _province(builtin)
    idx = build_index(cat)
    assert idx.fingerprints == {i.key: name_fingerprint(i.name) for i in cat.indicators} | {
        t.key: name_fingerprint(t.title) for t in cat.tasks
    }
    assert len(idx.fingerprints) == len(cat.indicators) + len(cat.tasks)
