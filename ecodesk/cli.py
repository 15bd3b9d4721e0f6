"""Command line: a thin wrapper over the core. Every command prints text for people or, with
``--json``, the data the core returned. Errors a user can fix go to stderr in Chinese, exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .catalogue import REGION_CLASSES, TERRAIN_CLASSES
from .messages import EcoDeskError, msg

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


# ---- commands ----------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from .project import Project, init_project

    project: Project = init_project(
        Path(args.dir),
        annex1=args.annex1,
        annex2=args.annex2,
        county=args.county,
        region=args.region,
        terrain=args.terrain,
    )
    with project:
        cat = project.catalogue()
        info = project.info()
        result = {
            "dir": str(project.root),
            "county": info.county,
            "region": info.region,
            "terrain": info.terrain,
            "indicators": len(cat.indicators),
            "numbers": len(cat.numbers()),
            "tasks": len(cat.tasks),
            "departments": len(cat.departments),
            "source": cat.source,
            "warnings": project.settings().get("import_warnings", []),
        }
    if args.json:
        _print_json(result)
    else:
        print(f"已创建项目：{result['dir']}")
        print(
            f"  县（市、区）：{result['county'] or '（未填写）'}；地区类别：{_region_label(result['region'])}"
        )
        print(
            f"  指标 {result['numbers']} 项（{result['indicators']} 个填报行），重点任务 {result['tasks']} 项，"
            f"责任部门 {result['departments']} 个；来源：{result['source']}"
        )
        for w in [*result["warnings"], *_elision_notes(cat)]:
            print(f"  提示：{w}")
        print("下一步：ecodesk round add 项目文件夹 轮次名称 --deadline YYYY-MM-DD")
    return 0


_ELISION_OPTIONS = {"name": "--name", "unit": "--unit", "target_text": "--target", "local_target_text": "--local-target"}


def _elision_notes(cat: Any) -> list[str]:
    """What init and catalog say about words the publisher elided ("(略)"), until completed."""
    from .catalogue import ELIDABLE

    out = []
    for ind, labels in cat.elided():
        fields = [f for f, label in ELIDABLE.items() if label in labels]
        out.append(msg("catalog.elided", number=ind.number, name=ind.name, fields="、".join(labels), key=ind.key,
                       options=" ".join(f"{_ELISION_OPTIONS[f]} …" for f in fields)))  # fmt: skip
    return out


_INDICATOR_OPTIONS = {
    "name": "name",
    "unit": "unit",
    "target": "target_text",
    "local_target": "local_target_text",
    "local_value": "local_target_value",
    "local_base_value": "local_base_value",
    "tolerance": "tolerance",
    "comparison": "comparison",
    "better": "better",
}


def cmd_settings(args: argparse.Namespace) -> int:
    from .catalogue.json import catalogue_to_dict
    from .project import INDICATOR_FIELDS

    fields = {f: getattr(args, o) for o, f in _INDICATOR_OPTIONS.items() if getattr(args, o) is not None}
    project_values = {
        k: v
        for k, v in (("region", args.region), ("terrain", args.terrain), ("office_contact", args.office_contact))
        if v is not None
    }
    for k in ("region", "terrain"):
        if project_values.get(k) in ("", "none"):
            project_values[k] = None
    if fields and not args.indicator:
        raise EcoDeskError("settings.which_indicator")
    changes = bool(fields or project_values or args.county)
    with _open(args.dir, write=changes) as project:
        if project_values:
            project.update_settings(note=args.note or "", **project_values)
        if args.county:
            cat = project.catalogue()
            cat.county = args.county.strip()
            project.replace_catalogue(cat, reason=args.note or "settings")
        edited = project.edit_indicator(args.indicator, args.note or "", **fields) if fields else None
        if args.indicator and edited is None:
            edited = project.find_indicator(args.indicator)
        info = project.info()
        data: dict[str, Any] = {
            "county": info.county,
            "region": info.region,
            "region_label": REGION_CLASSES.get(info.region or "", ""),
            "terrain": info.terrain,
            "terrain_label": TERRAIN_CLASSES.get(info.terrain or "", ""),
            "office_contact": project.settings().get("office_contact", ""),
        }
        if edited is not None:
            data["indicator"] = next(
                d for d in catalogue_to_dict(project.catalogue(), info.region, info.terrain)["indicators"]
                if d["key"] == edited.key
            )  # fmt: skip
    if args.json:
        _print_json(data)
        return 0
    print(f"县（市、区）：{data['county'] or '（未填写）'}")
    print(f"地区类别：{data['region_label'] or '（未设置）'}；地形类别：{data['terrain_label'] or '（未设置）'}")
    print(f"创建办联系方式：{data['office_contact'] or '（未填写）'}")
    ind = data.get("indicator")
    if ind:
        print(f"指标 {ind['number']} {ind['name']}（{ind['key']}）")
        for fld, label in INDICATOR_FIELDS.items():
            value = ind.get(fld, "") if fld != "local_target_value" else (ind.get("local_target") or {}).get("value")
            if fld == "local_base_value":
                value = (ind.get("local_target") or {}).get("base_value")
            mark = "（已修改）" if fld in ind["edits"] else ""
            print(f"  {label}：{'' if value is None else value}{mark}")
    if changes:
        print("已保存。已生成的填报表不会自动更新，如需下发新的设置，请重新运行 ecodesk generate")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    from .catalogue.json import catalogue_to_dict

    with _open(args.dir, write=False) as project:
        info = project.info()
        cat = project.catalogue()
        data = catalogue_to_dict(cat, info.region, info.terrain)
    if args.json:
        _print_json(data)
        return 0
    print(f"{data['county']} 指标责任分解（{len(data['indicators'])} 个填报行）")
    for ind in data["indicators"]:
        group = f"{ind['group']}／" if ind["group"] else ""
        mark = "*" if ind["applicability_mark"] else ""
        print(
            f"{ind['number']:>3}  {group}{ind['name']}{mark}  [{ind['unit']}]  {ind['target_text']}"
            f"  —— {ind['departments_text']}"
        )
        print(f"       {ind['explanation']}")
    print(f"\n重点工作任务 {len(data['tasks'])} 项")
    for t in data["tasks"]:
        print(f"{t['number']:>3}  {t['title']}  —— {'、'.join(t['departments'])}")
    notes = _elision_notes(cat)
    if notes:
        print()
    for note in notes:
        print(f"提示：{note}")
    return 0


def cmd_round_add(args: argparse.Namespace) -> int:
    with _open(args.dir, write=True) as project:
        r = project.add_round(args.name, args.deadline, period=args.period)
    _past_warning(r.deadline)
    if args.json:
        _print_json(r.to_dict())
    else:
        print(f"已添加调度轮次『{r.name}』，截止日期 {r.deadline}；{_period_text(r.period_label)}")
    return 0


def _period_text(label: str) -> str:
    if label:
        return f"调度期：{label}（上期值按同期上年比较）"
    return "未识别出调度期（上期值按上一轮比较）；如需设置：ecodesk round period 项目文件夹 轮次名称 2025年度"


def cmd_round_period(args: argparse.Namespace) -> int:
    with _open(args.dir, write=True) as project:
        r = project.set_round_period(args.name, args.period, note=args.note or "")
    if args.json:
        _print_json(r.to_dict())
    else:
        print(f"调度轮次『{r.name}』：{_period_text(r.period_label)}")
    return 0


def _past_warning(deadline: str) -> None:
    from datetime import date

    from .messages import msg
    from .rounds import deadline_passed

    if deadline_passed(deadline):
        print(
            "注意：" + msg("round.past_deadline", deadline=deadline, today=date.today().isoformat()),
            file=sys.stderr,
        )


def _round_done(args: argparse.Namespace, r: Any, text: str) -> int:
    if args.json:
        _print_json(r.to_dict())
    else:
        print(text)
    return 0


def cmd_round_rename(args: argparse.Namespace) -> int:
    from .rounds import edit_round

    with _open(args.dir, write=True) as project:
        r = edit_round(project, args.name, new_name=args.new_name)
    return _round_done(
        args, r, f"已将调度轮次『{args.name}』改名为『{r.name}』（按旧名称下发的填报表仍可回收）"
    )


def cmd_round_edit(args: argparse.Namespace) -> int:
    from .rounds import edit_round

    with _open(args.dir, write=True) as project:
        r = edit_round(project, args.name, deadline=args.deadline, note=args.note)
    if args.deadline:
        _past_warning(r.deadline)
    return _round_done(args, r, f"已修改调度轮次『{r.name}』：截止日期 {r.deadline}")


def cmd_round_close(args: argparse.Namespace) -> int:
    from .rounds import close_round

    with _open(args.dir, write=True) as project:
        r = close_round(project, args.name, args.note)
    return _round_done(
        args,
        r,
        f"已结束调度轮次『{r.name}』，不再回收文件。如需继续：ecodesk round reopen 项目文件夹 {r.name}",
    )


def cmd_round_reopen(args: argparse.Namespace) -> int:
    from .rounds import reopen_round

    with _open(args.dir, write=True) as project:
        r = reopen_round(project, args.name, args.note)
    return _round_done(args, r, f"已重新开启调度轮次『{r.name}』，可以继续回收文件")


def cmd_round_delete(args: argparse.Namespace) -> int:
    from .rounds import delete_round

    with _open(args.dir, write=True) as project:
        r = project.round(args.name)
        delete_round(project, args.name)
    return _round_done(args, r, f"已删除调度轮次『{r.name}』")


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
        revisions = write_revisions(project, args.round) if args.revisions else []
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


def cmd_history(args: argparse.Namespace) -> int:
    from . import history
    from .project import Project

    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".csv"):
        raise EcoDeskError("history.bad_out", path=out)
    with Project.open(args.dir) as project:
        h = history.load(project)
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
    return 0


def _short(v: object) -> str:
    from .rules.model import format_number

    return format_number(v) if isinstance(v, int | float) else str(v)


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo
    from .messages import STATUS_LABELS

    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        raise EcoDeskError("demo.not_empty", path=target)
    r = run_demo(target, progress=None if args.json else _stderr_progress)
    if args.json:
        _print_json(
            {
                "dir": str(r.root),
                "returns": str(r.returns),
                "report": str(r.report),
                "collected": r.collected,
                "verdicts": r.verdicts,
                "missing": r.missing,
            }
        )
        return 0
    print(f"示例项目：{r.root}")
    print(f"模拟回收文件：{r.returns}")
    print("回收：" + "，".join(f"{STATUS_LABELS[k]} {v}" for k, v in r.collected.items() if v))
    print("校验：" + "，".join(f"{k} {v}" for k, v in r.verdicts.items()))
    print(f"未报送：{'、'.join(r.missing)}")
    print(f"汇总表：{r.report}")
    return 0


def _stderr_progress(done: int, total: int, text: str) -> None:
    if sys.stderr.isatty():
        print(
            f"\r[{done}/{total}] {text}\033[K", end="" if done < total else "\n", file=sys.stderr, flush=True
        )


def _region_label(region: str | None) -> str:
    return REGION_CLASSES.get(region or "", "（未设置）")


# ---- parser ------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ecodesk", description="EcoDesk：生态文明建设示范区创建 指标填报、回收、校验与汇总")
    p.add_argument("--version", action="version", version=f"EcoDesk {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str, parent: Any = sub) -> Any:
        sp = parent.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=func)
        return sp

    sp = add("init", cmd_init, "新建项目（不给附件则使用内置的嵊州指标表）")
    sp.add_argument("dir", help="项目文件夹")
    sp.add_argument("--annex1", help="本地的附件1 指标责任分解表（.xlsx）")
    sp.add_argument("--annex2", help="本地的附件2 重点工作任务清单（.xlsx）")
    sp.add_argument("--county", help="县（市、区）名称")
    sp.add_argument("--region", choices=list(REGION_CLASSES), help="地区类别（用于分地区的指标值）")
    sp.add_argument("--terrain", choices=list(TERRAIN_CLASSES), help="地形类别（山区/丘陵/平原分档的指标值）")
    sp.add_argument("--json", action="store_true", help="输出 JSON")

    sp = add(
        "settings",
        cmd_settings,
        "查看或修改项目设置（地区、地形、县名、联系方式），以及单项指标的名称、单位、指标值、本地目标、容差、比较期",
    )
    sp.add_argument("dir")
    sp.add_argument("--region", help=f"地区类别：{'、'.join(f'{k}（{v}）' for k, v in REGION_CLASSES.items())}")
    sp.add_argument("--terrain", help=f"地形类别：{'、'.join(f'{k}（{v}）' for k, v in TERRAIN_CLASSES.items())}")
    sp.add_argument("--county", help="县（市、区）名称")
    sp.add_argument("--office-contact", help="创建办联系方式（印在填报表上）")
    sp.add_argument("--indicator", help="要修改的指标：标识、名称或序号")
    sp.add_argument("--name", help="指标名称（如补全发布时省略的“(略)”）")
    sp.add_argument("--unit", help="单位")
    sp.add_argument("--target", help="指标值（国家目标的原文）")
    sp.add_argument("--local-target", help="本地目标，如：力争26微克/立方米以下；空字符串表示删除")
    sp.add_argument("--local-value", help="本地目标值（如“比2020年下降16%%”折算后的数值）")
    sp.add_argument("--local-base-value", help="本地目标基准年的数值（据此折算本地目标值）")
    sp.add_argument("--tolerance", help="“保持稳定”允许变差的幅度（默认 0）")
    sp.add_argument("--comparison", help="上期值比较期：上年（同期上年，默认）、上一轮、基准年2020")
    sp.add_argument("--better", help="higher（越高越好）或 lower（越低越好）")
    sp.add_argument("--note", help="修改依据（记入操作记录，改变判定时写入汇总表说明）")
    sp.add_argument("--json", action="store_true")

    sp = add("catalog", cmd_catalog, "查看指标、任务和责任部门")
    sp.add_argument("dir")
    sp.add_argument("--json", action="store_true")

    sp = add("generate", cmd_generate, "生成本轮各部门的填报表（每个部门一个 .xlsx）和发放清单")
    sp.add_argument("dir")
    sp.add_argument("--round", help=ROUND_HELP)
    sp.add_argument("--departments", help="只生成这些部门，逗号分隔（可用别名）")
    sp.add_argument("--out", help="输出文件夹（默认：项目的 下发模板/轮次 文件夹）")
    sp.add_argument("--json", action="store_true")

    sp = add("collect", cmd_collect, "回收各部门报回的文件（文件、文件夹或 .zip）")
    sp.add_argument("dir")
    sp.add_argument("--round", help=ROUND_HELP)
    sp.add_argument("paths", nargs="+", help="报回的文件或文件夹")
    sp.add_argument("--force", action="store_true", help="过期模板也采用（慎用）")
    sp.add_argument("--json", action="store_true")

    sp = add("validate", cmd_validate, "逐项校验本轮指标：达标 / 未达标 / 待核实 / 缺报 / 不适用")
    sp.add_argument("dir")
    sp.add_argument("--round", help=ROUND_HELP)
    sp.add_argument("--json", action="store_true")

    sp = add("verdict", cmd_verdict, "人工确认或改判某项指标")
    sp.add_argument("dir")
    sp.add_argument("--round", help=ROUND_HELP)
    sp.add_argument("key", help="指标标识（见 ecodesk catalog --json）")
    sp.add_argument("--set", choices=["达标", "未达标", "待核实", "缺报", "不适用"])
    sp.add_argument("--note", help="说明（改判时必填）")
    sp.add_argument("--value", help="更正后的本期值（如部门误填，汇总表打印此值）；需同时填写 --note")
    sp.add_argument("--clear", action="store_true", help="撤销人工判定")

    sp = add("report", cmd_report, "生成汇总表（简报、指标责任分解表等，末页为数据来源），可选 PDF 和退回修改稿")
    sp.add_argument("dir")
    sp.add_argument("--round", help=ROUND_HELP)
    sp.add_argument("--out", help="汇总表路径（默认：项目的 汇总报告 文件夹）")
    sp.add_argument("--pdf", action="store_true", help="同时生成 PDF（需要 LibreOffice）")
    sp.add_argument("--revisions", action="store_true", help="同时为有问题的部门生成退回修改稿")
    sp.add_argument("--json", action="store_true")

    sp = add("history", cmd_history, "历年趋势：各期指标数值与达标情况，可导出 .xlsx（含趋势图）或 .csv")
    sp.add_argument("dir")
    sp.add_argument("--out", help="导出文件：.xlsx（指标历年值、明细、趋势图等）或 .csv（明细，UTF-8）")
    sp.add_argument("--json", action="store_true")

    sp = add("demo", cmd_demo, "生成一个示例项目，演示下发、回收、校验、汇总全过程")
    sp.add_argument("dir", help="一个新的空文件夹")
    sp.add_argument("--json", action="store_true")

    from .cli_corrections import add_commands

    add_commands(add)

    rp = add("round", lambda a: 0, "调度轮次")
    rsub = rp.add_subparsers(dest="round_command", required=True, parser_class=_Parser)
    sp = add("add", cmd_round_add, "添加调度轮次", rsub)
    sp.add_argument("dir")
    sp.add_argument("name", help="轮次名称，如 2025年第一轮")
    sp.add_argument("--deadline", required=True, help="截止日期 YYYY-MM-DD")
    sp.add_argument(
        "--period",
        help="调度期：2025年度、2025年上半年、2025年第三季度、2025年6月，none 表示不分期（默认从名称识别）",
    )
    sp.add_argument("--json", action="store_true")
    sp = add("period", cmd_round_period, "修改调度轮次的调度期（决定上期值与哪一期比较）", rsub)
    sp.add_argument("dir")
    sp.add_argument("name", help="轮次名称")
    sp.add_argument("period", help="2025年度、2025年上半年 …；none 表示不分期")
    sp.add_argument("--note", help="说明（记入操作记录）")
    sp.add_argument("--json", action="store_true")
    sp = add("list", cmd_round_list, "列出调度轮次", rsub)
    sp.add_argument("dir")
    sp.add_argument("--json", action="store_true")
    sp = add("rename", cmd_round_rename, "给调度轮次改名（已下发的旧名称填报表仍可回收）", rsub)
    sp.add_argument("dir")
    sp.add_argument("name", help="现在的轮次名称")
    sp.add_argument("new_name", help="新名称")
    sp.add_argument("--json", action="store_true")
    sp = add("edit", cmd_round_edit, "修改调度轮次的截止日期或备注", rsub)
    sp.add_argument("dir")
    sp.add_argument("name")
    sp.add_argument("--deadline", help="新的截止日期 YYYY-MM-DD")
    sp.add_argument("--note", help="备注")
    sp.add_argument("--json", action="store_true")
    sp = add("close", cmd_round_close, "结束调度轮次（不再回收文件、生成填报表）", rsub)
    sp.add_argument("dir")
    sp.add_argument("name")
    sp.add_argument("--note", default="", help="说明（记入台账）")
    sp.add_argument("--json", action="store_true")
    sp = add("reopen", cmd_round_reopen, "重新开启已结束的调度轮次", rsub)
    sp.add_argument("dir")
    sp.add_argument("name")
    sp.add_argument("--note", default="", help="说明（记入台账）")
    sp.add_argument("--json", action="store_true")
    sp = add("delete", cmd_round_delete, "删除误加的调度轮次（只限尚未下发、尚未回收的轮次）", rsub)
    sp.add_argument("dir")
    sp.add_argument("name")
    sp.add_argument("--json", action="store_true")
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
