"""Rules about a field that keeps its number: its name, type, cardinality, oneof, default and options."""

from __future__ import annotations

import json
import math
import re
import struct
from collections.abc import Iterator
from pathlib import Path

from google.protobuf import descriptor_pb2, text_encoding

from protokit.breaking.context import Context
from protokit.breaking.rules.common import (
    CPP_FEATURES,
    CPP_STRING_TYPE,
    FDP,
    FEATURE_UTF8_VALIDATION,
    FEATURES,
    FIELD_DEFAULT,
    FIELD_FEATURES,
    FIELD_JSON_NAME,
    FIELD_OPTIONS,
    FIELD_TYPE,
    FIELD_TYPE_NAME,
    FILE_JAVA_STRING_CHECK_UTF8,
    FILE_OPTIONS,
    JAVA_FEATURES,
    JAVA_UTF8_VALIDATION,
    cardinality,
    describe,
    enum_name,
    feature,
    in_map_entry,
    kind,
    language_feature,
    option_span,
    synthetic_oneofs,
    type_name,
)
from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import MESSAGE_FIELD, NAME, Element

_CTYPE, _JSTYPE = 1, 6
_GROUP = 10  # FieldDescriptorProto.TYPE_GROUP
_UPDATING = "https://protobuf.dev/programming-guides/proto3/#updating"


def _type_changed(old: Element, new: Element, extra: str = "") -> Finding:
    # Buf locates a type name, except that of a group, which its compiler puts at the ``group`` keyword
    part = FIELD_TYPE_NAME if new.proto.type_name and new.proto.type != _GROUP else FIELD_TYPE
    message = f'{describe(new)} changed type from "{type_name(old)}" to "{type_name(new)}".{extra}'
    return at(new, message, part)


@rule("FIELD_SAME_NAME", "field")
def field_same_name(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No field (or extension) changes its name while keeping its number.

    Why: JSON and text formats carry the name, and generated accessors are named after it, so JSON clients and
    code break; the binary wire format only sees numbers (the WIRE category leaves this rule out).
    Bad: ``string email = 3;`` becomes ``string mail = 3;``
    Good: ``string email = 3 [deprecated = true];`` kept and ``string mail = 4;`` added
    Fix: restore the old name; to rename, add a new field and deprecate the old one.
    """
    extension = bool(new.proto.extendee)
    before, after = (old.full_name, new.full_name) if extension else (old.name, new.name)
    if before != after:
        what, where = ("Extension", new.proto.extendee.lstrip(".")) if extension else ("Field", new.scope)
        message = f'{what} "{new.proto.number}" on message "{where}" changed name from "{before}" to "{after}".'
        yield at(new, message, NAME)


@rule("FIELD_SAME_TYPE", "field")
def field_same_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No field changes type (scalar, enum or message).

    Why: old and new readers decode each other's bytes wrongly or not at all, JSON changes shape, and generated
    accessors change type.
    Bad: ``int32 age = 4;`` becomes ``int64 age = 4;``
    Good: ``int32 age = 4 [deprecated = true];`` kept and ``int64 age_v2 = 5;`` added
    Fix: add a new field with the new type and deprecate the old one.
    """
    if kind(old) != kind(new) or type_name(old) != type_name(new):
        yield _type_changed(old, new)


# Types whose encodings read each other's bytes (https://protobuf.dev/programming-guides/proto3/#updating).
_WIRE_GROUPS: dict[int, int] = {
    FDP.TYPE_INT32: 1, FDP.TYPE_INT64: 1, FDP.TYPE_UINT32: 1, FDP.TYPE_UINT64: 1, FDP.TYPE_BOOL: 1,
    FDP.TYPE_SINT32: 2, FDP.TYPE_SINT64: 2, FDP.TYPE_STRING: 3, FDP.TYPE_BYTES: 4,
    FDP.TYPE_FIXED32: 5, FDP.TYPE_SFIXED32: 5, FDP.TYPE_FIXED64: 6, FDP.TYPE_SFIXED64: 6,
    FDP.TYPE_DOUBLE: 7, FDP.TYPE_FLOAT: 8, FDP.TYPE_GROUP: 9, FDP.TYPE_MESSAGE: 10, FDP.TYPE_ENUM: 11,
}  # fmt: skip
# Types compatible both on the wire and in JSON (64-bit integers are strings in JSON, 32-bit ones numbers).
_WIRE_JSON_GROUPS: dict[int, int] = {
    FDP.TYPE_INT32: 1, FDP.TYPE_UINT32: 1, FDP.TYPE_INT64: 2, FDP.TYPE_UINT64: 2,
    FDP.TYPE_FIXED32: 3, FDP.TYPE_SFIXED32: 3, FDP.TYPE_FIXED64: 4, FDP.TYPE_SFIXED64: 4,
    FDP.TYPE_BOOL: 5, FDP.TYPE_SINT32: 6, FDP.TYPE_SINT64: 7, FDP.TYPE_STRING: 8, FDP.TYPE_BYTES: 9,
    FDP.TYPE_DOUBLE: 10, FDP.TYPE_FLOAT: 11, FDP.TYPE_GROUP: 12, FDP.TYPE_MESSAGE: 13, FDP.TYPE_ENUM: 14,
}  # fmt: skip


def _same_enum_or_superset(ctx: Context, old: Element, new: Element) -> bool:
    """An enum field may switch to an enum of the same short name that keeps every old value (name and number)."""
    before = ctx.enum(type_name(old), previous=True)
    after = ctx.enum(type_name(new), previous=False)
    if before is None or after is None or before.name != after.name:
        return False
    values = {(v.name, v.number) for v in after.proto.value}
    return all((v.name, v.number) in values for v in before.proto.value)


def _compatible_type(ctx: Context, old: Element, new: Element, groups: dict[int, int], extra: str) -> Iterator[Finding]:
    before, after = kind(old), kind(new)
    if groups[before] != groups[after]:
        if groups is _WIRE_GROUPS and (before, after) == (FDP.TYPE_STRING, FDP.TYPE_BYTES):
            return  # every string is valid bytes
        if groups is _WIRE_GROUPS and (before, after) == (FDP.TYPE_BYTES, FDP.TYPE_STRING):
            extra += " Bytes that are not valid UTF-8 will not parse as a string."
        yield _type_changed(old, new, extra)
    elif new.proto.type_name and type_name(old) != type_name(new):  # another message, group or enum
        if after != FDP.TYPE_ENUM or not _same_enum_or_superset(ctx, old, new):
            yield _type_changed(old, new)


@rule("FIELD_WIRE_COMPATIBLE_TYPE", "field")
def field_wire_compatible_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A field changes type only to one that reads the same bytes.

    Why: int32, uint32, int64, uint64 and bool read each other; so do sint32 and sint64, fixed32 and sfixed32,
    fixed64 and sfixed64; string may become bytes; an enum may become an enum of the same name that keeps every
    old value. Any other change makes readers misread or reject the other side's data.
    Bad: ``int32 count = 2;`` becomes ``sint32 count = 2;`` (zigzag encoding)
    Good: ``int32 count = 2;`` becomes ``int64 count = 2;``
    Fix: add a new field with the new type and deprecate the old one.
    """
    return _compatible_type(ctx, old, new, _WIRE_GROUPS, f" See {_UPDATING} for wire compatibility rules.")


@rule("FIELD_WIRE_JSON_COMPATIBLE_TYPE", "field")
def field_wire_json_compatible_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A field changes type only to one that reads the same bytes and the same JSON.

    Why: int32 and uint32, int64 and uint64, fixed32 and sfixed32, fixed64 and sfixed64 qualify, and an enum may
    become an enum of the same name that keeps every old value; others break binary or JSON readers (64-bit
    integers are JSON strings, 32-bit ones numbers).
    Bad: ``int32 count = 2;`` becomes ``int64 count = 2;``
    Good: ``int32 count = 2;`` becomes ``uint32 count = 2;``
    Fix: add a new field with the new type and deprecate the old one.
    """
    extra = f" See {_UPDATING} for wire and https://protobuf.dev/programming-guides/json/ for JSON compatibility."
    return _compatible_type(ctx, old, new, _WIRE_JSON_GROUPS, extra)


@rule("FIELD_SAME_JSON_NAME", "field")
def field_same_json_name(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No field changes its JSON name (its ``json_name`` option, or the name derived from its own).

    Why: JSON clients read and write the field under that name: after the change, old JSON data loses the field
    and old clients ignore the new name. Extensions, whose JSON name is their full name, are not checked.
    Bad: ``string email = 3;`` becomes ``string email = 3 [json_name = "mail"];``
    Good: ``string email = 3;`` kept
    Fix: restore the previous JSON name; to change it, add a new field and deprecate the old one.
    """
    if not old.proto.extendee and old.proto.json_name != new.proto.json_name:
        before, after = old.proto.json_name, new.proto.json_name
        message = f'{describe(new)} changed option "json_name" from "{before}" to "{after}".'
        yield Finding(new.file, option_span(new, FIELD_JSON_NAME), message)


def _cardinality_change(old: Element, new: Element, groups: dict[str, int] | None) -> Iterator[Finding]:
    if in_map_entry(old) and in_map_entry(new):
        return  # a map's key and value seem to follow the file's presence, but behave the same either way
    before, after = cardinality(old), cardinality(new)
    if before != after and (groups is None or groups[before] != groups[after]):
        yield at(new, f'{describe(new)} changed cardinality from "{before}" to "{after}".')


@rule("FIELD_SAME_CARDINALITY", "field")
def field_same_cardinality(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No field changes cardinality: optional with explicit or implicit presence, required, repeated or map.

    Why: generated accessors change (a value becomes a list, a has-method appears or goes), so code using the
    field breaks, and some changes also break the wire or JSON format.
    Bad: ``string tag = 5;`` becomes ``repeated string tag = 5;`` (or ``optional string tag = 5;``)
    Good: ``string tag = 5 [deprecated = true];`` kept and ``repeated string tags = 6;`` added
    Fix: add a new field with the new cardinality and deprecate the old one.
    """
    return _cardinality_change(old, new, None)


_OPTIONAL_EXPLICIT, _OPTIONAL_IMPLICIT = "optional with explicit presence", "optional with implicit presence"


@rule("FIELD_WIRE_COMPATIBLE_CARDINALITY", "field")
def field_wire_compatible_cardinality(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A field changes cardinality only where the wire format does not see it.

    Why: explicit and implicit presence read the same bytes, and so do repeated and map fields; a singular field
    keeps only the last of several values and a required field fails the parse when absent, so other changes
    lose or reject data.
    Bad: ``string tag = 5;`` becomes ``repeated string tag = 5;``
    Good: ``string tag = 5;`` becomes ``optional string tag = 5;``
    Fix: add a new field with the new cardinality and deprecate the old one.
    """
    groups = {_OPTIONAL_EXPLICIT: 1, _OPTIONAL_IMPLICIT: 1, "required": 2, "repeated": 3, "map": 3}
    return _cardinality_change(old, new, groups)


@rule("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", "field")
def field_wire_json_compatible_cardinality(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A field changes cardinality only where neither the wire nor JSON sees it (presence).

    Why: beyond the wire changes, a map is a JSON object and a repeated field a JSON array, so turning one into
    the other breaks JSON clients; only explicit and implicit presence stay interchangeable.
    Bad: ``map<string, string> labels = 7;`` becomes ``repeated LabelsEntry labels = 7;``
    Good: ``string tag = 5;`` becomes ``optional string tag = 5;``
    Fix: add a new field with the new cardinality and deprecate the old one.
    """
    groups = {_OPTIONAL_EXPLICIT: 1, _OPTIONAL_IMPLICIT: 1, "required": 2, "repeated": 3, "map": 4}
    return _cardinality_change(old, new, groups)


def _oneof(field: Element) -> str | None:
    proto = field.proto
    if not proto.HasField("oneof_index") or field.parent is None:
        return None
    if proto.oneof_index in synthetic_oneofs(field.parent.proto):
        return None
    return str(field.parent.proto.oneof_decl[proto.oneof_index].name)


@rule("FIELD_SAME_ONEOF", "field")
def field_same_oneof(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No field moves into, out of or between oneofs.

    Why: setting one member of a oneof clears the others, so data that set several of the fields loses all but
    one under the new schema, and generated accessors change.
    Bad: ``string email = 3;`` moves into ``oneof contact { string email = 3; string phone = 4; }``
    Good: ``string email = 3;`` stays put and ``oneof contact { string phone = 4; }`` holds only new fields
    Fix: leave existing fields where they are; put new fields in the oneof, deprecating the old ones if needed.
    """
    before, after = _oneof(old), _oneof(new)
    if before == after:
        return
    if before is None:
        moved = f'moved from outside to inside oneof "{after}"'
    elif after is None:
        moved = f'moved from inside oneof "{before}" to outside a oneof'
    else:
        moved = f'moved from oneof "{before}" to oneof "{after}"'
    yield at(new, f"{describe(new)} {moved}.")


def _can_have_default(field: Element) -> bool:
    """Whether a field has a default value in Buf's sense: singular and not a message (proto3 included)."""
    return field.proto.label != FDP.LABEL_REPEATED and field.proto.type not in (FDP.TYPE_MESSAGE, FDP.TYPE_GROUP)


Default = bytes | int | float | str  # a default as compared: bytes for strings, numbers for the rest


def _default(ctx: Context, field: Element, *, previous: bool) -> tuple[Default, str]:
    """The value a reader sees when the field is absent, as compared and as shown.

    Its explicit default or its type's zero value (an enum's first value). Strings and bytes compare
    as bytes, booleans, enums (by number) and numbers as numbers, as Buf does.
    """
    proto = field.proto
    explicit, text = proto.HasField("default_value"), str(proto.default_value)
    if proto.type == FDP.TYPE_STRING:
        return text.encode(), json.dumps(text, ensure_ascii=False)
    if proto.type == FDP.TYPE_BYTES:
        data = text_encoding.CUnescape(text)
        return data, f'"{text}"'
    if proto.type == FDP.TYPE_ENUM:
        enum = ctx.enum(type_name(field), previous=previous)
        values = list(enum.proto.value) if enum is not None else []
        value = next((v for v in values if v.name == text), None) if explicit else (values[0] if values else None)
        if value is None:  # an enum from outside the module: compared by name
            return text, text
        return int(value.number), f"{enum.name}.{value.name}" if enum is not None else value.name
    if proto.type == FDP.TYPE_BOOL:
        return int(text == "true"), text or "false"
    if proto.type in (FDP.TYPE_DOUBLE, FDP.TYPE_FLOAT):
        number = float(text) if explicit else 0.0
        return number, text or "0"
    return int(text, 0) if explicit else 0, text or "0"


def _is_zero(value: Default) -> bool:
    """Go's zero value test that Buf applies (``-0.0`` is not zero there)."""
    if isinstance(value, float):
        return value == 0 and math.copysign(1, value) > 0
    return not value


def _float32(value: float) -> float:
    return float(struct.unpack("f", struct.pack("f", value))[0]) if math.isfinite(value) else value


def _same_default(old: Element, new: Element, before: Default, after: Default) -> bool:
    if isinstance(before, float) and isinstance(after, float):
        if math.isnan(before) or math.isnan(after):
            return math.isnan(before) and math.isnan(after)
        if FDP.TYPE_FLOAT in (old.proto.type, new.proto.type) and old.proto.type != new.proto.type:
            return _float32(before) == _float32(after)  # float against double: at float precision
    if isinstance(before, (bytes, str)) or isinstance(after, (bytes, str)):
        return type(before) is type(after) and before == after
    return before == after  # Python compares ints and floats exactly


def _default_span(field: Element) -> tuple[int, int, int, int]:
    """Where ``default = value`` is written (protoc records only the value's place)."""
    value = field.span(FIELD_DEFAULT)
    try:
        lines = Path(field.file.shown).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    line, column = value[0] - 1, value[1] - 1
    if line < len(lines):  # back over "=" and spaces to the "default" keyword
        before = "\n".join([*lines[:line], lines[line][:column]])
        match = re.search(r"\bdefault\s*=\s*$", before)
        if match:
            start_line = before.count("\n", 0, match.start())
            start_column = match.start() - (before.rfind("\n", 0, match.start()) + 1)
            return start_line + 1, start_column + 1, value[2], value[3]
    bracket = field.span(FIELD_OPTIONS)  # the source is not at hand: assume "[default = value"
    return bracket[0], bracket[1] + 1, value[2], value[3]


@rule("FIELD_SAME_DEFAULT", "field")
def field_same_default(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No field changes its default value (``[default = ...]`` in proto2 and editions).
    Values compare as values: ``1.0`` is ``1``, ``0x10`` is ``16``, ``-0`` is ``0``, ``true`` is ``1`` and an
    enum default is its number; an unset default is the type's zero value (an enum's first value), and a proto2
    default lost to proto3 is a change.

    Why: readers see the default when the field is absent, so old and new readers see different values in the
    same data; adding ``[default = 0]`` to an int32 changes nothing.
    Bad: ``optional int32 limit = 1 [default = 10];`` becomes ``optional int32 limit = 1 [default = 20];``
    Good: ``optional int32 limit = 1 [default = 10];`` kept
    Fix: restore the old default; to change it, add a new field and deprecate the old one.
    """
    if not _can_have_default(old) or not _can_have_default(new):
        return
    (before, was), (after, now) = _default(ctx, old, previous=True), _default(ctx, new, previous=False)
    if (_is_zero(before) and _is_zero(after)) or _same_default(old, new, before, after):
        return
    message = f"{describe(new)} changed default value from {was} to {now}."
    span = _default_span(new) if new.proto.HasField("default_value") else new.span()
    yield Finding(new.file, span, message)


_64_BIT = {FDP.TYPE_INT64, FDP.TYPE_UINT64, FDP.TYPE_SINT64, FDP.TYPE_FIXED64, FDP.TYPE_SFIXED64}


@rule("FIELD_SAME_JSTYPE", "field")
def field_same_jstype(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No 64-bit integer field changes its ``jstype`` option.

    Why: JavaScript generated code reads the value as a string or as a number depending on ``jstype``, so code
    using the field breaks.
    Bad: ``int64 id = 1;`` becomes ``int64 id = 1 [jstype = JS_STRING];``
    Good: ``int64 id = 1;`` kept
    Fix: restore the previous ``jstype``; for the other representation, add a new field.
    """
    if old.proto.type not in _64_BIT or new.proto.type not in _64_BIT:
        return
    before, after = old.proto.options.jstype, new.proto.options.jstype
    if before != after:
        names = descriptor_pb2.FieldOptions.JSType
        message = f'{describe(new)} changed option "jstype" from "{names.Name(before)}" to "{names.Name(after)}".'
        located = new.proto.options.HasField("jstype")
        yield at(new, message, FIELD_OPTIONS, _JSTYPE) if located else at(new, message)


_CPP_STRING_TYPES = {1: "VIEW", 2: "CORD", 3: "STRING"}  # pb.CppFeatures.StringType


def _cpp_string_type(field: Element) -> tuple[str, bool]:
    """The C++ string type and whether it is a ``STRING_PIECE``, as Buf resolves it.

    ``ctype`` where it is set (before edition 2024), else the ``(pb.cpp).string_type`` feature
    (``STRING`` by default before edition 2024, ``VIEW`` from it).
    """
    file, options = field.file.proto, field.proto.options
    edition = file.edition if file.syntax == "editions" else descriptor_pb2.EDITION_PROTO2
    if edition < descriptor_pb2.EDITION_2024 and options.HasField("ctype"):
        ctypes = descriptor_pb2.FieldOptions.CType
        return ("CORD", False) if options.ctype == ctypes.CORD else ("STRING", options.ctype == ctypes.STRING_PIECE)
    default = 1 if edition >= descriptor_pb2.EDITION_2024 else 3
    return _CPP_STRING_TYPES.get(language_feature(field, CPP_FEATURES, CPP_STRING_TYPE, default), "STRING"), False


@rule("FIELD_SAME_CPP_STRING_TYPE", "field")
def field_same_cpp_string_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No string or bytes field changes its C++ string type (``ctype``, or the ``(pb.cpp).string_type`` feature).
    Map keys and values are left out (their string type cannot be set).

    Why: C++ accessors change signature (``std::string``, ``absl::Cord``), so C++ code using the field stops
    compiling; moving from ``STRING_PIECE`` to ``STRING`` is allowed.
    Bad: ``bytes blob = 1;`` becomes ``bytes blob = 1 [ctype = CORD];``
    Good: ``bytes blob = 1 [ctype = STRING_PIECE];`` becomes ``bytes blob = 1;``
    Fix: restore the previous ``ctype`` or ``string_type``.
    """
    strings = (FDP.TYPE_STRING, FDP.TYPE_BYTES)
    if old.proto.type not in strings or new.proto.type not in strings or (in_map_entry(old) and in_map_entry(new)):
        return
    (before, was_piece), (after, is_piece) = _cpp_string_type(old), _cpp_string_type(new)
    if (before, was_piece) != (after, is_piece) and not (was_piece and after == "STRING" and not is_piece):
        was, now = "STRING_PIECE" if was_piece else before, "STRING_PIECE" if is_piece else after
        message = f'{describe(new)} changed C++ string type from "{was}" to "{now}".'
        if new.proto.options.HasField("ctype"):
            span = new.span(FIELD_OPTIONS, _CTYPE)
        else:
            span = option_span(new, FIELD_OPTIONS, FIELD_FEATURES, CPP_FEATURES, CPP_STRING_TYPE)
        yield Finding(new.file, span, message)


@rule("FIELD_SAME_UTF8_VALIDATION", "field")
def field_same_utf8_validation(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No string field changes whether its UTF-8 is validated: the ``utf8_validation`` feature as
    resolved from the field, its file, or its edition (proto2: ``NONE``, proto3: ``VERIFY``).

    Why: with validation, parsers reject strings that are not valid UTF-8, so data accepted before fails to
    parse; without it, invalid strings reach code that assumed valid ones.
    Bad: ``string name = 1;`` becomes ``string name = 1 [features.utf8_validation = NONE];``
    Good: ``string name = 1;`` kept, and ``bytes raw_name = 2;`` added for arbitrary bytes
    Fix: restore the previous ``utf8_validation`` (and the file's syntax or edition, which sets its default).
    """
    if old.proto.type == new.proto.type == FDP.TYPE_STRING:
        before, after = feature(old, "utf8_validation"), feature(new, "utf8_validation")
        if before != after:
            names = FEATURES.Utf8Validation
            message = (
                f"{describe(new)} changed UTF8 validation from {enum_name(names, before)} to {enum_name(names, after)}."
            )
            yield Finding(new.file, option_span(new, FIELD_OPTIONS, FIELD_FEATURES, FEATURE_UTF8_VALIDATION), message)


def _java_utf8(field: Element) -> str:
    """Whether Java checks a string field's UTF-8 (``VERIFY`` or ``NONE``), as Buf resolves it.

    Outside editions (or where it is set), ``java_string_check_utf8`` turns checks on; in editions
    the ``(pb.java).utf8_validation`` feature does. Otherwise the ``utf8_validation`` feature decides.
    """
    default = enum_name(FEATURES.Utf8Validation, feature(field, "utf8_validation"))
    options = field.file.proto.options
    if field.file.proto.syntax != "editions" or options.HasField("java_string_check_utf8"):
        return "VERIFY" if options.java_string_check_utf8 else default
    verify = language_feature(field, JAVA_FEATURES, JAVA_UTF8_VALIDATION, 1) == 2
    return "VERIFY" if verify else default


@rule("FIELD_SAME_JAVA_UTF8_VALIDATION", "field")
def field_same_java_utf8_validation(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No string field changes whether Java validates its UTF-8.

    Why: Java parsers then throw on strings they accepted before, or let through strings Java code assumed
    valid; proto3 always validates, proto2 only with the file option ``java_string_check_utf8``.
    Bad: ``option java_string_check_utf8 = true;`` added to a proto2 file with string fields
    Good: ``java_string_check_utf8`` left as it was
    Fix: restore the previous ``java_string_check_utf8`` (and the file's syntax).
    """
    if old.proto.type == new.proto.type == FDP.TYPE_STRING and _java_utf8(old) != _java_utf8(new):
        before, after = _java_utf8(old), _java_utf8(new)
        message = f'{describe(new)} changed Java string UTF8 validation from "{before}" to "{after}".'
        option = (FILE_OPTIONS, FILE_JAVA_STRING_CHECK_UTF8)
        if option in new.file.locations:
            span = new.file.span(option)
        else:
            span = option_span(new, FIELD_OPTIONS, FIELD_FEATURES, JAVA_FEATURES, JAVA_UTF8_VALIDATION)
        yield Finding(new.file, span, message)


@rule("MESSAGE_SAME_REQUIRED_FIELDS", "message")
def message_same_required_fields(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No message adds or removes required fields.

    Why: parsers reject a message without its required fields, so a side that does not know of an added or
    removed required field rejects the other side's messages.
    Bad: ``required string id = 1;`` added to (or removed from) ``message Order``
    Good: ``optional string id = 1;`` added
    Fix: add new fields as optional, and keep required fields required.
    """
    before = {f.number for f in old.proto.field if f.label == FDP.LABEL_REQUIRED}
    after = {f.number for f in new.proto.field if f.label == FDP.LABEL_REQUIRED}
    for number in sorted(before - after):
        yield at(new, f'Message "{new.full_name}" had required field "{number}" deleted.')
    for i, field in enumerate(new.proto.field):
        if field.number in after - before:
            message = f'Message "{new.full_name}" had required field "{field.number}" added.'
            yield at(new, message, MESSAGE_FIELD, i)
