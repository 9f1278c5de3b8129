"""The last run of a command (lint, breaking, gen), kept per workspace and working directory with the key of
everything it read: a repeated run with nothing changed reads one entry and compiles nothing.

Only the last run is kept (a new run replaces it), so the cache does not grow with every edit.  Findings
carry display paths, so the working directory is part of where a run is kept.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from protokit.compile.cache import DescriptorCache, Entry
from protokit.diagnostics import Diagnostic


def unmarshal(data: bytes) -> Any:
    """Plain data written with ``marshal`` (fast for large nested lists, and unable to run code); an entry
    another Python wrote reads as nothing."""
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return {}


class LayeredEntry:
    """Sections of entries (``{section: {key: value}}``, plain data) kept as a base cache entry and a delta over
    it: a save that changed a few entries writes those alone, and the entries saved become the new base when
    the delta or the base's entries no longer saved pass 1/``SHARE`` of the base (so it does not grow)."""

    SHARE = 10

    def __init__(self, cache: DescriptorCache, key: str, sections: tuple[str, ...]) -> None:
        self.cache, self.key, self.sections = cache, key, sections
        self.delta_key = hashlib.sha256(f"{key} delta".encode()).hexdigest()
        base_entry = cache.get(key)
        base = unmarshal(base_entry.descriptor) if base_entry is not None else {}
        self.base: dict[str, dict[str, Any]] = {s: base.get(s, {}) for s in sections}
        self._base_id = base_entry.meta.get("id", "") if base_entry is not None else ""
        delta_entry = cache.get(self.delta_key) if self._base_id else None
        current = delta_entry is not None and delta_entry.meta.get("base") == self._base_id  # over this base
        delta = unmarshal(delta_entry.descriptor) if delta_entry is not None and current else {}
        self.previous = {s: {**self.base[s], **delta.get(s, {})} for s in sections}

    def save(self, now: dict[str, dict[str, Any]]) -> None:
        """Keep ``now`` (unless it is what was kept): as a delta over the base when that stays small."""
        if now == self.previous:
            return
        delta = {s: {k: v for k, v in now[s].items() if self.base[s].get(k) != v} for s in self.sections}
        based = sum(len(self.base[s]) for s in self.sections)
        unused = sum(1 for s in self.sections for k in self.base[s] if k not in now[s])
        changed = sum(len(entries) for entries in delta.values())
        if self._base_id and max(changed, unused) * self.SHARE <= based:
            self.cache.put(self.delta_key, Entry(marshal.dumps(delta), {"base": self._base_id}))
        else:
            self.cache.put(self.key, Entry(marshal.dumps(now), {"id": os.urandom(8).hex()}))


class RunCache:
    """One check's last run in one workspace: its key, findings, warnings and a few counts."""

    def __init__(self, cache_root: Path | None, check: str, workspace: Path) -> None:
        self.cache = DescriptorCache(cache_root, f"{check}-runs")
        self.slot = hashlib.sha256(f"{check} run 1\n{os.getcwd()}\n{workspace}".encode()).hexdigest()

    def recall(self, key: str) -> dict[str, Any] | None:
        """What the last run kept (plain data) if it was the run with ``key``."""
        meta = self.cache.meta(self.slot)  # the key first: another run's findings are not read
        entry = self.cache.get(self.slot) if meta is not None and meta.get("key") == key else None
        if entry is None or entry.meta.get("key") != key:
            return None
        return unmarshal(entry.descriptor) or None

    def record(self, key: str, data: dict[str, Any]) -> None:
        """Keep ``data`` (plain data that ``marshal`` writes) as what the run with ``key`` found."""
        self.cache.put(self.slot, Entry(marshal.dumps(data), {"key": key}))

    def get(self, key: str) -> tuple[list[Diagnostic], list[Diagnostic], dict[str, Any]] | None:
        """The findings, warnings and extras of the last run if it was the run with ``key``."""
        rows = self.recall(key)
        if rows is None:
            return None
        findings = [Diagnostic(*row) for row in rows["findings"]]
        return findings, [Diagnostic(*row) for row in rows["warnings"]], rows["extra"]

    def put(
        self, key: str, findings: list[Diagnostic], warnings: list[Diagnostic], extra: dict[str, Any] | None = None
    ) -> None:
        """Keep this run as the last one."""
        rows = {"findings": [d.row() for d in findings], "warnings": [d.row() for d in warnings], "extra": extra or {}}
        self.record(key, rows)

    def pieces(self, view: str) -> LayeredEntry:
        """The pieces of output the last runs printed in ``view`` (a format and its options), by their keys, in
        section ``pieces``; save what this run printed with ``save({"pieces": ...})``."""
        return LayeredEntry(self.cache, self._view_slot(view), ("pieces",))

    def _view_slot(self, view: str) -> str:
        return hashlib.sha256(f"{self.slot}\n{view}".encode()).hexdigest()


def sources_digest(directory: Path) -> str:
    """A digest of the Python sources under ``directory`` (a rules package): a cached run is reused only
    with the rules that produced it."""
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(directory.rglob("*.py")))).hexdigest()


def run_key(*parts: object) -> str:
    """A run's key from what it read (strings, or values with a stable ``repr``)."""
    return hashlib.sha256("\n".join(p if isinstance(p, str) else repr(p) for p in parts).encode()).hexdigest()
