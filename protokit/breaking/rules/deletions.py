"""Rules against deleting elements from a file, message, enum or service, and against freeing reserved numbers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from protokit.breaking.context import Context
from protokit.breaking.rules.common import kept_parent, synthetic_oneofs, walk
from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import NO_SPAN, Element, FileView


def _nested_name(element: Element, file: FileView) -> str:
    """The element's name inside its file's package: a package change alone deletes nothing from a file."""
    prefix = f"{file.package}." if file.package else ""
    return element.full_name.removeprefix(prefix)


def _missing(kind: str, old: FileView, new: FileView, what: str) -> Iterator[Finding]:
    """Elements of ``kind`` in the old file whose name (without the package, as Buf keys them) the new file lacks."""
    kept = {_nested_name(e, new) for e in walk(new, kind)}
    for element in walk(old, kind):
        if _nested_name(element, old) not in kept:
            parent = kept_parent(element, new)
            message = f'Previously present {what} "{element.full_name}" was deleted from file.'
            yield at(parent, message) if parent else Finding(new, NO_SPAN, message)


@rule("FILE_NO_DELETE", "files")
def file_no_delete(ctx: Context, old: dict[str, FileView], new: dict[str, FileView]) -> Iterator[Finding]:
    """No file is deleted.

    Why: files that import it stop compiling, and in languages that generate code per file (Python, C++, Java
    outer classes) client code that imports its generated module breaks.
    Bad: ``acme/orders/v1/order.proto`` deleted, or renamed to ``orders.proto``
    Good: ``acme/orders/v1/order.proto`` kept, its types marked ``option deprecated = true;``
    Fix: keep the file; to move types, leave the old file importing the new one (``import public``).
    """
    for name in old:
        if name not in new:
            yield Finding(None, NO_SPAN, f'Previously present file "{name}" was deleted.', against=name)


@rule("MESSAGE_NO_DELETE", "file")
def message_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No message is deleted from its file.

    Why: generated code that uses the message stops compiling, and moving it to another file moves its generated
    code (PACKAGE_MESSAGE_NO_DELETE allows moves within the package).
    Bad: ``message Order {...}`` removed from ``order.proto``
    Good: ``message Order { option deprecated = true; ... }`` kept
    Fix: keep the message (mark it ``deprecated``), or publish the change in a new package version.
    """
    return _missing("message", old, new, "message")


@rule("ENUM_NO_DELETE", "file")
def enum_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No enum is deleted from its file.

    Why: generated code that uses the enum stops compiling, and moving it to another file moves its generated
    code (PACKAGE_ENUM_NO_DELETE allows moves within the package).
    Bad: ``enum OrderStatus {...}`` removed from ``order.proto``
    Good: ``enum OrderStatus { option deprecated = true; ... }`` kept
    Fix: keep the enum (mark it ``deprecated``), or publish the change in a new package version.
    """
    return _missing("enum", old, new, "enum")


@rule("SERVICE_NO_DELETE", "file")
def service_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No service is deleted from its file.

    Why: deployed clients call endpoints that no longer exist, and generated clients and servers stop compiling.
    Bad: ``service OrderService {...}`` removed from ``order_service.proto``
    Good: ``service OrderService { option deprecated = true; ... }`` kept
    Fix: keep the service, deprecate it, and remove it in a new package version once no client calls it.
    """
    return _missing("service", old, new, "service")


@rule("EXTENSION_NO_DELETE", "file")
def extension_no_delete(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No extension is deleted from its file.

    Why: code that sets or reads the extension stops compiling, and data written with it is kept only as unknown
    fields.
    Bad: ``extend google.protobuf.FieldOptions { bool sensitive = 50001; }`` removed
    Good: ``extend google.protobuf.FieldOptions { bool sensitive = 50001 [deprecated = true]; }`` kept
    Fix: keep the extension and mark it ``[deprecated = true]``.
    """
    kept = {_nested_name(e, new) for e in new.walk("field") if e.proto.extendee}
    for element in old.walk("field"):
        if element.proto.extendee and _nested_name(element, old) not in kept:
            parent = kept_parent(element, new)
            message = f'Previously present extension "{element.full_name}" was deleted from file.'
            yield at(parent, message) if parent else Finding(new, NO_SPAN, message)


@rule("FIELD_NO_DELETE", "message")
def field_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No field is deleted from its message.

    Why: generated code that uses the field stops compiling, and a later field reusing its number or name
    misreads old data (the message also says when the field only moved to another number).
    Bad: ``string email = 3;`` removed from ``message User``
    Good: ``string email = 3 [deprecated = true];`` kept
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
    """No oneof is deleted from its message (the oneofs proto3 makes for ``optional`` fields do not count).

    Why: generated code loses the oneof's case accessors, and its fields lose the guarantee that at most one is
    set, which readers relied on.
    Bad: ``oneof payment { Card card = 4; Transfer transfer = 5; }`` becomes ``Card card = 4; Transfer transfer = 5;``
    Good: ``oneof payment { Card card = 4; Transfer transfer = 5; }`` kept
    Fix: keep the oneof; add new alternatives to it and deprecate the ones no longer used.
    """
    hidden = synthetic_oneofs(new.proto)
    names = {o.name for i, o in enumerate(new.proto.oneof_decl) if i not in hidden}
    hidden = synthetic_oneofs(old.proto)
    for i, oneof in enumerate(old.proto.oneof_decl):
        if i not in hidden and oneof.name not in names:
            yield at(new, f'Previously present oneof "{oneof.name}" on message "{new.full_name}" was deleted.')


def _names_by_number(enum: Element) -> dict[int, list[str]]:
    """An enum's value names by number (with ``allow_alias``, a number has several)."""
    names: dict[int, list[str]] = {}
    for value in enum.proto.value:
        names.setdefault(value.number, []).append(value.name)
    return names


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in sorted(names))


def _deleted_values(old: Element, new: Element, by: str = "") -> Iterator[Finding]:
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
        yield at(new, message)


@rule("ENUM_VALUE_NO_DELETE", "enum")
def enum_value_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No enum value number is deleted (an alias may go while another name keeps the number).

    Why: code that uses the generated constant stops compiling, and a later value reusing the number or name
    gives old data a new meaning.
    Bad: ``ORDER_STATUS_HELD = 3;`` removed from ``enum OrderStatus``
    Good: ``ORDER_STATUS_HELD = 3 [deprecated = true];`` kept
    Fix: keep the value and deprecate it, or delete it and reserve its number and name
    (``reserved 3; reserved "ORDER_STATUS_HELD";``).
    """
    return _deleted_values(old, new)


@rule("RPC_NO_DELETE", "service")
def rpc_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC is deleted from its service.

    Why: deployed clients still call it and get ``UNIMPLEMENTED``, and generated stubs that use it stop compiling.
    Bad: ``rpc CancelOrder(CancelOrderRequest) returns (CancelOrderResponse);`` removed
    Good: ``rpc CancelOrder(CancelOrderRequest) returns (CancelOrderResponse) { option deprecated = true; }``
    Fix: keep the RPC, deprecate it, and remove it in a new package version once no client calls it.
    """
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
    """No reserved number range or name is deleted from a message (ranges may grow, not shrink).

    Why: reservations keep a deleted field's number and name from being reused; without them a new field
    misreads old data in binary or JSON.
    Bad: ``reserved 3 to 5; reserved "email";`` becomes ``reserved 3;``
    Good: ``reserved 3 to 5; reserved "email";`` kept (or widened to ``reserved 3 to 6;``)
    Fix: restore the deleted reservations; reserved numbers and names stay reserved for good.
    """
    before, after = _ranges(old.proto.reserved_range), _ranges(new.proto.reserved_range)
    yield from _range_changes(new, before, after, "reserved range", "message")
    for name in old.proto.reserved_name:
        if name not in new.proto.reserved_name:
            yield at(new, f'Previously present reserved name "{name}" on message "{new.full_name}" was deleted.')


@rule("RESERVED_ENUM_NO_DELETE", "enum")
def reserved_enum_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No reserved number range or name is deleted from an enum (ranges may grow, not shrink).

    Why: reservations keep a deleted value's number and name from being reused; without them a new value gives
    old data (binary by number, JSON by name) a new meaning.
    Bad: ``reserved 3 to 5; reserved "ORDER_STATUS_HELD";`` becomes ``reserved 3;``
    Good: ``reserved 3 to 5; reserved "ORDER_STATUS_HELD";`` kept
    Fix: restore the deleted reservations; reserved numbers and names stay reserved for good.
    """
    before = _ranges(old.proto.reserved_range, exclusive_end=False)
    after = _ranges(new.proto.reserved_range, exclusive_end=False)
    yield from _range_changes(new, before, after, "reserved range", "enum")
    for name in old.proto.reserved_name:
        if name not in new.proto.reserved_name:
            yield at(new, f'Previously present reserved name "{name}" on enum "{new.full_name}" was deleted.')


@rule("EXTENSION_MESSAGE_NO_DELETE", "message")
def extension_message_no_delete(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No extension range is deleted from a message (ranges may grow, not shrink).

    Why: extensions declared elsewhere with numbers in the range stop compiling, and their data is no longer
    read as extensions.
    Bad: ``extensions 100 to 199;`` becomes ``extensions 100 to 149;``
    Good: ``extensions 100 to 199;`` kept (or widened)
    Fix: restore the extension range.
    """
    before, after = _ranges(old.proto.extension_range), _ranges(new.proto.extension_range)
    return _range_changes(new, before, after, "extension range", "message")


def _deleted_unless(old: Element, new: Element, by: str) -> Iterator[Finding]:
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
        yield at(new, message)


@rule("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "message")
def field_no_delete_unless_number_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A deleted field's number is reserved.

    Why: the wire carries only numbers: a later field that reuses the number reads old data, and old clients
    read its data, with the wrong type and meaning.
    Bad: ``string email = 3;`` removed without ``reserved 3;``
    Good: ``reserved 3;`` (and ``reserved "email";``) in place of the field
    Fix: reserve the deleted field's number, and its name (FIELD_NO_DELETE_UNLESS_NAME_RESERVED).
    """
    return _deleted_unless(old, new, "number")


@rule("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "message")
def field_no_delete_unless_name_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A deleted field's name is reserved.

    Why: JSON and text formats carry field names: a later field that reuses the name reads old JSON data with
    the wrong type and meaning.
    Bad: ``string email = 3;`` removed without ``reserved "email";``
    Good: ``reserved "email";`` (and ``reserved 3;``) in place of the field
    Fix: reserve the deleted field's name, and its number (FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED).
    """
    return _deleted_unless(old, new, "name")


@rule("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "enum")
def enum_value_no_delete_unless_number_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """A deleted enum value number is reserved.

    Why: the wire carries enum values by number: a later value that reuses the number gives old data a new
    meaning.
    Bad: ``ORDER_STATUS_HELD = 3;`` removed without ``reserved 3;``
    Good: ``reserved 3;`` (and ``reserved "ORDER_STATUS_HELD";``) in place of the value
    Fix: reserve the deleted value's number, and its name (ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED).
    """
    return _deleted_values(old, new, "number")


@rule("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "enum")
def enum_value_no_delete_unless_name_reserved(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """Every name of a deleted enum value number is reserved (with ``allow_alias`` a number has several).

    Why: JSON carries enum values by name: a later value that reuses the name gives old JSON data a new meaning.
    Bad: ``ORDER_STATUS_HELD = 3;`` removed without ``reserved "ORDER_STATUS_HELD";``
    Good: ``reserved "ORDER_STATUS_HELD";`` (and ``reserved 3;``) in place of the value
    Fix: reserve every name of the deleted number, and the number (ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED).
    """
    return _deleted_values(old, new, "name")
