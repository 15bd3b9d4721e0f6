"""The 台账 archive of a 30-department round with 300 evidence files.

Data: the built-in catalogue (24 departments) plus 6 extra co-departments = 30. Every department
fills its form; the 300 files are shared out over the departments that have indicator rows (those
with tasks only send none), each naming its files in the 佐证材料 cells of its rows and sending them
beside the form in its own folder: PDFs of 3 pages padded to ~120 KB and JPEG photos
of ~400 KB (about 75 MB in all). The round is collected once (timed, for information), then
``ecodesk archive`` is built into a new folder (the target: a few seconds), and built again into
the same folder (nothing to copy: the time of checking it), and the two trees are compared.

    .venv/bin/python bench/bench_archive.py [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import common

from ecodesk.archive import INDEX_NAME, build_archive
from ecodesk.catalogue.builtin import load_builtin
from ecodesk.demo import fill_form, sample_pdf
from ecodesk.forms.issue import generate_round
from ecodesk.intake.collect import collect
from ecodesk.project import Project

ROUND = "2025年第一轮"
TARGET_S = 5.0
TOTAL_FILES = 300


def _photo(seed: int, size: int) -> bytes:
    head = bytes.fromhex("ffd8ffe000104a46494600010100000100010000")
    body = hashlib.sha256(str(seed).encode()).digest() * (size // 32)
    return head + b"\xff\xfe" + b"\x00\x10" + body[:14] + body + b"\xff\xd9"


def _pdf(seed: int, size: int) -> bytes:
    data = sample_pdf(f"evidence {seed}", pages=3)
    pad = b"%" + hashlib.sha256(str(seed).encode()).hexdigest().encode() * (size // 64) + b"\n"
    return data.replace(b"%%EOF\n", b"%%EOF\n" + pad)


def build_round(root: Path, total: int) -> tuple[Project, Path, int, int]:
    cat = common.add_co_departments(load_builtin(), common.EXTRA_DEPARTMENTS[:6])
    project = Project.create(root / "项目", cat, region="east")
    project.add_round(ROUND, "2025-06-30")
    forms = {f.department: Path(f.path) for f in generate_round(project, ROUND).forms}
    inbox = root / "收件箱"
    files = size = 0
    by_dept = {d: project.catalogue().indicators_for(d) for d in sorted(forms)}
    senders = [d for d, inds in by_dept.items() if inds]  # a department with tasks only sends none
    share = {d: total // len(senders) + (1 if i < total % len(senders) else 0) for i, d in enumerate(senders)}
    for d, form in sorted(forms.items()):
        folder = inbox / d
        folder.mkdir(parents=True)
        inds = by_dept[d]
        values: dict[str, dict[str, object]] = {i.key: {"current": 1} for i in inds}
        names: dict[str, list[str]] = {}
        for n in range(share.get(d, 0)):
            ind = inds[n % len(inds)]
            if n % 3 == 2:
                name, data = f"{d}_{ind.name}_现场照片{n}.jpg", _photo(files, 400_000)
            else:
                name, data = f"{ind.name}_佐证材料{n}.pdf", _pdf(files, 120_000)
            (folder / name).write_bytes(data)
            names.setdefault(ind.key, []).append(name)
            files += 1
            size += len(data)
        for key, listed in names.items():
            values[key]["evidence"] = "、".join(listed)
        fill_form(form, folder / form.name, values)
    return project, inbox, files, size


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != INDEX_NAME
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="90 files")
    args = ap.parse_args()
    per = 90 if args.quick else TOTAL_FILES
    common.banner("台账 archive: 30 departments", "quick" if args.quick else "full")
    with tempfile.TemporaryDirectory(prefix="ecodesk-bench-archive-") as tmp:
        root = Path(tmp)
        project, inbox, n_files, size = build_round(root, per)
        with project:
            t = time.perf_counter()
            res = collect(project, ROUND, [inbox])
            t_collect = time.perf_counter() - t
            counts = res.counts()
            out = root / "台账"
            t = time.perf_counter()
            first = build_archive(project, ROUND, out)
            t_build = time.perf_counter() - t
            before = tree(out)
            t = time.perf_counter()
            build_archive(project, ROUND, out)
            t_again = time.perf_counter() - t
            same = tree(out) == before
        common.table(
            ("what", "figure"),
            [
                ("departments (forms)", len(list(inbox.iterdir()))),
                ("departments sending evidence", len({i.department for i in first.items})),
                ("evidence files sent", n_files),
                ("MB sent", f"{size / 1e6:.1f}"),
                ("collect (forms + evidence)", f"{t_collect:.2f} s ({counts.get('evidence', 0)} 佐证材料)"),
                ("archive items / missing", f"{len(first.items)} / {len(first.missing)}"),
                ("build archive (new folder)", f"{t_build:.2f} s"),
                ("build again (same folder)", f"{t_again:.2f} s"),
                ("same tree twice", "yes" if same else "NO"),
            ],
        )
        ok = t_build < TARGET_S and same and len(first.items) == n_files
        print(f"target: archive of {n_files} files < {TARGET_S:.0f} s: {common.verdict(ok)}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
