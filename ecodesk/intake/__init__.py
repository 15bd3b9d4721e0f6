"""Intake of returned workbooks (回收): ``discover`` (files, folders, zips) → ``sniff`` (what is
this file, is it safe to open) → ``reader`` (cell values with calamine) → ``normalise`` (values
as the rules need them) → ``sheets`` (which sheet, header row and columns hold the form) →
``match`` (whose form, which rows) → ``collect`` (decide, archive, write the ledger)."""
