"""History across rounds and years (``ecodesk.history``): every accepted value of every indicator
and department across all rounds, with its round's period, the indicator's verdict that round,
the clerk's override and the source cell, as one tidy pandas DataFrame, and the views built on it.

What the room holds, by job:

* :mod:`.rounds` — each round's period and place in time, and the round it compares with;
* :mod:`.judged` — each round's verdicts, judged once per change and kept in the ledger
  (``verdict_snapshots``, :mod:`ecodesk.ledger.snapshots`);
* :mod:`.frame` — building the frames from the ledger's rows (one SQL query for the values, joined
  by position with numpy to the rounds, catalogue, files and verdicts; no per-row Python, no merge
  on text keys), for all rounds or some;
* :mod:`.blocks` — a round's part of the frames as bytes and back (plain data, never pickle);
* :mod:`.reading` — opening the history: each round from its block in the ledger while the block is
  valid (``history_blocks``, :mod:`ecodesk.ledger.history_blocks`), built where it is not:
  :func:`load`, :func:`frame`, :func:`changes_into`;
* :mod:`.model` — :class:`History` and its derived views (indicator × period, completeness and
  timeliness per department, verdict changes between comparable periods, the JSON of
  ``ecodesk history --json``), and :func:`trend`.

It may use the project, the catalogue, the ledger, :mod:`ecodesk.periods`, :mod:`ecodesk.verdicts`
and :mod:`ecodesk.timeliness`; files out (xlsx, CSV) are in :mod:`ecodesk.history_export`.

pandas is imported inside the functions that need it, never at import, so neither the app's start
nor a plain ``ecodesk validate`` pays for it.
"""

from __future__ import annotations

from .frame import COLUMNS, HEADERS
from .judged import VERDICT_FIELDS, round_verdicts
from .model import History, trend
from .reading import changes_into, frame, load
from .rounds import RoundInfo, round_infos

__all__ = [
    "COLUMNS",
    "HEADERS",
    "VERDICT_FIELDS",
    "History",
    "RoundInfo",
    "changes_into",
    "frame",
    "load",
    "round_infos",
    "round_verdicts",
    "trend",
]
