"""Region and terrain schemes as data (``resources/schemes.json``): the classes a county can be set
to, and how the tables' labels name them.

The 2016 national table splits by 东部 / 中部 / 西部 / 东北; the 2024 county table by
"中西部地区地级及以上城市市辖区、东部地区" vs "中西部其他地区、东北地区". A label is read into tags
(东部, 中部, 中西部市辖区 …); a case applies to every class that carries one of its tags, so a
western county gets the 西部 bound of a 2016 table and the 中西部其他地区 bound of a 2024 one. The
old codes ``central_west_district`` / ``central_west_other`` (the 2024 split only) stay valid: a
2016 table then says it needs 中部 or 西部 instead of guessing.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from .assets import get_asset

Dimension = Literal["region", "terrain"]


@dataclass(frozen=True)
class Scheme:
    dimension: Dimension
    label_re: re.Pattern[str]
    tags: tuple[tuple[str, str, re.Pattern[str]], ...]  # (tag, display name, pattern)
    classes: dict[str, tuple[str, frozenset[str]]]  # code → (name, tags)

    def names(self) -> dict[str, str]:
        return {code: name for code, (name, _) in self.classes.items()}

    def label_tags(self, label: str) -> tuple[str, ...]:
        """Tags of a label as written ("中西部其他地区、东北地区" → 中西部其他, 东北); an item no
        pattern reads adds nothing (see :meth:`unread_items`)."""
        out: list[str] = []
        for item in _items(label):
            tag = self._item_tag(item)
            if tag:
                out.append(tag)
        return tuple(dict.fromkeys(out))

    def unread_items(self, label: str) -> list[str]:
        return [item for item in _items(label) if not self._item_tag(item)]

    def _item_tag(self, item: str) -> str:
        for tag, _name, pattern in self.tags:
            if pattern.search(item):
                return tag
        return ""

    def classes_for(self, tags: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(code for code, (_, own) in self.classes.items() if own & set(tags))

    def tag_names(self, tags: tuple[str, ...]) -> str:
        """The tags as the table would name them, in scheme order: "东部地区、中西部地区地级及以上城市市辖区"."""
        return "、".join(name for tag, name, _ in self.tags if tag in tags)


def _items(label: str) -> list[str]:
    return [x for x in re.split(r"[、,/和与]", label) if x]


def _load(d: dict[str, Any], dimension: Dimension) -> Scheme:
    return Scheme(
        dimension,
        re.compile(d["label_re"]),
        tuple((t["tag"], t["name"], re.compile(t["pattern"])) for t in d["tags"]),
        {c["code"]: (c["name"], frozenset(c["tags"])) for c in d["classes"]},
    )


@functools.cache
def schemes() -> dict[Dimension, Scheme]:
    data = json.loads(get_asset("resources", "schemes.json").read_text(encoding="utf-8"))
    return {"region": _load(data["region"], "region"), "terrain": _load(data["terrain"], "terrain")}


def scheme(dimension: Dimension) -> Scheme:
    return schemes()[dimension]


__all__ = ["Scheme", "scheme", "schemes"]
