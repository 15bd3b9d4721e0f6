"""Command line for the round's work, in the order the clerk does it: ``generate`` (下发),
``collect`` (回收), ``validate`` (校验), ``verdict`` (人工判定), ``report`` (汇总)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cli import _open, _print_json, _stderr_progress, round_args, use_round
from .verdicts.model import Outcome


def cmd_generate(args: argparse.Namespace) -> int:
    from .forms.issue import generate_round

    departments = [d for d in (args.departments or "").replace("，", ",").split(",") if d.strip()]
    with _open(args.dir, write=True) as project:
        use_round(project, args)
        progress = None if args.json else _stderr_progress
        result = generate_round(
            project, args.round, departments or None, Path(args.out) if args.out else None, progress=progress
        )
    if args.json:
        _print_json(result.to_dict())
        return 0
    for f in result.forms:
        print(f"  {f.message}（指标 {f.indicators}，任务 {f.tasks}）→ {Path(f.path).name}")
    for s in result.skipped:
        print(f"  跳过 {s['department']}：{s['reason']}")
    print(f"已生成 {len(result.forms)} 份填报表，保存在：{result.folder}")
    print(f"发放清单：{result.manifest}")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    from .intake.collect import collect
    from .messages import STATUS_LABELS

    with _open(args.dir, write=True) as project:
        use_round(project, args)
        result = collect(
            project,
            args.round,
            [Path(p) for p in args.paths],
            force=args.force,
            progress=None if args.json else _stderr_progress,
        )
    if args.json:
        _print_json(result.to_dict())
        return 0
    for r in result.results:
        print(f"[{STATUS_LABELS[r.status]}] {r.path}\n    {r.message}")
        for c in r.changes[:10]:
            print(f"    变化：{c}")
        for a in r.attachments:
            print(f"    佐证材料：{a['name']}")
        for p in r.problems[:10]:
            print(f"    问题：{p}")
    counts = "，".join(f"{STATUS_LABELS[k]} {v}" for k, v in result.counts().items() if v)
    print(f"共处理 {len(result.results)} 个文件：{counts or '无'}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .verdicts import judge_round

    with _open(args.dir, write=False) as project:
        use_round(project, args, remember=False)
        rv = judge_round(project, args.round)
    if args.json:
        _print_json(
            {
                "round": rv.round,
                "period": rv.period,
                "period_label": rv.period_label,
                "counts": rv.counts(),
                "indicators": [v.to_dict() for v in rv.verdicts],
                "tasks": [t.__dict__ for t in rv.tasks],
            }
        )
        return 0
    for v in rv.verdicts:
        print(f"{v.number:>3} {v.name}：{v.verdict}\n      {v.reason}")
    print("；".join(f"{k} {n}" for k, n in rv.counts().items()))
    return 0


def cmd_verdict(args: argparse.Namespace) -> int:
    from .verdicts import clear_override, override_verdict

    with _open(args.dir, write=True) as project:
        use_round(project, args)
        if args.clear:
            clear_override(project, args.round, args.key)
            print("已撤销人工判定")
        else:
            override_verdict(project, args.round, args.key, args.set, args.note or "", args.value or "")
            print(f"已记录人工判定：{args.set}" + (f"，本期值更正为 {args.value}" if args.value else ""))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report
    from .report.revision import write_revisions

    with _open(args.dir, write=True) as project:
        use_round(project, args)
        result = write_report(project, args.round, Path(args.out) if args.out else None, pdf=args.pdf)
        revisions = write_revisions(project, args.round, report=result.data) if args.revisions else []
    if args.json:
        _print_json(
            {
                **result.to_dict(),
                "revisions": [
                    {
                        "department": r.department,
                        "path": str(r.path) if r.path else None,
                        "message": r.message,
                    }
                    for r in revisions
                ],
            }
        )
        return 0
    print(f"汇总表：{result.path}")
    if result.pdf:
        print(f"PDF：{result.pdf}")
    if result.pdf_error:
        print(f"提示：{result.pdf_error}", file=sys.stderr)
    for r in revisions:
        print(f"退回修改 {r.department}：{r.path or r.message}")
    return 0


def add_commands(add: Callable[..., Any]) -> None:
    """Register the commands with ``cli.build_parser``'s ``add``."""
    sp = round_args(add("generate", cmd_generate, "生成本轮各部门的填报表（每个部门一个 .xlsx）和发放清单"))
    sp.add_argument("--departments", help="只生成这些部门，逗号分隔（可用别名）")
    sp.add_argument("--out", help="输出文件夹（默认：项目的 下发模板/轮次 文件夹）")
    sp.add_argument("--json", action="store_true")

    sp = round_args(add("collect", cmd_collect, "回收各部门报回的文件（文件、文件夹或 .zip）"))
    sp.add_argument("paths", nargs="+", help="报回的文件或文件夹")
    sp.add_argument("--force", action="store_true", help="过期模板也采用（慎用）")
    sp.add_argument("--json", action="store_true")

    sp = round_args(add("validate", cmd_validate, "逐项校验本轮指标：达标 / 未达标 / 待核实 / 缺报 / 不适用"))
    sp.add_argument("--json", action="store_true")

    sp = round_args(add("verdict", cmd_verdict, "人工确认或改判某项指标"))
    sp.add_argument("key", help="指标标识（见 ecodesk catalog --json）")
    sp.add_argument("--set", choices=[o.value for o in Outcome if o is not Outcome.PENDING])  # 待报: the system's only
    sp.add_argument("--note", help="说明（改判时必填）")
    sp.add_argument("--value", help="更正后的本期值（如部门误填，汇总表打印此值）；需同时填写 --note")
    sp.add_argument("--clear", action="store_true", help="撤销人工判定")

    sp = round_args(
        add(
            "report",
            cmd_report,
            "生成汇总表（简报、指标责任分解表等，末页为数据来源），可选 PDF 和退回修改稿",
        )
    )
    sp.add_argument("--out", help="汇总表路径（默认：项目的 汇总报告 文件夹）")
    sp.add_argument("--pdf", action="store_true", help="同时生成 PDF（需要 LibreOffice）")
    sp.add_argument("--revisions", action="store_true", help="同时为有问题的部门生成退回修改稿")
    sp.add_argument("--json", action="store_true")
