"""A stat-keyed index of source files, so unchanged files are not read and hashed again.

Like git's index: for each path it remembers size, modification time and inode
together with the content digest and the imports found in it.  A file whose
stat still matches is taken from the index; any other is read.  A file
modified within a few seconds of being recorded is not recorded, so an edit
that keeps the size inside one timestamp tick is never missed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
import time
from pathlib import Path
from typing import Any

# Files modified more recently than this are read every time (timestamp granularity guard).
_SETTLE_SECONDS = 2.0


def workspace_file(cache_dir: Path, kind: str, roots: tuple[Path, ...]) -> Path:
    """Where the cache keeps one workspace's file of ``kind`` (a workspace is known by its module roots)."""
    key = hashlib.sha256("\n".join(map(str, roots)).encode()).hexdigest()[:32]
    return cache_dir / kind / f"{key}.marshal"


def load_plain(path: Path | None) -> dict[str, Any]:
    """A dict of plain data written by :func:`save_plain`; empty when missing or unreadable."""
    if path is None:
        return {}
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def save_plain(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` (plain data) to ``path`` atomically, a temporary file renamed into place; failures are
    skipped.  ``marshal`` writes and reads the tens of thousands of rows of a large tree several times faster
    than JSON (a run after an edit saves both the source index and the manifest)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(marshal.dumps(data))
        os.replace(temp, path)
    except OSError:
        return


class SourceIndex:
    """Recorded (size, mtime, inode) -> (digest, imports) for the files of one workspace."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, list[Any]] = load_plain(path)
        self._changed = False

    @classmethod
    def for_workspace(cls, cache_dir: Path | None, roots: tuple[Path, ...]) -> SourceIndex:
        """The index of the workspace with these module roots, kept in the cache directory."""
        return cls(workspace_file(cache_dir, "sources", roots) if cache_dir is not None else None)

    def lookup(self, path: str, stat: os.stat_result) -> tuple[str, int, list[list[Any]]] | None:
        """(digest, size, imports) recorded for ``path`` if its stat is unchanged."""
        entry = self._entries.get(path)
        if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns and entry[2] == stat.st_ino:
            return entry[3], entry[0], entry[4]
        return None

    def record(self, path: str, stat: os.stat_result, digest: str, imports: list[list[Any]]) -> None:
        """Remember a file just read, unless it changed too recently to trust its timestamp."""
        if time.time() - stat.st_mtime < _SETTLE_SECONDS:
            self._entries.pop(path, None)
            return
        self._entries[path] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digest, imports]
        self._changed = True

    def save(self) -> None:
        """Write the index atomically if anything was recorded; failures leave the old one in place."""
        if self.path is not None and self._changed:
            save_plain(self.path, self._entries)


class BlobIndex(SourceIndex):
    """Digests and imports of files checked out from git, keyed by blob id (content-addressed, so never stale).

    ``blobs`` maps each checked-out path to its blob id; a file read once is never read again,
    in any checkout of any commit that has the same blob.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        super().__init__(cache_dir / "sources" / "blobs.marshal" if cache_dir else None)
        self.blobs: dict[str, str] = {}

    def save(self) -> None:
        """Nothing yet: one checkout serves many commits, and :meth:`flush` writes the index once at the end."""

    def flush(self) -> None:
        """Write what was learned (atomically, as the stat index does)."""
        super().save()

    def lookup(self, path: str, stat: os.stat_result) -> tuple[str, int, list[list[Any]]] | None:
        """(digest, size, imports) of the blob checked out at ``path``, if it was read before."""
        entry = self._entries.get(self.blobs.get(path, ""))
        return (entry[1], entry[0], entry[2]) if entry else None

    def record(self, path: str, stat: os.stat_result, digest: str, imports: list[list[Any]]) -> None:
        """Remember the blob at ``path`` (its timestamp does not matter: its id names its content)."""
        blob = self.blobs.get(path)
        if blob:
            self._entries[blob] = [stat.st_size, digest, imports]
            self._changed = True
