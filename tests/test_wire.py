"""Source locations read from a serialized file's bytes are those a parse of it gives."""

from __future__ import annotations

from pathlib import Path

from google.protobuf import descriptor_pb2

from protokit.compile.cache import DescriptorCache
from protokit.compile.compiler import compile_workspace
from protokit.index.wire import field_numbers, first_locations, merged_field, packed, varint, varint_bytes
from protokit.workspace import open_workspace

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"


def test_first_locations_are_the_first_a_parse_finds(tmp_path: Path) -> None:
    """Every path of every location of the example contracts and their imports (descriptor.proto's own among
    them), with paths no location has: the byte walk finds the index of the path's first location, or none."""
    result = compile_workspace(open_workspace([CONTRACTS]), DescriptorCache(tmp_path))
    checked = 0
    for name in result.order:
        raw = result.entries[name].descriptor
        locations = descriptor_pb2.FileDescriptorProto.FromString(raw).source_code_info.location
        first: dict[tuple[int, ...], int] = {}
        for index, location in enumerate(locations):
            first.setdefault(tuple(location.path), index)
        absent = {(4, 9999), (4, 0, 2, 72295728, 1), (99,)}
        assert first_locations(raw, [*first, *absent]) == first
        checked += len(first)
    assert checked > 1000


def test_paths_pack_as_varints() -> None:
    assert packed((4, 0, 2, 1)) == b"\x04\x00\x02\x01"
    assert packed((8, 1069)) == b"\x08\xad\x08" and varint(b"\xad\x08", 0) == (1069, 2)
    assert packed((-1,)) == b"\xff" * 9 + b"\x01"
    assert packed((4, 200)) == b"\x04\xc8\x01"  # a number that fits a byte but not a one-byte varint


def test_a_field_written_twice_merges_and_numbers_come_in_written_order() -> None:
    """protoc writes an option set by two statements as two occurrences of its field; a parse merges them."""
    rules = descriptor_pb2.FieldOptions(deprecated=True, ctype=descriptor_pb2.FieldOptions.CORD)
    first, second = descriptor_pb2.FieldOptions(deprecated=True), descriptor_pb2.FieldOptions(ctype=1, lazy=True)
    data = b"".join(b"\x0a" + varint_bytes(len(m.SerializeToString())) + m.SerializeToString() for m in (first, second))
    merged = descriptor_pb2.FieldOptions.FromString(merged_field(data, 1))
    assert merged == descriptor_pb2.FieldOptions(deprecated=True, ctype=1, lazy=True)
    assert field_numbers(rules.SerializeToString() + b"\x18\x01") == [1, 3]  # ctype, deprecated; 3 once
    assert merged_field(data, 2) == b"" and field_numbers(b"\x0a\x05ab") == []  # truncated: nothing read
