"""Command line for the clerk's intake corrections: list what a round received, assign a file to
a department, confirm, reinstate, withdraw. Each prints the corrected file, or with ``--json`` the
same record ``collect --json`` gives for a file."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from .cli import round_args

FILE_HELP = "文件：编号（如 #12，见 ecodesk submissions）、文件路径或文件名"


def _show(r: Any, as_json: bool) -> None:
    from .messages import STATUS_LABELS

    if as_json:
        print(json.dumps(r.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"#{r.submission_id} [{STATUS_LABELS.get(r.status, r.status)}] {r.path}\n    {r.message}")


def cmd_submissions(args: argparse.Namespace) -> int:
    from .cli import _open, use_round
    from .intake.collect import list_submissions
    from .messages import STATUS_LABELS

    with _open(args.dir, write=False) as project:
        name = use_round(project, args, remember=False)
        rows = list_submissions(project, name)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"本轮（{name}）还没有收到文件。回收：ecodesk collect 项目文件夹 --round {name} 文件或文件夹")
    for r in rows:
        flag = "（待确认）" if r.needs_confirmation else ""
        print(
            f"#{r.submission_id}\t[{STATUS_LABELS.get(r.status, r.status)}{flag}]\t{r.department or '—'}\t{r.path}"
        )
        print(f"\t{r.message}")
    return 0


def _correction(action: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from .cli import _open, use_round
        from .intake import corrections

        with _open(args.dir, write=True) as project:
            name = use_round(project, args)
            if action == "assign":
                r = corrections.assign(project, name, args.file, args.department, args.note)
            elif action == "reinstate":
                corrections.check_note(args.note)
                r = corrections.reinstate(project, name, args.file, args.note)
            else:
                r = getattr(corrections, action)(project, name, args.file, args.note)
        _show(r, args.json)
        return 0

    return run


def add_commands(add: Callable[..., Any]) -> None:
    """Register the commands with ``cli.build_parser``'s ``add``."""
    sp = round_args(add("submissions", cmd_submissions, "列出本轮收到的所有文件（编号、状态、部门、说明）"))
    sp.add_argument("--json", action="store_true")
    helps = {
        "assign": "把一个文件指定为某部门的报送（只采用该部门负责的行）",
        "confirm": "核对后确认一个“待确认”的文件",
        "reinstate": "改用本轮以前收到的某个文件作为该部门的报送",
        "withdraw": "撤回一个误接收的文件（该部门本轮变为未报送，可再改用其他文件）",
    }
    for action, help_ in helps.items():
        sp = round_args(add(action, _correction(action), help_))
        sp.add_argument("file", help=FILE_HELP)
        if action == "assign":
            sp.add_argument("--department", required=True, help="部门名称（可用别名）")
        sp.add_argument("--note", required=True, help="原因（记入操作记录）")
        sp.add_argument("--json", action="store_true")
