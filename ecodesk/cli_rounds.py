"""Command line for the rounds: ``round add | period | list | rename | edit | close | reopen |
delete``. All but ``list`` have one shape — open the project as its writer, change one round,
print the round (``--json``) or one sentence — so they are rows of :data:`COMMANDS`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .cli import _open, _print_json

Arg = tuple[str, dict[str, Any]]


def _period_text(label: str) -> str:
    if label:
        return f"调度期：{label}（上期值按同期上年比较）"
    return "未识别出调度期（上期值按上一轮比较）；如需设置：ecodesk round period 项目文件夹 轮次名称 2025年度"


def _past_warning(deadline: str) -> None:
    from datetime import date

    from .messages import msg
    from .rounds import deadline_passed

    if deadline_passed(deadline):
        print(
            "注意：" + msg("round.past_deadline", deadline=deadline, today=date.today().isoformat()),
            file=sys.stderr,
        )


def _add(project: Any, a: argparse.Namespace) -> Any:
    return project.add_round(a.name, a.deadline, period=a.period)


def _period(project: Any, a: argparse.Namespace) -> Any:
    return project.set_round_period(a.name, a.period, note=a.note or "")


def _rename(project: Any, a: argparse.Namespace) -> Any:
    from .rounds import edit_round

    return edit_round(project, a.name, new_name=a.new_name)


def _edit(project: Any, a: argparse.Namespace) -> Any:
    from .rounds import edit_round

    return edit_round(project, a.name, deadline=a.deadline, note=a.note)


def _close(project: Any, a: argparse.Namespace) -> Any:
    from .rounds import close_round

    return close_round(project, a.name, a.note)


def _reopen(project: Any, a: argparse.Namespace) -> Any:
    from .rounds import reopen_round

    return reopen_round(project, a.name, a.note)


def _delete(project: Any, a: argparse.Namespace) -> Any:
    from .rounds import delete_round

    r = project.round(a.name)
    delete_round(project, a.name)
    return r


@dataclass(frozen=True)
class RoundCommand:
    name: str
    help: str
    args: tuple[Arg, ...]  # after the project folder; --json is added to every command
    run: Callable[[Any, argparse.Namespace], Any]  # (project, args) → the round as it is now
    done: Callable[[argparse.Namespace, Any], str]  # the sentence printed without --json
    warn: Callable[[argparse.Namespace], bool] = lambda a: False  # say so if the deadline has passed

    def __call__(self, args: argparse.Namespace) -> int:
        with _open(args.dir, write=True) as project:
            r = self.run(project, args)
        if self.warn(args):
            _past_warning(r.deadline)
        if args.json:
            _print_json(r.to_dict())
        else:
            print(self.done(args, r))
        return 0


_NAME: Arg = ("name", {})
_NOTE_LEDGER: Arg = ("--note", {"default": "", "help": "说明（记入台账）"})

COMMANDS = (
    RoundCommand(
        "add",
        "添加调度轮次",
        (
            ("name", {"help": "轮次名称，如 2025年第一轮"}),
            ("--deadline", {"required": True, "help": "截止日期 YYYY-MM-DD"}),
            (
                "--period",
                {
                    "help": "调度期：2025年度、2025年上半年、2025年第三季度、2025年6月，none 表示不分期（默认从名称识别）"
                },
            ),
        ),
        _add,
        lambda a, r: f"已添加调度轮次『{r.name}』，截止日期 {r.deadline}；{_period_text(r.period_label)}",
        warn=lambda a: True,
    ),
    RoundCommand(
        "period",
        "修改调度轮次的调度期（决定上期值与哪一期比较）",
        (
            ("name", {"help": "轮次名称"}),
            ("period", {"help": "2025年度、2025年上半年 …；none 表示不分期"}),
            ("--note", {"help": "说明（记入操作记录）"}),
        ),
        _period,
        lambda a, r: f"调度轮次『{r.name}』：{_period_text(r.period_label)}",
    ),
    RoundCommand(
        "rename",
        "给调度轮次改名（已下发的旧名称填报表仍可回收）",
        (("name", {"help": "现在的轮次名称"}), ("new_name", {"help": "新名称"})),
        _rename,
        lambda a, r: f"已将调度轮次『{a.name}』改名为『{r.name}』（按旧名称下发的填报表仍可回收）",
    ),
    RoundCommand(
        "edit",
        "修改调度轮次的截止日期或备注",
        (_NAME, ("--deadline", {"help": "新的截止日期 YYYY-MM-DD"}), ("--note", {"help": "备注"})),
        _edit,
        lambda a, r: f"已修改调度轮次『{r.name}』：截止日期 {r.deadline}",
        warn=lambda a: bool(a.deadline),
    ),
    RoundCommand(
        "close",
        "结束调度轮次（不再回收文件、生成填报表）",
        (_NAME, _NOTE_LEDGER),
        _close,
        lambda a, r: f"已结束调度轮次『{r.name}』，不再回收文件。如需继续：ecodesk round reopen 项目文件夹 {r.name}",
    ),
    RoundCommand(
        "reopen",
        "重新开启已结束的调度轮次",
        (_NAME, _NOTE_LEDGER),
        _reopen,
        lambda a, r: f"已重新开启调度轮次『{r.name}』，可以继续回收文件",
    ),
    RoundCommand(
        "delete",
        "删除误加的调度轮次（只限尚未下发、尚未回收的轮次）",
        (_NAME,),
        _delete,
        lambda a, r: f"已删除调度轮次『{r.name}』",
    ),
)


def cmd_round_list(args: argparse.Namespace) -> int:
    with _open(args.dir, write=False) as project:
        rounds = [r.to_dict() for r in project.rounds()]
    if args.json:
        _print_json(rounds)
    elif not rounds:
        print("还没有调度轮次。添加：ecodesk round add 项目文件夹 轮次名称 --deadline YYYY-MM-DD")
    else:
        for r in rounds:
            closed = "\t已结束" if r["closed_at"] else ""
            print(f"{r['name']}\t截止 {r['deadline']}\t调度期 {r['period_label'] or '（未设置）'}{closed}")
    return 0


def add_commands(add: Callable[..., Any], parser_class: type[argparse.ArgumentParser]) -> None:
    """Register ``round`` and its sub-commands with ``cli.build_parser``'s ``add``."""
    rp = add("round", lambda a: 0, "调度轮次")
    rsub = rp.add_subparsers(dest="round_command", required=True, parser_class=parser_class)
    by_name = {c.name: c for c in COMMANDS}
    for name in ("add", "period", "list", "rename", "edit", "close", "reopen", "delete"):
        if name == "list":
            sp = add("list", cmd_round_list, "列出调度轮次", rsub)
            sp.add_argument("dir")
        else:
            c = by_name[name]
            sp = add(c.name, c, c.help, rsub)
            sp.add_argument("dir")
            for flag, options in c.args:
                sp.add_argument(flag, **options)
        sp.add_argument("--json", action="store_true")
