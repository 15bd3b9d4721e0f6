"""Expand what the clerk dropped (files, folders searched recursively, .zip archives of returns)
into a list of files to look at. Zip archives are expanded into a temporary folder after checking
their sizes; nothing is ever written next to the inputs."""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .sniff import MAX_MEMBERS, MAX_RATIO, MAX_UNCOMPRESSED_BYTES, ZIP_MAGIC

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et", ".ett", ".xlt", ".xltx", ".csv"}


@dataclass(frozen=True)
class Source:
    path: Path  # the file to read (inside the temporary folder for zip members)
    display: str  # what the clerk sees: the original path, or "archive.zip!member.xlsx"
    name: str  # the file name as sent


@dataclass
class Discovery:
    sources: list[Source]
    broken_archives: list[tuple[str, str, str]]  # (display, code, detail)
    tempdir: tempfile.TemporaryDirectory[str] | None = None

    def cleanup(self) -> None:
        if self.tempdir is not None:
            self.tempdir.cleanup()
            self.tempdir = None


def _is_returns_archive(path: Path) -> bool:
    """A .zip that bundles returned files (not an xlsx/ods, which are zips too)."""
    if path.suffix.lower() != ".zip":
        return False
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != ZIP_MAGIC:
                return False
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError):
        return True  # a broken .zip: reported as a broken archive
    return "xl/workbook.xml" not in names and "mimetype" not in names


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8: Chinese Windows zips use GBK
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name


def _expand(archive: Path, into: Path, out: Discovery) -> None:
    try:
        with zipfile.ZipFile(archive) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            total = sum(i.file_size for i in infos)
            if (
                len(infos) > MAX_MEMBERS
                or total > MAX_UNCOMPRESSED_BYTES
                or any(
                    i.file_size > 1_000_000 and i.file_size / max(i.compress_size, 1) > MAX_RATIO
                    for i in infos
                )
            ):
                out.broken_archives.append(
                    (str(archive), "unreadable.zip_bomb", f"解压后 {total / 1e6:.0f} MB")
                )
                return
            found = 0
            for n, info in enumerate(infos):
                name = _member_name(info)
                base = Path(name).name
                if base in ("", ".", "..") or name.startswith("__MACOSX/"):
                    continue  # folders, macOS litter, and crafted names that are no file
                target = into / f"{n:05d}" / base
                target.parent.mkdir(parents=True)
                with z.open(info) as src, open(target, "wb") as dst:
                    remaining = MAX_UNCOMPRESSED_BYTES
                    while chunk := src.read(1 << 20):
                        remaining -= len(chunk)
                        if remaining < 0:  # the header lied about the size
                            raise zipfile.BadZipFile("压缩包内容超过声明的大小")
                        dst.write(chunk)
                out.sources.append(Source(target, f"{archive}!{name}", base))
                found += 1
            if not found:
                out.broken_archives.append((str(archive), "unreadable.archive", "压缩包中没有任何文件"))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        out.broken_archives.append((str(archive), "unreadable.archive", str(exc)[:200]))


def _files_under(folder: Path) -> list[Path]:
    """Every file under ``folder``, and every link to a deleted file, as ``rglob`` finds them
    (links to folders are not followed; a folder that cannot be listed is skipped), sorted. The
    folder entries say what they are, so a plain file costs no ``stat``."""
    out: list[Path] = []
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except PermissionError:
            continue
        for e in entries:
            try:
                if e.is_dir() and not e.is_symlink():
                    stack.append(here / e.name)
                elif e.is_file() or (e.is_symlink() and not os.path.exists(e.path)):
                    out.append(here / e.name)
            except OSError:  # cannot even be looked at: listed, so that reading it says why
                out.append(here / e.name)
    return sorted(out)


def discover(paths: list[Path]) -> Discovery:
    out = Discovery([], [])
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            # a link to a deleted file is reported (as unreadable), not silently skipped
            files.extend(_files_under(p))
        else:
            files.append(p)
    for f in files:
        if _is_returns_archive(f):
            if out.tempdir is None:
                out.tempdir = tempfile.TemporaryDirectory(prefix="ecodesk-zip-")
            _expand(f, Path(out.tempdir.name) / f"a{len(out.sources):05d}", out)
        else:
            out.sources.append(Source(f, str(f), f.name))
    return out
