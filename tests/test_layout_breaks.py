"""Page breaks cut merged labels the same way however many pages a sheet has: the one-pass split
(a province's 数据来源 runs to hundreds of pages) against the plain one-break-at-a-time split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ecodesk.report.layout import Block, SheetLayout


def _plain_split(blocks: list[Block], breaks: list[int]) -> list[Block]:
    for b in breaks:
        out: list[Block] = []
        for blk in blocks:
            if blk.r1 < b <= blk.r2:
                out.append(Block(blk.r1, blk.c1, b - 1, blk.c2, blk.value, blk.style, blk.lines))
                out.append(Block(b, blk.c1, blk.r2, blk.c2, blk.value, blk.style, blk.lines))
            else:
                out.append(blk)
        blocks = out
    return blocks


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12), st.integers(0, 3)), max_size=40)


@given(spans, st.lists(st.integers(1, 70), unique=True, max_size=12))
def test_one_pass_split_equals_the_plain_split(rows, breaks):
    blocks = [Block(r, c, r + n, c, f"{r}:{c}", "text") for r, n, c in rows]
    breaks = sorted(breaks)
    lay = SheetLayout("表", [10.0] * 4, blocks=list(blocks), breaks=list(breaks))
    lay._split_at_breaks()
    assert lay.blocks == _plain_split(list(blocks), breaks)
    # no piece crosses a break
    assert not any(b.r1 < x <= b.r2 for b in lay.blocks for x in breaks)
