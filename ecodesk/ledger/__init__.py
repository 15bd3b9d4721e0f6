"""The ledger room: the project's SQLite database and every table in it.

``schema`` (tables and numbered migrations) → ``store`` (:class:`~.store.Ledger`: transactions,
settings, rounds, the audit log; the catalogue's tables in ``catalogue_tables``, writes of rounds
and issued forms in ``rounds_table``) → ``current`` (what a round holds now: each
department's current file, its task rows, the forms issued) → ``values`` (values with their
source, the comparison period's values) → ``snapshots`` (verdict snapshots the history reuses) and
``history_blocks`` (each round's part of the history frames, as last built);
``submissions`` (what collect writes and reads back while deciding), ``corrections`` (the
clerk's acts on received files), ``evidence`` (mails, 佐证材料 and their links to indicators),
``overrides`` (the clerk's verdicts), ``across_rounds`` (every round at once). Every table is
this room's: modules outside it call these functions and write no SQL (``tests/test_house.py``).

May use: the standard library (sqlite3), :mod:`ecodesk.catalogue` (the model it stores),
:mod:`ecodesk.periods`, :mod:`ecodesk.messages`. Nothing above it (project, intake, verdicts,
report) — see the layers contract in ``pyproject.toml``.
"""
