"""The validate.proto Buf decodes ``(buf.validate.*)`` options with, and descriptor pools that hold it.

Buf decodes the options by field number against its own embedded copy of ``buf/validate/validate.proto``,
whatever copy the module compiled against; the ``protovalidate`` package ships the same schema (it is the
runtime that checks example values too), so its copy is the one used here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from google.protobuf import descriptor_pb2, descriptor_pool

VALIDATE_PROTO = "buf/validate/validate.proto"
# Extension numbers of validate.proto: (buf.validate.field|message|oneof) and (buf.validate.predefined).
RULES_EXTENSION = 1159
PREDEFINED_EXTENSION = 1160


@cache
def validate_file() -> bytes:
    """The serialized ``FileDescriptorProto`` of the validate.proto the installed protovalidate carries."""
    from protovalidate._gen.buf.validate import validate_pb

    return bytes(validate_pb.desc().proto.to_binary())


def _well_known() -> list[descriptor_pb2.FileDescriptorProto]:
    """descriptor.proto and the well-known types, which validate.proto and CEL refer to."""
    from google.protobuf import (
        any_pb2,
        descriptor_pb2,
        duration_pb2,
        empty_pb2,
        field_mask_pb2,
        struct_pb2,
        timestamp_pb2,
        wrappers_pb2,
    )

    files = []
    for module in (descriptor_pb2, any_pb2, duration_pb2, empty_pb2, field_mask_pb2, struct_pb2, timestamp_pb2):
        files.append(descriptor_pb2.FileDescriptorProto.FromString(module.DESCRIPTOR.serialized_pb))
    files.append(descriptor_pb2.FileDescriptorProto.FromString(wrappers_pb2.DESCRIPTOR.serialized_pb))
    return files


def build_pool(files: Iterable[descriptor_pb2.FileDescriptorProto]) -> descriptor_pool.DescriptorPool:
    """A pool of the well-known types, Buf's validate.proto and ``files`` (dependencies first); a file of
    ``files`` named like one of the former is left out (the embedded copy wins, as in Buf)."""
    pool = descriptor_pool.DescriptorPool()
    added: set[str] = set()
    embedded = descriptor_pb2.FileDescriptorProto.FromString(validate_file())
    for proto in [*_well_known(), embedded, *files]:
        if proto.name not in added:
            pool.Add(proto)
            added.add(proto.name)
    return pool


# A rules message's fields by name: (number, repeated, message type or "" for a scalar or enum).
SchemaFields = dict[str, tuple[int, bool, str]]


@cache
def rules_schema() -> tuple[dict[str, str], dict[str, SchemaFields]]:
    """validate.proto as names: its extensions' full names to their message types (``buf.validate.field`` to
    ``buf.validate.FieldRules``), and each of its messages' fields by name."""
    proto = descriptor_pb2.FileDescriptorProto.FromString(validate_file())
    package = proto.package
    extensions = {f"{package}.{ext.name}": ext.type_name.lstrip(".") for ext in proto.extension}
    messages: dict[str, SchemaFields] = {}
    pending = [(f"{package}.{m.name}", m) for m in proto.message_type]
    while pending:
        name, message = pending.pop()
        repeated = descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
        messages[name] = {
            f.name: (f.number, f.label == repeated, f.type_name.lstrip(".") if f.type == f.TYPE_MESSAGE else "")
            for f in message.field
        }
        pending += [(f"{name}.{nested.name}", nested) for nested in message.nested_type]
    for wkt in ("Duration", "Timestamp"):  # the message-valued bounds of DurationRules and TimestampRules
        messages[f"google.protobuf.{wkt}"] = {"seconds": (1, False, ""), "nanos": (2, False, "")}
    messages["google.protobuf.FieldMask"] = {"paths": (1, True, "")}
    return extensions, messages
