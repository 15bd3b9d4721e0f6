"""Command line for 佐证材料 and the 台账 archive: ``ecodesk archive`` builds the inspection archive
of a round; ``ecodesk evidence list / assign / confirm / remove`` are the clerk's corrections of
which indicator a file is evidence for (the app's 佐证材料 page does the same)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cli import _print_json, round_args


def cmd_archive(args: argparse.Namespace) -> int:
    from .archive import build_archive
    from .cli import _open, _stderr_progress, use_round

    with _open(args.dir, write=True) as project:
        name = use_round(project, args, remember=False)
        result = build_archive(
            project, name, Path(args.out), progress=None if args.json else _stderr_progress
        )
    if args.json:
        _print_json(result.to_dict())
        return 0
    print(f"台账目录：{result.index}")
    print(
        f"佐证材料 {len(result.items)} 份，未归类 {len(result.unassigned)} 份，缺少 {len(result.missing)} 项"
    )
    for m in result.missing:
        what = f"未收到『{m['named']}』" if m["named"] else "缺少佐证材料"
        print(f"    缺：{m['name']}（{m['department']}）{what}")
    if result.unassigned:
        print(
            "未归类的文件已放在『未归类』文件夹；请在应用的“佐证材料”页或用 ecodesk evidence assign 指定对应指标"
        )
    return 0


def cmd_evidence(args: argparse.Namespace) -> int:
    from .cli import _open, use_round
    from .intake import evidence_desk as E

    action = args.evidence_command
    with _open(args.dir, write=action != "list") as project:
        name = use_round(project, args, remember=action != "list")
        if action == "assign":
            E.assign(project, name, args.id, args.indicator, args.department, args.note or "")
        elif action == "confirm":
            E.confirm(project, name, args.id, args.indicator, args.note or "")
        elif action == "remove":
            E.remove(project, name, args.id, args.note or "", args.indicator)
        ev = E.round_evidence(project, name)
        names = {i.key: f"{i.number} {i.name}" for i in project.catalogue().indicators}
    links: dict[int, list[dict[str, Any]]] = {}
    for ln in ev.links:
        links.setdefault(ln.evidence_id, []).append(
            {
                "indicator_key": ln.indicator_key,
                "matched_by": ln.matched_by,
                "named": ln.named,
                "confirmed": ln.confirmed,
            }
        )
    if args.json:
        _print_json(
            {
                "files": [{**f.to_dict(), "links": links.get(f.id, [])} for f in ev.files.values()],
                "missing": [m.__dict__ for m in ev.missing],
            }
        )
        return 0
    if action != "list":
        print("已处理。")
    for f in ev.files.values():
        where = "、".join(
            names.get(str(x["indicator_key"]), "") + ("（待确认）" if not x["confirmed"] else "")
            for x in links.get(f.id, [])
        )
        print(f"#{f.id}\t{f.department or '未知部门'}\t{f.name} → {where or '未归类'}")
    for m in ev.missing:
        what = f"未收到『{m.named}』" if m.named else "缺少佐证材料"
        print(f"[缺] {names.get(m.indicator_key, m.indicator_key)}（{m.department}）{what}")
    return 0


def add_commands(add: Callable[..., Any]) -> None:
    """Register the commands with ``cli.build_parser``'s ``add``."""
    sp = round_args(
        add("archive", cmd_archive, "导出台账：各指标的佐证材料按指标分文件夹复制，并生成台账目录.xlsx")
    )
    sp.add_argument("--out", required=True, help="台账文件夹（新的空文件夹，或上次导出台账的文件夹）")
    sp.add_argument("--json", action="store_true")

    ep = add("evidence", lambda a: 0, "佐证材料：查看、指定对应指标、确认、移出")
    esub = ep.add_subparsers(dest="evidence_command", required=True, parser_class=type(ep))
    sp = round_args(
        add("list", cmd_evidence, "列出本轮收到的佐证材料（编号、部门、对应指标）和缺少的材料", esub)
    )
    sp.add_argument("--json", action="store_true")
    helps = {
        "assign": "把佐证材料指定给某项指标",
        "confirm": "确认按近似名称匹配的佐证材料",
        "remove": "移出佐证材料（给 --indicator 只从该指标移出，否则移出本轮）",
    }
    for action, help_ in helps.items():
        sp = add(action, cmd_evidence, help_, esub)
        sp = round_args(sp)
        sp.add_argument("id", type=int, help="佐证材料编号（见 ecodesk evidence list）")
        sp.add_argument(
            "--indicator", required=action != "remove", help="指标标识（见 ecodesk catalog --json）"
        )
        if action == "assign":
            sp.add_argument("--department", help="所属部门（默认：原部门，或该指标的牵头部门）")
        sp.add_argument("--note", required=action == "remove", help="说明（移出时必填，记入操作记录）")
        sp.add_argument("--json", action="store_true")
