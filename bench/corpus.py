"""The province-scale corpus the intake benchmark reads, built once and cached.

ONE project "省级汇总" whose catalogue holds the built-in indicators and tasks once per county
(county-prefixed departments, a county marker in every indicator and task name so keys differ),
30 departments per county (the built-in 24 plus 6 co-departments): 100 counties → 3,100
indicators, 2,200 tasks, 3,000 departments. One round, a fill-in workbook generated for every
department, and one returned file per department:

* ~75 % the filled .xlsx as the department saved it (``demo.fill_form`` with
  ``demo.department_values``: plausible values, a few failing, a few late, 1 in 50 with a text
  value where a number belongs);
* ~10 % re-saved as .xls and ~10 % as .ods through LibreOffice;
* 5 % broken or foreign: a truncated zip, random bytes, a CSV, a .docx renamed to .xlsx, an empty
  file, another project's (filled) template — in turn.

Cached under ``/tmp/ecodesk-bench/<version>/{full,quick}`` where ``<version>`` is EcoDesk's
version, this builder's ``CORPUS_FORMAT`` and a fingerprint of the core code that shapes the files
(forms, ledger schema, demo filling, built-in catalogue), so a change there builds a new corpus.

    .venv/bin/python bench/corpus.py [--quick] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import random
import shutil
import sys
import threading
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import common

from ecodesk import __version__
from ecodesk.catalogue.builtin import load_builtin
from ecodesk.demo import department_values, fill_form
from ecodesk.forms.issue import generate_round
from ecodesk.project import ISSUED_DIR, LEDGER_NAME, Project

CACHE = Path(os.environ.get("ECODESK_BENCH_CACHE", "/tmp/ecodesk-bench"))
PROJECT_NAME = "省级汇总"
ROUND = "2025年第一轮"
DEADLINE = dt.date(2025, 6, 30)
EXTRA_PER_COUNTY = 6
FULL_COUNTIES, QUICK_COUNTIES = 100, 10
BROKEN_KINDS = ("truncated_zip", "random_bytes", "csv", "docx_renamed", "empty", "other_project")
VARIANTS = 4  # sets of failing indicators, one per county in turn
#: Bump when this script changes what it builds (the code it calls is fingerprinted by itself).
CORPUS_FORMAT = 1


def version() -> str:
    """EcoDesk's version, this builder's format and a fingerprint of the core code that shapes the
    corpus files (forms, ledger schema, demo filling, built-in catalogue)."""
    src = common.ROOT / "ecodesk"
    parts = sorted(
        [
            *src.joinpath("forms").glob("*.py"),
            src / "ledger" / "schema.py",
            src / "demo.py",
            *common.ROOT.joinpath("ecodesk", "resources", "catalogues").glob("*.json"),
        ]
    )
    h = hashlib.sha256()
    for p in parts:
        h.update(p.name.encode() + p.read_bytes())
    return f"{__version__}-f{CORPUS_FORMAT}-{h.hexdigest()[:8]}"


@dataclass
class Corpus:
    root: Path
    project: Path  # the project folder (ledger with catalogue, round and issued forms; no returns)
    returns: Path  # the returned files, one folder
    manifest: dict[str, Any]

    @property
    def files(self) -> list[Path]:
        return sorted(p for p in self.returns.iterdir() if p.is_file())

    def fresh_project(self, dest: Path) -> Path:
        """A copy of the project holding only its ledger (collect never reads the issued forms:
        their records are in the ledger), with empty archive and report folders."""
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        shutil.copyfile(self.project / LEDGER_NAME, dest / LEDGER_NAME)
        return dest


def corpus_dir(quick: bool) -> Path:
    return CACHE / version() / ("quick" if quick else "full")


def load(quick: bool) -> Corpus | None:
    root = corpus_dir(quick)
    manifest = root / "manifest.json"
    if not manifest.is_file():
        return None
    return Corpus(root, root / "project", root / "returns", json.loads(manifest.read_text()))


def ensure(quick: bool, rebuild: bool = False, log: Any = print) -> Corpus:
    """The cached corpus, built first when missing (or when ``rebuild``)."""
    if not rebuild:
        found = load(quick)
        if found is not None:
            return found
    return build(quick, log)


# ---- building -----------------------------------------------------------------------------------
def _fill_job(job: tuple[str, str, dict[str, Any], dict[str, Any], dt.datetime]) -> str:
    src, dst, values, tasks, saved_at = job
    fill_form(Path(src), Path(dst), values, tasks, saved_at)
    return dst


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            '2006/main"><w:body><w:p><w:r><w:t>关于报送生态文明建设示范区创建材料的通知</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buf.getvalue()


def _other_project_form(root: Path) -> Path:
    """A filled form of another project (same built-in catalogue, another project id)."""
    with Project.create(root, load_builtin(), region="east") as other:
        other.add_round(ROUND, DEADLINE.isoformat())
        form = Path(generate_round(other, ROUND, ["住建局"]).forms[0].path)
        values = department_values(other, "住建局", set())
        return fill_form(form, root / "filled.xlsx", values, {}, dt.datetime(2025, 6, 20, 9, 0))


def _break(kind: str, good: Path, other_form: Path, rng: random.Random) -> Path:
    """Replace ``good`` by a broken or foreign file of ``kind``; returns the new path."""
    data = good.read_bytes()
    good.unlink()
    if kind == "truncated_zip":
        good.write_bytes(data[: len(data) * 2 // 5])  # mail attachment cut off
        return good
    if kind == "random_bytes":
        good.write_bytes(rng.randbytes(len(data)))
        return good
    if kind == "csv":
        path = good.with_suffix(".csv")
        path.write_text(
            "标识,序号,指标名称,本期值\nind-x,1,生态文明建设工作占党政实绩考核的比例,22\n", "utf-8-sig"
        )
        return path
    if kind == "docx_renamed":
        good.write_bytes(_docx_bytes())
        return good
    if kind == "empty":
        good.write_bytes(b"")
        return good
    if kind == "other_project":
        shutil.copyfile(other_form, good)
        return good
    raise ValueError(kind)


def _base_values(base: Project, cat_base: Any) -> dict[tuple[str, int], dict[str, dict[str, Any]]]:
    """department_values for every base department and failing variant, by base indicator key."""
    keys = [i.key for i in cat_base.indicators]
    out: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}
    for v in range(VARIANTS):
        failing = {k for j, k in enumerate(keys) if (j + v) % 9 == 0}
        for n, d in enumerate(cat_base.department_names()):
            out[(d, v)] = department_values(base, d, failing, seed=n + v)
    return out


def build(quick: bool, log: Any = print) -> Corpus:
    n_counties = QUICK_COUNTIES if quick else FULL_COUNTIES
    root = corpus_dir(quick)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    work = root / "work"
    returns = root / "returns"
    returns.mkdir()
    steps: dict[str, float] = {}
    t_all = time.perf_counter()
    extra = common.EXTRA_DEPARTMENTS[:EXTRA_PER_COUNTY]
    counties = common.county_names(n_counties)

    # values: computed once per base department (each county's rows ask the same questions)
    with common.timed(steps, "plausible values (department_values on the base catalogue)"):
        base_cat = common.add_co_departments(load_builtin(), extra)
        base = Project.create(work / "base", base_cat, region="east")
        base_cat = base.catalogue()
        values = _base_values(base, base_cat)
        base.close()
    n_ind, n_task = len(base_cat.indicators), len(base_cat.tasks)
    depts_per_county = len(base_cat.departments)

    with common.timed(steps, "province catalogue + project"):
        cat = common.province_catalogue(load_builtin(), counties, extra)
        project = Project.create(root / "project", cat, region="east")
        project.add_round(ROUND, DEADLINE.isoformat())
    log(
        f"catalogue: {len(counties)} counties, {len(cat.indicators):,} indicators, {len(cat.tasks):,} tasks, "
        f"{len(cat.departments):,} departments"
    )
    with common.timed(steps, f"generate_round ({len(cat.departments):,} workbooks)"):
        issued = {f.department: Path(f.path) for f in generate_round(project, ROUND).forms}
    log(f"generated {len(issued):,} workbooks in {steps[next(reversed(steps))]:.1f} s")
    project.close()

    # what each department returns
    ind_key = [i.key for i in cat.indicators]
    task_key = [t.key for t in cat.tasks]
    base_ind = {i.key: n for n, i in enumerate(base_cat.indicators)}
    base_task = {t.key: n for n, t in enumerate(base_cat.tasks)}
    jobs = []
    for ci, county in enumerate(counties):
        for di, d in enumerate(base_cat.department_names()):
            dept = county + d
            form = issued[dept]
            k = ci * depts_per_county + di
            vals = {
                ind_key[ci * n_ind + base_ind[bk]]: dict(cells)
                for bk, cells in values[(d, ci % VARIANTS)].items()
            }
            if k % 50 == 7 and vals:
                next(iter(vals.values()))["current"] = "九十五"
            tasks = {
                task_key[ci * n_task + base_task[t.key]]: {
                    "status": ("滞后" if (k + n) % 11 == 0 else "推进中" if (k + n) % 2 else "已完成"),
                    "progress": f"{d}已按计划推进相关工作，完成阶段目标",
                    "plan": "下阶段继续推进",
                }
                for n, t in enumerate(base_cat.tasks_for(d))
            }
            day = DEADLINE + dt.timedelta(days=3) if k % 20 == 9 else DEADLINE - dt.timedelta(days=k % 10)
            saved = dt.datetime.combine(day, dt.time(9 + k % 8, 30))
            jobs.append((str(form), str(returns / form.name), vals, tasks, saved))
    with (
        common.timed(steps, f"fill {len(jobs):,} returns (fill_form, 2 processes)"),
        ProcessPoolExecutor(max_workers=2) as pool,
    ):
        filled = [Path(p) for p in pool.map(_fill_job, jobs, chunksize=25)]
    log(f"filled {len(filled):,} returns in {steps[next(reversed(steps))]:.1f} s")

    # re-saved through LibreOffice, broken and foreign files
    kinds: dict[str, str] = {}
    to_xls = [p for k, p in enumerate(filled) if k % 20 in (0, 10)]
    to_ods = [p for k, p in enumerate(filled) if k % 20 in (5, 15)]
    to_break = [p for k, p in enumerate(filled) if k % 20 == 3]
    with common.timed(steps, f"LibreOffice: {len(to_xls)} → .xls and {len(to_ods)} → .ods (2 at once)"):
        errors: list[BaseException] = []

        def convert(files: list[Path], fmt: str) -> None:
            staged = work / f"to-{fmt}"
            staged.mkdir(parents=True)
            moved = [Path(shutil.move(p, staged / p.name)) for p in files]
            try:
                common.soffice_convert(moved, fmt, returns)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=convert, args=a) for a in ((to_xls, "xls"), (to_ods, "ods"))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if errors:
            raise errors[0]
    for p in to_xls:
        kinds[p.with_suffix(".xls").name] = "xls"
    for p in to_ods:
        kinds[p.with_suffix(".ods").name] = "ods"
    log(f"converted in {steps[next(reversed(steps))]:.1f} s")
    with common.timed(steps, f"{len(to_break)} broken or foreign files"):
        other_form = _other_project_form(work / "其他项目")
        rng = random.Random(20250630)
        for n, p in enumerate(to_break):
            kind = BROKEN_KINDS[n % len(BROKEN_KINDS)]
            kinds[_break(kind, p, other_form, rng).name] = kind
    for p in returns.iterdir():
        kinds.setdefault(p.name, "xlsx")
    shutil.rmtree(work)
    # the issued forms are not needed by collect (their records are in the ledger): drop them
    # from the cache to keep it small, but keep the folder so the project opens as usual
    shutil.rmtree(root / "project" / ISSUED_DIR)
    (root / "project" / ISSUED_DIR).mkdir()

    total = time.perf_counter() - t_all
    counts: dict[str, int] = {}
    for k in kinds.values():
        counts[k] = counts.get(k, 0) + 1
    manifest = {
        "version": version(),
        "quick": quick,
        "project": PROJECT_NAME,
        "round": ROUND,
        "counties": len(counties),
        "departments": len(cat.departments),
        "indicators": len(cat.indicators),
        "tasks": len(cat.tasks),
        "files": len(kinds),
        "kinds": counts,
        "file_kinds": kinds,
        "bytes": sum(p.stat().st_size for p in returns.iterdir()),
        "built_at": dt.datetime.now().isoformat(timespec="seconds"),
        "build_seconds": round(total, 1),
        "steps": {k: round(v, 2) for k, v in steps.items()},
    }
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return Corpus(root, root / "project", returns, manifest)


def describe(c: Corpus) -> None:
    m = c.manifest
    common.table(
        ["corpus", "value"],
        [
            ["folder", str(c.root)],
            ["counties", m["counties"]],
            ["departments", m["departments"]],
            ["indicators / tasks in the catalogue", f"{m['indicators']:,} / {m['tasks']:,}"],
            ["returned files", m["files"]],
            *[[f"  {k}", v] for k, v in sorted(m["kinds"].items(), key=lambda kv: -kv[1])],
            ["size of the returns (MB)", common.mb(m["bytes"])],
            ["built at", m["built_at"]],
        ],
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help=f"{QUICK_COUNTIES} counties instead of {FULL_COUNTIES}"
    )
    ap.add_argument("--rebuild", action="store_true", help="build even when a cached corpus exists")
    args = ap.parse_args(argv)
    common.banner("corpus: province-scale returns for bench_collect", "quick" if args.quick else "full")
    cached = None if args.rebuild else load(args.quick)
    if cached is not None:
        print(
            f"cached corpus found (built in {cached.manifest['build_seconds']} s); --rebuild to build again\n"
        )
        corpus = cached
    else:
        t = time.perf_counter()
        corpus = build(args.quick)
        print(f"\nbuilt in {time.perf_counter() - t:.1f} s\n")
    common.table(["build step", "s"], [[k, v] for k, v in corpus.manifest["steps"].items()])
    describe(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
