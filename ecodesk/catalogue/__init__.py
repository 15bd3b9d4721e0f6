"""The catalogue room: what a county asks for and of whom — indicators (Annex 1), key tasks
(Annex 2), departments and who owns what — and every way it enters or leaves the program.

- :mod:`.model` — the dataclasses (:class:`Catalogue`, :class:`Indicator`, :class:`Task`, …), keys
  and text cleaning; re-exported here, so ``from ecodesk.catalogue import Indicator`` is the way in.
- :mod:`.builtin` — the bundled 嵊州 catalogue (``resources/catalogues/*.json``) and its JSON form.
- :mod:`.departments` — department names, the editable alias table, splitting a 责任部门 cell.
- :mod:`.annex_grid` + :mod:`.import_annex` — the county's own Annex 1 / Annex 2 workbooks in;
  :mod:`.settle` then spells every department one way and gives each indicator its direction.
- :mod:`.export_annex` — the catalogue out again as those two editable, printable workbooks.
- :mod:`.json` — the catalogue as ``ecodesk catalog --json`` prints it (with each parsed rule).

May use: the standard library, openpyxl/xlsxwriter, :mod:`ecodesk.assets`, :mod:`ecodesk.schemes`,
:mod:`ecodesk.messages`, :mod:`ecodesk.xlsx`. The room is split in the layers contract
(``pyproject.toml``): the model, builtin, departments and annex_grid are the floor the rules
stand on; import_annex, export_annex, json and settle sit above the rules and
:mod:`ecodesk.local_targets` (reading a county's target text into a rule), below the ledger.
Nothing here touches the ledger, intake or the report.
"""

from .model import (
    ELIDABLE,
    ELISION,
    INDICATOR_SET_VERSIONS,
    REGION_CLASSES,
    TASK_ELIDABLE,
    TERRAIN_CLASSES,
    Assignment,
    Better,
    Catalogue,
    Department,
    Indicator,
    Role,
    Task,
    assign_keys,
    clean_text,
    name_fingerprint,
    stable_key,
)

__all__ = [
    "ELIDABLE",
    "ELISION",
    "INDICATOR_SET_VERSIONS",
    "REGION_CLASSES",
    "TASK_ELIDABLE",
    "TERRAIN_CLASSES",
    "Assignment",
    "Better",
    "Catalogue",
    "Department",
    "Indicator",
    "Role",
    "Task",
    "assign_keys",
    "clean_text",
    "name_fingerprint",
    "stable_key",
]
