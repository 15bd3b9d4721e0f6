"""Fill-in workbooks (填报模板): what each department receives.

``provenance`` (what proves a file is ours) → ``layout`` (columns, limits, texts; intake reads
the same) → ``spec`` (what one department's workbook holds) → ``styles`` (its look and print
set-up) → ``guide_sheet`` (填报说明) + ``inputs`` (the input cells, validations, 自查 formula) →
``workbook`` (one department's xlsx) → ``issue`` (a whole round: files, versions, 发放清单,
ledger records).

May use: the catalogue, the rules and local targets, the ledger, the project and its rounds, the
xlsx toolkit (:mod:`ecodesk.xlsx`). Not intake, verdicts or the report (which sit above it).
"""
