"""Locations of message-literal option values, as Buf's compiler records them.

protoc has one location for ``option features = { utf8_validation: NONE };``
(the whole statement); Buf has the option without ``option`` and ``;``, and one
location per ``name: value`` inside the braces.  Buf's breaking rules on
features (FIELD_SAME_UTF8_VALIDATION, ENUM_SAME_TYPE, the JSON-format rules)
report at those inner locations, so they are added for ``features`` literals;
every option statement with a literal gets Buf's span.  :func:`literal_entries`
parses any literal, for the inner locations of other options later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from google.protobuf import descriptor_pb2

from protokit.compile.sources import STRINGS_AND_COMMENTS
from protokit.index.wire import field_numbers, merged_field

# One token of a literal after the whitespace and comments before it: a string, a bracketed extension or Any
# name, an identifier or number (signs, dots and exponents included), or punctuation; or the end of the text
# (no group), so that matches follow each other to it.  The skipped part is possessive: given back, its
# whitespace would read as punctuation.
_TOKEN = re.compile(
    rb"(?:\s+|//[^\n]*|/\*.*?\*/)*+"
    rb"(?:(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
    rb"|(\[[\w./\s]*\])"
    rb"|([-+]?(?:\.?\d(?:[eE][-+]|[\w.])*|[A-Za-z_][\w.]*))"
    rb"|(.)|\Z)",
    re.S,
)
_STRING, _BRACKETED, _WORD, _PUNCT = 1, 2, 3, 4

# A literal option value's start: an ``option NAME = {`` statement, or ``features = {`` (or an extension's
# name) in a field's or enum value's brackets; matched where code was found to have an ``= {``.
_LITERAL_OPTION = re.compile(
    rb"(?P<option>(?<![\w.])option\s+)(?P<name>[\w.()\s]+?)\s*=\s*(?P<brace>\{)"
    rb"|(?P<bracketed>(?<![\w.])features|\(\s*\.?[\w.]+\s*\)[\w.]*)\s*=\s*(?P<bracketed_brace>\{)"
)
# The code up to the next ``= {`` outside strings and comments, in one match, that ``= {`` with the run of name
# characters before it (the ``run`` group) as an optional tail.  A run is consumed whole or not at all, so the
# tail's run starts after the string, comment or other code before it: every place a literal option whose
# ``= {`` this is can start is in it (its name is made of those characters).  A quote or slash that starts no
# string or comment is code, as for the patterns that skip strings and comments.
_TO_ASSIGNED_LITERAL = re.compile(
    rb"(?:[\w.()\s]++(?!=\s*\{)|" + STRINGS_AND_COMMENTS + rb"|[^\"'/=\w.()\s]++|=(?!\s*\{)|[\"'/])*+"
    rb"(?:(?P<run>[\w.()\s]*+)=\s*\{)?",
    re.S,
)
_OPTION_START = re.compile(rb"[of(]")  # the first characters of _LITERAL_OPTION's matches
_ASSIGNED_LITERAL = re.compile(rb"=\s*\{")
_FEATURE_NUMBERS = {f.name: f.number for f in descriptor_pb2.FeatureSet.DESCRIPTOR.fields}
_PROTOC_TAB = 8


@dataclass
class Entry:
    """One ``name: value`` of a literal: byte offsets of the name's start and the value's end, and inner entries."""

    name: str
    start: int
    end: int
    entries: list[Entry] = field(default_factory=list)


class LiteralError(ValueError):
    """The text is not a well-formed message literal."""


def _tokens(content: bytes, offset: int) -> Any:
    """(kind, start, end) of each token from ``offset`` on, whitespace and comments skipped."""
    for match in _TOKEN.finditer(content, offset):  # each match starts where the last ended
        kind = match.lastindex
        if kind is None:
            return
        yield kind, match.start(kind), match.end()


def literal_entries(content: bytes, brace: int) -> tuple[list[Entry], int]:
    """The entries of the literal whose ``{`` (or ``<``) is at byte ``brace``, and the offset just after its end.

    An entry's span runs from its name to the end of its value (separators left
    out), as Buf's locations do: ``{ a: 1, b { c: "x" } }`` gives ``a: 1`` and
    ``b { c: "x" }`` with the inner ``c: "x"``.  Raises :class:`LiteralError` on
    text that is not a literal.
    """
    tokens = _tokens(content, brace)
    kind, start, end = next(tokens, (0, 0, 0))
    if kind != _PUNCT or content[start:end] not in (b"{", b"<"):
        raise LiteralError(f"no message literal at offset {brace}")
    entries, end = _message(content, tokens, b"}" if content[start:end] == b"{" else b">")
    return entries, end


# What literal_end looks at: strings and comments (skipped whole) and braces.
_BRACE_OR_SKIPPED = re.compile(rb"[{}]|" + STRINGS_AND_COMMENTS, re.S)


def literal_end(content: bytes, brace: int) -> int | None:
    """The offset just after the ``}`` that closes the ``{`` at byte ``brace`` of a literal protoc accepted (its
    end as :func:`literal_entries` finds it, without reading its entries); None when nothing closes it."""
    depth = 0
    for match in _BRACE_OR_SKIPPED.finditer(content, brace):
        token = match.group()
        if token == b"{":
            depth += 1
        elif token == b"}":
            depth -= 1
            if depth == 0:
                return match.end()
    return None


def entry_at(entries: list[Entry], names: tuple[str, ...]) -> Entry | None:
    """The entry reached by following ``names`` (field names, ``[ext.name]`` for extensions) from the top level.

    For a repeated field written several times, the first; None when the path is not written.
    """
    found: Entry | None = None
    for name in names:
        found = next((entry for entry in entries if entry.name == name), None)
        if found is None:
            return None
        entries = found.entries
    return found


def _message(content: bytes, tokens: Any, close: bytes) -> tuple[list[Entry], int]:
    """The entries up to the closing ``close`` (already inside the braces); the offset after it."""
    entries: list[Entry] = []
    for kind, start, end in tokens:
        text = content[start:end]
        if kind == _PUNCT and text == close:
            return entries, end
        if kind == _PUNCT and text in (b",", b";"):
            continue
        if kind not in (_WORD, _BRACKETED):
            raise LiteralError(f"expected a field name at offset {start}")
        entry = Entry(text.decode("utf-8", "replace"), start, end)
        kind, value_start, value_end = next(tokens, (0, 0, 0))
        if kind == _PUNCT and content[value_start:value_end] == b":":
            kind, value_start, value_end = next(tokens, (0, 0, 0))
        entry.end = _value(content, tokens, kind, value_start, value_end, entry)
        entries.append(entry)
    raise LiteralError("unterminated message literal")


def _value(content: bytes, tokens: Any, kind: int, start: int, end: int, entry: Entry) -> int:
    """Read one value starting with the given token; the offset after it (inner entries go into ``entry``)."""
    text = content[start:end]
    if kind == _PUNCT and text in (b"{", b"<"):
        entry.entries, end = _message(content, tokens, b"}" if text == b"{" else b">")
        return end
    if kind == _PUNCT and text == b"[":
        for kind, start, end in tokens:
            text = content[start:end]
            if kind == _PUNCT and text == b"]":
                return end
            if not (kind == _PUNCT and text == b","):
                _value(content, tokens, kind, start, end, Entry("", start, end))
        raise LiteralError("unterminated list")
    if kind == _BRACKETED:  # a list of one word, read as one token
        return end
    if kind == _STRING:  # adjacent strings are one value
        following = _TOKEN.match(content, end)
        while following is not None and following.lastindex == _STRING:
            end = following.end()
            next(tokens)
            following = _TOKEN.match(content, end)
        return end
    if kind == _PUNCT and text == b"-":  # "- inf" or "- 1": a sign apart from its number
        kind, start, end = next(tokens, (0, 0, 0))
    if kind != _WORD:
        raise LiteralError(f"expected a value at offset {start}")
    return end


class _Lines:
    """A source, to turn byte offsets into protoc's positions; lines are counted from the offset asked about last
    (the offsets come nearly in order), not from the file's start."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self._offset = self._line = 0  # an offset and the number of newlines before it

    def position(self, offset: int) -> tuple[int, int]:
        """protoc's 0-based line and column of a byte offset (a tab advancing to the next multiple of 8)."""
        if offset >= self._offset:
            line = self._line + self.content.count(b"\n", self._offset, offset)
        else:
            line = self._line - self.content.count(b"\n", offset, self._offset)
        self._offset, self._line = offset, line
        line_start = self.content.rfind(b"\n", 0, offset) + 1
        prefix = self.content[line_start:offset]
        column = len(prefix)
        if b"\t" in prefix:
            column = 0
            for byte in prefix:
                column = column + _PROTOC_TAB - column % _PROTOC_TAB if byte == 9 else column + 1
        return line, column

    def span(self, start: int, end: int) -> list[int]:
        """A source-info span (3 numbers on one line, else 4) in protoc's columns."""
        (line, column), (end_line, end_column) = self.position(start), self.position(end)
        return [line, column, end_column] if line == end_line else [line, column, end_line, end_column]


# The short names of protovalidate's extensions (buf.validate.field, ...); a test keeps them the schema's.
VALIDATE_EXTENSIONS = frozenset({b"field", b"message", b"oneof", b"predefined"})
_EXTENSION_NAME = re.compile(rb"\(\s*(\.?[\w.]+)\s*\)((?:\.\w+)*)")


@cache  # a file names the same few options over and over, and packages share them
def _validate_type(name: bytes, package: str) -> tuple[str, bool] | None:
    """For a protovalidate option name (``(buf.validate.field).string``, or ``(field).string`` inside package
    ``buf.validate``), the message type its literal is of and whether the name ends in a repeated field; None
    for other names.  A relative extension name is looked up from the file's package outwards."""
    match = _EXTENSION_NAME.fullmatch(name)
    if match is None or match.group(1).rsplit(b".", 1)[-1] not in VALIDATE_EXTENSIONS:
        return None  # not protovalidate's: its schema (and protovalidate) need not be loaded
    from protokit.validate.schema import rules_schema

    extensions, messages = rules_schema()
    written = match.group(1).decode()
    scopes = package.split(".") if package else []
    candidates = (
        [written[1:]]
        if written.startswith(".")
        else [".".join([*scopes[:end], written]) for end in range(len(scopes), -1, -1)]
    )
    extension = next((c for c in candidates if c in extensions), None)
    current, repeated = extensions.get(extension or ""), False
    for part in match.group(2).decode().split(".")[1:]:
        field = messages.get(current or "", {}).get(part)
        if field is None or not field[2]:
            return None
        _, repeated, current = field
    return (current, repeated) if current else None


_EMPTY_LIST = re.compile(rb"\[\s*\]\Z")


def _extension_entry(
    proto: Any, content: bytes, entries: list[Entry], path: list[int], known: set[int]
) -> dict[str, tuple[int, bool, str]]:
    """The schema row of the one ``[extension]`` entry of a protovalidate literal message (a predefined rule)
    with a plain value, as :func:`_add_validate_locations` reads rows: its number is the one field outside
    ``known`` that the compiled option holds at ``path``.  Empty for none or several (which number is whose
    needs the extension's definition, in another file)."""
    bracketed = [entry for entry in entries if entry.name.startswith("[")]
    if len(bracketed) != 1 or bracketed[0].entries or content[bracketed[0].end - 1 : bracketed[0].end] in b"]}>":
        return {}
    value = _option_value(proto, path)
    numbers = [n for n in field_numbers(value) if n not in known] if value is not None else []
    return {bracketed[0].name: (numbers[0], False, "")} if len(numbers) == 1 else {}


def _option_value(proto: Any, path: list[int]) -> bytes | None:
    """The serialized value at source ``path`` inside an option of ``proto``: an element's path, its ``options``
    field, the option's number, then fields of the option's value (merged as a parse merges them)."""
    message = proto
    for index in range(0, len(path), 2):
        field = message.DESCRIPTOR.fields_by_number.get(path[index])
        if field is None:
            return None
        if field.name == "options":
            data = message.options.SerializeToString()
            for number in path[index + 1 :]:
                data = merged_field(data, number)
            return bytes(data)
        items = getattr(message, field.name)
        if hasattr(items, "DESCRIPTOR") or index + 1 >= len(path) or path[index + 1] >= len(items):
            return None  # a singular message is no list of elements; or the path leaves them
        message = items[path[index + 1]]
    return None


def _add_validate_locations(proto: Any, lines: _Lines, entries: list[Entry], type_name: str, path: list[int]) -> bool:
    """Buf's locations inside a protovalidate literal: one per scalar entry, one per entry of a repeated field
    (indexed by the entry, a list counting once, an empty one not at all), none for a message entry but its
    own entries'."""
    from protokit.validate.schema import rules_schema

    fields = dict(rules_schema()[1].get(type_name, {}))
    fields.update(_extension_entry(proto, lines.content, entries, path, {f[0] for f in fields.values()}))
    written: dict[int, int] = {}
    changed = False
    for entry in entries:
        if entry.name not in fields:
            continue
        number, repeated, message = fields[entry.name]
        if message and not repeated:
            changed |= _add_validate_locations(proto, lines, entry.entries, message, [*path, number])
            continue
        if repeated and _EMPTY_LIST.search(lines.content, entry.start, entry.end):
            continue
        inner = proto.source_code_info.location.add()
        inner.path[:] = [*path, number, written.get(number, 0)] if repeated else [*path, number]
        inner.span[:] = lines.span(entry.start, entry.end)
        written[number] = written.get(number, 0) + 1
        changed = True
    return changed


def _literal_options(content: bytes) -> list[re.Match[bytes]]:
    """The literal option values of ``content``'s code in order, as :data:`_LITERAL_OPTION`'s matches.

    They are what trying the pattern at every place outside strings and comments finds (the first match
    taken at a ``= {``, which no later one shares); only the places before a ``= {`` are tried.
    """
    found: list[re.Match[bytes]] = []
    offset = 0
    while True:
        scanned = _TO_ASSIGNED_LITERAL.match(content, offset)
        assert scanned is not None  # every part of the pattern may be empty
        run_start, run_end = scanned.span("run")
        if run_start < 0:
            return found
        for candidate in _OPTION_START.finditer(content, run_start, run_end):
            match = _LITERAL_OPTION.match(content, candidate.start())
            if match is not None:
                found.append(match)
                break
        offset = scanned.end()


def _innermost_locations(proto: Any, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """The location with the longest path starting at each wanted (line, column), in protoc's columns."""
    lines = {line for line, _ in wanted}
    starts: dict[tuple[int, int], Any] = {}
    for location in proto.source_code_info.location:
        span = location.span
        if span[0] in lines:  # one lookup for the many locations on other lines
            key = (span[0], span[1])
            if key in wanted and (key not in starts or len(location.path) > len(starts[key].path)):
                starts[key] = location
    return starts


def add_literal_locations(proto: Any, content: bytes) -> bool:
    """Give message-literal option values Buf's locations (see the module); whether any changed.

    An ``option NAME = { … };`` statement's option is located from NAME to the
    closing brace; inside ``features`` literals each ``name: value`` gets its
    own location (other literals would need their message types, not known here).
    ``content`` is the file's source; spans are in protoc's columns (converted
    to Buf's afterwards with the other locations).
    """
    if not _ASSIGNED_LITERAL.search(content):
        return False
    found = _literal_options(content)
    if not found:
        return False
    lines = _Lines(content)
    positions = [lines.position(match.start()) for match in found]
    starts = _innermost_locations(proto, set(positions))
    changed = False
    for match, position in zip(found, positions, strict=True):
        statement = match.lastgroup == "brace"
        location = starts.get(position)
        if location is None or len(location.path) < 2:
            continue
        name = match.group("name" if statement else "bracketed").strip()
        validate = _validate_type(name, proto.package) if name.startswith(b"(") else None
        if validate is None and name != b"features":  # nothing inside it to locate: the statement's span alone
            end = literal_end(content, match.start("brace")) if statement else None
            if end is not None:
                location.span[:] = lines.span(match.start("name"), end)
                changed = True
            continue
        try:
            entries, end = literal_entries(content, match.start("brace" if statement else "bracketed_brace"))
        except LiteralError:
            continue
        if statement and not (validate and validate[1]):  # Buf keeps a repeated option's whole statement
            location.span[:] = lines.span(match.start("name"), end)
            changed = True
        if validate is not None:
            if not validate[1]:
                changed |= _add_validate_locations(proto, lines, entries, validate[0], list(location.path))
            continue
        if name != b"features":
            continue
        for entry in entries:
            number = _FEATURE_NUMBERS.get(entry.name)
            if number is not None:
                inner = proto.source_code_info.location.add()
                inner.path[:] = [*location.path, number]
                inner.span[:] = lines.span(entry.start, entry.end)
                changed = True
    return changed
