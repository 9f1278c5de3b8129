"""The breaking rules implemented so far, one small function each (messages name elements by full name)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.protobuf import descriptor_pb2

from protokit.breaking.registry import Change, Context, breaking_rule, change
from protokit.lint.elements import NAME, Element, FileView

_FIELD_TYPE, _FIELD_TYPE_NAME, _VALUE_NUMBER, _FILE_PACKAGE = 5, 6, 2, 2
_FDP = descriptor_pb2.FieldDescriptorProto
_SCALARS = {value: name.removeprefix("TYPE_").lower() for name, value in _FDP.Type.items()}


def _missing(kind: str, old: FileView, new: FileView, what: str) -> Iterator[Change]:
    """Elements of ``kind`` in the old file whose full name the new file no longer has."""
    kept = {e.full_name: e for e in new.walk(kind)}
    for element in old.walk(kind):
        if element.full_name not in kept:
            parent = kept_parent(element, new)
            message = f'Previously present {what} "{element.full_name}" was deleted from file.'
            yield change(parent, message) if parent else Change(new, (1, 1, 1, 1), message)


def kept_parent(element: Element, new: FileView) -> Element | None:
    """The element's parent message as it is in the new file, if it is still there."""
    if element.parent is None:
        return None
    return next((m for m in new.walk("message") if m.full_name == element.parent.full_name), None)


@breaking_rule("FILE_NO_DELETE", "files")
def file_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Change]:
    """No file is deleted: files that import it stop compiling.

    Fix: keep the file; to move types, leave the old file importing the new one (``import public``).
    """
    for name in old:
        if name not in new:
            yield Change(None, (1, 1, 1, 1), f'Previously present file "{name}" was deleted.')


@breaking_rule("MESSAGE_NO_DELETE", "file")
def message_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No message is deleted from its file: generated code that uses it stops compiling.

    Fix: keep the message (mark it ``deprecated``), or publish the change in a new package version.
    """
    return _missing("message", old, new, "message")


@breaking_rule("ENUM_NO_DELETE", "file")
def enum_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No enum is deleted from its file. Fix: keep it and deprecate it."""
    return _missing("enum", old, new, "enum")


@breaking_rule("SERVICE_NO_DELETE", "file")
def service_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No service is deleted from its file: its clients would call an endpoint that no longer exists."""
    return _missing("service", old, new, "service")


@breaking_rule("FILE_SAME_PACKAGE", "file")
def file_same_package(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No file changes package: every type in it would change its full name."""
    if old.proto.package != new.proto.package:
        message = f'File "{new.name}" changed package from "{old.proto.package}" to "{new.proto.package}".'
        yield Change(new, new.span((_FILE_PACKAGE,)), message)


@breaking_rule("FIELD_NO_DELETE", "message")
def field_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field is deleted from its message.

    Fix: keep the field and deprecate it, or delete it and ``reserved`` its number and name
    so that nobody reuses them.
    """
    numbers = {f.number for f in new.proto.field}
    renumbered = {f.name: f.number for f in new.proto.field}
    for field in old.proto.field:
        if field.number not in numbers:
            message = (
                f'Previously present field "{field.number}" with name "{field.name}" '
                f'on message "{new.full_name}" was deleted.'
            )
            if field.name in renumbered:  # the most dangerous edit: same name, new number
                moved = renumbered[field.name]
                message += (
                    f' Field "{field.name}" moved from {field.number} to {moved}: old data reads as another field.'
                )
            yield change(new, message)


@breaking_rule("ONEOF_NO_DELETE", "message")
def oneof_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No oneof is deleted from its message."""
    names = {o.name for o in new.proto.oneof_decl}
    for oneof in old.proto.oneof_decl:
        if oneof.name not in names:
            yield change(new, f'Previously present oneof "{oneof.name}" on message "{new.full_name}" was deleted.')


def _type(field: Any) -> str:
    return field.type_name.lstrip(".") if field.type_name else _SCALARS[field.type]


def _describe(field: Element) -> str:
    return f'Field "{field.proto.number}" with name "{field.name}" on message "{field.scope}"'


@breaking_rule("FIELD_SAME_NAME", "field")
def field_same_name(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field number changes name: JSON and text formats, and generated code, use the name."""
    if old.name != new.name:
        message = f'Field "{new.proto.number}" on message "{new.scope}" changed name from "{old.name}" to "{new.name}".'
        yield change(new, message, NAME)


@breaking_rule("FIELD_SAME_TYPE", "field")
def field_same_type(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field changes type: old and new readers would decode each other's bytes wrongly.

    Fix: add a new field with the new type and deprecate the old one.
    """
    if _type(old.proto) != _type(new.proto) or old.proto.type != new.proto.type:
        part = _FIELD_TYPE_NAME if new.proto.type_name else _FIELD_TYPE
        message = f'{_describe(new)} changed type from "{_type(old.proto)}" to "{_type(new.proto)}".'
        yield change(new, message, part)


@breaking_rule("FIELD_SAME_JSON_NAME", "field")
def field_same_json_name(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field changes its JSON name: JSON clients read and write it."""
    if old.proto.json_name != new.proto.json_name:
        message = (
            f'{_describe(new)} changed option "json_name" from "{old.proto.json_name}" to "{new.proto.json_name}".'
        )
        yield change(new, message)


def _cardinality(field: Element) -> str:
    proto = field.proto
    if proto.label == _FDP.LABEL_REPEATED:
        return "repeated"
    if proto.label == _FDP.LABEL_REQUIRED:
        return "required"
    explicit = (
        field.file.proto.syntax != "proto3"
        or proto.proto3_optional
        or proto.HasField("oneof_index")
        or proto.type in (_FDP.TYPE_MESSAGE, _FDP.TYPE_GROUP)
    )
    return "optional with explicit presence" if explicit else "optional with implicit presence"


@breaking_rule("FIELD_SAME_CARDINALITY", "field")
def field_same_cardinality(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field changes cardinality (singular, repeated, presence)."""
    before, after = _cardinality(old), _cardinality(new)
    if before != after:
        yield change(new, f'{_describe(new)} changed cardinality from "{before}" to "{after}".')


def _oneof(field: Element) -> str | None:
    proto = field.proto
    if not proto.HasField("oneof_index") or proto.proto3_optional:
        return None
    assert field.parent is not None
    return str(field.parent.proto.oneof_decl[proto.oneof_index].name)


@breaking_rule("FIELD_SAME_ONEOF", "field")
def field_same_oneof(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field moves into, out of or between oneofs: setting one member clears the others."""
    before, after = _oneof(old), _oneof(new)
    if before == after:
        return
    if before is None:
        moved = f'moved from outside to inside oneof "{after}"'
    elif after is None:
        moved = f'moved from inside oneof "{before}" to outside a oneof'
    else:
        moved = f'moved from oneof "{before}" to oneof "{after}"'
    yield change(new, f"{_describe(new)} {moved}.")


@breaking_rule("ENUM_VALUE_NO_DELETE", "enum")
def enum_value_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No enum value is deleted. Fix: keep it, or delete it and reserve its number and name."""
    numbers = {v.number for v in new.proto.value}
    for value in old.proto.value:
        if value.number not in numbers:
            message = (
                f'Previously present enum value "{value.number}" ("{value.name}") '
                f'on enum "{new.full_name}" was deleted.'
            )
            yield change(new, message)


@breaking_rule("ENUM_VALUE_SAME_NAME", "enum_value")
def enum_value_same_name(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No enum value number changes name: JSON carries enum values by name."""
    if old.name != new.name:
        assert new.parent is not None
        message = (
            f'Enum value "{new.proto.number}" on enum "{new.parent.full_name}" changed name '
            f'from "{old.name}" to "{new.name}".'
        )
        yield change(new, message, _VALUE_NUMBER)


@breaking_rule("RPC_NO_DELETE", "service")
def rpc_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No RPC is deleted from its service: deployed clients still call it."""
    names = {m.name for m in new.proto.method}
    for method in old.proto.method:
        if method.name not in names:
            yield change(new, f'Previously present RPC "{method.name}" on service "{new.full_name}" was deleted.')


def _streaming(old: Element, new: Element, side: str) -> Iterator[Change]:
    before, after = getattr(old.proto, f"{side}_streaming"), getattr(new.proto, f"{side}_streaming")
    if before != after:
        words = {False: f"{side} unary", True: f"{side} streaming"}
        message = f'RPC "{new.full_name}" changed from {words[before]} to {words[after]}.'
        yield change(new, message)


@breaking_rule("RPC_SAME_CLIENT_STREAMING", "method")
def rpc_same_client_streaming(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No RPC changes whether the client streams."""
    return _streaming(old, new, "client")


@breaking_rule("RPC_SAME_SERVER_STREAMING", "method")
def rpc_same_server_streaming(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No RPC changes whether the server streams."""
    return _streaming(old, new, "server")


_METHOD_INPUT, _METHOD_OUTPUT, _METHOD_OPTIONS, _IDEMPOTENCY = 2, 3, 4, 34


def _rpc_type(old: Element, new: Element, attribute: str, what: str, part: int) -> Iterator[Change]:
    before, after = getattr(old.proto, attribute).lstrip("."), getattr(new.proto, attribute).lstrip(".")
    if before != after:
        yield change(new, f'RPC "{new.full_name}" changed {what} type from "{before}" to "{after}".', part)


@breaking_rule("RPC_SAME_REQUEST_TYPE", "method")
def rpc_same_request_type(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No RPC changes its request type. Fix: add a new RPC and deprecate the old one."""
    return _rpc_type(old, new, "input_type", "request", _METHOD_INPUT)


@breaking_rule("RPC_SAME_RESPONSE_TYPE", "method")
def rpc_same_response_type(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No RPC changes its response type. Fix: add a new RPC and deprecate the old one."""
    return _rpc_type(old, new, "output_type", "response", _METHOD_OUTPUT)


@breaking_rule("RPC_SAME_IDEMPOTENCY_LEVEL", "method")
def rpc_same_idempotency_level(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No RPC changes its idempotency level: clients retry (or not) on its strength."""
    levels = descriptor_pb2.MethodOptions.IdempotencyLevel
    before, after = old.proto.options.idempotency_level, new.proto.options.idempotency_level
    if before != after:
        message = (
            f'RPC "{new.full_name}" changed option "idempotency_level" '
            f'from "{levels.Name(before)}" to "{levels.Name(after)}".'
        )
        located = new.proto.options.HasField("idempotency_level")
        yield change(new, message, _METHOD_OPTIONS, _IDEMPOTENCY) if located else change(new, message)


def _file_option(option: str, number: int) -> Any:
    """The check that a file keeps the value of one file option."""

    def check(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
        before, after = _option_value(old, option), _option_value(new, option)
        if before != after:
            message = f'File "{new.name}" changed option "{option}" from "{before}" to "{after}".'
            path = (FILE_OPTIONS, number) if new.proto.options.HasField(option) else None
            yield Change(new, new.span(path) if path else (1, 1, 1, 1), message)

    check.__doc__ = f"No file changes its ``{option}`` option: generated code moves or changes shape."
    return check


def _option_value(file: FileView, option: str) -> str:
    options = file.proto.options
    if option not in options.DESCRIPTOR.fields_by_name:
        return ""  # an option this protobuf runtime no longer knows (php_generic_services)
    value = getattr(options, option)
    if option == "optimize_for":
        return str(descriptor_pb2.FileOptions.OptimizeMode.Name(value))
    return str(value).lower() if isinstance(value, bool) else str(value)


FILE_OPTIONS = 8
for _option, _number in (
    ("cc_enable_arenas", 31), ("cc_generic_services", 16), ("csharp_namespace", 37), ("go_package", 11),
    ("java_generic_services", 17), ("java_multiple_files", 10), ("java_outer_classname", 8), ("java_package", 1),
    ("java_string_check_utf8", 27), ("objc_class_prefix", 36), ("optimize_for", 9), ("php_class_prefix", 40),
    ("php_generic_services", 42), ("php_metadata_namespace", 44), ("php_namespace", 41), ("py_generic_services", 18),
    ("ruby_package", 45), ("swift_prefix", 39),
):  # fmt: skip
    breaking_rule(f"FILE_SAME_{_option.upper()}", "file")(_file_option(_option, _number))


def _ranges(ranges: Any, *, exclusive_end: bool = True) -> list[tuple[int, int]]:
    """Inclusive ``(start, end)`` pairs from descriptor ranges (message ranges end exclusively, enum ones not)."""
    return [(r.start, r.end - 1 if exclusive_end else r.end) for r in ranges]


def _uncovered(new: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``[start, end]`` that no range of ``new`` covers."""
    gaps, cursor = [], start
    for low, high in sorted(new):
        if high < cursor or low > end:
            continue
        if low > cursor:
            gaps.append((cursor, low - 1))
        cursor = max(cursor, high + 1)
    if cursor <= end:
        gaps.append((cursor, end))
    return gaps


def _range_changes(
    element: Element, before: list[tuple[int, int]], after: list[tuple[int, int]], what: str, owner: str
) -> Iterator[Change]:
    for start, end in before:
        gaps = _uncovered(after, start, end)
        if gaps:
            removed = ", ".join(f"[{a},{b}]" for a, b in gaps)
            message = (
                f'Previously present {what} "[{start},{end}]" on {owner} "{element.full_name}" '
                f"is missing values: {removed} were removed."
            )
            yield change(element, message)


@breaking_rule("RESERVED_MESSAGE_NO_DELETE", "message")
def reserved_message_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No reserved number range or name is deleted from a message: they guard against reuse."""
    before, after = _ranges(old.proto.reserved_range), _ranges(new.proto.reserved_range)
    yield from _range_changes(new, before, after, "reserved range", "message")
    for name in old.proto.reserved_name:
        if name not in new.proto.reserved_name:
            yield change(new, f'Previously present reserved name "{name}" on message "{new.full_name}" was deleted.')


@breaking_rule("RESERVED_ENUM_NO_DELETE", "enum")
def reserved_enum_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No reserved number range or name is deleted from an enum."""
    before = _ranges(old.proto.reserved_range, exclusive_end=False)
    after = _ranges(new.proto.reserved_range, exclusive_end=False)
    yield from _range_changes(new, before, after, "reserved range", "enum")
    for name in old.proto.reserved_name:
        if name not in new.proto.reserved_name:
            yield change(new, f'Previously present reserved name "{name}" on enum "{new.full_name}" was deleted.')


@breaking_rule("EXTENSION_MESSAGE_NO_DELETE", "message")
def extension_message_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No extension range is deleted from a message: extensions declared elsewhere would stop compiling."""
    before, after = _ranges(old.proto.extension_range), _ranges(new.proto.extension_range)
    return _range_changes(new, before, after, "extension range", "message")


@breaking_rule("EXTENSION_NO_DELETE", "file")
def extension_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No extension is deleted from its file."""
    kept = {(e.scope, e.name) for e in new.walk("field") if e.proto.extendee}
    for element in old.walk("field"):
        if element.proto.extendee and (element.scope, element.name) not in kept:
            parent = kept_parent(element, new)
            message = f'Previously present extension "{element.full_name}" was deleted from file.'
            yield change(parent, message) if parent else Change(new, (1, 1, 1, 1), message)


def _reserves(owner: Any, number: int, name: str, inclusive_end: bool) -> tuple[bool, bool]:
    """Whether ``owner`` reserves ``number`` and ``name``."""
    extra = 1 if inclusive_end else 0
    by_number = any(r.start <= number < r.end + extra for r in owner.reserved_range)
    return by_number, name in owner.reserved_name


def _deleted_unless(old: Element, new: Element, kind: str, by: str) -> Iterator[Change]:
    items, inclusive, noun = ("field", False, "field") if kind == "message" else ("value", True, "enum value")
    present = {item.number for item in getattr(new.proto, items)}
    for item in getattr(old.proto, items):
        if item.number in present:
            continue
        number_reserved, name_reserved = _reserves(new.proto, item.number, item.name, inclusive)
        if by == "number" and not number_reserved:
            reserve = f'reserving the number "{item.number}"'
        elif by == "name" and not name_reserved:
            reserve = f'reserving the name "{item.name}"'
        else:
            continue
        message = (
            f'Previously present {noun} "{item.number}" with name "{item.name}" on {kind} "{new.full_name}" '
            f"was deleted without {reserve}."
        )
        yield change(new, message)


@breaking_rule("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "message")
def field_no_delete_unless_number_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """A deleted field's number is reserved, so no later field reuses it on the wire."""
    return _deleted_unless(old, new, "message", "number")


@breaking_rule("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "message")
def field_no_delete_unless_name_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """A deleted field's name is reserved, so no later field reuses it in JSON."""
    return _deleted_unless(old, new, "message", "name")


@breaking_rule("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "enum")
def enum_value_no_delete_unless_number_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """A deleted enum value's number is reserved."""
    return _deleted_unless(old, new, "enum", "number")


@breaking_rule("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "enum")
def enum_value_no_delete_unless_name_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """A deleted enum value's name is reserved (JSON carries enum values by name)."""
    return _deleted_unless(old, new, "enum", "name")


@breaking_rule("FIELD_SAME_DEFAULT", "field")
def field_same_default(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field changes its default value: readers of old data see a different value."""
    before, after = old.proto.default_value, new.proto.default_value
    if before != after:
        message = f"{_describe(new)} changed default value from {before or 'none'} to {after or 'none'}."
        if not new.proto.HasField("default_value"):
            yield change(new, message)
            return
        # Buf spans "default = value"; protoc records the value alone, and the "[...]" around it.
        bracket, value = new.span(_FIELD_OPTIONS), new.span(_DEFAULT)
        yield Change(new.file, (bracket[0], bracket[1] + 1, value[2], value[3]), message)


_DEFAULT, _FIELD_OPTIONS = 7, 8


def _names_by_package(files: dict[str, FileView], kind: str) -> dict[str, dict[str, FileView]]:
    """For each package, the full names of its elements of ``kind`` and a file that holds each."""
    found: dict[str, dict[str, FileView]] = {}
    for file in files.values():
        names = found.setdefault(file.proto.package, {})
        for element in file.walk(kind):
            names.setdefault(element.full_name, file)
    return found


@breaking_rule("PACKAGE_NO_DELETE", "files")
def package_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Change]:
    """No package is deleted: every import of it breaks. Fix: keep the package, deprecate its contents."""
    remaining = {f.proto.package for f in new.values()}
    for package in sorted({f.proto.package for f in old.values()} - remaining):
        yield Change(None, (1, 1, 1, 1), f'Previously present package "{package}" was deleted.')


@breaking_rule("PACKAGE_SERVICE_NO_DELETE", "files")
def package_service_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Change]:
    """No service is deleted from its package (moving it between files of the package is fine)."""
    before, after = _names_by_package(old, "service"), _names_by_package(new, "service")
    for package, names in before.items():
        if package not in after:
            continue  # the whole package is gone: PACKAGE_NO_DELETE says so
        holder = next(f for f in new.values() if f.proto.package == package)
        for name in names:
            if name not in after[package]:
                message = f'Previously present service "{name}" was deleted from package "{package}".'
                yield Change(holder, (1, 1, 1, 1), message)


_MESSAGE_OPTIONS, _NO_ACCESSOR, _CTYPE, _JSTYPE = 7, 2, 1, 6


@breaking_rule("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "message")
def message_no_remove_standard_descriptor_accessor(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No message turns on ``no_standard_descriptor_accessor``: generated code loses its descriptor() accessor."""
    before = old.proto.options.no_standard_descriptor_accessor
    after = new.proto.options.no_standard_descriptor_accessor
    if not before and after:
        message = f'Message "{new.full_name}" changed option "no_standard_descriptor_accessor" from "false" to "true".'
        yield change(new, message, _MESSAGE_OPTIONS, _NO_ACCESSOR)


def _field_option(old: Element, new: Element, option: str, number: int, enum: Any, what: str) -> Iterator[Change]:
    before, after = getattr(old.proto.options, option), getattr(new.proto.options, option)
    if before != after:
        message = f'{_describe(new)} changed {what} from "{enum.Name(before)}" to "{enum.Name(after)}".'
        located = new.proto.options.HasField(option)
        yield change(new, message, _FIELD_OPTIONS, number) if located else change(new, message)


@breaking_rule("FIELD_SAME_JSTYPE", "field")
def field_same_jstype(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field changes ``jstype``: JavaScript code reads the value as another type."""
    return _field_option(old, new, "jstype", _JSTYPE, descriptor_pb2.FieldOptions.JSType, 'option "jstype"')


@breaking_rule("FIELD_SAME_CPP_STRING_TYPE", "field")
def field_same_cpp_string_type(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field changes its C++ string type (``ctype``): C++ accessors change signature."""
    return _field_option(old, new, "ctype", _CTYPE, descriptor_pb2.FieldOptions.CType, "C++ string type")


@breaking_rule("MESSAGE_SAME_REQUIRED_FIELDS", "message")
def message_same_required_fields(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No message adds or removes required fields: a side that does not know one rejects the message."""

    def required(message: Element) -> set[int]:
        return {f.number for f in message.proto.field if f.label == _FDP.LABEL_REQUIRED}

    before, after = required(old), required(new)
    for number in sorted(before - after):
        yield change(new, f'Message "{new.full_name}" had required field "{number}" deleted.')
    for number in sorted(after - before):
        yield change(new, f'Message "{new.full_name}" had required field "{number}" added.')


_FILE_SYNTAX = 12


def _syntax(file: FileView) -> str:
    if file.proto.syntax == "editions":
        return f"edition {descriptor_pb2.Edition.Name(file.proto.edition).removeprefix('EDITION_')}"
    return file.proto.syntax or "proto2"


@breaking_rule("FILE_SAME_SYNTAX", "file")
def file_same_syntax(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No file changes syntax or edition: presence, defaults and UTF-8 checks of its fields change with it."""
    before, after = _syntax(old), _syntax(new)
    if before != after:
        yield Change(new, new.span((_FILE_SYNTAX,)), f'File syntax changed from "{before}" to "{after}".')


def _utf8(field: Element) -> str:
    """Whether a string field's UTF-8 is verified on parse: proto3 and editions verify, proto2 does not."""
    file = field.file.proto
    if file.syntax == "editions":
        features = descriptor_pb2.FeatureSet
        chosen = field.proto.options.features.utf8_validation or file.options.features.utf8_validation
        return "NONE" if chosen == features.NONE else "VERIFY"
    return "VERIFY" if file.syntax == "proto3" else "NONE"


def _java_utf8(field: Element) -> str:
    """Whether Java checks a string field's UTF-8: proto3 always, proto2 with ``java_string_check_utf8``."""
    file = field.file.proto
    return "VERIFY" if file.syntax == "proto3" or file.options.java_string_check_utf8 else "NONE"


@breaking_rule("FIELD_SAME_UTF8_VALIDATION", "field")
def field_same_utf8_validation(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No string field changes whether its UTF-8 is validated: previously accepted data may be rejected."""
    if old.proto.type == new.proto.type == _FDP.TYPE_STRING and _utf8(old) != _utf8(new):
        yield change(new, f"{_describe(new)} changed UTF8 validation from {_utf8(old)} to {_utf8(new)}.")


@breaking_rule("FIELD_SAME_JAVA_UTF8_VALIDATION", "field")
def field_same_java_utf8_validation(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No string field changes whether Java validates its UTF-8."""
    if old.proto.type == new.proto.type == _FDP.TYPE_STRING and _java_utf8(old) != _java_utf8(new):
        before, after = _java_utf8(old), _java_utf8(new)
        yield change(new, f'{_describe(new)} changed Java string UTF8 validation from "{before}" to "{after}".')


def _enum_type(enum: Element) -> str:
    """``closed`` (proto2, or the editions feature) or ``open`` (proto3, editions by default)."""
    file = enum.file.proto
    if file.syntax == "editions":
        features = descriptor_pb2.FeatureSet
        chosen = enum.proto.options.features.enum_type or file.options.features.enum_type
        return "closed" if chosen == features.CLOSED else "open"
    return "open" if file.syntax == "proto3" else "closed"


@breaking_rule("ENUM_SAME_TYPE", "enum")
def enum_same_type(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No enum changes between open and closed: unknown values are kept by one and dropped by the other."""
    before, after = _enum_type(old), _enum_type(new)
    if before != after:
        yield change(new, f'Enum "{new.full_name}" changed from {before} to {after}.')
