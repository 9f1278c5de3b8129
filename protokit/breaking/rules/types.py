"""Rules about a message or enum that stays: its value names, openness, JSON support and descriptor accessor."""

from __future__ import annotations

from collections.abc import Iterator

from protokit.breaking.context import Context
from protokit.breaking.rules.common import (
    ENUM_FEATURES,
    ENUM_OPTIONS,
    FEATURE_ENUM_TYPE,
    FEATURE_JSON_FORMAT,
    FEATURES,
    MESSAGE_FEATURES,
    MESSAGE_OPTIONS,
    enum_name,
    feature,
    option_span,
)
from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import ENUM_VALUE, Element

_VALUE_NUMBER, _NO_ACCESSOR = 2, 2


@rule("ENUM_VALUE_SAME_NAME", "enum")
def enum_value_same_name(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No enum value number loses a name. With ``allow_alias`` a number has a set of names: adding an
    alias is fine, losing one is not, and then every current value of that number is reported (as Buf does).

    Why: JSON and text formats carry enum values by name, so old JSON data no longer parses, and generated
    constants are renamed.
    Bad: ``ORDER_STATUS_HELD = 3;`` becomes ``ORDER_STATUS_ON_HOLD = 3;``
    Good: ``ORDER_STATUS_HELD = 3 [deprecated = true];`` kept and ``ORDER_STATUS_ON_HOLD = 4;`` added
    Fix: restore the old name; to rename, add a new value and deprecate the old one.
    """
    before: dict[int, set[str]] = {}
    for value in old.proto.value:
        before.setdefault(value.number, set()).add(value.name)
    after: dict[int, list[int]] = {}
    for i, value in enumerate(new.proto.value):
        after.setdefault(value.number, []).append(i)
    for number, indexes in after.items():
        names = {new.proto.value[i].name for i in indexes}
        if number not in before or before[number] <= names:
            continue
        was, now = (", ".join(f'"{n}"' for n in sorted(s)) for s in (before[number], names))
        plural = "s" if len(before[number]) > 1 and len(names) > 1 else ""
        message = f'Enum value "{number}" on enum "{new.full_name}" changed name{plural} from {was} to {now}.'
        for i in indexes:
            yield at(new, message, ENUM_VALUE, i, _VALUE_NUMBER)


@rule("ENUM_SAME_TYPE", "enum")
def enum_same_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No enum changes between open and closed (the ``enum_type`` feature, or a move between proto2 and proto3).

    Why: an open enum keeps unknown values in the field, a closed one moves them to unknown fields, so readers see
    different values for the same data, and generated code changes.
    Bad: ``enum Status { option features.enum_type = CLOSED; ... }`` where the enum was open
    Good: ``enum Status {...}`` left open
    Fix: restore the previous ``enum_type`` (and the file's syntax or edition, which sets its default).
    """
    words: dict[int, str] = {FEATURES.OPEN: "open", FEATURES.CLOSED: "closed"}
    before, after = words[feature(old, "enum_type")], words[feature(new, "enum_type")]
    if before != after:
        message = f'Enum "{new.full_name}" changed from {before} to {after}.'
        yield Finding(new.file, option_span(new, ENUM_OPTIONS, ENUM_FEATURES, FEATURE_ENUM_TYPE), message)


def _json_format(old: Element, new: Element, what: str, options: int, features: int) -> Iterator[Finding]:
    before, after = feature(old, "json_format"), feature(new, "json_format")
    if before == FEATURES.ALLOW and after != FEATURES.ALLOW:
        was, now = enum_name(FEATURES.JsonFormat, before), enum_name(FEATURES.JsonFormat, after)
        message = f'{what} "{new.full_name}" JSON format support changed from {was} to {now}.'
        yield Finding(new.file, option_span(new, options, features, FEATURE_JSON_FORMAT), message)


@rule("ENUM_SAME_JSON_FORMAT", "enum")
def enum_same_json_format(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No enum loses full JSON support (the ``json_format`` feature, proto3 to proto2).

    Why: with ``LEGACY_BEST_EFFORT`` the enum's JSON mapping is no longer guaranteed, so JSON clients break.
    Bad: ``enum Status { option features.json_format = LEGACY_BEST_EFFORT; ... }`` where it was ``ALLOW``
    Good: ``enum Status {...}`` with ``json_format`` left at ``ALLOW``
    Fix: keep the enum's ``json_format`` at ``ALLOW`` (and the file's syntax).
    """
    return _json_format(old, new, "Enum", ENUM_OPTIONS, ENUM_FEATURES)


@rule("MESSAGE_SAME_JSON_FORMAT", "message")
def message_same_json_format(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No message loses full JSON support (the ``json_format`` feature, proto3 to proto2).

    Why: with ``LEGACY_BEST_EFFORT`` the message's JSON mapping is no longer guaranteed (names may conflict), so
    JSON clients break.
    Bad: ``message Order { option features.json_format = LEGACY_BEST_EFFORT; ... }`` where it was ``ALLOW``
    Good: ``message Order {...}`` with ``json_format`` left at ``ALLOW``
    Fix: keep the message's ``json_format`` at ``ALLOW`` (and the file's syntax).
    """
    return _json_format(old, new, "Message", MESSAGE_OPTIONS, MESSAGE_FEATURES)


@rule("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "message")
def message_no_remove_standard_descriptor_accessor(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No message turns on ``no_standard_descriptor_accessor``.

    Why: generated code (C++, Java) loses the message's standard ``descriptor()`` accessor, so code calling it
    stops compiling.
    Bad: ``message Order { option no_standard_descriptor_accessor = true; ... }`` where the option was unset
    Good: ``message Order {...}`` with the option unset or ``false``
    Fix: remove the option (or set it to ``false``).
    """
    before = old.proto.options.no_standard_descriptor_accessor
    after = new.proto.options.no_standard_descriptor_accessor
    if not before and after:
        message = f'Message "{new.full_name}" changed option "no_standard_descriptor_accessor" from "false" to "true".'
        yield at(new, message, MESSAGE_OPTIONS, _NO_ACCESSOR)
