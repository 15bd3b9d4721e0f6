"""Intake of returned workbooks (回收): what a department sent, read as it saw it, attributed and
recorded — nothing lost, nothing altered.

Reading one file: ``discover`` (files, folders, zips, saved mails via ``mail``) → ``sniff`` (what
is this file, is it safe to open) → ``reader`` (cell values with calamine; ``cells``: number formats,
formulas and errors of .xlsx, ``ods`` and ``biff`` the same for .ods and .xls) → ``normalise``
(values as the rules need them; ``statuses``: the task-status enum) → ``sheets`` (which sheet,
header row and columns hold the form) → ``match`` (whose form, which rows) → ``analyse`` (each
row's entries and findings) → ``changes`` (what changed since the department's last file).

Deciding and recording: ``attribution`` (who sent it, for which round) → ``decide`` (the
accept/supersede/duplicate/stale policy, a pure function and a table) → ``record`` (the ledger
writes of one file) → ``collect`` (the batch: per-file savepoints, workers, one result per file
whatever happens); ``corrections`` (the clerk's acts: assign, confirm, reinstate, withdraw);
``evidence`` + ``evidence_links`` + ``evidence_desk`` + ``evidence_tables`` (佐证材料: archived
once by hash, linked to indicator rows, listed for the clerk).

It may use the ledger (every SQL statement lives there), the forms' layout and provenance (what
a form is), the project, the catalogue, the rules, findings, the message catalogue and the number
formatters — never verdicts, the report, the history or the app (they use it).
"""
