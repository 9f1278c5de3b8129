"""A content-addressed cache of compiled file descriptors, safe to share between processes.

An entry is keyed by a digest of the protokit and protoc versions, the file's
import name, its content and the keys of everything it imports, so an entry is
valid exactly as long as the file and its import closure are unchanged.  Each
entry carries a checksum, verified whenever it is read: a corrupt, truncated or
half-written entry reads as a miss and is rebuilt.  An entry is written to a
temporary file in the same directory and renamed into place, so a reader never
sees a half-written one.  The files a compile worker made together are written
as one pack that is hard-linked under each of their keys
(:meth:`DescriptorCache.add_all`): a cold compile creates a file per chunk, not
one per file, and creating files is slow on some file systems (ext4 without a
journal looks past every recently deleted inode for each new one).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

_MAGIC = b"PKD2"
_PACK_MAGIC = b"PKP1"  # a pack: entry count (4 bytes), each key's digest, count + 1 offsets, then the entries
_KEY_BYTES = 32  # a pack's entries are keyed by sha256 hex digests, held as their 32 bytes
_OFFSET_BYTES = 8
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
                span = _find_entry(handle, key)
                start, meta = _read_head(handle)
                descriptor = handle.read(-1 if span is None else max(0, span - len(start) - len(meta)))
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
                _find_entry(handle, key)
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

    def add_all(self, entries: list[tuple[str, Entry]]) -> set[str]:
        """Store entries keyed by sha256 hex digests as one pack, written to a temporary file and hard-linked
        under each key (a key already there keeps its file: its entry is of the same content); the keys stored.
        Where the file system has no hard links, each entry is stored as a file of its own."""
        if self.directory is None or not entries:
            return set()
        stored: set[str] = set()
        try:
            os.makedirs(self.directory, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".pack-")
        except OSError:
            return stored
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.writelines(_pack(entries))
            stored.update(key for key, _ in entries if _link(temp, self._path(key)))
        except (OSError, ValueError):  # no hard links here, a full disk or a key no digest: one file per entry
            stored.update(key for key, entry in entries if key not in stored and self.put(key, entry))
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return stored


def _link(source: str, target: str) -> bool:
    """Hard-link ``target`` to ``source``, making its directory if need be; False when ``target`` exists."""
    try:
        try:
            os.link(source, target)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(source, target)
    except FileExistsError:
        return False
    return True


def _pack(entries: list[tuple[str, Entry]]) -> list[bytes]:
    """Entries as a pack, in parts: magic, count, each key's digest, the offset where each entry starts and
    where the last one ends, then the entries, each encoded as in a file of its own."""
    encoded = [_encoded(entry) for _, entry in entries]
    offsets = [len(_PACK_MAGIC) + 4 + len(entries) * _KEY_BYTES + (len(entries) + 1) * _OFFSET_BYTES]
    for parts in encoded:
        offsets.append(offsets[-1] + sum(map(len, parts)))
    digests = b"".join(bytes.fromhex(key) for key, _ in entries)
    if len(digests) != len(entries) * _KEY_BYTES:
        raise ValueError("a pack's keys are sha256 hex digests")
    table = digests + b"".join(offset.to_bytes(_OFFSET_BYTES, "big") for offset in offsets)
    return [_PACK_MAGIC, len(entries).to_bytes(4, "big"), table, *(part for parts in encoded for part in parts)]


def _find_entry(handle: BinaryIO, key: str) -> int | None:
    """Position ``handle`` at the entry for ``key`` and return its length, or None for a file that holds one
    entry (it spans the rest of the file); in a pack that does not hold ``key`` it is placed at the end."""
    if handle.read(len(_PACK_MAGIC)) != _PACK_MAGIC:
        handle.seek(0)
        return None
    count = int.from_bytes(handle.read(4), "big")
    digests = handle.read(count * _KEY_BYTES)
    index = _digest_index(digests, key) if len(digests) == count * _KEY_BYTES else None
    if index is None:
        handle.seek(0, os.SEEK_END)
        return 0
    handle.seek(index * _OFFSET_BYTES, os.SEEK_CUR)
    bounds = handle.read(2 * _OFFSET_BYTES)
    start, end = int.from_bytes(bounds[:_OFFSET_BYTES], "big"), int.from_bytes(bounds[_OFFSET_BYTES:], "big")
    handle.seek(start)
    return end - start


def _digest_index(digests: bytes, key: str) -> int | None:
    """The position of ``key``'s digest among a pack's ``digests``, None when it is not one of them."""
    try:
        digest = bytes.fromhex(key)
    except ValueError:
        return None
    found = digests.find(digest) if len(digest) == _KEY_BYTES else -1
    while found > 0 and found % _KEY_BYTES:  # a match across two digests is none
        found = digests.find(digest, found + 1)
    return None if found < 0 else found // _KEY_BYTES


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
