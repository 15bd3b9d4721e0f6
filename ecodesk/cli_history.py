"""Command line for the history across rounds: ``history`` (print, or export .xlsx / .csv)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cli import _print_json
from .messages import EcoDeskError


def cmd_history(args: argparse.Namespace) -> int:
    from . import history
    from .project import Project

    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".csv"):
        raise EcoDeskError("history.bad_out", path=out)
    with Project.open(args.dir) as project:
        h = history.load(project, rebuild=args.rebuild)
        county = project.info().county
    if out is not None:
        from .history_export import write_csv, write_xlsx

        if out.suffix.lower() == ".csv":
            write_csv(h, out)
        else:
            write_xlsx(h, out, county)
    if args.json:
        _print_json(h.to_json())
        return 0
    if not h.rounds:
        print("还没有调度轮次。添加：ecodesk round add 项目文件夹 轮次名称 --deadline YYYY-MM-DD")
        return 0
    print(f"{county} 历年指标（{len(h.rounds)} 期：{'、'.join(r.period for r in h.rounds)}）")
    for ind in h.to_json()["indicators"]:
        parts = [
            f"{s['period']} {'—' if s['value'] is None else _short(s['value'])}（{s['verdict']}）"
            for s in ind["series"]
        ]
        print(f"{ind['number']:>3} {ind['name']}：{'；'.join(parts)}")
    changes = h.changes()
    if len(changes):
        print("\n判定变化（与上一可比期相比）：")
        for c in changes.itertuples(index=False):
            print(f"  {c.period} {c.number} {c.name}：{c.before} → {c.after}（比较期 {c.previous_period}）")
    if out is not None:
        print(f"\n已导出：{out}")
        from .history_export import LONG_MAX_ROWS

        if out.suffix.lower() == ".xlsx" and len(h.values) > LONG_MAX_ROWS:
            print(
                f"明细共 {len(h.values):,} 行，未写入工作簿；完整明细请导出 CSV：ecodesk history 项目文件夹 --out 明细.csv"
            )
    return 0


def _short(v: object) -> str:
    from .numbers import display_number

    return display_number(v) if isinstance(v, int | float) else str(v)


def add_commands(add: Callable[..., Any]) -> None:
    """Register the command with ``cli.build_parser``'s ``add``."""
    sp = add("history", cmd_history, "历年趋势：各期指标数值与达标情况，可导出 .xlsx（含趋势图）或 .csv")
    sp.add_argument("dir")
    sp.add_argument("--out", help="导出文件：.xlsx（指标历年值、明细、趋势图等）或 .csv（明细，UTF-8）")
    sp.add_argument("--json", action="store_true")
    sp.add_argument(
        "--rebuild",
        action="store_true",
        help="不读取项目中保存的各期判定结果和历年数据，逐期重新判定、重新计算并保存（期数多时较慢；对保存的结果有疑问时使用）",
    )
