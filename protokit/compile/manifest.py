"""The last compile's metadata of each file of a workspace, kept in one file of the cache.

Checks across files (symbols defined twice) and protoc's warnings need every file's package, symbols and
warnings.  Reading them from one manifest instead of every cached descriptor lets a run load only the
descriptors it looks into.  A row is used only while the file's compile key is the one it was recorded with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from protokit.compile.source_index import load_plain, save_plain, workspace_file

# The metadata of a compiled file that checks across files read.
FIELDS = ("package", "symbols", "warnings")


class Manifest:
    """Each file's compile key and metadata (``FIELDS``) as of the last compile of the workspace."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._rows: dict[str, list[Any]] = load_plain(path)
        self._changed = False

    @classmethod
    def for_workspace(cls, cache_dir: Path | None, roots: tuple[Path, ...]) -> Manifest:
        """The manifest of the workspace with these module roots (in memory only without a cache directory)."""
        return cls(cls.path_for(cache_dir, roots))

    @staticmethod
    def path_for(cache_dir: Path | None, roots: tuple[Path, ...]) -> Path | None:
        """Where the cache keeps the manifest of the workspace with these module roots (None without a cache)."""
        return workspace_file(cache_dir, "manifests", roots) if cache_dir is not None else None

    def meta(self, name: str, key: str) -> dict[str, Any] | None:
        """The recorded metadata of ``name`` if it was recorded with compile key ``key``."""
        row = self._rows.get(name)
        return row[1] if row is not None and row[0] == key else None

    def record(self, name: str, key: str, meta: dict[str, Any]) -> None:
        """Remember a file's metadata under its compile key."""
        if self.meta(name, key) is None:
            self._rows[name] = [key, {field: meta.get(field, []) for field in FIELDS}]
            self._changed = True

    def save(self, names: set[str]) -> None:
        """Write the rows of ``names`` (the workspace's files now), if anything changed."""
        if self.path is not None and (self._changed or set(self._rows) != names):
            save_plain(self.path, {name: row for name, row in self._rows.items() if name in names})
