"""One unit of compile work, run in a worker process or in-process: protoc on a chunk of files."""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from protokit.compile.buf_refusals import buf_refusals
from protokit.compile.cache import DescriptorCache, Entry
from protokit.compile.columns import byte_offset, needs_buf_columns, to_buf_columns
from protokit.compile.comments import drop_shared_line_comments
from protokit.compile.literals import add_literal_locations
from protokit.compile.protoc import (
    ProtocMessage,
    ProtocResult,
    descriptor_name,
    run_protoc,
    split_descriptor_set,
)
from protokit.compile.qualify import Shift, qualify, undefined_extension, unshift_locations
from protokit.compile.rewrite import Blanked, blank_refused, refused, restore_refused
from protokit.index.elements import ignore_directives

# Source-info path prefixes of top-level declarations in FileDescriptorProto.
_TOP_LEVEL_FIELDS = {4: "message_type", 5: "enum_type", 6: "service", 7: "extension"}
_NAME = 1  # the ``name`` field number in each of those declarations


@dataclass
class ChunkResult:
    """The files a chunk compiled (name, descriptor bytes, metadata) or the messages of its failure."""

    ok: bool
    messages: list[ProtocMessage]
    files: list[tuple[str, bytes | None, dict[str, Any]]] = field(default_factory=list)  # None: read the cache
    extras: dict[str, Any] = field(default_factory=dict)  # what a FileWork made of the files


class FileWork(Protocol):
    """Work on freshly compiled files, done in the worker that compiled them while their descriptors and those
    of their imports are at hand (lint makes its per-file parts this way); picklable, as it is sent there."""

    def for_chunk(self, names: Iterable[str], seen: Iterable[str]) -> FileWork:
        """The share of a chunk compiling ``names``, which sees ``seen`` (its files and all they import)."""
        ...

    def __call__(self, compiled: list[tuple[str, Any, bytes, dict[str, Any]]], seen: Mapping[str, bytes]) -> dict:
        """By file, what the work made of ``compiled`` ((name, descriptor, serialized, metadata) of each file
        the chunk compiled), ``seen`` holding the serialized descriptor of every file the chunk saw."""
        ...


def preload(modules: tuple[str, ...]) -> None:
    """Import ``modules`` in a worker started ahead of its work (this module is imported to call this)."""
    for module in modules:
        importlib.import_module(module)


def compile_chunk(
    include_roots: list[str],
    files: list[tuple[str, str]],
    store: tuple[DescriptorCache, dict[str, str]] | None = None,
    work: FileWork | None = None,
    send_stored: bool = True,
) -> ChunkResult:
    """Compile ``files`` ((import name, disk path) pairs) and describe each compiled file; with ``store``
    (a cache and each file's key), each compiled file is also written to the cache, here in the worker; with
    ``work``, it is done on the compiled files (unless an import was compiled from a rewritten copy: the work
    would see another descriptor of it than the cache holds).  Without ``send_stored``, a file written to the
    cache comes back without its descriptor (a worker's result is copied to the caller, who reads the cache).

    Each file's metadata holds its package, its top-level symbols (for
    duplicate detection across chunks) and the warnings protoc gave for it.
    The source info is made Buf's: its columns (:mod:`protokit.compile.columns`),
    comments (:mod:`protokit.compile.comments`) and literal options
    (:mod:`protokit.compile.literals`); what protoc rejects but Buf accepts is
    compiled from a rewritten copy (:mod:`protokit.compile.rewrite`).
    """
    with tempfile.TemporaryDirectory(prefix="protokit-overlay-") as overlay:
        result, names, blanked, shifts = _run(include_roots, files, overlay, work is not None)
    roots = [overlay, *include_roots]
    messages = _buf_message_columns(
        [replace(m, file=_import_name(m.file, names, roots)) for m in result.messages], files, include_roots
    )
    if result.returncode != 0:
        return ChunkResult(False, messages)
    described, protos, seen = _describe(result, messages, dict(files), blanked, shifts)
    stored: set[str] = set()
    if store is not None and described.ok:
        cache, keys = store
        written = cache.add_all(
            [(keys[name], Entry(seen[name], meta)) for name, _, meta in described.files if name in keys]
        )
        stored = {name for name, _, _ in described.files if keys.get(name) in written}
    if work is not None and described.ok and set(blanked).union(shifts) <= set(protos):
        described.extras = work([(name, protos[name], seen[name], meta) for name, _, meta in described.files], seen)
    if not send_stored:
        described.files = [(name, None if name in stored else raw, meta) for name, raw, meta in described.files]
    return described


def _buf_message_columns(
    messages: list[ProtocMessage], files: list[tuple[str, str]], include_roots: list[str]
) -> list[ProtocMessage]:
    """protoc's messages with their columns counted as Buf's compile errors count them: in bytes, a tab one."""
    paths = dict(files)
    lines: dict[str, list[bytes] | None] = {}
    converted = []
    for message in messages:
        if message.line > 0 and message.column > 0:
            if message.file not in lines:
                content = _read(paths.get(message.file) or _find(message.file, include_roots))
                lines[message.file] = content.split(b"\n") if b"\t" in content else None
            text = lines[message.file]
            if text is not None and message.line <= len(text):
                message = replace(message, column=byte_offset(text[message.line - 1], message.column - 1) + 1)
        converted.append(message)
    return converted


def _run(
    include_roots: list[str], files: list[tuple[str, str]], overlay: str, include_imports: bool = False
) -> tuple[ProtocResult, dict[str, str], dict[str, list[Blanked]], dict[str, list[Shift]]]:
    """protoc on the files (their imports in the descriptor set too when ``include_imports``); where it
    refuses what Buf accepts, again with those files rewritten: statements blanked (rewrite.py), relative
    extension names in option values qualified (qualify.py).

    Returns the last run, the import name of each path protoc may name, the statements blanked in each
    rewritten file and the edits that moved its columns.
    """
    # protoc names the files it was given by their disk path, and imported ones by import name.
    names = {path: name for name, path in files}
    given = dict(files)
    blanked: dict[str, list[Blanked]] = {}
    shifts: dict[str, list[Shift]] = {}

    def rewrite(name: str, content: bytes) -> None:
        target = Path(overlay, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        if name in given:
            given[name] = str(target)
            names[str(target)] = name

    while True:
        roots = [overlay, *include_roots] if blanked or shifts else include_roots
        result = run_protoc(roots, [given[name] for name, _ in files], include_imports=include_imports)
        named = [(_import_name(m.file, names, [overlay, *include_roots]), m) for m in result.messages]
        rewritable = {name for name, m in named if refused(m.text)} - set(blanked)
        unknown: dict[str, set[str]] = {}
        for name, message in named:
            if (extension := undefined_extension(message.text)) is not None:
                unknown.setdefault(name, set()).add(extension)
        unknown = {name: extensions for name, extensions in unknown.items() if name not in shifts}
        if result.returncode == 0 or not (rewritable or unknown):
            return result, names, blanked, shifts
        for name in sorted(set(rewritable) | set(unknown)):
            source = _current(name, overlay, dict(files), include_roots) if _relative(name) else None
            if source is None:  # unreadable, or not an import name: a copy could land outside the overlay
                return result, names, blanked, shifts
            content, edits = (source, []) if name not in unknown else qualify(source, unknown[name])
            found: list[Blanked] = []
            if name in rewritable:
                content, found = blank_refused(content)
            if not (found or edits):
                return result, names, blanked, shifts
            rewrite(name, content)
            blanked.update({name: found} if found else {})
            shifts.update({name: edits} if edits else {})


def _import_name(file: str, names: dict[str, str], roots: list[str]) -> str:
    """The import name of a file protoc names in a message: protoc names files by their disk path, which is
    below one of the include roots (the overlay's first)."""
    if file in names:
        return names[file]
    for root in roots:
        if file.startswith(root.rstrip(os.sep) + os.sep):
            return file[len(root.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
    return file


def _relative(name: str) -> bool:
    """Whether ``name`` is an import name (relative, without ``..``), so that its copy stays in the overlay."""
    path = Path(name)
    return not path.is_absolute() and ".." not in path.parts


def _current(name: str, overlay: str, files: dict[str, str], include_roots: list[str]) -> bytes | None:
    """A file's source as the next protoc run is to see it: its rewritten copy if there is one."""
    rewritten = Path(overlay, name)
    if rewritten.is_file():
        return rewritten.read_bytes()
    source = files.get(name) or _find(name, include_roots)
    return Path(source).read_bytes() if source else None


def _find(name: str, include_roots: list[str]) -> str | None:
    """The disk path of an imported file: the first include root that has it."""
    return next((p for p in (os.path.join(root, name) for root in include_roots) if os.path.isfile(p)), None)


def _describe(
    result: ProtocResult,
    messages: list[ProtocMessage],
    paths: dict[str, str],
    blanked: dict[str, list[Blanked]],
    shifts: dict[str, list[Shift]],
) -> tuple[ChunkResult, dict[str, Any], dict[str, bytes]]:
    """Each compiled file with its metadata; its source info as Buf's (columns, comments, literals, blanked
    options), and as written where protoc compiled an edited copy.  Also each one's parsed descriptor, and the
    serialized descriptor of every file in protoc's output (imports as protoc wrote them)."""
    from google.protobuf import descriptor_pb2

    warnings: dict[str, list[list[Any]]] = {}
    for message in messages:
        warnings.setdefault(message.file, []).append([message.line, message.column, message.text])
    compiled: list[tuple[str, bytes | None, dict[str, Any]]] = []
    refused: list[ProtocMessage] = []
    protos: dict[str, Any] = {}
    seen: dict[str, bytes] = {}
    for raw in split_descriptor_set(result.descriptor_set):
        name = descriptor_name(raw)
        if name not in paths:  # an import: the chunk that compiles it describes it
            seen[name] = raw
            continue
        proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
        content = _read(paths.get(name))
        changed = name in blanked or name in shifts
        if name in blanked:
            restore_refused(proto, blanked[name])
        if name in shifts:
            unshift_locations(proto, shifts[name])
        changed = add_literal_locations(proto, content) or changed
        changed = drop_shared_line_comments(proto, content) or changed
        if needs_buf_columns(content):
            changed = to_buf_columns(proto, content) or changed
        if changed:
            raw = proto.SerializeToString()
        refused += buf_refusals(proto, content)
        meta = {
            "package": proto.package,
            "dependency": list(proto.dependency),
            "symbols": _top_level_symbols(proto),
            "warnings": warnings.get(name, []),
            # comment ignores, found here where the file is parsed anyway (lint reads them without a pass)
            "directives": [[list(p), c] for p, c in ignore_directives(proto).items()] if b"lint:ignore" in raw else [],
        }
        compiled.append((name, raw, meta))
        protos[name], seen[name] = proto, raw
    if refused:
        return ChunkResult(False, messages + refused), {}, {}
    return ChunkResult(True, messages, compiled), protos, seen


def _read(path: str | None) -> bytes:
    """A compiled file's source (empty if it cannot be read: its columns are then left as protoc gave them)."""
    try:
        with open(path or "", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _top_level_symbols(proto: Any) -> list[str]:
    """Full names of the top-level messages, enums, services and extensions."""
    prefix = f"{proto.package}." if proto.package else ""
    return [prefix + element.name for attribute in _TOP_LEVEL_FIELDS.values() for element in getattr(proto, attribute)]


def symbol_position(descriptor: bytes, symbol: str) -> tuple[int, int]:
    """The 1-based line and column of a top-level symbol's name, from the file's source info."""
    from google.protobuf import descriptor_pb2

    proto = descriptor_pb2.FileDescriptorProto.FromString(descriptor)
    prefix = f"{proto.package}." if proto.package else ""
    for number, attribute in _TOP_LEVEL_FIELDS.items():
        for index, element in enumerate(getattr(proto, attribute)):
            if prefix + element.name == symbol:
                for location in proto.source_code_info.location:
                    if list(location.path) == [number, index, _NAME]:
                        return location.span[0] + 1, location.span[1] + 1
    return 0, 0
