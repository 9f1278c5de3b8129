"""One unit of compile work, run in a worker process or in-process: protoc on a chunk of files."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from protokit.compile.protoc import ProtocMessage, run_protoc, split_descriptor_set

# Source-info path prefixes of top-level declarations in FileDescriptorProto.
_TOP_LEVEL_FIELDS = {4: "message_type", 5: "enum_type", 6: "service", 7: "extension"}
_NAME = 1  # the ``name`` field number in each of those declarations


@dataclass
class ChunkResult:
    """The files a chunk compiled (name, descriptor bytes, metadata) or the messages of its failure."""

    ok: bool
    messages: list[ProtocMessage]
    files: list[tuple[str, bytes, dict[str, Any]]] = field(default_factory=list)


def compile_chunk(include_roots: list[str], files: list[tuple[str, str]]) -> ChunkResult:
    """Compile ``files`` ((import name, disk path) pairs) and describe each compiled file.

    Each file's metadata holds its package, its top-level symbols (for
    duplicate detection across chunks) and the warnings protoc gave for it.
    """
    from google.protobuf import descriptor_pb2

    result = run_protoc(include_roots, [path for _, path in files])
    # protoc names the files it was given by their disk path, and imported ones by import name.
    names = {path: name for name, path in files}
    messages = [replace(m, file=names.get(m.file, m.file)) for m in result.messages]
    if result.returncode != 0:
        return ChunkResult(False, messages)
    warnings: dict[str, list[list[Any]]] = {}
    for message in messages:
        warnings.setdefault(message.file, []).append([message.line, message.column, message.text])
    compiled = []
    for raw in split_descriptor_set(result.descriptor_set):
        proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
        meta = {
            "package": proto.package,
            "dependency": list(proto.dependency),
            "symbols": _top_level_symbols(proto),
            "warnings": warnings.get(proto.name, []),
        }
        compiled.append((proto.name, raw, meta))
    return ChunkResult(True, messages, compiled)


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
