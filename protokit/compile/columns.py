"""Buf's columns for protoc's source locations.

protoc counts a column as the number of bytes before it on its line, a tab
advancing to the next multiple of 8.  Buf (protocompile) counts terminal cells:
each grapheme cluster is as wide as a terminal draws it (``é`` 1, ``日`` 2,
emoji 2, combining marks and zero-width characters 0, as rivo/uniseg measures
them), a tab advancing to the next multiple of 4.  The two agree on lines of
printable ASCII without tabs, which is nearly every line, so only the other
lines are looked at: a file without any is left untouched after one scan.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_NON_PRINTABLE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")  # besides tabs

_PROTOC_TAB, _BUF_TAB = 8, 4
_ZWJ, _VS15, _VS16 = 0x200D, 0xFE0E, 0xFE0F

# Grapheme-cluster kinds of a code point (a subset of UAX #29's properties, enough for widths).
_OTHER, _CONTROL, _EXTEND, _SPACING, _PICTOGRAPHIC, _REGIONAL, _L, _V, _T, _LV, _LVT = range(11)


def needs_buf_columns(content: bytes) -> bool:
    """Whether any line of ``content`` has a tab, a form feed, a vertical tab or non-ASCII text.

    (Other control characters are not looked for: they cannot occur between tokens,
    and checking for them would cost more than the two C scans this takes.)
    """
    return not content.isascii() or b"\t" in content or b"\x0c" in content or b"\x0b" in content


def _kind(cp: int) -> int:
    """The grapheme-cluster kind of a code point (approximating Extended_Pictographic by emoji ranges)."""
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return _REGIONAL
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or cp in (0x200C, _ZWJ):
        return _EXTEND  # emoji modifiers, tags, joiners
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97F:
        return _L
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return _V
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return _T
    if 0xAC00 <= cp <= 0xD7A3:
        return _LV if (cp - 0xAC00) % 28 == 0 else _LVT
    category = unicodedata.category(chr(cp))
    if category in ("Mn", "Me"):
        return _EXTEND
    if category == "Mc":
        return _SPACING
    if category in ("Cc", "Cf", "Zl", "Zp"):
        return _CONTROL
    if cp in (0xA9, 0xAE) or (0x1F000 <= cp <= 0x1FAFF) or (0x203C <= cp <= 0x3299 and category == "So"):
        return _PICTOGRAPHIC
    return _OTHER


def _rune_width(cp: int, kind: int) -> int:
    """uniseg's width of one code point."""
    if kind in (_CONTROL, _EXTEND):
        return 0
    if kind == _REGIONAL:
        return 2
    if cp == 0x2E3A:
        return 3
    if cp == 0x2E3B:
        return 4
    return 2 if unicodedata.east_asian_width(chr(cp)) in ("W", "F") else 1


def _joins(previous: int, kind: int, first: int, regional: int, after_zwj: bool) -> bool:
    """Whether a code point of ``kind`` continues the cluster (UAX #29 rules GB6-GB13, simplified)."""
    if previous == _CONTROL or kind == _CONTROL:
        return False
    if kind in (_EXTEND, _SPACING):
        return True
    if previous == _L:
        return kind in (_L, _V, _LV, _LVT)
    if previous in (_LV, _V):
        return kind in (_V, _T)
    if previous in (_LVT, _T):
        return kind == _T
    if kind == _PICTOGRAPHIC:
        return first == _PICTOGRAPHIC and after_zwj
    if kind == _REGIONAL:
        return first == _REGIONAL and regional == 1
    return False


def column_map(line: str) -> dict[int, int]:
    """protoc's 0-based column -> Buf's, at every code point boundary of one line.

    ``line`` is decoded with ``surrogateescape``: a byte that is not UTF-8 counts one column for both.
    """
    mapping = {}
    protoc = buf = 0
    cluster_start = 0  # Buf's column where the current cluster began
    first = previous = _CONTROL  # nothing joins the start of a line
    regional = last = 0
    for char in line:
        mapping[protoc] = buf
        cp = ord(char)
        if cp == 9:
            protoc += _PROTOC_TAB - protoc % _PROTOC_TAB
            buf += _BUF_TAB - buf % _BUF_TAB
            first = previous = _CONTROL  # uniseg measures the text between tabs separately
            continue
        if 0xDC80 <= cp <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape): one column for both
            protoc += 1
            buf += 1
            first = previous = _CONTROL
            continue
        protoc += 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4
        kind = _CONTROL if cp < 0x20 or 0x7F <= cp < 0xA0 else _OTHER if cp < 0x7F else _kind(cp)
        if _joins(previous, kind, first, regional, last == _ZWJ):
            if first == _PICTOGRAPHIC:
                if cp == _VS16:
                    buf = cluster_start + 2
                elif cp == _VS15:
                    buf = cluster_start + 1
            elif first not in (_REGIONAL, _L):
                buf += _rune_width(cp, kind)
        else:
            first, regional, cluster_start = kind, 0, buf
            buf += _rune_width(cp, kind)
        if kind == _REGIONAL:
            regional += 1
        previous, last = kind, cp
    mapping[protoc] = buf
    return mapping


def byte_offset(line: bytes, column: int) -> int:
    """The byte offset in ``line`` of protoc's 0-based ``column`` (a tab advancing to the next multiple of 8)."""
    if b"\t" not in line:
        return column
    position = 0
    for offset, byte in enumerate(line):
        if position >= column:
            return offset
        position = position + _PROTOC_TAB - position % _PROTOC_TAB if byte == 9 else position + 1
    return len(line) + column - position


def _ascii_map(line: bytes) -> list[tuple[int, int]]:
    """(protoc column, Buf column) where each tab-separated piece of a printable-ASCII line starts."""
    starts = []
    protoc = buf = 0
    for index, piece in enumerate(line.split(b"\t")):
        if index:
            protoc += _PROTOC_TAB - protoc % _PROTOC_TAB
            buf += _BUF_TAB - buf % _BUF_TAB
        starts.append((protoc, buf))
        protoc += len(piece)
        buf += len(piece)
    return starts


class BufColumns:
    """Converts protoc's columns on the lines of one file to Buf's, building each line's table on first use."""

    def __init__(self, content: bytes) -> None:
        self._lines = content.split(b"\n")
        self._tables: dict[int, Any] = {}

    def column(self, line: int, column: int) -> int:
        """Buf's 0-based column for protoc's 0-based ``column`` on 0-based ``line``."""
        table = self._tables.get(line)
        if table is None:
            raw = self._lines[line] if 0 <= line < len(self._lines) else b""
            printable = raw.isascii() and not _NON_PRINTABLE.search(raw)
            table = _ascii_map(raw) if printable else column_map(raw.decode("utf-8", "surrogateescape"))
            self._tables[line] = table
        if isinstance(table, dict):
            if column in table:
                return table[column]
            end = max(table)  # past the end of the line (a message about a missing token)
            return table[end] + column - end if column > end else column
        start, buf = table[0]
        for piece_start, piece_buf in table:
            if piece_start > column:
                break
            start, buf = piece_start, piece_buf
        return buf + column - start


def _indent_shift(indent: bytes) -> int:
    """protoc's column minus Buf's after a run of spaces and tabs."""
    protoc = buf = 0
    for byte in indent:
        if byte == 9:
            protoc += _PROTOC_TAB - protoc % _PROTOC_TAB
            buf += _BUF_TAB - buf % _BUF_TAB
        else:
            protoc += 1
            buf += 1
    return protoc - buf


def line_shifts(lines: list[bytes]) -> dict[int, int | None]:
    """For each line where the columns differ: protoc's minus Buf's, or None where it varies along the line.

    A line of printable ASCII whose tabs all lead it (an indented line) moves by
    one amount; lines of printable ASCII without tabs are left out.
    """
    shifts: dict[int, int | None] = {}
    by_indent: dict[bytes, int] = {}
    for number, line in enumerate(lines):
        if line.isascii():
            if b"\t" not in line and b"\x0b" not in line and b"\x0c" not in line:
                continue
            rest = line.lstrip(b" \t")
            if b"\t" not in rest and b"\x0b" not in rest and b"\x0c" not in rest:
                indent = line[: len(line) - len(rest)]
                shift = by_indent.get(indent)
                if shift is None:
                    shift = by_indent[indent] = _indent_shift(indent)
                if shift:
                    shifts[number] = shift
                continue
        shifts[number] = None
    return shifts


def to_buf_columns(proto: Any, content: bytes) -> bool:
    """Rewrite the spans of a ``FileDescriptorProto``'s source info in Buf's columns; whether any changed.

    ``content`` is the source the descriptor was compiled from.  Only locations
    on lines with tabs, control characters or non-ASCII text are touched; on a
    line indented with tabs (the common case) every column moves by the same amount.
    """
    if not needs_buf_columns(content):
        return False
    columns = BufColumns(content)
    shifts = line_shifts(columns._lines)
    if not shifts:
        return False
    shift_of = shifts.get
    changed = False
    for location in proto.source_code_info.location:
        span = location.span
        if len(span) == 3:
            shift = shift_of(span[0], 0)
            if shift == 0:
                continue
            if shift is None:
                line = span[0]
                start, end = columns.column(line, span[1]), columns.column(line, span[2])
                if start == span[1] and end == span[2]:
                    continue
                span[1], span[2] = start, end
            else:
                span[1] -= shift
                span[2] -= shift
            changed = True
            continue
        start_shift, end_shift = shift_of(span[0], 0), shift_of(span[2], 0)
        if start_shift == 0 and end_shift == 0:
            continue
        start = span[1] - start_shift if start_shift is not None else columns.column(span[0], span[1])
        end = span[3] - end_shift if end_shift is not None else columns.column(span[2], span[3])
        if start != span[1] or end != span[3]:
            span[1], span[3] = start, end
            changed = True
    return changed
