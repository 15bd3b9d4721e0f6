"""简报, page 1 of the pack: one page a leader reads before the meeting — the round and its
deadline, counts by verdict and 领域, what changed since the comparison period (the history's
changes into the round, as on 历年趋势), who has not reported, the 未达标 items and the few items
that need a decision. The tables follow it."""

from __future__ import annotations

from ..intake.statuses import TaskStatus
from ..verdicts import FAIL, PASS, PENDING, REVIEW, SHOWN
from .data import ReportData
from .layout import SheetLayout, verdict_label
from .style import as_of_text

SHEET = "简报"
REFERENCE = "参考性指标"
WIDTHS = (26, 17, 17, 17, 17, 17, 17)
LIST_MAX = 5  # items listed per section; the rest are counted and found in the tables


def _listed(items: list[str], where: str) -> list[str]:
    if len(items) <= LIST_MAX:
        return items
    return [*items[:LIST_MAX], f"……另有 {len(items) - LIST_MAX} 项，见{where}"]


def build(d: ReportData) -> SheetLayout:
    # the 待报 column only while something is still due (before the deadline)
    pending = bool(d.verdicts.counts().get(PENDING))
    VERDICTS = SHOWN if pending else tuple(v for v in SHOWN if v != PENDING)
    lay = SheetLayout(SHEET, list(WIDTHS) + ([WIDTHS[-1]] if pending else []))
    lay.header_left, lay.header_right = f"{d.county}　{d.round}", SHEET
    last = len(WIDTHS) - (0 if pending else 1)
    vs = d.verdicts.verdicts
    lay.put(0, 0, 0, last, f"{d.county}国家生态文明建设示范区创建 {d.round_title} 工作简报", "title")
    period = f"报告期 {d.verdicts.period_label}；" if getattr(d.verdicts, "period_label", "") else ""
    lay.put(1, 0, 1, last, f"{period}截止日期 {d.deadline}；{as_of_text(d.as_of)}", "subtitle")
    r = 2

    def section(text: str) -> None:
        nonlocal r
        lay.put(r, 0, r, last, text, "section")
        r += 1

    def para(text: str) -> None:
        nonlocal r
        lay.put(r, 0, r, last, text, "para")
        r += 1

    counts = d.verdicts.counts()
    section(
        f"一、指标达标情况：共 {len(vs)} 项，"
        + "，".join(f"{k} {counts[k]} 项" for k in VERDICTS if counts[k] or k in (PASS, FAIL))
    )
    lay.cell(r, 0, "领域", "head")
    for c, v in enumerate(VERDICTS, start=1):
        lay.cell(r, c, verdict_label(v), "head")
    lay.cell(r, last, "合计", "head")
    r += 1
    by_key = {i.key: i for i in d.catalogue.indicators}
    domains: dict[str, dict[str, int]] = {}
    for v in vs:
        ind = by_key[v.key]
        dom = REFERENCE if ind.reference else (ind.domain or "（未分领域）")
        domains.setdefault(dom, dict.fromkeys(VERDICTS, 0))[v.verdict] += 1
    for dom, cs in [*domains.items(), ("合计", counts)]:
        style = "bold" if dom == "合计" else "center"
        lay.cell(r, 0, dom, "bold" if dom == "合计" else "left")
        for c, v in enumerate(VERDICTS, start=1):
            lay.cell(r, c, cs[v] if cs[v] else "—", style)  # a dash, never a stray 0, for none
        lay.cell(r, last, sum(cs.values()), "bold")
        r += 1

    reported = [s for s in d.statuses if s.reported]
    missing = [s.department for s in d.statuses if not s.reported and s.issued]  # asked, not back
    late = sum(1 for s in reported if s.late)
    tasks = d.verdicts.tasks
    tcount = {k: sum(1 for t in tasks if t.status == k) for k in TaskStatus}  # in the enum's order
    section("二、报送情况")
    para(
        f"应报部门 {len(d.statuses)} 个，已报 {len(reported)} 个"
        + (f"（其中逾期 {late} 个）" if late else "")
        + (
            f"；{'待报（未到截止日期）' if d.interim else '尚未报送'} {len(missing)} 个：{'、'.join(missing)}。"
            if missing
            else "；已全部报送。"
        )
        + f"重点任务 {len(tasks)} 条（任务×部门）："
        + "、".join(f"{k} {n} 条" for k, n in tcount.items() if n)
        + "。"
    )

    # what changed comes from the history model: the same comparison period as 历年趋势
    t = d.trend
    since = t.compared_with if t is not None else ""
    section(f"三、与上一可比期（{since}）相比" if since else "三、与上一可比期相比")
    if not since:
        first = t is None or len(t.periods) <= 1
        para("本轮为首轮，没有上轮结果可比。" if first else "往期没有同期上年的结果可比。")
    else:
        changes = t.changes
        newly = [f"{c['number']} {c['name']}" for c in changes if c["change"] == "newly_failing"]
        solved = [
            f"{c['number']} {c['name']}" for c in changes if c["change"] == "resolved" and c["after"] == PASS
        ]
        other = [
            f"{c['number']} {c['name']}（{c['before']}→{c['after']}）"
            for c in changes
            if (c["change"] == "changed" or (c["change"] == "resolved" and c["after"] != PASS))
            and c["after"] != PENDING  # not yet due: nothing to tell a leader
        ]
        para(
            f"新增未达标 {len(newly)} 项"
            + (f"：{'、'.join(_listed(newly, '历年趋势'))}" if newly else "")
            + "。"
        )
        para(
            f"已整改达标 {len(solved)} 项"
            + (f"：{'、'.join(_listed(solved, '历年趋势'))}" if solved else "")
            + "。"
        )
        if other:
            para(f"其他判定变化 {len(other)} 项：{'、'.join(_listed(other, '历年趋势'))}。")

    fails = [v for v in vs if v.verdict == FAIL]
    section(f"四、未达标指标（{len(fails)} 项）")
    if not fails:
        para("无。")
    for text in _listed([f"{v.number} {v.name}（{v.lead}）：{v.short}" for v in fails], "指标责任分解表"):
        para(text)

    decide = [v for v in vs if v.verdict == REVIEW and not v.overridden]
    odd_tasks = [t for t in tasks if t.status not in tcount]
    n = len(decide) + len(odd_tasks)
    section(f"五、需要决定的事项（{n} 项）")
    if not n:
        para("无。")
    items = [f"{v.number} {v.name}：{v.short}。请核实后确认或改判" for v in decide]
    items += [
        f"任务{t.number} {t.title}（{t.department}）：完成状态『{t.status}』无法识别" for t in odd_tasks
    ]
    for text in _listed(items, "问题清单"):
        para(text)
    para("附：指标责任分解表、重点工作任务、报送情况、问题清单；数据来源（文件、单元格）列于最后。")
    lay.paginate(2, one_page=True)
    return lay
