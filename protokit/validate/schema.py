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
