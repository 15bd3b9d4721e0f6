"""The built-in catalogue (嵊州 Annex 1 + Annex 2) and the JSON catalogue file format.

A catalogue file (``resources/catalogues/*.json``, format ``ecodesk-catalogue/1``) holds the
table as written: each indicator's 责任部门 cell text (``departments_text``) is split here with
the same splitter the workbook import uses, so the data stays a faithful transcription.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..assets import get_asset
from .departments import AliasTable, split_department_cell
from .model import Catalogue, Indicator, Task, assign_keys, clean_text

BUILTIN_CATALOGUE = "shengzhou-2024.json"


def builtin_path() -> Path:
    return get_asset("resources", "catalogues", BUILTIN_CATALOGUE)


def load_builtin(aliases: AliasTable | None = None) -> Catalogue:
    """The 嵊州 catalogue every new project starts from when the clerk has no table of their own."""
    return load_catalogue_file(builtin_path(), aliases)


def load_catalogue_file(path: Path, aliases: AliasTable | None = None) -> Catalogue:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return catalogue_from_json(data, aliases, source=Path(path).name)


def catalogue_from_json(
    data: dict[str, Any], aliases: AliasTable | None = None, source: str = ""
) -> Catalogue:
    aliases = aliases or AliasTable.default()
    known = aliases.known_names()
    for item in [*data.get("indicators", []), *data.get("tasks", [])]:
        for a in split_department_cell(item.get("departments_text", ""), known).assignments:
            known.add(a.department)
    cat = Catalogue(
        county=data.get("county", ""),
        indicator_set=str(data.get("indicator_set", "2024")),
        source=source or data.get("source", ""),
    )
    for row in data.get("indicators", []):
        cat.indicators.append(
            Indicator(
                key=row.get("key", ""),
                number=str(row["number"]),
                name=clean_text(row["name"]),
                unit=str(row.get("unit", "")),
                target_text=clean_text(row.get("target_text", "")),
                domain=row.get("domain", ""),
                task=row.get("task", ""),
                group=row.get("group", ""),
                reference=bool(row.get("reference", False)),
                applicability_mark=bool(row.get("applicability_mark", False)),
                better=row.get("better"),
                assignments=split_department_cell(row.get("departments_text", ""), known).assignments,
                tolerance=float(row.get("tolerance", 0.0)),
                local_target_text=row.get("local_target_text", ""),
                local_target_label=row.get("local_target_label", ""),
                local_target_value=row.get("local_target_value"),
                local_base_value=row.get("local_base_value"),
                comparison=row.get("comparison", ""),
                evidence=row.get("evidence", ""),
            )
        )
    for row in data.get("tasks", []):
        cat.tasks.append(
            Task(
                key=row.get("key", ""),
                number=str(row["number"]),
                title=clean_text(row["title"]),
                requirements=str(row.get("requirements", "")).strip(),
                action_group=row.get("action_group", ""),
                assignments=split_department_cell(row.get("departments_text", ""), known).assignments,
            )
        )
    assign_keys(cat)
    cat.ensure_departments()
    # roster order: order of first appearance, then aliases from the alias table
    for d in cat.departments:
        d.aliases = [a for a in aliases.group_of(d.name) if a != d.name]
    return cat
