"""History rules (protokit's, with ``--against-tags``): a number freed in any release is not given a new meaning."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from protokit.breaking.context import Context
from protokit.breaking.rules.common import describe, type_name
from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import FileView

if TYPE_CHECKING:
    from protokit.breaking.history import History


@rule("FIELD_NUMBER_REUSED", "history")
def field_number_reused(ctx: Context, history: History, new: dict[str, FileView]) -> Iterator[Finding]:
    """No field number that a release used and a later one dropped comes back with another name or type.

    Why: data written by, and clients built from, that release still read the number with its old meaning, even
    when the newest release no longer shows it (protokit's rule, with ``--against-tags``; numbers still in the
    newest release are FIELD_SAME_NAME's and FIELD_SAME_TYPE's business).
    Bad: ``string email = 3;`` in v1.0, deleted in v1.1, and now ``int64 score = 3;``
    Good: ``reserved 3; reserved "email"; int64 score = 4;``
    Fix: give the new field an unused number, and reserve the old number and name.
    """
    for file in new.values():
        for field in file.walk("field"):
            where = (field.scope, field.proto.number)
            seen = history.fields.get(where)
            if not seen or where in history.latest_fields or (field.name, type_name(field)) in seen:
                continue
            (name, kind), tag = next(iter(seen.items()))
            message = (
                f'{describe(field)} reuses number {field.proto.number}, which release "{tag}" '
                f'gave to field "{name}" of type "{kind}".'
            )
            yield at(field, message)


@rule("ENUM_VALUE_NUMBER_REUSED", "history")
def enum_value_number_reused(ctx: Context, history: History, new: dict[str, FileView]) -> Iterator[Finding]:
    """No enum value number that a release used and a later one dropped comes back under another name.

    Why: binary data, JSON and clients of that release still read the number with its old name and meaning
    (protokit's rule, with ``--against-tags``).
    Bad: ``ORDER_STATUS_HELD = 3;`` in v1.0, deleted in v1.1, and now ``ORDER_STATUS_RETURNED = 3;``
    Good: ``reserved 3; reserved "ORDER_STATUS_HELD"; ORDER_STATUS_RETURNED = 4;``
    Fix: give the new value an unused number, and reserve the old number and name.
    """
    for file in new.values():
        for value in file.walk("enum_value"):
            assert value.parent is not None
            where = (value.parent.full_name, value.proto.number)
            seen = history.values.get(where)
            if not seen or where in history.latest_values or value.name in seen:
                continue
            name, tag = next(iter(seen.items()))
            message = (
                f'Enum value "{value.name}" on enum "{value.parent.full_name}" reuses number {value.proto.number}, '
                f'which release "{tag}" gave to "{name}".'
            )
            yield at(value, message)
