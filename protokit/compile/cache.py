"""A content-addressed cache of compiled file descriptors, safe to share between processes.

An entry is keyed by a digest of the protokit and protoc versions, the file's
import name, its content and the keys of everything it imports, so an entry is
valid exactly as long as the file and its import closure are unchanged.  Each
entry carries a checksum, verified whenever it is read: a corrupt, truncated or
half-written entry reads as a miss and is rebuilt.  Entries whose key may name
other contents over time (a workspace's lint state) are written to a temporary
file in the same directory and renamed into place, so a reader never sees a
half-written one; compiled files, whose key names their content, are written in
place (:meth:`DescriptorCache.add`).
"""

from __future__ import annotations

import json
import os
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

_MAGIC = b"PKD2"
_DIGEST = 4  # a CRC-32: it catches corruption (what it is for) at twice sha256's speed on tens of MB
_HEADER = len(_MAGIC) + _DIGEST  # magic and checksum, before the meta length


def default_cache_dir() -> Path:
    """``$PROTOKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/protokit``, else ``~/.cache/protokit``."""
    explicit = os.environ.get("PROTOKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "protokit"


@dataclass
class Entry:
    """A cached compiled file: its serialized ``FileDescriptorProto`` and metadata."""

    descriptor: bytes
    meta: dict[str, Any] = field(default_factory=dict)


class DescriptorCache:
    """Entries under ``<dir>/<namespace>/<key[:2]>/<key>``; ``None`` as directory disables caching."""

    def __init__(self, directory: Path | None, namespace: str = "descriptors") -> None:
        self.root = directory
        self.directory = str(directory / namespace) if directory else None

    def _path(self, key: str) -> str:
        assert self.directory is not None
        return os.path.join(self.directory, key[:2], key)

    def get(self, key: str) -> Entry | None:
        """The entry for ``key``, or ``None`` when absent, unreadable or corrupt."""
        if self.directory is None:
            return None
        try:
            with open(self._path(key), "rb") as handle:  # read in parts: a large payload is not copied again
                start, meta = _read_head(handle)
                descriptor = handle.read()
        except OSError:
            return None
        checksum = zlib.crc32(descriptor, zlib.crc32(start[_HEADER:] + meta))
        if not start.startswith(_MAGIC) or checksum.to_bytes(_DIGEST, "big") != start[len(_MAGIC) : _HEADER]:
            return None
        try:
            return Entry(descriptor, json.loads(meta))
        except ValueError:
            return None

    def meta(self, key: str) -> dict[str, Any] | None:
        """The metadata of the entry for ``key``, read without its payload (and so unverified: a caller that goes
        on to use the entry reads it with :meth:`get`)."""
        if self.directory is None:
            return None
        try:
            with open(self._path(key), "rb") as handle:
                start, meta = _read_head(handle)
            found = json.loads(meta) if start.startswith(_MAGIC) and meta else None
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) else None

    def has(self, key: str) -> bool:
        """Whether an entry for ``key`` exists (it may still turn out corrupt when read)."""
        return self.directory is not None and os.path.exists(self._path(key))

    def put(self, key: str, entry: Entry) -> bool:
        """Store an entry atomically; whether it was (a cache that cannot be written is silently skipped)."""
        if self.directory is None:
            return False
        target = self._path(key)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.writelines(_encoded(entry))
                os.replace(temp, target)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            return False
        return True

    def add(self, key: str, entry: Entry) -> bool:
        """Store an entry whose key names its content (whoever writes it writes the same), in place: a reader
        that meets it half-written, or left so by a killed process, takes it for a miss (its checksum fails)
        and it is written again.  One file created instead of two (:meth:`put` renames a temporary file) halves
        the file-system work of a cold compile's thousands of entries.  Whether it was stored."""
        if self.directory is None:
            return False
        target = self._path(key)
        try:
            try:
                handle = open(target, "wb")  # noqa: SIM115 (closed below, once the directory is made if need be)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                handle = open(target, "wb")  # noqa: SIM115
            with handle:
                handle.writelines(_encoded(entry))
        except OSError:
            return False
        return True


def _read_head(handle: BinaryIO) -> tuple[bytes, bytes]:
    """An entry's magic, checksum and meta length (empty if the file is shorter), then its meta JSON."""
    start = handle.read(_HEADER + 4)
    return start, handle.read(int.from_bytes(start[_HEADER:], "big")) if len(start) == _HEADER + 4 else b""


def _encoded(entry: Entry) -> list[bytes]:
    """An entry as written, in parts (a large descriptor is not copied into one buffer): ``magic |
    crc32(payload) | payload``, where payload = meta length (4 bytes), meta JSON, descriptor."""
    meta = json.dumps(entry.meta, separators=(",", ":")).encode()
    head = len(meta).to_bytes(4, "big") + meta
    checksum = zlib.crc32(entry.descriptor, zlib.crc32(head))
    return [_MAGIC, checksum.to_bytes(_DIGEST, "big"), head, entry.descriptor]
