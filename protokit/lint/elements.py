"""An indexed view of compiled files: every element once, with its source path and location."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int, int, int]
NO_SPAN: Span = (1, 1, 1, 1)

# Field numbers in descriptor.proto that source-info paths are made of.
FILE_PACKAGE, FILE_DEPENDENCY, FILE_MESSAGE, FILE_ENUM, FILE_SERVICE, FILE_OPTIONS, FILE_SYNTAX = 2, 3, 4, 5, 6, 8, 12
MESSAGE_FIELD, MESSAGE_NESTED, MESSAGE_ENUM, MESSAGE_ONEOF = 2, 3, 4, 8
ENUM_VALUE, ENUM_OPTIONS = 2, 3
SERVICE_METHOD = 2
NAME = 1


@dataclass
class Element:
    """A message, field, enum, enum value, oneof, service or method in one file."""

    kind: str
    proto: Any
    file: FileView
    path: tuple[int, ...]
    full_name: str
    parent: Element | None = None

    @property
    def name(self) -> str:
        """The element's own (short) name."""
        return str(self.proto.name)

    def span(self, *sub: int) -> Span:
        """The location of the element, or of one of its parts (``sub`` path), in the file."""
        return self.file.span(self.path + sub)


@dataclass
class FileView:
    """One compiled file with its source locations and all its elements, walked once."""

    proto: Any
    shown: str
    warnings: list[str] = field(default_factory=list)
    locations: dict[tuple[int, ...], Any] = field(default_factory=dict)
    elements: dict[str, list[Element]] = field(default_factory=dict)

    @classmethod
    def build(cls, proto: Any, shown: str, warnings: list[str] | None = None) -> FileView:
        """Index a ``FileDescriptorProto``: locations by path, elements by kind; keep protoc's warnings."""
        view = cls(proto, shown, warnings or [])
        for location in proto.source_code_info.location:
            view.locations.setdefault(tuple(location.path), location)
        view.elements = {k: [] for k in ("message", "field", "oneof", "enum", "enum_value", "service", "method")}
        prefix = f"{proto.package}." if proto.package else ""
        for i, message in enumerate(proto.message_type):
            view._message(message, (FILE_MESSAGE, i), prefix + message.name, None)
        for i, enum in enumerate(proto.enum_type):
            view._enum(enum, (FILE_ENUM, i), prefix + enum.name, None)
        for i, service in enumerate(proto.service):
            svc = view._add("service", service, (FILE_SERVICE, i), prefix + service.name, None)
            for j, method in enumerate(service.method):
                view._add("method", method, (FILE_SERVICE, i, SERVICE_METHOD, j), f"{svc.full_name}.{method.name}", svc)
        return view

    def _add(self, kind: str, proto: Any, path: tuple[int, ...], full_name: str, parent: Element | None) -> Element:
        element = Element(kind, proto, self, path, full_name, parent)
        self.elements[kind].append(element)
        return element

    def _message(self, proto: Any, path: tuple[int, ...], full_name: str, parent: Element | None) -> None:
        if proto.options.map_entry:
            return  # synthetic map entries are not written by the user
        message = self._add("message", proto, path, full_name, parent)
        for i, item in enumerate(proto.field):
            self._add("field", item, path + (MESSAGE_FIELD, i), f"{full_name}.{item.name}", message)
        for i, oneof in enumerate(proto.oneof_decl):
            synthetic = any(f.proto3_optional and f.HasField("oneof_index") and f.oneof_index == i for f in proto.field)
            if not synthetic:
                self._add("oneof", oneof, path + (MESSAGE_ONEOF, i), f"{full_name}.{oneof.name}", message)
        for i, nested in enumerate(proto.nested_type):
            self._message(nested, path + (MESSAGE_NESTED, i), f"{full_name}.{nested.name}", message)
        for i, enum in enumerate(proto.enum_type):
            self._enum(enum, path + (MESSAGE_ENUM, i), f"{full_name}.{enum.name}", message)

    def _enum(self, proto: Any, path: tuple[int, ...], full_name: str, parent: Element | None) -> None:
        enum = self._add("enum", proto, path, full_name, parent)
        scope = full_name.rsplit(".", 1)[0] if "." in full_name else ""
        for i, value in enumerate(proto.value):
            value_name = f"{scope}.{value.name}" if scope else value.name
            self._add("enum_value", value, path + (ENUM_VALUE, i), value_name, enum)

    @property
    def name(self) -> str:
        """The import name, such as ``acme/orders/v1/order.proto``."""
        return str(self.proto.name)

    @property
    def directory(self) -> str:
        """The directory of the file relative to its root (``.`` at the root)."""
        return posixpath.dirname(self.name) or "."

    def span(self, path: tuple[int, ...]) -> Span:
        """1-based start line and column and end line and column (exclusive) of a source path."""
        location = self.locations.get(path)
        if location is None:
            return NO_SPAN
        s = list(location.span)
        end_line = s[2] if len(s) == 4 else s[0]
        return s[0] + 1, s[1] + 1, end_line + 1, s[-1] + 1

    def comments(self, path: tuple[int, ...]) -> str:
        """The leading comments attached to a source path."""
        location = self.locations.get(path)
        return str(location.leading_comments) if location is not None else ""

    def walk(self, kind: str) -> Iterator[Element]:
        """Every element of one kind, in declaration order."""
        return iter(self.elements[kind])
