"""Fill-in workbooks (填报模板): what each department receives.

``provenance`` (what proves a file is ours) → ``layout`` (columns and styles) → ``workbook``
(one department's xlsx) → ``issue`` (a whole round: files, versions, 发放清单, ledger records).
"""
