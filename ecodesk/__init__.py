"""EcoDesk core: catalogue → rules → forms → intake → ledger → verdicts → report.

Importable without Qt. The CLI (:mod:`ecodesk.cli`) and the app (:mod:`ui`) are thin wrappers
over the functions here. Each room is a package or module named for what it decides; the layers
contract in ``pyproject.toml`` says which may use which (a room uses only rooms below it): the
CLI and the demo on top, then the report, the history, verdicts and 报送情况 (status), intake,
forms, rounds and the project, the ledger, the catalogue's import/export, the rules, the
catalogue's model, and at the bottom the shared tools (:mod:`ecodesk.xlsx`, office, periods,
messages, times, schemes, assets).
"""

__version__ = "0.1.0"

import logging as _logging

_logging.getLogger("ecodesk").addHandler(_logging.NullHandler())  # a library: the app chooses where logs go
