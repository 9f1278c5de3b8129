"""What module-wide lint rules read of each file: a small summary, cached per file.

A module-wide rule (its target is ``module``) decides from the summaries of every file of the module and
yields :class:`Verdict` values naming a file, a source path and a message; the engine then locates them in
their files.  A run in which few files changed therefore parses only those files: the others' summaries
and results come from the previous run.
"""

from __future__ import annotations

import hashlib
import marshal
import posixpath
from dataclasses import dataclass
from typing import Any

from protokit.index.elements import FILE_DEPENDENCY, FILE_OPTIONS, FILE_PACKAGE, FileView, Span

# The file options the PACKAGE_SAME_* rules compare, with their FileOptions field numbers.
PACKAGE_OPTIONS = {
    "csharp_namespace": 37,
    "go_package": 11,
    "java_multiple_files": 10,
    "java_package": 1,
    "php_namespace": 41,
    "ruby_package": 45,
    "swift_prefix": 39,
}


@dataclass(frozen=True)
class MethodSummary:
    """An RPC: its source path, full and short names, and request and response types (without the dot)."""

    path: tuple[int, ...]
    full_name: str
    name: str
    input: str
    output: str


@dataclass(frozen=True)
class FileSummary:
    """A file's name, package, imports, the package options that are set (as Buf compares their values), RPCs
    and the spans of the source paths a verdict can be about (so that reporting one parses nothing)."""

    name: str
    package: str
    dependency: tuple[str, ...]
    options: dict[str, str]
    methods: tuple[MethodSummary, ...]
    spans: dict[tuple[int, ...], Span]

    @property
    def directory(self) -> str:
        """The directory of the file relative to its root (``.`` at the root)."""
        return posixpath.dirname(self.name) or "."

    @staticmethod
    def verdict_paths(file: FileView) -> set[tuple[int, ...]]:
        """The source paths module-wide rules report at: the package, each import, each package option set, each RPC."""
        options = file.proto.options
        paths = {(FILE_PACKAGE,), *((FILE_DEPENDENCY, i) for i in range(len(file.proto.dependency)))}
        paths.update((FILE_OPTIONS, number) for name, number in PACKAGE_OPTIONS.items() if options.HasField(name))
        return paths | {m.path for m in file.walk("method")}

    @classmethod
    def of(cls, file: FileView, paths: set[tuple[int, ...]] | None = None) -> FileSummary:
        """The summary of a compiled file (``paths``: its :meth:`verdict_paths`, when known already)."""
        proto = file.proto
        options = {name: _option_text(proto.options, name) for name in PACKAGE_OPTIONS if proto.options.HasField(name)}
        methods = tuple(
            MethodSummary(m.path, m.full_name, m.name, m.proto.input_type.lstrip("."), m.proto.output_type.lstrip("."))
            for m in file.walk("method")
        )
        paths = cls.verdict_paths(file) if paths is None else paths
        file.locate(paths)
        spans = {path: file.span(path) for path in paths}
        return cls(file.name, proto.package, tuple(proto.dependency), options, methods, spans)

    def to_row(self) -> list[Any]:
        """A marshal-able form (see :meth:`from_row`)."""
        methods = [[list(m.path), m.full_name, m.name, m.input, m.output] for m in self.methods]
        return [self.name, self.package, list(self.dependency), self.options, methods, self.spans]

    @classmethod
    def from_row(cls, row: list[Any]) -> FileSummary:
        """The summary :meth:`to_row` wrote."""
        name, package, dependency, options, methods, spans = row
        found = tuple(MethodSummary(tuple(m[0]), m[1], m[2], m[3], m[4]) for m in methods)
        return cls(name, package, tuple(dependency), options, found, spans)


def row_digest(row: list[Any]) -> str:
    """A digest of a summary row that equal rows share however their objects are shared: ``marshal`` before its
    version 3 writes no references to objects met before (and is several times faster than ``repr``)."""
    return hashlib.sha256(marshal.dumps(row, 2)).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """What a module-wide rule found: the file, the source path it is about (() for the file as a whole) and
    the message."""

    file: str
    path: tuple[int, ...]
    message: str


def _option_text(options: Any, name: str) -> str:
    """An option's value as Buf compares it: booleans as ``true``/``false``, the rest as text."""
    value = getattr(options, name)
    return str(value).lower() if isinstance(value, bool) else str(value)
