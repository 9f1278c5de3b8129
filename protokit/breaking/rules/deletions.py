"""Rules against deleting elements from a file, message, enum or service, and against freeing reserved numbers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from protokit.breaking.context import Context
from protokit.breaking.rules.common import kept_parent, synthetic_oneofs
from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import NO_SPAN, Element, FileView


def _missing(kind: str, old: FileView, new: FileView, what: str) -> Iterator[Finding]:
    """Elements of ``kind`` in the old file whose full name the new file no longer has."""
    kept = {e.full_name for e in new.walk(kind)}
    for element in old.walk(kind):
        if element.full_name not in kept:
            parent = kept_parent(element, new)
            message = f'Previously present {what} "{element.full_name}" was deleted from file.'
            yield at(parent, message) if parent else Finding(new, NO_SPAN, message)


@rule("FILE_NO_DELETE", "files")
def file_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No file is deleted: files that import it stop compiling.

    Fix: keep the file; to move types, leave the old file importing the new one (``import public``).
    """
    for name in old:
        if name not in new:
            yield Finding(None, NO_SPAN, f'Previously present file "{name}" was deleted.')


@rule("MESSAGE_NO_DELETE", "file")
def message_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No message is deleted from its file: generated code that uses it stops compiling.

    Fix: keep the message (mark it ``deprecated``), or publish the change in a new package version.
    """
    return _missing("message", old, new, "message")


@rule("ENUM_NO_DELETE", "file")
def enum_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No enum is deleted from its file. Fix: keep it and deprecate it."""
    return _missing("enum", old, new, "enum")


@rule("SERVICE_NO_DELETE", "file")
def service_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No service is deleted from its file: its clients would call an endpoint that no longer exists."""
    return _missing("service", old, new, "service")


@rule("EXTENSION_NO_DELETE", "file")
def extension_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No extension is deleted from its file."""
    kept = {e.full_name for e in new.walk("field") if e.proto.extendee}
    for element in old.walk("field"):
        if element.proto.extendee and element.full_name not in kept:
            parent = kept_parent(element, new)
            message = f'Previously present extension "{element.full_name}" was deleted from file.'
            yield at(parent, message) if parent else Finding(new, NO_SPAN, message)


@rule("FIELD_NO_DELETE", "message")
def field_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
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
            yield at(new, message)


@rule("ONEOF_NO_DELETE", "message")
def oneof_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No oneof is deleted from its message (the oneofs proto3 makes for ``optional`` fields do not count)."""
    hidden = synthetic_oneofs(new.proto)
    names = {o.name for i, o in enumerate(new.proto.oneof_decl) if i not in hidden}
    hidden = synthetic_oneofs(old.proto)
    for i, oneof in enumerate(old.proto.oneof_decl):
        if i not in hidden and oneof.name not in names:
            yield at(new, f'Previously present oneof "{oneof.name}" on message "{new.full_name}" was deleted.')


@rule("ENUM_VALUE_NO_DELETE", "enum")
def enum_value_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No enum value is deleted. Fix: keep it, or delete it and reserve its number and name."""
    numbers = {v.number for v in new.proto.value}
    for value in old.proto.value:
        if value.number not in numbers:
            message = (
                f'Previously present enum value "{value.number}" ("{value.name}") '
                f'on enum "{new.full_name}" was deleted.'
            )
            yield at(new, message)


@rule("RPC_NO_DELETE", "service")
def rpc_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC is deleted from its service: deployed clients still call it."""
    names = {m.name for m in new.proto.method}
    for method in old.proto.method:
        if method.name not in names:
            yield at(new, f'Previously present RPC "{method.name}" on service "{new.full_name}" was deleted.')


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
) -> Iterator[Finding]:
    for start, end in before:
        gaps = _uncovered(after, start, end)
        if gaps:
            removed = ", ".join(f"[{a},{b}]" for a, b in gaps)
            message = (
                f'Previously present {what} "[{start},{end}]" on {owner} "{element.full_name}" '
                f"is missing values: {removed} were removed."
            )
            yield at(element, message)


@rule("RESERVED_MESSAGE_NO_DELETE", "message")
def reserved_message_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No reserved number range or name is deleted from a message: they guard against reuse."""
    before, after = _ranges(old.proto.reserved_range), _ranges(new.proto.reserved_range)
    yield from _range_changes(new, before, after, "reserved range", "message")
    for name in old.proto.reserved_name:
        if name not in new.proto.reserved_name:
            yield at(new, f'Previously present reserved name "{name}" on message "{new.full_name}" was deleted.')


@rule("RESERVED_ENUM_NO_DELETE", "enum")
def reserved_enum_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No reserved number range or name is deleted from an enum."""
    before = _ranges(old.proto.reserved_range, exclusive_end=False)
    after = _ranges(new.proto.reserved_range, exclusive_end=False)
    yield from _range_changes(new, before, after, "reserved range", "enum")
    for name in old.proto.reserved_name:
        if name not in new.proto.reserved_name:
            yield at(new, f'Previously present reserved name "{name}" on enum "{new.full_name}" was deleted.')


@rule("EXTENSION_MESSAGE_NO_DELETE", "message")
def extension_message_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No extension range is deleted from a message: extensions declared elsewhere would stop compiling."""
    before, after = _ranges(old.proto.extension_range), _ranges(new.proto.extension_range)
    return _range_changes(new, before, after, "extension range", "message")


def _reserves(owner: Any, number: int, name: str, inclusive_end: bool) -> tuple[bool, bool]:
    """Whether ``owner`` reserves ``number`` and ``name``."""
    extra = 1 if inclusive_end else 0
    by_number = any(r.start <= number < r.end + extra for r in owner.reserved_range)
    return by_number, name in owner.reserved_name


def _deleted_unless(old: Element, new: Element, kind: str, by: str) -> Iterator[Finding]:
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
        yield at(new, message)


@rule("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "message")
def field_no_delete_unless_number_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A deleted field's number is reserved, so no later field reuses it on the wire."""
    return _deleted_unless(old, new, "message", "number")


@rule("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "message")
def field_no_delete_unless_name_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A deleted field's name is reserved, so no later field reuses it in JSON."""
    return _deleted_unless(old, new, "message", "name")


@rule("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "enum")
def enum_value_no_delete_unless_number_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A deleted enum value's number is reserved."""
    return _deleted_unless(old, new, "enum", "number")


@rule("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "enum")
def enum_value_no_delete_unless_name_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A deleted enum value's name is reserved (JSON carries enum values by name)."""
    return _deleted_unless(old, new, "enum", "name")
