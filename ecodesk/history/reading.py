"""Opening a project's history: each round's part of the frames is read from its block in the
ledger while the block's key still matches (:mod:`ecodesk.ledger.history_blocks`), and built from
the ledger's rows (:func:`.frame.build`) where it does not — the first time, and for the rounds a
change touched (a new file in the open round rebuilds that round, not the nineteen before it).
Blocks are written after the reads; a block that cannot be read back is rebuilt, never trusted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from ..project import Project
from . import blocks
from .blocks import BlockError, decode, encode
from .frame import Frames, build
from .model import History
from .rounds import RoundInfo, round_infos

if TYPE_CHECKING:
    import pandas as pd

    from ..verdicts import Verdict


def load(
    project: Project,
    today: date | None = None,
    judged: dict[str, list[Verdict]] | None = None,
    keep_judged: bool = True,
    rebuild: bool = False,
) -> History:
    """Read every round of ``project`` into a :class:`History`. ``judged``: verdicts the caller has
    just computed for some rounds (by name), so they are not judged twice; ``keep_judged=False``
    when they were judged as of another day than ``today`` (used here, not stored).
    ``rebuild``: nothing kept is read — every round judged and built again, as the first opening
    does, and kept anew (``ecodesk history --rebuild``, when what is kept is in doubt)."""
    from ..ledger import history_blocks, snapshots

    today = today or date.today()
    cat = project.catalogue()  # not pinned (one_catalogue): a clerk's edit meanwhile is not refused
    rounds = round_infos(project)
    conn = project.ledger.conn
    prints = snapshots.fingerprints(conn, [(r.id, r.order, r.deadline) for r in rounds], today)
    keys = history_blocks.keys(conn, prints, blocks.salt())
    given = {r.id for r in rounds if r.name in (judged or {})}  # the caller's verdicts, not the block's
    wanted = {} if rebuild else {rid: k for rid, k in keys.items() if rid not in given}
    stored = history_blocks.read(conn, wanted)
    todo = [r for r in rounds if r.id not in stored]  # every round for a rebuild: nothing was read

    def build_some(some: list[RoundInfo], reuse: bool = True) -> tuple[Frames, dict[int, Any]]:
        return build(project, cat, rounds, some, prints, today, judged, keep_judged, reuse)

    frames, fresh, made = _frames(build_some, rounds, todo, stored, reuse=not rebuild)
    keep = {rid: (keys[rid], data) for rid, data in made.items() if rid not in given or keep_judged}
    # written last: a failed write (a full disk) must not spoil the reads above
    snapshots.write(project.ledger, fresh)
    history_blocks.write(project.ledger, keep)
    return History(catalogue=cat, rounds=rounds, **frames)


def _frames(
    build_some: Callable[..., tuple[Frames, dict[int, Any]]],
    rounds: list[RoundInfo],
    todo: list[RoundInfo],
    stored: dict[int, bytes],
    reuse: bool,
) -> tuple[Frames, dict[int, Any], dict[int, bytes]]:
    """(the frames of every round, verdicts judged now, new blocks to store): the rounds ``todo``
    built (``build_some``), the others decoded from their ``stored`` blocks; ``reuse=False``: no
    verdict snapshot read either."""
    if len(todo) == len(rounds):  # nothing kept (the first time, a rebuild, no rounds): built whole
        built, fresh = build_some(rounds, reuse)
        return built, fresh, _blocks(built, rounds)
    built, fresh = build_some(todo) if todo else ({}, {})
    new = _blocks(built, todo) if todo else {}
    try:
        if len(new) < len(todo):
            raise BlockError("a rebuilt round cannot be stored")
        return decode([stored.get(r.id) or new[r.id] for r in rounds]), fresh, new
    except BlockError:  # a damaged or foreign block: every round built again
        built, more = build_some(rounds)
        return built, {**fresh, **more}, _blocks(built, rounds)


def _blocks(frames: Frames, rounds: list[RoundInfo]) -> dict[int, bytes]:
    """Each round's part of ``frames`` as a block (none for a round that cannot be stored)."""
    import numpy as np

    order = {"values": "round_order", "verdicts": "round_order"}
    parts: dict[int, dict[str, pd.DataFrame]] = {r.id: {} for r in rounds}
    for name, frame in frames.items():
        if name in order:
            at = frame[order[name]].to_numpy()
        else:  # timeliness: by round id, in the rounds' order of time
            place = {r.id: r.order for r in rounds}
            at = np.array([place.get(x, -1) for x in frame["round_id"].tolist()], dtype=np.int64)
        for r in rounds:
            lo, hi = np.searchsorted(at, [r.order, r.order + 1])
            parts[r.id][name] = frame.iloc[lo:hi]
    out = {}
    for rid, part in parts.items():
        try:
            out[rid] = encode(part)
        except BlockError:
            continue
    return out


def frame(project: Project, today: date | None = None) -> pd.DataFrame:
    """The tidy long frame: one row per accepted value (round × indicator × department) with its
    period, the indicator's verdict that round, override and source (columns: :data:`.frame.COLUMNS`)."""
    return load(project, today).values


def changes_into(project: Project, round_name: str, today: date | None = None) -> list[dict[str, Any]]:
    """What changed in ``round_name`` against its comparison round (newly 未达标, resolved, other
    verdict changes), one dict per indicator — for a briefing's "changed since last round"."""
    return load(project, today).changes(round_name).to_dict("records")
