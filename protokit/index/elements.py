"""An indexed view of compiled files: every element once, with its source path and location."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from protokit.index.wire import first_locations

Span = tuple[int, int, int, int]
NO_SPAN: Span = (1, 1, 1, 1)

# Field numbers in descriptor.proto that source-info paths are made of.
FILE_PACKAGE, FILE_DEPENDENCY, FILE_MESSAGE, FILE_ENUM, FILE_SERVICE, FILE_EXTENSION, FILE_OPTIONS = 2, 3, 4, 5, 6, 7, 8
MESSAGE_FIELD, MESSAGE_NESTED, MESSAGE_ENUM, MESSAGE_EXTENSION, MESSAGE_ONEOF = 2, 3, 4, 6, 8
ENUM_VALUE, ENUM_OPTIONS = 2, 3
SERVICE_METHOD = 2
NAME = 1


class Element:
    """A message, field, enum, enum value, oneof, service or method in one file."""

    __slots__ = ("kind", "proto", "file", "path", "scope", "parent", "name")

    def __init__(
        self, kind: str, proto: Any, file: FileView, path: tuple[int, ...], scope: str, parent: Element | None
    ) -> None:
        self.kind = kind
        self.proto = proto
        self.file = file
        self.path = path
        self.scope = scope
        self.parent = parent
        self.name: str = proto.name

    @property
    def full_name(self) -> str:
        """The fully qualified name, such as ``acme.orders.v1.Order.items``."""
        return f"{self.scope}.{self.name}" if self.scope else self.name

    def span(self, *sub: int) -> Span:
        """The location of the element, or of one of its parts (``sub`` path), in the file."""
        return self.file.span(self.path + sub)

    def fixed_span(self) -> Span | None:
        """Where the element is reported when that is not the location of its path (None: look the path up)."""
        return None


def location_span(location: Any) -> Span:
    """A source-info location's span: 1-based start line and column and end line and column (exclusive)."""
    s = list(location.span)
    end_line = s[2] if len(s) == 4 else s[0]
    return s[0] + 1, s[1] + 1, end_line + 1, s[-1] + 1


def ignore_directives(proto: Any) -> dict[tuple[int, ...], str]:
    """The leading comments of a ``FileDescriptorProto`` that hold a ``lint:ignore`` directive, by source path.

    As everywhere, a path's comment is that of its first location: a directive on a later statement with the
    same path (a second ``option`` line of a message) is not the path's comment.
    """
    found: dict[tuple[int, ...], str] = {}
    locations = proto.source_code_info.location
    marked = [(i, loc) for i, loc in enumerate(locations) if "lint:ignore" in loc.leading_comments]
    for index, location in marked:
        path = tuple(location.path)
        if path in found:
            continue
        earlier = (loc for loc in locations[:index] if len(loc.path) == len(path))
        if not any(tuple(loc.path) == path for loc in earlier):
            found[path] = str(location.leading_comments)
    return found


@dataclass
class FileView:
    """One compiled file with its source locations and all its elements, walked once."""

    _proto: Any  # the FileDescriptorProto, or None until first use (then parsed from ``_raw``)
    shown: str
    _warnings: list[str] | None = None
    elements: dict[str, list[Element]] = field(default_factory=dict)
    _mentions_ignores: bool | None = None  # False when no comment of the file can hold a lint:ignore directive
    _locations: dict[tuple[int, ...], Any] | None = None
    _raw: bytes | None = None
    _name: str = ""
    _package: str | None = None
    _entry: Callable[[], Any] | None = None  # loads the compile cache entry (descriptor and meta) on first use
    _located: dict[tuple[int, ...], Any] = field(default_factory=dict)  # locations found by :meth:`locate`
    _directives: dict[tuple[int, ...], str] | None = None

    @property
    def proto(self) -> Any:
        """The ``FileDescriptorProto``, parsed on first use (an unchanged file in a comparison never is)."""
        if self._proto is None:
            from google.protobuf import descriptor_pb2

            self._proto = descriptor_pb2.FileDescriptorProto.FromString(self._descriptor())
        return self._proto

    @property
    def package(self) -> str:
        """The proto package, known without parsing when the compile cache recorded it."""
        return self._package if self._package is not None else str(self.proto.package)

    @property
    def warnings(self) -> list[str]:
        """protoc's warnings about the file."""
        if self._warnings is None:
            self._descriptor()
        return self._warnings or []

    @property
    def mentions_ignores(self) -> bool:
        """Whether a comment of the file may hold a ``lint:ignore`` directive (True when unknown)."""
        if self._mentions_ignores is None and self._entry is not None:
            self._mentions_ignores = b"lint:ignore" in self._descriptor()
        return self._mentions_ignores is not False

    def _descriptor(self) -> bytes:
        """The serialized descriptor, read from the compile cache entry the first time it is needed."""
        if self._raw is None and self._entry is not None:
            entry = self._entry()
            self._raw = entry.descriptor
            if self._warnings is None:
                self._warnings = [w[2] for w in entry.meta.get("warnings", [])]
        return self._raw or b""

    def _meta(self) -> dict[str, Any]:
        """The compile cache entry's metadata (empty for a view built from a descriptor)."""
        return self._entry().meta if self._entry is not None else {}  # type: ignore[no-any-return]

    def release(self) -> None:
        """Drop the index of elements: they refer back to this view, a cycle that only the cycle collector frees;
        once a caller done with the view has called this, reference counting frees the view and its elements."""
        self.elements.clear()

    @classmethod
    def cached(cls, raw: bytes, name: str, shown: str, meta: dict[str, Any]) -> FileView:
        """A view of a serialized ``FileDescriptorProto`` from the compile cache, parsed only when looked into."""
        warnings = [w[2] for w in meta.get("warnings", [])]
        return cls(None, shown, warnings, _raw=raw, _name=name, _package=meta.get("package"))

    @property
    def locations(self) -> dict[tuple[int, ...], Any]:
        """Source locations by path, indexed on first use (most files need none: they have no finding)."""
        if self._locations is None:
            self._locations = {}
            for location in self.proto.source_code_info.location:
                self._locations.setdefault(tuple(location.path), location)
        return self._locations

    @classmethod
    def build(cls, proto: Any, shown: str, warnings: list[str] | None = None) -> FileView:
        """A view of a ``FileDescriptorProto``; locations and elements are indexed on first use."""
        return cls(proto, shown, warnings or [])

    @classmethod
    def compiled(cls, result: Any, name: str) -> FileView:
        """The view of one file of a ``CompileResult``, with protoc's cached warnings for it; its cache entry is
        read only when the view is looked into (its package is known without)."""
        package = result.metas[name].get("package") if name in result.metas else None
        return cls(None, result.sources[name].shown, _name=name, _package=package, _entry=lambda: result.entries[name])

    def _index(self, kind: str) -> None:
        """Walk the file once for the elements of ``kind``'s group (services apart from types)."""
        if kind in ("service", "method"):
            self.elements["service"], self.elements["method"] = services, methods = [], []
            scope = self.proto.package
            for i, service in enumerate(self.proto.service):
                svc = Element("service", service, self, (FILE_SERVICE, i), scope, None)
                services.append(svc)
                for j, method in enumerate(service.method):
                    path = (FILE_SERVICE, i, SERVICE_METHOD, j)
                    methods.append(Element("method", method, self, path, svc.full_name, svc))
            return
        for group in ("message", "field", "oneof", "enum", "enum_value"):
            self.elements[group] = []
        package = self.proto.package
        for i, message in enumerate(self.proto.message_type):
            self._message(message, (FILE_MESSAGE, i), package, None)
        for i, enum in enumerate(self.proto.enum_type):
            self._enum(enum, (FILE_ENUM, i), package, None)
        for i, extension in enumerate(self.proto.extension):
            self.elements["field"].append(Element("field", extension, self, (FILE_EXTENSION, i), package, None))

    def _message(self, proto: Any, path: tuple[int, ...], scope: str, parent: Element | None) -> None:
        if proto.options.map_entry:
            return  # synthetic map entries are not written by the user
        message = Element("message", proto, self, path, scope, parent)
        self.elements["message"].append(message)
        inner = message.full_name
        fields = self.elements["field"]
        for i, item in enumerate(proto.field):
            fields.append(Element("field", item, self, path + (MESSAGE_FIELD, i), inner, message))
        for i, item in enumerate(proto.extension):
            fields.append(Element("field", item, self, path + (MESSAGE_EXTENSION, i), inner, message))
        if proto.oneof_decl:
            synthetic = {f.oneof_index for f in proto.field if f.proto3_optional}
            for i, oneof in enumerate(proto.oneof_decl):
                if i not in synthetic:
                    self.elements["oneof"].append(
                        Element("oneof", oneof, self, path + (MESSAGE_ONEOF, i), inner, message)
                    )
        for i, nested in enumerate(proto.nested_type):
            self._message(nested, path + (MESSAGE_NESTED, i), inner, message)
        for i, enum in enumerate(proto.enum_type):
            self._enum(enum, path + (MESSAGE_ENUM, i), inner, message)

    def _enum(self, proto: Any, path: tuple[int, ...], scope: str, parent: Element | None) -> None:
        enum = Element("enum", proto, self, path, scope, parent)
        self.elements["enum"].append(enum)
        values = self.elements["enum_value"]
        for i, value in enumerate(proto.value):  # enum values are scoped like their enum, not inside it
            values.append(Element("enum_value", value, self, path + (ENUM_VALUE, i), scope, enum))

    @property
    def name(self) -> str:
        """The import name, such as ``acme/orders/v1/order.proto``."""
        return self._name or str(self.proto.name)

    @property
    def directory(self) -> str:
        """The directory of the file relative to its root (``.`` at the root)."""
        return posixpath.dirname(self.name) or "."

    @property
    def directives(self) -> dict[tuple[int, ...], str]:
        """The leading comments that hold a ``lint:ignore`` directive, by source path: recorded by the compile
        worker in the cache entry, else found here (see :func:`ignore_directives`)."""
        if self._directives is None:
            recorded = self._meta().get("directives") if self.mentions_ignores else []
            if recorded is None:
                self._directives = ignore_directives(self.proto)
            else:
                self._directives = {tuple(path): comment for path, comment in recorded}
        return self._directives

    def locate(self, paths: set[tuple[int, ...]]) -> None:
        """Find the locations of ``paths`` in one pass, without indexing every location of the file (a file
        with a few findings among thousands of locations is located several times faster)."""
        wanted = {p for p in paths if p not in self._located} if self._locations is None else set()
        if not wanted:
            return
        found: dict[tuple[int, ...], Any] = dict.fromkeys(wanted)
        if self._raw is not None:  # the serialized file at hand: its bytes are walked, the locations found parsed
            locations = self.proto.source_code_info.location
            found.update((path, locations[i]) for path, i in first_locations(self._raw, wanted).items())
        else:
            lengths = {len(p) for p in wanted}
            for location in self.proto.source_code_info.location:
                path = location.path
                if len(path) in lengths:
                    key = tuple(path)
                    if key in wanted and found[key] is None:
                        found[key] = location
        self._located.update(found)

    def _location(self, path: tuple[int, ...]) -> Any:
        """The first location of ``path`` (None without one): found by :meth:`locate`, else from the index."""
        return self._located[path] if path in self._located else self.locations.get(path)

    def span(self, path: tuple[int, ...]) -> Span:
        """1-based start line and column and end line and column (exclusive) of a source path."""
        location = self._location(path)
        return NO_SPAN if location is None else location_span(location)

    def comments(self, path: tuple[int, ...]) -> str:
        """The leading comments attached to a source path."""
        location = self._location(path)
        return str(location.leading_comments) if location is not None else ""

    def walk(self, kind: str) -> Iterator[Element]:
        """Every element of one kind, in declaration order."""
        if kind not in self.elements:
            self._index(kind)
        return iter(self.elements[kind])
