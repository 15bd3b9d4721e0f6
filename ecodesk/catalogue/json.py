"""The catalogue as JSON — the contract of ``ecodesk catalog --json`` (documented in README)."""

from __future__ import annotations

from typing import Any

from ..local_targets import local_target_dict
from ..rules import indicator_rule
from ..rules.explain import explain
from .model import Catalogue


def catalogue_to_dict(
    cat: Catalogue, region: str | None = None, terrain: str | None = None
) -> dict[str, Any]:
    indicators = []
    for ind in cat.indicators:
        parsed = indicator_rule(ind)
        indicators.append(
            {
                "key": ind.key,
                "number": ind.number,
                "domain": ind.domain,
                "task": ind.task,
                "group": ind.group,
                "name": ind.name,
                "unit": ind.unit,
                "target_text": ind.target_text,
                "reference": ind.reference,
                "applicability_mark": ind.applicability_mark,
                "better": ind.better,
                "lead": ind.lead,
                "co": ind.co,
                "departments_text": ind.departments_text(),
                "tolerance": ind.tolerance,
                "local_target_text": ind.local_target_text,
                "local_target": local_target_dict(ind),
                "comparison": ind.comparison,
                "edits": ind.edits,
                "rule": parsed.rule.to_dict(),
                "explanation": explain(parsed.rule, unit=ind.unit, region=region, terrain=terrain),
                "warnings": list(parsed.warnings),
            }
        )
    return {
        "county": cat.county,
        "region": region,
        "terrain": terrain,
        "indicator_set": cat.indicator_set,
        "indicators": indicators,
        "tasks": [
            {
                "key": t.key,
                "number": t.number,
                "action_group": t.action_group,
                "title": t.title,
                "requirements": t.requirements,
                "departments": t.departments,
            }
            for t in cat.tasks
        ],
        "departments": [
            {"name": d.name, "aliases": list(d.aliases), "contact": d.contact} for d in cat.departments
        ],
    }
