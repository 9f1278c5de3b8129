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
from protokit.index.elements import Element

_VALUE_NUMBER, _NO_ACCESSOR = 2, 2


@rule("ENUM_VALUE_SAME_NAME", "enum_value")
def enum_value_same_name(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No enum value number changes name: JSON carries enum values by name."""
    if old.name != new.name:
        assert new.parent is not None
        message = (
            f'Enum value "{new.proto.number}" on enum "{new.parent.full_name}" changed name '
            f'from "{old.name}" to "{new.name}".'
        )
        yield at(new, message, _VALUE_NUMBER)


@rule("ENUM_SAME_TYPE", "enum")
def enum_same_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No enum changes between open and closed: unknown values are kept by one and dropped by the other."""
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
    """No enum loses full JSON support (the ``json_format`` feature, proto3 to proto2): JSON clients break.

    Fix: keep the enum's ``json_format`` at ``ALLOW`` (and the file's syntax).
    """
    return _json_format(old, new, "Enum", ENUM_OPTIONS, ENUM_FEATURES)


@rule("MESSAGE_SAME_JSON_FORMAT", "message")
def message_same_json_format(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No message loses full JSON support (the ``json_format`` feature, proto3 to proto2): JSON clients break.

    Fix: keep the message's ``json_format`` at ``ALLOW`` (and the file's syntax).
    """
    return _json_format(old, new, "Message", MESSAGE_OPTIONS, MESSAGE_FEATURES)


@rule("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "message")
def message_no_remove_standard_descriptor_accessor(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No message turns on ``no_standard_descriptor_accessor``: generated code loses its descriptor() accessor."""
    before = old.proto.options.no_standard_descriptor_accessor
    after = new.proto.options.no_standard_descriptor_accessor
    if not before and after:
        message = f'Message "{new.full_name}" changed option "no_standard_descriptor_accessor" from "false" to "true".'
        yield at(new, message, MESSAGE_OPTIONS, _NO_ACCESSOR)
