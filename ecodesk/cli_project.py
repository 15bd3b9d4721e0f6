"""Command line for the project itself: ``init``, ``settings``, ``catalog`` and ``demo``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .catalogue import REGION_CLASSES, TERRAIN_CLASSES
from .cli import _open, _print_json, _stderr_progress
from .findings import stored
from .messages import EcoDeskError, msg


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
            "warnings": [stored(w) for w in project.settings().get("import_warnings", [])],
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
        for w in [*(w["message"] for w in result["warnings"]), *_elision_notes(cat)]:
            print(f"  提示：{w}")
        print("下一步：ecodesk round add 项目文件夹 轮次名称 --deadline YYYY-MM-DD")
    return 0


_ELISION_OPTIONS = {"name": "--name", "unit": "--unit", "target_text": "--target", "local_target_text": "--local-target"}


def _elision_notes(cat: Any) -> list[str]:
    """What init and catalog say about words the publisher elided ("(略)"), until completed."""
    from .catalogue import ELIDABLE, TASK_ELIDABLE

    out = []
    for ind, labels in cat.elided():
        fields = [f for f, label in ELIDABLE.items() if label in labels]
        out.append(msg("catalog.elided", number=ind.number, name=ind.name, fields="、".join(labels), key=ind.key,
                       options=" ".join(f"{_ELISION_OPTIONS[f]} …" for f in fields)))  # fmt: skip
    for task, labels in cat.elided_tasks():
        options = " ".join(f"--{f} …" for f, label in TASK_ELIDABLE.items() if label in labels)
        out.append(msg("catalog.elided_task", number=task.number, title=task.title, fields="、".join(labels),
                       key=task.key, options=options))  # fmt: skip
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
    from .project import INDICATOR_FIELDS, TASK_FIELDS

    fields = {f: getattr(args, o) for o, f in _INDICATOR_OPTIONS.items() if getattr(args, o) is not None}
    project_values = {
        k: v
        for k, v in (("region", args.region), ("terrain", args.terrain), ("office_contact", args.office_contact))
        if v is not None
    }
    for k in ("region", "terrain"):
        if project_values.get(k) in ("", "none"):
            project_values[k] = None
    task_fields = {f: getattr(args, f) for f in ("title", "requirements") if getattr(args, f) is not None}
    if fields and not args.indicator:
        raise EcoDeskError("settings.which_indicator")
    if task_fields and not args.task:
        raise EcoDeskError("settings.which_task")
    if args.task and args.indicator:
        raise EcoDeskError("settings.task_and_indicator")
    changes = bool(fields or task_fields or project_values or args.county)
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
        task = project.edit_task(args.task, args.note or "", **task_fields) if task_fields else None
        if args.task and task is None:
            task = project.find_task(args.task)
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
        if task is not None:
            data["task"] = {"key": task.key, "number": task.number, "title": task.title,
                            "requirements": task.requirements, "departments": task.departments}  # fmt: skip
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
    if data.get("task"):
        task_data = data["task"]
        print(f"任务 {task_data['number']}（{task_data['key']}）")
        for fld, label in TASK_FIELDS.items():
            print(f"  {label}：{task_data[fld]}")
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


def _region_label(region: str | None) -> str:
    return REGION_CLASSES.get(region or "", "（未设置）")


def add_commands(add: Callable[..., Any]) -> None:
    """Register ``init``, ``settings`` and ``catalog`` with ``cli.build_parser``'s ``add``."""
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
        "查看或修改项目设置（地区、地形、县名、联系方式），单项指标的名称、单位、指标值、本地目标、容差、比较期，"
        "以及重点任务的主要任务和具体要求",
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
    sp.add_argument("--task", help="要修改的重点任务：标识、主要任务或序号")
    sp.add_argument("--title", help="任务的主要任务")
    sp.add_argument("--requirements", help="任务的具体要求（如补全发布时省略的“(略)”）")
    sp.add_argument("--note", help="修改依据（记入操作记录，改变判定时写入汇总表说明）")
    sp.add_argument("--json", action="store_true")

    sp = add("catalog", cmd_catalog, "查看指标、任务和责任部门")
    sp.add_argument("dir")
    sp.add_argument("--json", action="store_true")


def add_demo(add: Callable[..., Any]) -> None:
    """Register ``demo`` (listed after the round's work in ``ecodesk --help``)."""
    sp = add("demo", cmd_demo, "生成一个示例项目，演示下发、回收、校验、汇总全过程")
    sp.add_argument("dir", help="一个新的空文件夹")
    sp.add_argument("--json", action="store_true")
