"""Command line: a thin wrapper over the core. Every command prints text for people or, with
``--json``, the data the core returned. Errors a user can fix go to stderr in Chinese, exit 2.

This module holds the parser, ``main`` and the helpers every command shares; the commands live
by job, each module registering its own with ``add_commands(add)``: :mod:`.cli_project` (init,
settings, catalog, demo), :mod:`.cli_cycle` (generate, collect, validate, verdict, report),
:mod:`.cli_history`, :mod:`.cli_corrections` (submissions, assign, confirm, reinstate, withdraw),
:mod:`.cli_rounds` (round …) and :mod:`.cli_evidence` (archive, evidence …)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .messages import EcoDeskError

EXIT_USER_ERROR = 2
ROUND_HELP = "调度轮次名称（省略时使用本项目上次用过的轮次）"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes in Chinese with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(
            f"命令参数有误：{message}。运行 `ecodesk {self.prog.split()[-1]} --help` 查看用法",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_USER_ERROR)


def use_round(project: Any, args: argparse.Namespace, remember: bool = True) -> str:
    """The round named by ``--round`` (remembered for next time by commands that write), or the
    one used last."""
    if args.round:
        if remember:
            project.remember_round(args.round)
        else:
            project.round(args.round)  # must exist
        return str(args.round)
    name = project.last_round()
    if not name:
        raise EcoDeskError("round.none")
    args.round = name
    return str(name)


def round_args(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """What every command about one round starts with: the project folder and ``--round``."""
    sp.add_argument("dir")
    sp.add_argument("--round", help=ROUND_HELP)
    return sp


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _open(folder: str, write: bool) -> Any:
    """The project at ``folder``: as its one writer for a command that changes it (refused while a
    window or another command has it open), else for reading (a read-only folder is fine)."""
    from .project import Project, folder_writable

    if write:
        return Project.open(folder, lock=True)
    root = Path(folder)
    return Project.open(root, read_only=root.is_dir() and not folder_writable(root))


def _stderr_progress(done: int, total: int, text: str) -> None:
    if sys.stderr.isatty():
        print(
            f"\r[{done}/{total}] {text}\033[K", end="" if done < total else "\n", file=sys.stderr, flush=True
        )


# ---- parser ------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; each command module registers its own (``add_commands``)."""
    from . import cli_corrections, cli_cycle, cli_evidence, cli_history, cli_project, cli_rounds

    p = _Parser(prog="ecodesk", description="EcoDesk：生态文明建设示范区创建 指标填报、回收、校验与汇总")
    p.add_argument("--version", action="version", version=f"EcoDesk {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str, parent: Any = sub) -> Any:
        sp = parent.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=func)
        return sp

    cli_project.add_commands(add)  # init, settings, catalog
    cli_cycle.add_commands(add)  # generate, collect, validate, verdict, report
    cli_history.add_commands(add)  # history
    cli_project.add_demo(add)  # demo
    cli_corrections.add_commands(add)  # submissions, assign, confirm, reinstate, withdraw
    cli_rounds.add_commands(add, _Parser)  # round …
    cli_evidence.add_commands(add)  # archive, evidence …
    return p


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # Windows consoles default to a legacy code page
        sys.stderr.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    try:
        if args.command == "verdict" and not args.clear and not args.set:
            raise EcoDeskError("verdict.choose")
        return int(args.func(args))
    except EcoDeskError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
