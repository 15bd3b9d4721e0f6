"""The xlsx toolkit every writer uses (fill-in forms, the report, the annex export, the revision
copy, the history workbook): how text is measured for row heights and column widths, and more as
the writers share it.

May use: the standard library, xlsxwriter, openpyxl and :mod:`ecodesk.messages`; nothing else of
EcoDesk (it knows workbooks, not indicators).
"""
