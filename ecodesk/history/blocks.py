"""A round's part of the history frames as bytes, and back: what :mod:`ecodesk.ledger.history_blocks`
keeps so that reopening the history of twenty rounds reads twenty blocks instead of rebuilding
the frames from hundreds of thousands of ledger rows.

The format is plain data, never pickle (a project folder can come from anywhere): a JSON header
naming each frame's columns, then their buffers. Numbers and booleans are stored as their bytes;
text as codes into the column's distinct values (a province's 154,000 rows have 20 rounds, 3,000
departments, a few verdicts), so decoding is a few numpy ``take``s per column, with no Python
object per cell. A value that cannot be stored exactly (anything but text, numbers, booleans and
None) raises :class:`BlockError`, and the caller keeps the frames it built without storing them.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FORMAT = 1
_HEAD = struct.Struct("<I")  # the header's length in bytes
_RAW = {"int64", "float64", "bool"}  # numpy columns stored as their bytes
_PACK_ABOVE = 16_384  # a column's text longer than this (bytes) is deflated


def salt() -> str:
    """What else a block's meaning depends on: this format, and the version of pandas that names
    the column types (a block written under another pandas is built again)."""
    import pandas as pd

    return f"blocks {FORMAT}, pandas {pd.__version__}"


class BlockError(ValueError):
    """A block that cannot be written or read back exactly (the frames are rebuilt instead)."""


def encode(frames: dict[str, pd.DataFrame]) -> bytes:
    """``frames`` (one round's part of each history frame) as one block."""
    header: dict[str, Any] = {"format": FORMAT, "frames": {}}
    body: list[bytes] = []
    for name, frame in frames.items():
        cols = []
        for column in frame.columns:
            spec, buffers = _encode_column(frame[column])
            spec["name"] = column
            spec["sizes"] = [len(b) for b in buffers]
            body += buffers
            cols.append(spec)
        header["frames"][name] = {"rows": len(frame), "columns": cols}
    try:
        head = json.dumps(header, ensure_ascii=False, allow_nan=True).encode()
    except (TypeError, ValueError) as exc:  # a value JSON cannot hold exactly
        raise BlockError(str(exc)) from exc
    return _HEAD.pack(len(head)) + head + b"".join(body)


def decode(blocks: Sequence[bytes]) -> dict[str, pd.DataFrame]:
    """Blocks (in the order of their rounds) as whole frames, each block's rows after the one
    before; :class:`BlockError` if a block is damaged or the blocks do not agree on the columns."""
    import pandas as pd

    parts = [_read(b) for b in blocks]
    if not parts:
        raise BlockError("no blocks")
    out = {}
    for name, first in parts[0].items():
        frames = [p.get(name) for p in parts]
        if any(f is None or [c["name"] for c in f] != [c["name"] for c in first] for f in frames):
            raise BlockError(f"{name}: the blocks' columns differ")
        columns = {}
        for j, spec in enumerate(first):
            specs = [f[j] for f in frames]  # type: ignore[index]
            if any((s["kind"], s["dtype"]) != (spec["kind"], spec["dtype"]) for s in specs):
                raise BlockError(f"{name}.{spec['name']}: the blocks' types differ")
            try:
                columns[spec["name"]] = _decode_column(specs)
            except (ValueError, TypeError, zlib.error) as exc:  # values that do not fit, damaged text
                raise BlockError(f"{name}.{spec['name']}: {exc}") from exc
        out[name] = pd.DataFrame(columns, columns=list(columns))
    return out


# ---- columns -------------------------------------------------------------------------------------
def _encode_column(s: pd.Series) -> tuple[dict[str, Any], list[bytes]]:
    import numpy as np
    import pandas as pd

    dtype = str(s.dtype)
    if dtype in _RAW:
        return {"kind": "raw", "dtype": dtype}, [s.to_numpy().tobytes()]
    if dtype == "Int64":
        mask = s.isna().to_numpy()
        return {"kind": "masked", "dtype": dtype}, [
            s.to_numpy(dtype="int64", na_value=0).tobytes(),
            mask.tobytes(),
        ]
    textual = True  # every distinct value is a str
    if isinstance(s.dtype, pd.StringDtype):
        codes, uniques = pd.factorize(s)  # NA → -1
        values: list[Any] = uniques.tolist()
    elif dtype == "object":
        arr = s.to_numpy()
        if pd.api.types.infer_dtype(arr, skipna=False) == "string":  # text only: hashing is exact
            codes, u = pd.factorize(arr)
            values = u.tolist()
        else:
            textual = False  # keys keep 1, 1.0 and True apart, and None apart from NaN
            seen: dict[tuple[str, Any], int] = {}
            values, raw = [], []
            for x in arr.tolist():
                if type(x) not in (str, float, int, bool, type(None)):
                    raise BlockError(f"{s.name}: a {type(x).__name__} cannot be stored")
                key = (type(x).__name__, "nan" if x != x else x)
                at = seen.get(key)
                if at is None:
                    at = seen[key] = len(values)
                    values.append(x)
                raw.append(at)
            codes = np.asarray(raw, dtype=np.int64)
    else:
        raise BlockError(f"{s.name}: {dtype} cannot be stored")
    width = "int8" if len(values) < 127 else "int16" if len(values) < 32767 else "int32"
    spec: dict[str, Any] = {"kind": "codes", "dtype": dtype, "codes": width}
    buffers = [np.asarray(codes, dtype=width).tobytes()]
    joined = "\x00".join(values) if textual else ""
    if values and textual and joined.count("\x00") == len(values) - 1:  # no NUL inside a value
        spec["text"] = len(values)  # the values as one NUL-separated UTF-8 buffer (faster than JSON)
        text = joined.encode()
        if len(text) > _PACK_ABOVE:  # long sentences (a verdict's reason): deflated, about 8× smaller
            spec["zlib"], text = True, zlib.compress(text, 1)
        buffers.append(text)
    else:
        spec["values"] = values
    return spec, buffers


def _decode_column(specs: list[dict[str, Any]]) -> Any:
    """One column from every block's part of it."""
    import numpy as np
    import pandas as pd

    kind, dtype = specs[0]["kind"], specs[0]["dtype"]
    bufs = [s["buffers"] for s in specs]
    for s, b in zip(specs, bufs, strict=True):
        item = {"raw": dtype, "masked": "int64"}.get(kind) or s["codes"]
        if len(b[0]) != s["rows"] * np.dtype(item).itemsize or (kind == "masked" and len(b[1]) != s["rows"]):
            raise BlockError(f"{s['name']}: the column's length does not match its rows")
    if kind == "raw":
        return np.concatenate([np.frombuffer(b[0], dtype=dtype) for b in bufs])
    if kind == "masked":
        values = np.concatenate([np.frombuffer(b[0], dtype="int64") for b in bufs])
        mask = np.concatenate([np.frombuffer(b[1], dtype=bool) for b in bufs])
        return pd.arrays.IntegerArray(values, mask)
    # codes: every block's values one after the other, each block's codes moved past the blocks
    # before it; a block whose values are the same as an earlier block's (a round's 3,000
    # departments, its indicators' names) points into that block's instead
    tables: list[list[Any]] = []
    codes, start, seen = [], 0, {}
    for s, b in zip(specs, bufs, strict=True):
        same = bytes(b[1]) if "text" in s else None
        if same is not None and same in seen:
            offset, n = seen[same]
        else:
            values = _values(s, b)
            offset, n = start, len(values)
            tables.append(values)
            start += n
            if same is not None:
                seen[same] = (offset, n)
        c = np.frombuffer(b[0], dtype=s["codes"]).astype(np.int64)
        if len(c) and (c.max() >= n or c.min() < -1):
            raise BlockError(f"{s['name']}: a code outside its values")
        codes.append(np.where(c >= 0, c + offset, -1))
    at = np.concatenate(codes) if codes else np.empty(0, np.int64)
    table = np.empty(start + 1, dtype=object)
    offset = 0
    for values in tables:
        table[offset : offset + len(values)] = values
        offset += len(values)
    table[start] = None  # where a code is -1
    if dtype == "object":
        return pd.Series(table[at], dtype=object, copy=False)
    return pd.array(table[:start], dtype=dtype).take(at, allow_fill=True)


def _values(spec: dict[str, Any], buffers: list[memoryview]) -> list[Any]:
    """A column's distinct values in one block."""
    if "text" not in spec:
        return list(spec["values"])
    if spec["text"] == 0:
        return []
    text = zlib.decompress(buffers[1]) if spec.get("zlib") else buffers[1]
    values = str(text, "utf-8").split("\x00")
    if len(values) != spec["text"]:
        raise BlockError(f"{spec['name']}: {len(values)} values where the header says {spec['text']}")
    return values


def _read(block: bytes) -> dict[str, list[dict[str, Any]]]:
    """The columns of each frame in a block, each with its buffers (views of the block)."""
    try:
        (n,) = _HEAD.unpack_from(block)
        header = json.loads(block[_HEAD.size : _HEAD.size + n])
        if header.get("format") != FORMAT:
            raise BlockError(f"format {header.get('format')}")
        view = memoryview(block)
        at = _HEAD.size + n
        out = {}
        for name, frame in header["frames"].items():
            for spec in frame["columns"]:
                spec["rows"], spec["buffers"] = frame["rows"], []
                for size in spec["sizes"]:
                    spec["buffers"].append(view[at : at + size])
                    at += size
            out[name] = frame["columns"]
        if at != len(block):
            raise BlockError("the block's length does not match its header")
        return out
    except (struct.error, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, BlockError):
            raise
        raise BlockError(f"damaged block: {exc}") from exc
