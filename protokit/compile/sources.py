"""Reading source files before compiling: validation, content hashes and the import graph."""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from protokit.compile.source_index import SourceIndex
from protokit.diagnostics import Diagnostic, ProtokitError, display_path
from protokit.workspace import Workspace

# String literals and comments, as patterns that find code match them first (and skip them).  Each has one way
# to match (an escape's backslash starts no other part), so its repeats are possessive: nothing is retried.
STRINGS_AND_COMMENTS = rb'"(?:[^"\\\n]++|\\.)*+"|\'(?:[^\'\\\n]++|\\.)*+\'|//[^\n]*+|/\*.*?\*/'
# Line comments, block comments and string literals, in one scan: a "/*" inside a line comment or a string
# (googleapis' "projects/*/locations/*") starts no block comment.
_COMMENT_OR_STRING = re.compile(rb"""//[^\n]*|/\*.*?(?:\*/|\Z)|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""", re.S)
_IMPORT = re.compile(rb'import[ \t]+(?:(?:public|weak|option)[ \t]+)?["\']([^"\'\n]+)["\'][ \t]*;')


_PACKAGE = re.compile(rb"^[ \t]*package[ \t]+([\w.]+)[ \t]*;", re.M)


def scan_package(content: bytes) -> str:
    """The package a proto file declares, read without compiling it ("" when none is found)."""
    text = content
    for start, end in block_comments(content):  # blanked, newlines kept: "*/ package a;" starts a line
        text = text[:start] + re.sub(rb"[^\n]", b" ", text[start:end]) + text[end:]
    match = _PACKAGE.search(text)
    return match.group(1).decode() if match else ""


class Import(NamedTuple):
    """One import statement: the imported name and where the statement is (1-based); a tuple, as a run reads
    tens of thousands of them from the source index."""

    name: str
    line: int
    column: int


@dataclass
class Source:
    """A file to compile or import: name, shown path, content digest and direct imports."""

    name: str
    shown: str
    digest: str
    size: int
    imports: list[Import] = field(default_factory=list)
    in_module: bool = True


def block_comments(content: bytes, before: int | None = None) -> list[tuple[int, int]]:
    """The (start, end) offsets of the block comments (those that start before offset ``before``), in order."""
    found: list[tuple[int, int]] = []
    position = 0
    while (start := content.find(b"/*", position, before)) >= 0:
        # the first comment or string from the line's start that ends after the "/*" says what the "/*" is in
        line_start = max(content.rfind(b"\n", 0, start) + 1, position)
        token = next(t for t in _COMMENT_OR_STRING.finditer(content, line_start) if t.end() > start)
        if token.start() == start:
            found.append(token.span())
        position = token.end()
    return found


def _inside(comments: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of the block comments (``(start, end)`` pairs in order)."""
    index = bisect.bisect_right(comments, (offset, len(comments) and comments[-1][1] + 1)) - 1
    return index >= 0 and comments[index][0] <= offset < comments[index][1]


def _uncommented(content: bytes, start: int, end: int, comments: list[tuple[int, int]]) -> bytes:
    """``content[start:end]`` with each block comment in it (``comments``, in order) replaced by a space."""
    pieces, position = [], start
    first = bisect.bisect_right(comments, (start, 0)) - 1
    for comment_start, comment_end in comments[max(first, 0) :]:
        if comment_start >= end:
            break
        if comment_end > position:
            pieces += [content[position : max(position, comment_start)], b" "]
            position = comment_end
    return b"".join(pieces) + content[position:end] if position < end else b"".join(pieces)


def _line_column(content: bytes, offset: int) -> tuple[int, int]:
    line = content.count(b"\n", 0, offset) + 1
    return line, offset - (content.rfind(b"\n", 0, offset) + 1) + 1


def scan_imports(content: bytes) -> list[Import]:
    """The import statements of a proto file (block comments are skipped)."""
    matches = list(_IMPORT.finditer(content))
    if not matches:
        return []
    comments = block_comments(content, matches[-1].start())  # a comment that starts later hides no import
    imports = []
    for match in matches:
        start = match.start()
        if _inside(comments, start):
            continue
        line_start = content.rfind(b"\n", 0, start) + 1
        before = _uncommented(content, line_start, start, comments).rstrip()
        if before and (before[-1:] not in (b";", b"}") or b"//" in before):
            continue  # "import" inside a line comment, a string or an identifier
        line, column = _line_column(content, start)
        imports.append(Import(match.group(1).decode("utf-8", "replace"), line, column))
    return imports


def _check_text(shown: str, content: bytes) -> None:
    """Refuse files that are not UTF-8, with a located message (an empty file compiles, as in Buf)."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_column(content, exc.start)
        raise ProtokitError(
            Diagnostic(shown, line, column, f"file is not valid UTF-8 (byte 0x{content[exc.start]:02x})", "INPUT")
        ) from None


def read_for_index(paths: list[str]) -> list[list[Any] | None]:
    """The source index's entry of each file (size, mtime, inode, digest, imports), read as the graph reads
    a module file; None for a file that cannot be read or is not UTF-8 (the graph reads it again to say so).
    Made in other processes while the graph is being loaded (:attr:`SourceGraph.prefetched`)."""
    entries: list[list[Any] | None] = []
    for path in paths:
        try:
            stat = os.stat(path)
            with open(path, "rb") as handle:
                content = handle.read()
            content.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            entries.append(None)
            continue
        entries.append(index_entry(stat, content))
    return entries


def index_entry(stat: os.stat_result, content: bytes) -> list[Any]:
    """A file's entry in the source index: size, mtime, inode, content digest and imports (as rows)."""
    imports = [[i.name, i.line, i.column] for i in scan_imports(content)]
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, hashlib.sha256(content).hexdigest(), imports]


class SourceGraph:
    """The sources reachable from the targets, resolved through the module roots and include roots.

    ``prefetched`` holds module files read by other processes (:func:`read_for_index`, by disk path): one is
    taken as read here while its stat is the one it was read with.
    """

    def __init__(self, workspace: Workspace, index: SourceIndex | None = None) -> None:
        self.workspace = workspace
        self.index = index or SourceIndex(None)
        self.sources: dict[str, Source] = {}
        self.prefetched: dict[str, list[Any] | None] = {}
        self._include_paths: dict[str, Path | None] = {}
        self._read_from_disk: list[str] = []  # the files read rather than taken from the index

    def load(self, targets: tuple[str, ...]) -> None:
        """Read every target and everything it imports, transitively; then refuse import cycles."""
        pending = list(targets)
        while pending:
            name = pending.pop()
            if name in self.sources:
                continue
            source = self._read(name)
            self.sources[name] = source
            for imp in source.imports:
                if imp.name not in self.sources:
                    if self.resolve(imp.name) is None:
                        raise ProtokitError(
                            Diagnostic(
                                source.shown,
                                imp.line,
                                imp.column,
                                f'import "{imp.name}": file not found in any module root or proto dependency'
                                f" ({self._missing_hint()})",
                                "COMPILE",
                            )
                        )
                    pending.append(imp.name)
        # A file the index has is as when it was recorded, after a check of its closure: a cycle now goes through
        # a file read from disk (the search from those is short; the report is that of a search from the targets).
        found = self._cycle(self._read_from_disk) if self._read_from_disk else None
        if found is not None:
            raise ProtokitError(self._cycle(targets) or found)
        self.index.save()

    def _missing_hint(self) -> str:
        """How to make an import found, for the configuration at hand."""
        if self.workspace.config.kind.startswith("buf"):
            return "protokit fetches nothing from the BSR: add the dependency's protos to the workspace as a module"
        return "add it to a module, or list a pip distribution that ships it under deps"

    def resolve(self, name: str) -> Path | None:
        """Where an import name is on disk: a module file, else the first include root that has it."""
        if name in self.workspace.files:
            return self.workspace.files[name].path
        if name not in self._include_paths:
            found = next((root / name for root in self.workspace.include_roots if (root / name).is_file()), None)
            self._include_paths[name] = found
        return self._include_paths[name]

    def _read(self, name: str) -> Source:
        path = self.resolve(name)
        assert path is not None
        in_module = name in self.workspace.files
        shown = display_path(path) if in_module else name
        disk = str(path)
        try:
            stat = os.stat(disk)
            known = self.index.lookup(disk, stat)
            if known is not None:
                digest, size, imports = known
                return Source(name, shown, digest, size, list(map(Import._make, imports)), in_module)
            read = self.prefetched.pop(disk, None) if in_module else None
            self._read_from_disk.append(name)
            if read is not None and read[:3] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]:
                return self._known(name, shown, disk, stat, read, in_module)
            with open(disk, "rb") as handle:
                content = handle.read()
        except OSError as exc:
            raise ProtokitError(Diagnostic(shown, 0, 0, f"cannot read file: {exc.strerror}", "INPUT")) from None
        if in_module:
            _check_text(shown, content)
        return self._known(name, shown, disk, stat, index_entry(stat, content), in_module)

    def _known(
        self, name: str, shown: str, disk: str, stat: os.stat_result, entry: list[Any], in_module: bool
    ) -> Source:
        """The source of a file just read (here or in another process), recorded in the index."""
        self.index.record(disk, stat, entry[3], entry[4])
        return Source(name, shown, entry[3], entry[0], list(map(Import._make, entry[4])), in_module)

    def _cycle(self, starts: Iterable[str]) -> Diagnostic | None:
        """Depth-first search from ``starts`` (in sorted order) for a back edge: the cycle, reported at the import
        that closes it; None without one."""
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for start in sorted(starts):
            if state.get(start):
                continue
            path: list[str] = [start]
            iters = [iter(self.sources[start].imports)]
            state[start] = 1
            while iters:
                imp = next(iters[-1], None)
                if imp is None:
                    state[path.pop()] = 2
                    iters.pop()
                    continue
                if state.get(imp.name) == 1:
                    cycle = path[path.index(imp.name) :] + [imp.name]
                    importer = self.sources[path[-1]]
                    return Diagnostic(
                        importer.shown, imp.line, imp.column, "import cycle: " + " -> ".join(cycle), "COMPILE"
                    )
                if not state.get(imp.name):
                    state[imp.name] = 1
                    path.append(imp.name)
                    iters.append(iter(self.sources[imp.name].imports))
        return None

    def topological(self, names: list[str]) -> list[str]:
        """``names`` and all they import, dependencies first (in import order), otherwise sorted."""
        return dependency_order(self.sources, names)


def dependency_order(sources: Mapping[str, Source], names: Iterable[str]) -> list[str]:
    """``names`` and all they import (read from ``sources``), dependencies first (in import order), otherwise
    sorted."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        stack = [(name, iter([i.name for i in sources[name].imports]))]
        seen.add(name)
        while stack:
            current, children = stack[-1]
            child = next(children, None)
            if child is None:
                order.append(current)
                stack.pop()
            elif child not in seen:
                seen.add(child)
                stack.append((child, iter([i.name for i in sources[child].imports])))

    for name in sorted(names):
        if name not in seen:
            visit(name)
    return order
