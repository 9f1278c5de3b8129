"""Rules against deleting elements from a file, message, enum or service, and against freeing reserved numbers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from protokit.breaking.registry import Change, Context, breaking_rule, change
from protokit.breaking.rules.common import kept_parent, synthetic_oneofs, walk
from protokit.lint.elements import NO_SPAN, Element, FileView


def _missing(kind: str, old: FileView, new: FileView, what: str) -> Iterator[Change]:
    """Elements of ``kind`` in the old file whose full name the new file no longer has."""
    kept = {e.full_name for e in walk(new, kind)}
    for element in walk(old, kind):
        if element.full_name not in kept:
            parent = kept_parent(element, new)
            message = f'Previously present {what} "{element.full_name}" was deleted from file.'
            yield change(parent, message) if parent else Change(new, NO_SPAN, message)


@breaking_rule("FILE_NO_DELETE", "files")
def file_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Change]:
    """No file is deleted: files that import it stop compiling.

    Fix: keep the file; to move types, leave the old file importing the new one (``import public``).
    """
    for name in old:
        if name not in new:
            yield Change(None, NO_SPAN, f'Previously present file "{name}" was deleted.', against=name)


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


@breaking_rule("EXTENSION_NO_DELETE", "file")
def extension_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No extension is deleted from its file."""
    kept = {e.full_name for e in new.walk("field") if e.proto.extendee}
    for element in old.walk("field"):
        if element.proto.extendee and element.full_name not in kept:
            parent = kept_parent(element, new)
            message = f'Previously present extension "{element.full_name}" was deleted from file.'
            yield change(parent, message) if parent else Change(new, NO_SPAN, message)


@breaking_rule("FIELD_NO_DELETE", "message")
def field_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No field is deleted from its message.

    Fix: keep the field and deprecate it, or delete it and reserve its number and name
    (``reserved 3; reserved "email";``) so that nobody reuses them.
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
    """No oneof is deleted from its message (the oneofs proto3 makes for ``optional`` fields do not count)."""
    hidden = synthetic_oneofs(new.proto)
    names = {o.name for i, o in enumerate(new.proto.oneof_decl) if i not in hidden}
    hidden = synthetic_oneofs(old.proto)
    for i, oneof in enumerate(old.proto.oneof_decl):
        if i not in hidden and oneof.name not in names:
            yield change(new, f'Previously present oneof "{oneof.name}" on message "{new.full_name}" was deleted.')


def _names_by_number(enum: Element) -> dict[int, list[str]]:
    """An enum's value names by number (with ``allow_alias``, a number has several)."""
    names: dict[int, list[str]] = {}
    for value in enum.proto.value:
        names.setdefault(value.number, []).append(value.name)
    return names


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in sorted(names))


def _deleted_values(old: Element, new: Element, by: str = "") -> Iterator[Change]:
    """Numbers of the old enum that no value of the new one has, unless ``by`` (number or name) reserves them.

    Values are deleted per number, as in Buf: dropping one alias while another name keeps its number
    deletes nothing, and a deleted number's names are reserved only when all of them are.
    """
    present = _names_by_number(new)
    for number, names in _names_by_number(old).items():
        if number in present:
            continue
        if by == "number":
            if any(r.start <= number <= r.end for r in new.proto.reserved_range):
                continue
            suffix = f' without reserving the number "{number}"'
        elif by == "name":
            if all(name in new.proto.reserved_name for name in names):
                continue
            suffix = f" without reserving the name{'s' if len(names) > 1 else ''} {_quoted(names)}"
        else:
            suffix = ""
        named = "" if by == "name" else f" ({_quoted(names)})"
        message = f'Previously present enum value "{number}"{named} on enum "{new.full_name}" was deleted{suffix}.'
        yield change(new, message)


@breaking_rule("ENUM_VALUE_NO_DELETE", "enum")
def enum_value_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No enum value number is deleted (an alias may go while another name keeps the number).

    Fix: keep the value, or delete it and reserve its number and name.
    """
    return _deleted_values(old, new)


@breaking_rule("RPC_NO_DELETE", "service")
def rpc_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """No RPC is deleted from its service: deployed clients still call it."""
    names = {m.name for m in new.proto.method}
    for method in old.proto.method:
        if method.name not in names:
            yield change(new, f'Previously present RPC "{method.name}" on service "{new.full_name}" was deleted.')


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


def _deleted_unless(old: Element, new: Element, by: str) -> Iterator[Change]:
    """Fields of the old message whose number the new one lacks, unless ``by`` (number or name) reserves them."""
    present = {field.number for field in new.proto.field}
    for field in old.proto.field:
        if field.number in present:
            continue
        if by == "number" and not any(r.start <= field.number < r.end for r in new.proto.reserved_range):
            reserve = f'reserving the number "{field.number}"'
        elif by == "name" and field.name not in new.proto.reserved_name:
            reserve = f'reserving the name "{field.name}"'
        else:
            continue
        message = (
            f'Previously present field "{field.number}" with name "{field.name}" on message "{new.full_name}" '
            f"was deleted without {reserve}."
        )
        yield change(new, message)


@breaking_rule("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "message")
def field_no_delete_unless_number_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """A deleted field's number is reserved, so no later field reuses it on the wire."""
    return _deleted_unless(old, new, "number")


@breaking_rule("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "message")
def field_no_delete_unless_name_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """A deleted field's name is reserved, so no later field reuses it in JSON."""
    return _deleted_unless(old, new, "name")


@breaking_rule("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "enum")
def enum_value_no_delete_unless_number_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """A deleted enum value number is reserved."""
    return _deleted_values(old, new, "number")


@breaking_rule("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "enum")
def enum_value_no_delete_unless_name_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Change]:
    """Every name of a deleted enum value number is reserved (JSON carries enum values by name)."""
    return _deleted_values(old, new, "name")
