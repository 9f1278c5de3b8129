"""Reading a serialized ``FileDescriptorProto`` where a parse would cost more than it gives: its fields' bytes,
and the first source location of each of a few paths (a file has hundreds of locations; a lint run looks for a
few dozen, and walking the bytes is twice as fast as walking parsed locations)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

_SOURCE_CODE_INFO = 9  # FileDescriptorProto.source_code_info
_LOCATION_PATH_TAG = 0x0A  # SourceCodeInfo.Location.path (packed), written first


def varint(data: bytes, pos: int) -> tuple[int, int]:
    """The base-128 varint at ``pos`` and the offset just after it."""
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def field_bytes(data: bytes, number: int) -> tuple[int, int]:
    """The (start, end) offsets of the value of the first field ``number`` of a message (of a length-delimited
    one, its bytes without the length); (0, 0) without one."""
    return next(((start, end) for found, start, end in _fields(data) if found == number), (0, 0))


def varint_bytes(number: int) -> bytes:
    """``number`` written as a base-128 varint (a negative int32 as ten bytes, as protobuf writes it)."""
    number &= (1 << 64) - 1
    out = bytearray()
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def packed(path: tuple[int, ...]) -> bytes:
    """A source path as the bytes of a packed ``path`` field (each number a varint)."""
    try:
        small = bytes(path)  # numbers below 128 (nearly all of them) are their own one-byte varints
    except ValueError:  # one is negative or above 255
        small = b"\x80"
    return small if small.isascii() else b"".join(map(varint_bytes, path))


def first_locations(data: bytes, paths: Iterable[tuple[int, ...]]) -> dict[tuple[int, ...], int]:
    """The index in ``source_code_info.location`` of the first location of each of ``paths`` that has one, read
    from the serialized file ``data`` (in canonical field order, as protoc and protobuf write it)."""
    wanted = {packed(path): path for path in paths}
    found: dict[tuple[int, ...], int] = {}
    pos, end = field_bytes(data, _SOURCE_CODE_INFO)
    index = 0
    while pos < end and wanted:
        # each location is field 1 of SourceCodeInfo; its length is one or two bytes but for long comments
        length, body = data[pos + 1], pos + 2
        if length > 0x7F:
            length, body = (length & 0x7F | data[body] << 7, body + 1) if data[body] < 0x80 else varint(data, pos + 1)
        key = b""
        if length and data[body] == _LOCATION_PATH_TAG:
            size, start = data[body + 1], body + 2
            if size > 0x7F:
                size, start = varint(data, body + 1)
            key = data[start : start + size]
        path = wanted.pop(key, None)
        if path is not None:
            found[path] = index
        pos = body + length
        index += 1
    return found


def _fields(data: bytes) -> Iterator[tuple[int, int, int]]:
    """Each field of a serialized message in order: (number, start, end) of its value (length-delimited ones
    without their length), read to the end or to the first bytes that are not a well-formed field."""
    pos, end = 0, len(data)
    try:
        while pos < end:
            tag, pos = varint(data, pos)
            wire_type, start = tag & 7, pos
            if wire_type == 2:
                length, start = varint(data, pos)
                pos = start + length
            elif wire_type == 0:
                _, pos = varint(data, pos)
            elif wire_type in (1, 5):
                pos += 8 if wire_type == 1 else 4
            else:
                return
            if pos > end:  # truncated
                return
            yield tag >> 3, start, pos
    except IndexError:  # truncated
        return


def merged_field(data: bytes, number: int) -> bytes:
    """The value of message field ``number`` as parsing would merge it: every occurrence's bytes, in order."""
    return b"".join(data[start:end] for found, start, end in _fields(data) if found == number)


def field_numbers(data: bytes) -> list[int]:
    """The numbers of the fields set in a serialized message, each once, in the order first written."""
    return list(dict.fromkeys(number for number, _, _ in _fields(data)))
