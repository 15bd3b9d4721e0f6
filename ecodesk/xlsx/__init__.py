"""The xlsx toolkit every writer uses — the fill-in forms, the report, the annex export, the
revision copy, the history workbook — so each decision about how a workbook looks and prints is
made once:

- :mod:`.formats` — named styles (one vocabulary, also read by the app's print preview) → formats;
  the printed-table look the report, the annex export and the history share.
- :mod:`.page` — the A4 print set-up (xlsxwriter and openpyxl sheets).
- :mod:`.text` — how wide text is, how many lines it wraps to, the row heights that follow.
- :mod:`.cells` — column letters, writing a value as a number or a string (never a formula).
- :mod:`.package` — patching the written zip where xlsxwriter has no API (workbook structure lock).
- :mod:`.atomic` — writing a workbook atomically, with Chinese messages for a locked file or a
  full disk.
- :mod:`.bulk` — sheets that take big blocks of cells a column at a time (a province's history:
  hundreds of thousands of cells at a tenth of xlsxwriter's cost per cell).
- :mod:`.charts` — many alike native charts (one per indicator) cloned from one chart xlsxwriter
  builds.
- :mod:`.deflate` — every workbook's parts deflated at zlib level 1 (twice as fast to pack, about
  17 % larger), set once when this toolkit is imported.

May use: the standard library, xlsxwriter, openpyxl and :mod:`ecodesk.messages`; nothing else of
EcoDesk (it knows workbooks, not indicators).
"""

from . import deflate  # noqa: F401  (packs every workbook at zlib level 1)
