"""Sources rewritten for protoc where it rejects what Buf's compiler accepts, keeping every line and column.

protoc refuses ``option allow_alias = false;`` in an enum without aliases ("has
no effect"), and services in an ``optimize_for = LITE_RUNTIME`` file with
``option cc_generic_services = true;`` or ``option java_generic_services = true;``;
Buf accepts both and records the options.  Such
statements are blanked (their characters become spaces, tabs and newlines are
kept, so every other token stays at the same line and column), the rewritten
file is compiled from an overlay directory searched before the real roots,
and the options are put back into the descriptor with the statements' locations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from protokit.compile.sources import STRINGS_AND_COMMENTS

# What protoc says about the statements it refuses and Buf accepts: a no-op ``option allow_alias = false;``,
# and generic services turned on in a LITE_RUNTIME file with services (the generic services options are
# blanked, not LITE_RUNTIME, which protoc needs to check what the file imports and what imports it).
REFUSED_MESSAGES = (
    "declares 'option allow_alias = false;' which has no effect",
    "Files with optimize_for = LITE_RUNTIME cannot define services",
)
ALIAS = "allow_alias"

# Strings and comments are matched (and skipped) so a statement is only found in code.
_STATEMENTS = re.compile(
    STRINGS_AND_COMMENTS + rb"|(?P<statement>(?<![\w.])option\s+"
    rb"(?P<option>allow_alias\s*=\s*false|(?:cc|java)_generic_services\s*=\s*true)\s*;)",
    re.S,
)
_BLANK = re.compile(rb"[^\t\n]")

_FILE_ENUM, _FILE_MESSAGE, _MESSAGE_NESTED, _MESSAGE_ENUM = 5, 4, 3, 4
_ENUM_OPTIONS, _OPTIONS_ALLOW_ALIAS = 3, 2
_FILE_OPTIONS = 8
_GENERIC_SERVICES = {"cc_generic_services": 16, "java_generic_services": 17}  # FileOptions field numbers
_PROTOC_TAB = 8


@dataclass(frozen=True)
class Blanked:
    """A statement blanked out of a source: which option, 0-based line and protoc's start and end columns."""

    option: str
    line: int
    column: int
    end_column: int


def refused(text: str) -> bool:
    """Whether a protoc error is about a statement Buf accepts (one of ``REFUSED_MESSAGES``)."""
    return any(message in text for message in REFUSED_MESSAGES)


def blank_refused(content: bytes) -> tuple[bytes, list[Blanked]]:
    """``content`` with every ``option allow_alias = false;``, ``option cc_generic_services = true;`` and
    ``option java_generic_services = true;`` statement blanked, and where they were.

    Statements spanning lines are left alone (they do not occur in practice, and
    one location cannot describe them the way protoc would).
    """
    if b"allow_alias" not in content and b"_generic_services" not in content:
        return content, []
    parts: list[bytes] = []
    found: list[Blanked] = []
    last = 0
    for match in _STATEMENTS.finditer(content):
        start, end = match.span("statement")
        if start < 0 or b"\n" in match.group("statement"):
            continue
        line_start = content.rfind(b"\n", 0, start) + 1
        line = content.count(b"\n", 0, start)
        option = match.group("option").split(b"=")[0].strip().decode()
        columns = protoc_column(content[line_start:start]), protoc_column(content[line_start:end])
        found.append(Blanked(option, line, *columns))
        parts += [content[last:start], _BLANK.sub(b" ", content[start:end])]
        last = end
    if not found:
        return content, []
    parts.append(content[last:])
    return b"".join(parts), found


def protoc_column(prefix: bytes) -> int:
    """protoc's 0-based column after ``prefix`` (bytes, a tab advancing to the next multiple of 8)."""
    if b"\t" not in prefix:
        return len(prefix)
    column = 0
    for byte in prefix:
        column = column + _PROTOC_TAB - column % _PROTOC_TAB if byte == 9 else column + 1
    return column


def _enum_paths(proto: Any) -> dict[tuple[int, ...], Any]:
    """Every enum of a ``FileDescriptorProto`` by its source path."""
    found: dict[tuple[int, ...], Any] = {}

    def messages(items: Any, path: tuple[int, ...]) -> None:
        for i, message in enumerate(items):
            here = path + (i,)
            for j, enum in enumerate(message.enum_type):
                found[here + (_MESSAGE_ENUM, j)] = enum
            messages(message.nested_type, here + (_MESSAGE_NESTED,))

    for i, enum in enumerate(proto.enum_type):
        found[(_FILE_ENUM, i)] = enum
    messages(proto.message_type, (_FILE_MESSAGE,))
    return found


def restore_refused(proto: Any, blanked: list[Blanked]) -> None:
    """Put the blanked options back: generic services on the file and ``allow_alias = false`` on the enums the
    statements were in, with the statements' locations."""
    for statement in blanked:
        if statement.option in _GENERIC_SERVICES:
            setattr(proto.options, statement.option, True)
            _locate(proto, (), (_FILE_OPTIONS, _GENERIC_SERVICES[statement.option]), statement)
    _restore_aliases(proto, [statement for statement in blanked if statement.option == ALIAS])


def _locate(proto: Any, path: tuple[int, ...], option: tuple[int, int], statement: Blanked) -> None:
    """Locations of an option statement, as protoc gives them: for the options message and for the option."""
    for sub in (option[:1], option):
        location = proto.source_code_info.location.add()
        location.path[:] = path + sub
        location.span[:] = [statement.line, statement.column, statement.end_column]


def _restore_aliases(proto: Any, blanked: list[Blanked]) -> None:
    """Set ``allow_alias = false`` on the enums the blanked statements were in, with their locations."""
    if not blanked:
        return
    enums = _enum_paths(proto)
    spans = {
        tuple(location.path): list(location.span)
        for location in proto.source_code_info.location
        if tuple(location.path) in enums
    }
    for statement in blanked:
        position = (statement.line, statement.column)
        for path, span in spans.items():
            end = (span[2], span[3]) if len(span) == 4 else (span[0], span[2])
            if (span[0], span[1]) <= position and (statement.line, statement.end_column) <= end:
                enums[path].options.allow_alias = False
                _locate(proto, path, (_ENUM_OPTIONS, _OPTIONS_ALLOW_ALIAS), statement)
                break
