"""Building wheels and sdists in-process with hatchling, reproducibly, and moving them into place together."""

from __future__ import annotations

import functools
import gzip
import os
import shutil
import subprocess
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from protokit.diagnostics import ProtokitError


def source_date_epoch(directory: Path) -> str:
    """``$SOURCE_DATE_EPOCH``, else the commit time of HEAD, else 1980-01-01 (the earliest a zip can say)."""
    explicit = os.environ.get("SOURCE_DATE_EPOCH")
    if explicit:
        return explicit
    found = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=directory, capture_output=True, text=True)
    stamp = found.stdout.strip()
    return stamp if found.returncode == 0 and stamp.isdigit() else "315532800"


@contextmanager
def _environment(epoch: str) -> Iterator[None]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


# zlib's default level: what hatchling's wheels (zip deflate) use, and what its sdists get here
SDIST_GZIP_LEVEL = 6


@contextmanager
def _sdist_gzip_level(level: int) -> Iterator[None]:
    """hatchling gzips sdists at level 9, zlib's slowest, with no setting to change it: for generated code that
    costs about twice the CPU of level 6 for archives 1-2% smaller (googleapis: 232 MB of sdist content per 300
    packages, 6.0 against 3.2 CPU-s).  While building, its sdist module's ``gzip`` makes ``GzipFile`` at
    ``level``; a hatchling that no longer uses it there is left alone."""
    from hatchling.builders import sdist

    if getattr(sdist, "gzip", None) is not gzip:
        yield
        return
    sdist.gzip = types.SimpleNamespace(GzipFile=functools.partial(gzip.GzipFile, compresslevel=level))  # type: ignore[assignment]
    try:
        yield
    finally:
        sdist.gzip = gzip  # type: ignore[assignment]


def build(project: Path, out: Path, epoch: str) -> list[Path]:
    """The wheel and the sdist of ``project``, written into ``out`` by hatchling (PEP 517 backend, offline)."""
    from hatchling.builders.sdist import SdistBuilder
    from hatchling.builders.wheel import WheelBuilder

    built = []
    with _environment(epoch), _sdist_gzip_level(SDIST_GZIP_LEVEL):
        try:
            for builder in (WheelBuilder(str(project)), SdistBuilder(str(project))):
                built += [Path(p) for p in builder.build(directory=str(out), versions=["standard"])]
        except Exception as exc:  # hatchling reports bad metadata with plain exceptions
            raise ProtokitError(f"building the package failed: {' '.join(str(exc).split())}") from None
    return built


def move_into(
    files: list[Path], sources: list[tuple[Path, str]], out: Path, scratch: Path
) -> tuple[list[Path], list[Path]]:
    """Put ``files`` (and each project ``sources`` as ``out/src/NAME``) into ``out`` only once all are staged.

    Everything is first linked (or copied, across file systems) next to ``out`` into ``scratch``, then
    renamed into place, so a failure while staging leaves ``out`` as it was.  The files come from the
    package cache, whose entries are never written again (a rebuilt entry is a new directory), so a hard
    link is as good as a copy and costs nothing for hundreds of megabytes of packages.
    """
    final = scratch / "final"
    (final / "src").mkdir(parents=True)
    for path in files:
        _link_or_copy(path, final / path.name)
    for tree, name in sources:
        shutil.copytree(tree, final / "src" / name, copy_function=_link_or_copy)
    out.mkdir(parents=True, exist_ok=True)
    placed = []
    for path in files:
        placed.append(out / path.name)
        shutil.move(final / path.name, placed[-1])
    kept = []
    for _, name in sources:
        kept.append(out / "src" / name)
        shutil.rmtree(kept[-1], ignore_errors=True)
        kept[-1].parent.mkdir(exist_ok=True)
        shutil.move(final / "src" / name, kept[-1])
    return placed, kept


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)
