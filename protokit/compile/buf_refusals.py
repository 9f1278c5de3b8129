"""What Buf's compiler refuses in files protoc accepts: checked on each compiled file, reported as compile errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from protokit.compile.protoc import ProtocMessage

# FileDescriptorProto and DescriptorProto field numbers (source-info paths).
_FILE_MESSAGE, _FILE_OPTIONS, _FILE_EXTENSION = 4, 8, 7
_MESSAGE_FIELD, _MESSAGE_NESTED, _MESSAGE_EXTENSION = 2, 3, 6
_FIELD_TYPE, _FIELD_TYPE_NAME = 5, 6
_JAVA_STRING_CHECK_UTF8 = 27  # FileOptions.java_string_check_utf8
_INT64_TYPES = {3, 4, 6, 16, 18}  # int64, uint64, fixed64, sfixed64, sint64 (FieldDescriptorProto.Type)
_TYPE_WORDS = {11: "message type", 14: "enum type"}
_SCALARS = {1: "double", 2: "float", 5: "int32", 7: "fixed32", 8: "bool", 9: "string", 12: "bytes", 13: "uint32",
            15: "sfixed32", 17: "sint32"}  # fmt: skip


def buf_refusals(proto: Any, content: bytes) -> list[ProtocMessage]:
    """Buf's compile errors for ``proto`` (compiled from ``content``) that protoc does not give."""
    refused = _java_string_check_utf8(proto)
    if b"jstype" in content:
        refused += _jstype(proto)
    return refused


def _java_string_check_utf8(proto: Any) -> list[ProtocMessage]:
    """``option java_string_check_utf8`` in an editions file (editions write ``features.(pb.java).utf8_validation``)."""
    if proto.syntax != "editions" or not proto.options.HasField("java_string_check_utf8"):
        return []
    line, column = _position(proto, (_FILE_OPTIONS, _JAVA_STRING_CHECK_UTF8))
    return [ProtocMessage(proto.name, line, column, "cannot set `java_string_check_utf8` in editions mode")]


def _jstype(proto: Any) -> list[ProtocMessage]:
    """``jstype`` set on a field that is no 64-bit integer: protoc lets ``JS_NORMAL`` (its default) pass, Buf not."""
    refused = []
    for path, field in _fields(proto):
        if field.options.HasField("jstype") and field.type not in _INT64_TYPES:
            type_path = (*path, _FIELD_TYPE_NAME if field.type_name else _FIELD_TYPE)
            line, column = _position(proto, type_path)
            kind = _TYPE_WORDS.get(field.type, "scalar type")
            name = field.type_name.lstrip(".") if field.type_name else _SCALARS.get(field.type, "")
            text = f"expected 64-bit integer type, found {kind} `{name}`"
            refused.append(ProtocMessage(proto.name, line, column, text))
    return refused


def _fields(proto: Any) -> Iterator[tuple[tuple[int, ...], Any]]:
    """Every field and extension of the file, with its source-info path."""
    for i, extension in enumerate(proto.extension):
        yield (_FILE_EXTENSION, i), extension
    pending: list[tuple[tuple[int, ...], Any]] = [
        ((_FILE_MESSAGE, i), message) for i, message in enumerate(proto.message_type)
    ]
    while pending:
        path, message = pending.pop()
        for i, field in enumerate(message.field):
            yield (*path, _MESSAGE_FIELD, i), field
        for i, extension in enumerate(message.extension):
            yield (*path, _MESSAGE_EXTENSION, i), extension
        pending += [((*path, _MESSAGE_NESTED, i), nested) for i, nested in enumerate(message.nested_type)]


def _position(proto: Any, path: tuple[int, ...]) -> tuple[int, int]:
    """The 1-based start of the source location at ``path`` (0, 0 when the file has none)."""
    spans = [location.span for location in proto.source_code_info.location if tuple(location.path) == path]
    return (spans[0][0] + 1, spans[0][1] + 1) if spans else (0, 0)
