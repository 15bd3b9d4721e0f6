"""EcoDesk core: catalogue → rules → forms → intake → ledger → verdicts → report.

Importable without Qt. The CLI (:mod:`ecodesk.cli`) and the app (:mod:`ui`) are thin wrappers
over the functions here.
"""

__version__ = "0.1.0"

import logging as _logging

_logging.getLogger("ecodesk").addHandler(_logging.NullHandler())  # a library: the app chooses where logs go
