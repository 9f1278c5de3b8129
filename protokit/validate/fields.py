"""Buf's static checks of a field's ``(buf.validate.field)`` rules (Buf's ``checkRulesForField`` and helpers).

Each check yields a finding as (path, message): the path runs from the rules' extension number on
(``(1159, 14, 2)`` is ``(buf.validate.field).string.min_len``), the messages are Buf's own words.  Rules
for ``repeated.items``, ``map.keys`` and ``map.values`` are checked the same way, with their base path.
CEL expressions and example values are checked by :mod:`protokit.validate.cel` and
:mod:`protokit.validate.examples`; this module hands them the rules they look at.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from google.protobuf.descriptor import FieldDescriptor

from protokit.validate.gofmt import go_quote
from protokit.validate.schema import RULES_EXTENSION, rules_schema

Finding = tuple[tuple[int, ...], str]
# FieldRules fields: the type rules by number, and the flags.
FLOAT, DOUBLE, BOOL, STRING, BYTES, ENUM, REPEATED, MAP = 1, 2, 13, 14, 15, 16, 18, 19
ANY, DURATION, TIMESTAMP, FIELD_MASK = 20, 21, 22, 28
CEL, REQUIRED, IGNORE, CEL_EXPRESSION = 23, 25, 27, 29
IGNORE_IF_ZERO_VALUE, IGNORE_ALWAYS = 1, 3
_SCALAR_RULES = {
    FieldDescriptor.TYPE_FLOAT: 1,
    FieldDescriptor.TYPE_DOUBLE: 2,
    FieldDescriptor.TYPE_INT32: 3,
    FieldDescriptor.TYPE_INT64: 4,
    FieldDescriptor.TYPE_UINT32: 5,
    FieldDescriptor.TYPE_UINT64: 6,
    FieldDescriptor.TYPE_SINT32: 7,
    FieldDescriptor.TYPE_SINT64: 8,
    FieldDescriptor.TYPE_FIXED32: 9,
    FieldDescriptor.TYPE_FIXED64: 10,
    FieldDescriptor.TYPE_SFIXED32: 11,
    FieldDescriptor.TYPE_SFIXED64: 12,
    FieldDescriptor.TYPE_BOOL: 13,
    FieldDescriptor.TYPE_STRING: 14,
    FieldDescriptor.TYPE_BYTES: 15,
    FieldDescriptor.TYPE_ENUM: 16,
}
_MESSAGE_RULES = {
    "google.protobuf.FloatValue": 1,
    "google.protobuf.DoubleValue": 2,
    "google.protobuf.Int32Value": 3,
    "google.protobuf.Int64Value": 4,
    "google.protobuf.UInt32Value": 5,
    "google.protobuf.UInt64Value": 6,
    "google.protobuf.BoolValue": 13,
    "google.protobuf.StringValue": 14,
    "google.protobuf.BytesValue": 15,
    "google.protobuf.Any": ANY,
    "google.protobuf.Duration": DURATION,
    "google.protobuf.Timestamp": TIMESTAMP,
    "google.protobuf.FieldMask": FIELD_MASK,
}
WRAPPERS = {name for name, number in _MESSAGE_RULES.items() if number <= BYTES}
# Go's names of the scalar kinds, as Buf prints a field's type.
_KIND_NAMES = {
    FieldDescriptor.TYPE_DOUBLE: "double",
    FieldDescriptor.TYPE_FLOAT: "float",
    FieldDescriptor.TYPE_INT64: "int64",
    FieldDescriptor.TYPE_UINT64: "uint64",
    FieldDescriptor.TYPE_INT32: "int32",
    FieldDescriptor.TYPE_FIXED64: "fixed64",
    FieldDescriptor.TYPE_FIXED32: "fixed32",
    FieldDescriptor.TYPE_BOOL: "bool",
    FieldDescriptor.TYPE_STRING: "string",
    FieldDescriptor.TYPE_BYTES: "bytes",
    FieldDescriptor.TYPE_UINT32: "uint32",
    FieldDescriptor.TYPE_ENUM: "enum",
    FieldDescriptor.TYPE_SFIXED32: "sfixed32",
    FieldDescriptor.TYPE_SFIXED64: "sfixed64",
    FieldDescriptor.TYPE_SINT32: "sint32",
    FieldDescriptor.TYPE_SINT64: "sint64",
}
# The number of ``const`` in each type's rules (2 in DurationRules and TimestampRules).
_CONST = {DURATION: 2, TIMESTAMP: 2}
# The numbers of const, lt, lte, gt and gte in the numeric rules.
_NUMERIC = {"const": 1, "lt": 2, "lte": 3, "gt": 4, "gte": 5}
_TIME_NUMERIC = {"const": 2, "lt": 3, "lte": 4, "gt": 5, "gte": 6}
# Durations beyond a Go time.Duration (as protovalidate-go converts them) are invalid, and these are the
# bounds its message names.
_DURATION_LIMIT = (9223372036, 854775428)
# Go's protobuf errors start with "proto:" and a space its build picks at random, a no-break one in Buf 1.75.
_PROTO_ERROR = "proto:\u00a0"
_MIN_TIMESTAMP, _MAX_TIMESTAMP = -62135596800, 253402300799


def is_repeated(field: Any) -> bool:
    """Whether the field is repeated (a map too); ``label`` is gone from newer protobuf runtimes."""
    if hasattr(field, "is_repeated"):
        return bool(field.is_repeated)
    return bool(field.label == FieldDescriptor.LABEL_REPEATED)


def is_map(field: Any) -> bool:
    """Whether the field is a map (a repeated field of a map-entry message)."""
    return is_repeated(field) and field.message_type is not None and bool(field.message_type.GetOptions().map_entry)


def pretty_type(field: Any) -> str:
    """The field's type as Buf prints it: Go's kind name, a message's full name, or ``map<K, V>``."""
    if is_map(field):
        entry = field.message_type
        return f"map<{pretty_type(entry.fields_by_name['key'])}, {pretty_type(entry.fields_by_name['value'])}>"
    if field.type in (FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_GROUP):
        return str(field.message_type.full_name)
    return _KIND_NAMES[field.type]


def known_fields(message: Any) -> list[Any]:
    """The fields set on a rules message, predefined-rule extensions left out (Buf keeps those unknown)."""
    return [f for f, _ in message.ListFields() if not f.is_extension]


class Hooks(Protocol):
    """What a field's checks call out to: one level of rules checked in full, and example values."""

    def level(self, check: FieldCheck, rules: Any) -> Iterator[Finding]:
        """Every check of one level of rules (items, keys or values), its CEL included."""
        ...

    def examples(self, check: FieldCheck, rules: Any) -> Iterator[Finding]:
        """The findings about the example values of one level of rules."""
        ...


def rule_name(path: tuple[int, ...]) -> str:
    """Buf's name of a FieldRules path: ``(buf.validate.field).string.min_len`` for ``(14, 2)``."""
    _, messages = rules_schema()
    by_number = {
        name: {number: (field, message) for field, (number, _, message) in fields.items()}
        for name, fields in messages.items()
    }
    text, current = "(buf.validate.field)", "buf.validate.FieldRules"
    for number in path:
        field, message = by_number.get(current, {}).get(number, (str(number), ""))
        text += "." + field
        if not message:
            break
        current = message
    return text


@dataclass
class FieldCheck:
    """The checks of one field's rules at one base path (``()`` for the field's own rules, ``(18, 4)`` for
    ``repeated.items``, ``(19, 4)``/``(19, 5)`` for ``map.keys``/``values``).

    ``field`` is the descriptor checked against (the map entry's key or value field for keys and values),
    ``outer`` the field whose rules these are (its name and type are what messages print), ``as_list``
    whether the rules apply to a whole repeated field; ``hooks`` checks what this module does not (CEL on
    every level, example values) and is called for each items/keys/values level.
    """

    field: Any  # FieldDescriptors (their stubs lack the newer runtime attributes used here)
    outer: Any
    base: tuple[int, ...]
    as_list: bool
    hooks: Hooks

    @property
    def target(self) -> str:
        """Which rules of the field these are: ``field``, ``items``, ``keys`` or ``values``."""
        return {(): "field", (REPEATED, 4): "items", (MAP, 4): "keys", (MAP, 5): "values"}[self.base]

    def at(self, *path: int) -> tuple[int, ...]:
        """A finding path: the extension, the base path, then ``path``."""
        return (RULES_EXTENSION, *self.base, *path)

    def name(self, *path: int) -> str:
        """Buf's name of a rule below the base path."""
        return rule_name(self.base + path)

    @property
    def quoted(self) -> str:
        """The field's name as Buf's messages quote it."""
        return go_quote(self.outer.name)

    def check_types(self, rules: Any) -> Iterator[Finding]:
        """The checks of ``rules``' type rules (a ``buf.validate.FieldRules``), items, keys and values included."""
        kind = rules.WhichOneof("type")
        if kind is None:
            return
        number = rules.DESCRIPTOR.fields_by_name[kind].number
        typed = getattr(rules, kind)
        if number == MAP:
            yield from self._map(typed)
        elif number == REPEATED:
            yield from self._repeated(typed)
        elif (mismatch := self._mismatch(number)) is not None:
            yield self.at(number), mismatch
        else:
            yield from self.hooks.examples(self, rules)
            yield from _TYPE_CHECKS.get(number, _numeric_or_none(number))(self, number, typed)

    def check_flags(self, rules: Any) -> Iterator[Finding]:
        """The checks of ``required`` and ``ignore``."""
        field, quoted = self.outer, self.quoted
        required, ignore = rules.required, rules.ignore
        if field.is_extension and required:
            yield self.at(REQUIRED), f"Field {quoted} is an extension field and cannot have {self.name(REQUIRED)}."
        if field.is_extension and ignore == IGNORE_IF_ZERO_VALUE:
            yield (
                self.at(IGNORE),
                f"Field {quoted} is an extension field and cannot have {self.name(IGNORE)}=IGNORE_IF_ZERO_VALUE.",
            )
        oneof = field.containing_oneof
        if required and oneof is not None and not _synthetic(field):
            yield (
                self.at(REQUIRED),
                f"Field {quoted} has {self.name(REQUIRED)} but is in a oneof ({oneof.name}). "
                f"Oneof fields must not have {self.name(REQUIRED)}.",
            )
        if ignore == IGNORE_ALWAYS and len(known_fields(rules)) > 1:
            yield (
                self.at(IGNORE),
                f"Field {quoted} has {self.name(IGNORE)}=IGNORE_ALWAYS and therefore other rules in "
                f"{self.name()} are not applied and should be removed.",
            )
        if required and ignore == IGNORE_IF_ZERO_VALUE:
            message = (
                f"Field {quoted} has both {self.name(REQUIRED)} and {self.name(IGNORE)}=IGNORE_IF_ZERO_VALUE. "
                "A field cannot be empty if it is required."
            )
            yield self.at(REQUIRED), message
            yield self.at(IGNORE), message
        if ignore == IGNORE_IF_ZERO_VALUE and _has_presence(self.field) and not field.is_extension:
            yield (
                self.at(IGNORE),
                f"Field {quoted} has {self.name(IGNORE)}=IGNORE_IF_ZERO_VALUE and tracks presence. "
                "This is the same as the default and the ignore option can be removed.",
            )

    def _mismatch(self, number: int) -> str | None:
        """Buf's message when type rules ``number`` do not fit the field, else None."""
        if self.as_list and is_repeated(self.outer):
            return (
                f"Field {self.quoted} is of type repeated {pretty_type(self.outer)} but has {self.name(number)} rules."
            )
        field = self.field
        if field.type in (FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_GROUP):
            fits = _MESSAGE_RULES.get(field.message_type.full_name) == number
        else:
            fits = _SCALAR_RULES.get(field.type) == number
        if fits:
            return None
        return f"Field {self.quoted} is of type {pretty_type(self.outer)} but has {self.name(number)} rules."

    def _repeated(self, rules: Any) -> Iterator[Finding]:
        quoted = self.quoted
        if not is_repeated(self.field) or is_map(self.field):
            yield self.at(REPEATED), f"Field {quoted} is not repeated but has {self.name(REPEATED)} rules."
            return
        field = self.outer
        if rules.unique and field.message_type is not None and field.message_type.full_name not in WRAPPERS:
            yield (
                self.at(REPEATED, 3),
                f"Field {quoted} is of type {pretty_type(field)} but has {self.name(REPEATED, 3)} set to true, "
                "which is only allowed for scalar types and wrapper types.",
            )
        if rules.HasField("min_items") and rules.HasField("max_items") and rules.min_items > rules.max_items:
            yield from self._min_max((REPEATED, 1), rules.min_items, (REPEATED, 2), rules.max_items)
        if rules.HasField("items"):
            if rules.items.required:
                name = self.name(REPEATED, 4, REQUIRED)
                yield (
                    self.at(REPEATED, 4, REQUIRED),
                    f"Field {quoted} has {name} on repeated item rules, which is unenforceable. "
                    f"The {name} constraint cannot be applied to individual items in a repeated field.",
                )
            items = FieldCheck(self.field, self.outer, (REPEATED, 4), False, self.hooks)
            yield from self.hooks.level(items, rules.items)

    def _map(self, rules: Any) -> Iterator[Finding]:
        quoted = self.quoted
        if not is_map(self.field):
            yield self.at(MAP), f"Field {quoted} is not a map but has {self.name(MAP)}."
            return
        if rules.HasField("min_pairs") and rules.HasField("max_pairs") and rules.min_pairs > rules.max_pairs:
            yield from self._min_max((MAP, 1), rules.min_pairs, (MAP, 2), rules.max_pairs)
        entry = self.field.message_type
        for number, part, words in ((4, "key", "map key"), (5, "value", "map value")):
            name_of = "keys" if number == 4 else "values"
            if not rules.HasField(name_of):
                continue
            inner = getattr(rules, name_of)
            if inner.required:
                name = self.name(MAP, number, REQUIRED)
                yield (
                    self.at(MAP, number, REQUIRED),
                    f"Field {quoted} has {name} on {words} rules, which is unenforceable. "
                    f"The {name} constraint cannot be applied to {words}s.",
                )
            check = FieldCheck(entry.fields_by_name[part], self.outer, (MAP, number), False, self.hooks)
            yield from self.hooks.level(check, inner)

    def _min_max(
        self, low: tuple[int, ...], low_value: int, high: tuple[int, ...], high_value: int
    ) -> Iterator[Finding]:
        """A minimum above a maximum, reported at both."""
        quoted, low_name, high_name = self.quoted, self.name(*low), self.name(*high)
        yield (
            self.at(*low),
            f"Field {quoted} has value {low_value} for {low_name}, which must be lower than value {high_value} "
            f"for {high_name}.",
        )
        yield (
            self.at(*high),
            f"Field {quoted} has value {high_value} for {high_name}, which must be higher than value {low_value} "
            f"for {low_name}.",
        )

    def const(self, number: int, rules: Any) -> Iterator[Finding]:
        """``const`` beside other rules of the same type."""
        const = _CONST.get(number, 1)
        if rules.HasField("const") and len(known_fields(rules)) > 1:
            yield (
                self.at(number, const),
                f"Field {self.quoted} has {self.name(number, const)}, therefore other rules in {self.name(number)} "
                "are not applied and should be removed.",
            )

    def lengths(self, number: int, rules: Any, exact: str, low: str, high: str) -> Iterator[Finding]:
        """An exact length beside a minimum or maximum, and a minimum above or equal to a maximum."""
        numbers = {f.name: f.number for f in rules.DESCRIPTOR.fields}
        quoted = self.quoted
        if rules.HasField(exact):
            for bound in (low, high):
                if rules.HasField(bound):
                    yield (
                        self.at(number, numbers[bound]),
                        f"Field {quoted} has {self.name(number, numbers[exact])} and therefore, "
                        f"{self.name(number, numbers[bound])} is redundant and should be removed.",
                    )
        if not (rules.HasField(low) and rules.HasField(high)):
            return
        low_value, high_value = getattr(rules, low), getattr(rules, high)
        if low_value > high_value:
            yield from self._min_max((number, numbers[low]), low_value, (number, numbers[high]), high_value)
        elif low_value == high_value:
            message = (
                f"Field {quoted} has equal {self.name(number, numbers[low])} and {high}, "
                f"use {self.name(number)}.{exact} instead."
            )
            yield self.at(number, numbers[low]), message
            yield self.at(number, numbers[high]), message

    def pattern(self, number: int, rules: Any, pattern_number: int) -> Iterator[Finding]:
        """A ``pattern`` Go's regexp package cannot compile."""
        from protokit.validate.goregexp import go_regexp_error

        if rules.HasField("pattern") and (error := go_regexp_error(rules.pattern)) is not None:
            yield (
                self.at(number, pattern_number),
                f"Field {self.quoted} has a {self.name(number, pattern_number)} that fails to compile: {error}.",
            )


def _synthetic(field: Any) -> bool:
    """Whether the field's oneof is the synthetic one of a proto3 ``optional`` field."""
    oneof = field.containing_oneof
    return (
        oneof is not None
        and len(oneof.fields) == 1
        and bool(getattr(field, "has_presence", False))
        and (oneof.name == "_" + field.name)
    )


def _has_presence(field: Any) -> bool:
    """Whether the field tracks presence (a repeated field, checked as a whole or item by item, never does)."""
    return not is_repeated(field) and bool(field.has_presence)


def _numeric_or_none(number: int) -> Callable[[FieldCheck, int, Any], Iterator[Finding]]:
    return _numbers if 1 <= number <= 12 else _nothing


def _nothing(check: FieldCheck, number: int, rules: Any) -> Iterator[Finding]:
    return iter(())


def _numbers(check: FieldCheck, number: int, rules: Any) -> Iterator[Finding]:
    yield from _bounds(check, number, rules, _NUMERIC, None)
    if number not in (FLOAT, DOUBLE):
        return
    quoted = check.quoted
    for name, sub in _NUMERIC.items():
        if rules.HasField(name) and math.isnan(getattr(rules, name)):
            yield (
                check.at(number, sub),
                f"Field {quoted} has {check.name(number, sub)} set to NaN. Comparisons with NaN are always false, "
                "so this rule can never be satisfied.",
            )
    for name, sub, effect in (("in", 6, "can never match"), ("not_in", 7, "has no effect")):
        for index, value in enumerate(getattr(rules, name)):
            if math.isnan(value):
                yield (
                    check.at(number, sub, index),
                    f"Field {quoted} has NaN in {check.name(number, sub)}. Comparisons with NaN are always false, "
                    f"so this entry {effect}.",
                )


def _bounds(
    check: FieldCheck, number: int, rules: Any, numbers: dict[str, int], invalid: Callable[[Any], str | None] | None
) -> Iterator[Finding]:
    """Invalid duration or timestamp bounds, ``const`` beside other rules, and equal lower and upper bounds."""
    valid: dict[str, Any] = {}
    for name, sub in numbers.items():
        if not rules.HasField(name):
            continue
        value = getattr(rules, name)
        reason = invalid(value) if invalid else None
        if reason is not None:
            yield check.at(number, sub), f"Field {check.quoted} has an invalid {check.name(number, sub)}: {reason}."
        else:
            valid[name] = (value.seconds, value.nanos) if invalid else value
    if "const" in valid:  # an invalid duration or timestamp is no constant to Buf
        yield from check.const(number, rules)
    lower = next((name for name in ("gt", "gte") if rules.HasField(name)), None)
    upper = next((name for name in ("lt", "lte") if rules.HasField(name)), None)
    if lower is None or upper is None or lower not in valid or upper not in valid:
        return
    if valid[lower] != valid[upper]:
        return
    low_name, high_name = check.name(number, numbers[lower]), check.name(number, numbers[upper])
    if lower == "gte" and upper == "lte":
        message = f"Field {check.quoted} has equal {low_name} and {high_name}, use {check.name(number)}.const instead."
    else:
        message = f"Field {check.quoted} has equal {low_name} and {high_name}. All values are rejected by these checks."
    yield check.at(number, numbers[lower]), message
    yield check.at(number, numbers[upper]), message


def duration_text(value: Any) -> str:
    """Go's compact text of a Duration or Timestamp: ``seconds:1 nanos:-1`` (zero fields left out)."""
    parts = [f"seconds:{value.seconds}"] if value.seconds else []
    parts += [f"nanos:{value.nanos}"] if value.nanos else []
    return " ".join(parts)


def duration_problem(value: Any) -> str | None:
    """Why a Duration is invalid, in Go's words, or None."""
    seconds, nanos = value.seconds, value.nanos
    text = duration_text(value)
    if nanos <= -1_000_000_000 or nanos >= 1_000_000_000:
        return f"duration ({text}) must have nanos in the range 0 to 999999999"
    if (seconds > 0 and nanos < 0) or (seconds < 0 and nanos > 0):
        return f"duration ({text}) has seconds and nanos with different signs"
    limit_seconds, limit_nanos = _DURATION_LIMIT
    if abs(seconds) > limit_seconds or (abs(seconds) == limit_seconds and abs(nanos) > limit_nanos):
        return (
            f"duration ({text}) must be in the range seconds:-{limit_seconds} nanos:-{limit_nanos} "
            f"to seconds:{limit_seconds} nanos:{limit_nanos}"
        )
    return None


def beyond_cel(value: Any, timestamp: bool = False) -> bool:
    """Whether a Duration (or Timestamp) lies outside what CEL can hold, so that protovalidate refuses rules
    that name it (a Duration whose nanos are merely out of range is normalised, and accepted)."""
    if timestamp:
        return not _MIN_TIMESTAMP <= value.seconds <= _MAX_TIMESTAMP
    return abs(value.seconds * 1_000_000_000 + value.nanos) > 2**63 - 1


def timestamp_problem(value: Any) -> str | None:
    """Why a Timestamp is invalid, in Go's words (``proto:`` included), or None."""
    text = duration_text(value)
    if value.seconds < _MIN_TIMESTAMP:
        return f"{_PROTO_ERROR}timestamp ({text}) before 0001-01-01"
    if value.seconds > _MAX_TIMESTAMP:
        return f"{_PROTO_ERROR}timestamp ({text}) after 9999-12-31"
    if value.nanos < 0 or value.nanos >= 1_000_000_000:
        return f"{_PROTO_ERROR}timestamp ({text}) has out-of-range nanos"
    return None


def _strings(check: FieldCheck, number: int, rules: Any) -> Iterator[Finding]:
    yield from check.const(number, rules)
    yield from check.lengths(number, rules, "len", "min_len", "max_len")
    yield from check.lengths(number, rules, "len_bytes", "min_bytes", "max_bytes")
    quoted = check.quoted
    if rules.HasField("min_len") and rules.HasField("max_bytes") and rules.max_bytes < rules.min_len:
        low, high = rules.min_len, rules.max_bytes
        tail = f"A string with {low} UTF-8 characters has at least {low} bytes, which is higher than {high} bytes."
        yield (
            check.at(number, 2),
            f"Field {quoted} has value {low} for {check.name(number, 2)}, which must be lower than value {high} "
            f"for {check.name(number, 5)}. {tail}",
        )
        yield (
            check.at(number, 5),
            f"Field {quoted} has value {high} for {check.name(number, 5)}, which must be higher than value {low} "
            f"for {check.name(number, 2)}. {tail}",
        )
    if rules.HasField("max_len") and rules.HasField("min_bytes") and rules.max_len * 4 < rules.min_bytes:
        most, least = rules.max_len, rules.min_bytes
        tail = f"A string with {most} UTF-8 characters has at most {most * 4} bytes."
        yield (
            check.at(number, 4),
            f"Field {quoted} has value {least} for {check.name(number, 4)} but {most} for "
            f"{check.name(number, 3)}. {tail}",
        )
        yield (
            check.at(number, 3),
            f"Field {quoted} has value {most} for {check.name(number, 3)} but {least} for "
            f"{check.name(number, 4)}. {tail}",
        )
    for name, sub in (("prefix", 7), ("suffix", 8), ("contains", 9)):
        if rules.HasField(name):
            yield from _substring(check, number, sub, getattr(rules, name), rules)
    yield from check.pattern(number, rules, 6)
    if rules.HasField("strict") and not rules.strict and rules.well_known_regex == 0:
        strict, regex = check.name(number, 25), check.name(number, 24)
        yield (
            check.at(number, 25),
            f"Field {quoted} has {strict} without {regex}. {strict} only applies to {regex} and is invalid without it.",
        )


def _substring(check: FieldCheck, number: int, sub: int, value: str, rules: Any) -> Iterator[Finding]:
    quoted, name = check.quoted, check.name(number, sub)
    runes, size = len(value), len(value.encode("utf-8"))
    if rules.HasField("max_len") and runes > rules.max_len:
        yield (
            check.at(number, sub),
            f"Field {quoted} has a {name} of length {runes}, exceeding its max_len ({rules.max_len}). It is "
            f"impossible for a string to contain {go_quote(value)} while having less than or equal to {runes} "
            "UTF-8 characters.",
        )
    if rules.HasField("max_bytes") and size > rules.max_bytes:
        yield (
            check.at(number, sub),
            f"Field {quoted} has a {name} of {size} bytes, exceeding its max_bytes ({rules.max_bytes}). It is "
            f"impossible for a string to contain {go_quote(value)} while having less than or equal to {size} bytes.",
        )
    if rules.HasField("not_contains") and rules.not_contains in value:
        other = go_quote(rules.not_contains)
        yield (
            check.at(number, sub),
            f"Field {quoted} has a {name} ({go_quote(value)}) containing its not_contains ({other}). It is "
            f"impossible for a string to contain {go_quote(value)} without containing {other}.",
        )


def _bytes(check: FieldCheck, number: int, rules: Any) -> Iterator[Finding]:
    yield from check.const(number, rules)
    yield from check.lengths(number, rules, "len", "min_len", "max_len")
    for name, sub in (("prefix", 5), ("suffix", 6), ("contains", 7)):
        value = getattr(rules, name)
        if rules.HasField(name) and rules.HasField("max_len") and len(value) > rules.max_len:
            yield (
                check.at(number, sub),
                f"Field {check.quoted} has a {check.name(number, sub)} of {len(value)} bytes, exceeding its max_len "
                f"({rules.max_len}). It is impossible to contain {go_quote(value)} while having less than or equal "
                f"to {rules.max_len} bytes.",
            )
    yield from check.pattern(number, rules, 4)


def _enum(check: FieldCheck, number: int, rules: Any) -> Iterator[Finding]:
    yield from check.const(number, rules)


def _duration(check: FieldCheck, number: int, rules: Any) -> Iterator[Finding]:
    yield from _bounds(check, number, rules, _TIME_NUMERIC, duration_problem)


def _timestamp(check: FieldCheck, number: int, rules: Any) -> Iterator[Finding]:
    yield from _bounds(check, number, rules, _TIME_NUMERIC, timestamp_problem)
    quoted = check.quoted
    if rules.lt_now and rules.gt_now:
        message = (
            f"Field {quoted} has both {check.name(number, 8)} and {check.name(number, 7)}. "
            "A timestamp cannot be both before and after validation time."
        )
        yield check.at(number, 8), message
        yield check.at(number, 7), message
    if rules.HasField("within"):
        within = rules.within
        reason = duration_problem(within)
        if reason is not None:
            yield check.at(number, 9), f"Field {quoted} has an invalid {check.name(number, 9)}: {reason}."
        elif within.seconds <= 0 and within.nanos <= 0:
            yield (
                check.at(number, 9),
                f"Field {quoted} must have a positive {check.name(number, 9)} ({duration_text(within)}).",
            )


def _field_mask(check: FieldCheck, number: int, rules: Any) -> Iterator[Finding]:
    yield from check.const(number, rules)
    excluded = set(rules.not_in)
    for path in getattr(rules, "in"):
        if path in excluded:
            yield check.at(number, 2), f"Field {check.quoted} has path {go_quote(path)} in both in and not_in rules."


_TYPE_CHECKS: dict[int, Callable[[FieldCheck, int, Any], Iterator[Finding]]] = {
    STRING: _strings,
    BYTES: _bytes,
    ENUM: _enum,
    ANY: _nothing,
    DURATION: _duration,
    TIMESTAMP: _timestamp,
    FIELD_MASK: _field_mask,
    BOOL: _nothing,
}
