"""Relative extension names inside message-literal option values, qualified for protoc.

Buf's compiler resolves ``[name_component]: 50`` inside ``(buf.validate.field).string = { ... }`` from the
file's package, as it resolves ``(name_component)`` in an option's name; protoc wants the full name there
("Extension ... is not defined or is not an extension of ...").  The file is compiled from a copy in which
such names get the file's package in front, and every source location after an edited name on its line is
moved back by what the edit added, so the descriptor's locations are those of the file as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from protokit.compile.rewrite import protoc_column
from protokit.compile.sources import STRINGS_AND_COMMENTS, scan_package

_UNDEFINED = re.compile(r'Extension "([\w.]+)" is not defined or is not an extension of "[\w.]+"')


@dataclass(frozen=True)
class Shift:
    """An edit on one line: from protoc's 0-based ``column`` on, columns moved right by ``delta``."""

    line: int
    column: int
    delta: int


def undefined_extension(text: str) -> str | None:
    """The extension name of protoc's error about an unknown extension in an option value, else None."""
    match = _UNDEFINED.search(text)
    return match.group(1) if match and "." not in match.group(1) else None


def qualify(content: bytes, names: set[str]) -> tuple[bytes, list[Shift]]:
    """``content`` with each ``[name]`` of ``names`` in code prefixed by the file's package, and the edits."""
    package = scan_package(content)
    if not package:
        return content, []
    prefix = package.encode() + b"."
    wanted = b"|".join(re.escape(name.encode()) for name in sorted(names))
    pattern = re.compile(STRINGS_AND_COMMENTS + rb"|\[\s*(?P<name>" + wanted + rb")\s*\]", re.S)
    parts: list[bytes] = []
    shifts: list[Shift] = []
    last = 0
    for match in pattern.finditer(content):
        if match.group("name") is None:
            continue
        start = match.start("name")
        line_start = content.rfind(b"\n", 0, start) + 1
        column = protoc_column(content[line_start:start])
        shifts.append(Shift(content.count(b"\n", 0, start), column, len(prefix)))
        parts += [content[last:start], prefix]
        last = start
    parts.append(content[last:])
    return b"".join(parts), shifts


def unshift_locations(proto: Any, shifts: list[Shift]) -> None:
    """Move the source locations of a file compiled from its qualified copy back to the file as written."""
    by_line: dict[int, list[Shift]] = {}
    for shift in shifts:
        by_line.setdefault(shift.line, []).append(shift)
    for location in proto.source_code_info.location:
        span = list(location.span)
        end_line = span[2] if len(span) == 4 else span[0]
        start = _unshifted(by_line.get(span[0], []), span[1])
        end = _unshifted(by_line.get(end_line, []), span[-1])
        if (start, end) != (span[1], span[-1]):
            span[1], span[-1] = start, end
            location.span[:] = span


def _unshifted(shifts: list[Shift], column: int) -> int:
    """A column of the edited line as it was before the edits (those at or before it moved it right)."""
    moved = 0
    for shift in sorted(shifts, key=lambda s: s.column):
        if column > shift.column + moved:
            moved += shift.delta
    return column - moved
