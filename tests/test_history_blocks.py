"""A round's part of the history frames as bytes and back (ecodesk.history.blocks): every column
type the frames hold comes back exactly — values, types, missing values — one block or many; a
damaged block or a value that cannot be stored is a BlockError, never a wrong frame."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecodesk.history.blocks import BlockError, decode, encode


def _frame(n: int = 6) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": pd.Series(range(n), dtype="int64"),
            "number": pd.Series([1.5, math.nan, math.inf, -0.0, 95.0, 1e-9][:n], dtype="float64"),
            "flag": pd.Series([True, False] * (n // 2), dtype="bool"),
            "year": pd.Series([2024, None, 2025, 2025, None, 2026][:n], dtype="Int64"),
            "text": pd.Series(["达标", None, "", "未达标", "达标", "a\x00b"][:n], dtype="str"),
            "mixed": pd.Series([1, 1.0, True, None, math.nan, "1"][:n], dtype=object),
            "words": pd.Series(["生态环境分局", "经信局", "生态环境分局", "", "x", "y"][:n], dtype=object),
        }
    )


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal frames, and in object columns the same Python types cell by cell (1, 1.0 and True
    stay apart, None stays apart from NaN)."""
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    for c in a.columns:
        if a[c].dtype == object:
            assert [type(x) for x in a[c]] == [type(x) for x in b[c]], c


def test_every_column_type_comes_back_exactly():
    f = _frame()
    back = decode([encode({"values": f})])["values"]
    _same(back, f)
    assert [str(t) for t in back.dtypes] == ["int64", "float64", "bool", "Int64", "str", "object", "object"]
    assert back["text"].tolist()[5] == "a\x00b"  # a NUL inside a text is kept (stored as JSON)
    assert math.isnan(back["mixed"][4]) and back["mixed"][3] is None


def test_blocks_decode_to_their_frames_one_after_the_other():
    a, b, empty = _frame(6), _frame(4), _frame(0)
    b["words"] = pd.Series(["新部门", "经信局", "新部门", "z"], dtype=object)
    back = decode([encode({"v": a, "w": a}), encode({"v": empty, "w": b}), encode({"v": b, "w": empty})])
    _same(back["v"], pd.concat([a, empty, b]))
    _same(back["w"], pd.concat([a, b, empty]))


def test_a_damaged_block_is_refused():
    good = encode({"values": _frame()})
    for bad in (good[:-3], good[:10], b"", good + b"x", good.replace(b'"format": 1', b'"format": 9')):
        with pytest.raises(BlockError):
            decode([bad])
    # a code that points past its column's values
    head = int.from_bytes(good[:4], "little")
    columns = json.loads(good[4 : 4 + head])["frames"]["values"]["columns"]
    first = next(i for i, c in enumerate(columns) if c["kind"] == "codes")
    body = bytearray(good)
    body[4 + head + sum(sum(c["sizes"]) for c in columns[:first])] = 0x7F  # its first row's code
    with pytest.raises(BlockError):
        decode([bytes(body)])


def test_blocks_that_disagree_on_a_columns_type_are_refused():
    a = _frame()
    b = a.astype({"id": "float64"})
    with pytest.raises(BlockError):
        decode([encode({"v": a}), encode({"v": b})])


def test_a_value_that_cannot_be_stored_exactly_is_refused():
    f = pd.DataFrame({"when": pd.Series([pd.Timestamp("2025-01-31")], dtype=object)})
    with pytest.raises(BlockError):
        encode({"v": f})
    with pytest.raises(BlockError):
        encode({"v": pd.DataFrame({"when": pd.to_datetime(["2025-01-31"])})})


_cells = st.one_of(
    st.none(), st.text(max_size=5), st.integers(-(2**53), 2**53), st.floats(allow_nan=True), st.booleans()
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_cells, min_size=0, max_size=8), min_size=1, max_size=4),
    st.lists(st.one_of(st.none(), st.text(max_size=4)), min_size=0, max_size=8),
)
def test_any_mix_of_cells_comes_back(blocks, texts):
    frames = []
    for cells in blocks:
        n = len(cells)
        frames.append(
            pd.DataFrame(
                {
                    "mixed": pd.Series(cells, dtype=object),
                    "text": pd.Series(
                        (texts * (n // max(len(texts), 1) + 1))[:n] if texts else [None] * n, dtype="str"
                    ),
                    "n": pd.Series(np.arange(n), dtype="int64"),
                }
            )
        )
    back = decode([encode({"f": f}) for f in frames])["f"]
    _same(back, pd.concat(frames))


def test_long_text_is_deflated_and_comes_back():
    reasons = pd.Series([f"本期值 {i} 低于目标值 90，差 {90 - i}；来源：生态环境分局" * 3 for i in range(400)], dtype=object)
    f = pd.DataFrame({"reason": reasons})
    block = encode({"v": f})
    assert len(block) < len("".join(reasons).encode()) / 3  # deflated
    _same(decode([block, block])["v"], pd.concat([f, f]))
    damaged = bytearray(block)
    damaged[-20:] = b"\x00" * 20
    with pytest.raises(BlockError):
        decode([bytes(damaged)])
