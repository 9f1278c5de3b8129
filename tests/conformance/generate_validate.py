"""Seeded generator of random trees whose fields carry protovalidate rules, for the ``validate`` fuzz kind.

A case is a v2 workspace: module ``proto`` (lint ``PROTOVALIDATE``, sometimes ``STANDARD``) with one or two files
of messages whose fields, oneofs and messages carry random ``(buf.validate.field|oneof|message)`` options, maybe a
proto2 file of predefined rule extensions, and module ``vendor`` holding protokit's copy of
``buf/validate/validate.proto``.  Rules usually fit their field's type and sometimes do not; bounds are often equal
or inverted; strings, patterns, durations, timestamps and CEL expressions come from pools of valid and broken
values.  Every value fits its option's type, so (nearly) every tree compiles.  Options are written as dotted
entries or as message literals, at random.

Everything is drawn from one ``random.Random(seed)``: the same seed always gives the same case.  Used by
``fuzz.py``; ``validate_case(seed)`` is the entry point.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Tree = dict[str, str]
# A rule tree: option field name (or ``(ext.name)``) -> literal text, list of literals, sub-tree or list of sub-trees.
Rules = dict[str, "RuleValue"]
RuleValue = str | list[str] | dict[str, "RuleValue"] | list[dict[str, "RuleValue"]]

VALIDATE_PROTO = Path(__file__).resolve().parents[2] / "protokit/validate/proto/buf/validate/validate.proto"
VALIDATE_PATH = "vendor/buf/validate/validate.proto"

INT_RANGES = {
    **dict.fromkeys(("int32", "sint32", "sfixed32"), (-(2**31), 2**31 - 1)),
    **dict.fromkeys(("int64", "sint64", "sfixed64"), (-(2**63), 2**63 - 1)),
    **dict.fromkeys(("uint32", "fixed32"), (0, 2**32 - 1)),
    **dict.fromkeys(("uint64", "fixed64"), (0, 2**64 - 1)),
}
FLOATS = ("float", "double")
SCALARS = [*INT_RANGES, *FLOATS, "bool", "string", "bytes"]
WRAPPERS = {"DoubleValue": "double", "FloatValue": "float", "Int64Value": "int64", "UInt64Value": "uint64",
            "Int32Value": "int32", "UInt32Value": "uint32", "BoolValue": "bool", "StringValue": "string",
            "BytesValue": "bytes"}  # fmt: skip
WKT_RULES = {"Duration": "duration", "Timestamp": "timestamp", "FieldMask": "field_mask", "Any": "any"}
WKT_FILES = {"Duration": "duration", "Timestamp": "timestamp", "FieldMask": "field_mask", "Any": "any",
             **dict.fromkeys(WRAPPERS, "wrappers")}  # fmt: skip
MAP_KEYS = ["string", "int32", "int64", "uint32", "uint64", "sint32", "fixed64", "sfixed32", "bool"]
RULE_KINDS = [*SCALARS, "enum", "repeated", "map", "any", "duration", "timestamp", "field_mask"]
RULES_MESSAGES = {"float": "FloatRules", "double": "DoubleRules", "int32": "Int32Rules", "int64": "Int64Rules",
                  "uint32": "UInt32Rules", "uint64": "UInt64Rules", "sint32": "SInt32Rules", "sint64": "SInt64Rules",
                  "fixed32": "Fixed32Rules", "fixed64": "Fixed64Rules", "sfixed32": "SFixed32Rules",
                  "sfixed64": "SFixed64Rules", "bool": "BoolRules", "string": "StringRules", "bytes": "BytesRules",
                  "enum": "EnumRules", "repeated": "RepeatedRules", "map": "MapRules",
                  "duration": "DurationRules", "timestamp": "TimestampRules"}  # fmt: skip

STRINGS = ["a", "ab", "abc", "abcdef", "", "x\"y", "日本", "é", "a\\b", "line\nbreak", "hello world", "tab\t",
           "foo@example.com", "127.0.0.1", "ZZ"]  # fmt: skip
BYTES = [b"a", b"ab", b"\x00\xff", b"", b"abc", b"\x01\x02\x03\x04", b"\xe6\x97\xa5"]
PATTERNS = ["^[a-z]+$", "\\d+", "(?i)abc", "\\Qa.b\\E", "(?P<n>a)(?P<n>b)", "^$", "a{2,3}", "[[:alpha:]]", "\\z",
            "(abc", "a**", "[z-a]", "\\p{Foo}", "(?<name>x)(?=y)", "\\8", "a{1001}", "x)", "[a", "*", "a{2,1}",
            "(?i", "\\", "a{,5}", "\\pN+"]  # fmt: skip
FLOAT_VALUES = ["0", "1", "1.5", "-2.5", "0.1", "1e20", "-0.0", "nan", "inf", "-inf", "3", "10", "-1", "1e-7"]
DURATIONS = ["{seconds: 1}", "{seconds: -1}", "{nanos: 5}", "{}", "{seconds: 1 nanos: 500}", "{seconds: 60}",
             "{nanos: 1000000000}", "{seconds: 1 nanos: -1}", "{seconds: 315576000001}", "{nanos: -5}",
             "{seconds: -2 nanos: -3}", "{seconds: 3600}"]  # fmt: skip
TIMESTAMPS = ["{seconds: 100}", "{seconds: 0}", "{seconds: -62135596801}", "{seconds: 253402300800}", "{nanos: -1}",
              "{seconds: 1700000000}", "{seconds: 100 nanos: 1000000000}", "{seconds: 5 nanos: 7}"]  # fmt: skip
FIELD_PATHS = ["a", "b.c", "name", "x_y", "", "a"]
TYPE_URLS = ["type.googleapis.com/google.protobuf.Duration", "type.googleapis.com/acme.v1.Thing", "x"]
CEL_IDS = ["a", "a", "my.id", "x-y_z", "bad id", "é", "", "rule_1", "b"]
CEL_MESSAGES = ["", "must be ok", "bad value"]
CEL_ANY = ["true", "1 == 1", "'ok'", "1", "", "  ", "this +", "nope > 0", "this == this", "rules.min_len > 0",
           "now > timestamp('2020-01-01T00:00:00Z')", "'%d'.format([1])", "'%q'.format([1])", "'%s %s'.format([1])",
           "[1, 2, 3].unique()", "has(this)", "size(this) > 0", "this > 0", "this.size() > 0", "this.startsWith('a')",
           "this.isNan()", "this.isEmail()", "string(this) != ''", "this.all(x, x > 0)", "'x' + 1", "[1, 'a']",
           "{'a': 1}", "null", "1u < 2", "this.matches('^a')", "int(this) > 0", "this.x == 1",
           "getField(this, 'x') == 1", "this in [1, 2]", "dyn(this) == 1", "'%.3f'.format([this])",
           "type(this) == int", "this.isHostname()", "this.lowerAscii() == 'a'", "this < 1.5", "this == 1u",
           "duration('1s') < duration('2s')", "this != '' ? '' : 'empty'", "this.exists(k, k == 'a')",
           "this > duration('1s')", "this < now", "this.paths.size() > 0", "this.isIp(4)", "'\\\\d'.size() > 0",
           "this.endsWith(b'x')", "this.isInf()", "this.size() < 10 && this.size() > 2", "!this",
           "this.map(x, x).size() > 0", "[this].size() == 1", "this.filter(x, x > 1).size() == 0"]  # fmt: skip
CEL_MESSAGE = ["this.{f} == this.{f}", "has(this.{f})", "this.nope == 1", "size(this.{f}) > 0", "this.{f} > 0",
               "this.{f}.size() > 0 ? 'bad' : ''", "true", "''", "1", "", "this.{f} +", "this == this",
               "has(this.{f}) || has(this.{g})", "this.{f} != this.{g}", "this.{f}"]  # fmt: skip
CEL_PREDEFINED = ["this.size() < rule", "rule > 0", "this > rule", "rules.min_len > 0", "rule", "this == rule",
                  "''", "this + rule", "rule ? this.size() > 0 : true", "now > now", "this.all(x, x != rule)",
                  "bad"]  # fmt: skip
NAMES = ["name", "id", "count", "ratio", "tags", "labels", "when", "span", "mask", "blob", "flag", "kind", "detail",
         "extra", "score", "items", "nums", "code", "note", "value"]  # fmt: skip


@dataclass
class VField:
    """One field: its type (a scalar, a local enum or message, or a WKT name), label, map key and rules."""

    name: str
    number: int
    type: str
    label: str = ""  # "", "optional", "required", "repeated"
    key: str = ""  # map key type; ``type`` is then the value type
    rules: Rules = field(default_factory=dict)


@dataclass
class VMessage:
    """A message: fields, real oneofs (name -> fields), message rules and oneof rules."""

    name: str
    fields: list[VField] = field(default_factory=list)
    oneofs: dict[str, list[VField]] = field(default_factory=dict)
    rules: Rules = field(default_factory=dict)
    oneof_rules: dict[str, Rules] = field(default_factory=dict)


@dataclass
class Extension:
    """A predefined rule: ``extend buf.validate.<extendee> { <label> <type> <name> = <number> [...] }``."""

    extendee: str  # the rule kind: "string", "int32", ...
    type: str
    name: str
    number: int
    repeated: bool
    cel: list[Rules]


@dataclass
class Context:
    """What rule generation needs: the random source, the file's syntax, package and predefined rules."""

    rng: random.Random
    syntax: str
    package: str
    extensions: list[Extension]
    enums: list[str]
    messages: list[str]
    # False for a field Buf 1.75 cannot build examples for (it panics): a wrapper, or a list or map of enums/messages.
    plain: bool = True


@functools.cache
def validate_proto() -> str:
    """protokit's copy of Buf's ``buf/validate/validate.proto`` (read once)."""
    return VALIDATE_PROTO.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------------
# Literals


def quote(text: str) -> str:
    """``text`` as a protobuf string literal (escaped quotes, backslashes and control characters)."""
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}
    return '"' + "".join(escapes.get(c, c if c >= " " else f"\\x{ord(c):02x}") for c in text) + '"'


def quote_bytes(data: bytes) -> str:
    """``data`` as a protobuf bytes literal."""
    out = []
    for b in data:
        c = chr(b)
        out.append("\\\\" if c == "\\" else '\\"' if c == '"' else c if 32 <= b < 127 else f"\\x{b:02x}")
    return '"' + "".join(out) + '"'


def int_value(rng: random.Random, kind: str, near: int | None = None) -> int:
    """A value of integer rule kind ``kind``: small, an extreme, or close to ``near``."""
    low, high = INT_RANGES[kind]
    pool = [0, 1, 2, 3, 5, 10, 100, -1, -5, low, high]
    if near is not None:
        pool += [near] * 6 + [near - 1, near + 1] * 2
    return min(max(rng.choice(pool), low), high)


def scalar_value(rng: random.Random, kind: str, near: str | None = None, plain: bool = True) -> str:
    """A literal of scalar rule kind ``kind`` (often ``near`` itself, to make bounds equal).

    Bytes are valid UTF-8 unless ``plain``: Buf 1.75 fails on other bytes in the rules of a BytesValue field.
    """
    if kind in INT_RANGES:
        return str(int_value(rng, kind, int(near) if near is not None and near.lstrip("-").isdigit() else None))
    if kind in FLOATS:
        return near if near is not None and rng.random() < 0.4 else rng.choice(FLOAT_VALUES)
    if kind == "bool":
        return rng.choice(["true", "false"])
    if kind == "string":
        return quote(rng.choice(STRINGS))
    return quote_bytes(rng.choice(BYTES if plain else [b for b in BYTES if _utf8(b)]))


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def length(rng: random.Random, near: str | None = None) -> str:
    """A uint64 length (often equal to ``near``)."""
    if near is not None and rng.random() < 0.35:
        return near
    return str(rng.choice([0, 1, 2, 3, 4, 5, 8, 10, 100]))


# ---------------------------------------------------------------------------------------------------------------------
# Rules


def bounds(ctx: Context, rules: Rules, lows: list[str], highs: list[str], value: Callable[[str | None], str]) -> None:
    """Maybe a lower and an upper bound (one of each oneof), often equal or inverted; ``value(near)`` draws one."""
    rng = ctx.rng
    low = value(None) if rng.random() < 0.55 else None
    if low is not None:
        rules[rng.choice(lows)] = low
    if rng.random() < 0.55:
        rules[rng.choice(highs)] = value(low if rng.random() < 0.5 else None)


def listed(ctx: Context, rules: Rules, names: list[str], value: Callable[[], str], chance: float = 0.2) -> None:
    """Maybe 1-3 values for each repeated rule in ``names``."""
    for name in names:
        if ctx.rng.random() < chance:
            rules[name] = [value() for _ in range(ctx.rng.randint(1, 3))]


def numeric_rules(ctx: Context, kind: str) -> Rules:
    """Rules of a number kind: const, bounds, in/not_in, finite, examples."""
    rng = ctx.rng
    rules: Rules = {}
    if rng.random() < 0.2:
        rules["const"] = scalar_value(rng, kind)
    bounds(ctx, rules, ["gt", "gte"], ["lt", "lte"], lambda near: scalar_value(rng, kind, near))
    listed(ctx, rules, ["in", "not_in"], lambda: scalar_value(rng, kind))
    if kind in FLOATS and rng.random() < 0.2:
        rules["finite"] = rng.choice(["true", "false"])
    return rules


def string_rules(ctx: Context) -> Rules:
    """StringRules: const, lengths, substrings, pattern, in/not_in, one well-known format, strict."""
    rng = ctx.rng
    rules: Rules = {}
    if rng.random() < 0.1:
        rules["const"] = scalar_value(rng, "string")
    for group in (("len", "min_len", "max_len"), ("len_bytes", "min_bytes", "max_bytes")):
        previous = None
        for name in group:
            if rng.random() < (0.3 if name.endswith("len") else 0.15):
                rules[name] = previous = length(rng, previous)
    for name in ("prefix", "suffix", "contains", "not_contains"):
        if rng.random() < 0.2:
            rules[name] = scalar_value(rng, "string")
    if rng.random() < 0.3:
        rules["pattern"] = quote(rng.choice(PATTERNS))
    listed(ctx, rules, ["in", "not_in"], lambda: scalar_value(rng, "string"), 0.15)
    if rng.random() < 0.2:
        known = ["email", "hostname", "ip", "ipv4", "ipv6", "uri", "uri_ref", "address", "uuid", "tuuid", "ulid",
                 "ip_with_prefixlen", "ip_prefix", "host_and_port", "protobuf_fqn", "well_known_regex"]  # fmt: skip
        name = rng.choice(known)
        rules[name] = (
            rng.choice(["KNOWN_REGEX_HTTP_HEADER_NAME", "KNOWN_REGEX_HTTP_HEADER_VALUE", "KNOWN_REGEX_UNSPECIFIED"])
            if name == "well_known_regex"
            else rng.choice(["true", "true", "false"])
        )
    if rng.random() < 0.15:
        rules["strict"] = rng.choice(["true", "false"])
    return rules


def bytes_rules(ctx: Context) -> Rules:
    """BytesRules: const, lengths, sub-bytes, pattern, in/not_in, one well-known format."""
    rng = ctx.rng
    rules: Rules = {}
    value = lambda: scalar_value(rng, "bytes", plain=ctx.plain)  # noqa: E731
    if rng.random() < 0.1:
        rules["const"] = value()
    previous = None
    for name in ("len", "min_len", "max_len"):
        if rng.random() < 0.3:
            rules[name] = previous = length(rng, previous)
    for name in ("prefix", "suffix", "contains"):
        if rng.random() < 0.2:
            rules[name] = value()
    if rng.random() < 0.2:
        rules["pattern"] = quote(rng.choice(PATTERNS))
    listed(ctx, rules, ["in", "not_in"], value, 0.15)
    if rng.random() < 0.15:
        rules[rng.choice(["ip", "ipv4", "ipv6", "uuid"])] = rng.choice(["true", "false"])
    return rules


def enum_rules(ctx: Context) -> Rules:
    """EnumRules: const, defined_only, in/not_in."""
    rng = ctx.rng
    rules: Rules = {}
    value = lambda: str(rng.choice([0, 1, 2, 5, -1]))  # noqa: E731
    if rng.random() < 0.25:
        rules["const"] = value()
    if rng.random() < 0.4:
        rules["defined_only"] = rng.choice(["true", "false"])
    listed(ctx, rules, ["in", "not_in"], value, 0.3)
    return rules


def duration_rules(ctx: Context) -> Rules:
    """DurationRules: const, bounds, in/not_in (valid and invalid durations)."""
    rng = ctx.rng
    rules: Rules = {}
    value = lambda near: near if near is not None and rng.random() < 0.5 else rng.choice(DURATIONS)  # noqa: E731
    if rng.random() < 0.2:
        rules["const"] = value(None)
    bounds(ctx, rules, ["gt", "gte"], ["lt", "lte"], value)
    listed(ctx, rules, ["in", "not_in"], lambda: value(None), 0.15)
    return rules


def timestamp_rules(ctx: Context) -> Rules:
    """TimestampRules: const, bounds (or lt_now/gt_now), within."""
    rng = ctx.rng
    rules: Rules = {}
    value = lambda near: near if near is not None and rng.random() < 0.5 else rng.choice(TIMESTAMPS)  # noqa: E731
    if rng.random() < 0.2:
        rules["const"] = value(None)
    bounds(ctx, rules, ["gt", "gte"], ["lt", "lte"], value)
    for name, other in (("lt_now", ("lt", "lte")), ("gt_now", ("gt", "gte"))):
        if not any(o in rules for o in other) and rng.random() < 0.25:
            rules[name] = rng.choice(["true", "true", "false"])
    if rng.random() < 0.25:
        rules["within"] = rng.choice(DURATIONS)
    return rules


def field_mask_rules(ctx: Context) -> Rules:
    """FieldMaskRules: const, in/not_in (often overlapping)."""
    rng = ctx.rng
    rules: Rules = {}
    if rng.random() < 0.3:
        rules["const"] = mask_literal(rng)
    listed(ctx, rules, ["in", "not_in"], lambda: quote(rng.choice(FIELD_PATHS)), 0.4)
    return rules


def mask_literal(rng: random.Random) -> str:
    """A FieldMask message literal."""
    paths = ", ".join(quote(rng.choice(FIELD_PATHS)) for _ in range(rng.randint(0, 2)))
    return f"{{paths: [{paths}]}}"


def any_rules(ctx: Context) -> Rules:
    """AnyRules: in/not_in type URLs."""
    rules: Rules = {}
    listed(ctx, rules, ["in", "not_in"], lambda: quote(ctx.rng.choice(TYPE_URLS)), 0.5)
    return rules


def example_value(rng: random.Random, kind: str) -> str | None:
    """An ``example`` literal of rule kind ``kind`` (None: the kind has no examples)."""
    if kind in SCALARS:
        return scalar_value(rng, kind)
    return {
        "enum": lambda: str(rng.choice([0, 1, 2, 7])),
        "duration": lambda: rng.choice(DURATIONS),
        "timestamp": lambda: rng.choice(TIMESTAMPS),
        "field_mask": lambda: mask_literal(rng),
    }.get(kind, lambda: None)()


def type_rules(ctx: Context, kind: str, element: VField, depth: int) -> Rules:
    """The rules message of ``kind`` for a field (or element) like ``element``."""
    rng = ctx.rng
    if kind in INT_RANGES or kind in FLOATS:
        rules = numeric_rules(ctx, kind)
    elif kind == "bool":
        rules = {"const": scalar_value(rng, "bool")} if rng.random() < 0.4 else {}
    elif kind == "repeated":
        rules = collection_rules(ctx, element, depth, "items")
    elif kind == "map":
        rules = collection_rules(ctx, element, depth, "pairs")
    else:
        makers = {"string": string_rules, "bytes": bytes_rules, "enum": enum_rules, "duration": duration_rules,
                  "timestamp": timestamp_rules, "field_mask": field_mask_rules, "any": any_rules}  # fmt: skip
        rules = makers[kind](ctx)
    chance = 0.35 if ctx.plain else 0.0
    examples = [example_value(rng, kind) for _ in range(rng.randint(1, 2))] if rng.random() < chance else []
    if examples and examples[0] is not None:
        rules["example"] = [e for e in examples if e is not None]
    for ext in ctx.extensions:
        if ext.extendee == kind and rng.random() < 0.6:
            name = f"({ctx.package}.{ext.name})" if ctx.package else f"({ext.name})"
            values = [scalar_value(rng, ext.type) for _ in range(rng.randint(1, 2) if ext.repeated else 1)]
            rules[name] = values if ext.repeated else values[0]
    return rules


def collection_rules(ctx: Context, fld: VField, depth: int, which: str) -> Rules:
    """RepeatedRules (``which`` = items) or MapRules (pairs) with rules for the elements, keys or values."""
    rng = ctx.rng
    rules: Rules = {}
    bounds(ctx, rules, [f"min_{which}"], [f"max_{which}"], lambda near: length(rng, near))
    if which == "items":
        if rng.random() < 0.3:
            rules["unique"] = rng.choice(["true", "true", "false"])
        if depth < 2 and rng.random() < 0.6:
            rules["items"] = field_rules(ctx, VField(fld.name, fld.number, fld.type), depth + 1)
    elif depth < 2:
        key = VField(fld.name, fld.number, fld.key or "string")
        value = VField(fld.name, fld.number, fld.type)
        for name, part in (("keys", key), ("values", value)):
            if rng.random() < 0.5:
                rules[name] = field_rules(ctx, part, depth + 1)
    return rules


def fitting_kind(fld: VField, element: bool) -> str | None:
    """The rule kind that fits ``fld`` (its elements when ``element``); None for a plain message."""
    if not element and fld.key:
        return "map"
    if not element and fld.label == "repeated":
        return "repeated"
    if fld.type in SCALARS:
        return fld.type
    short = fld.type.rsplit(".", 1)[-1]
    if fld.type.startswith("google.protobuf."):
        return WRAPPERS.get(short) or WKT_RULES.get(short)
    return "enum" if fld.type.startswith("E") else None


def cel_entries(ctx: Context, pool: list[str]) -> list[Rules]:
    """1-3 ``Rule`` literals: random id, message and expression from ``pool``."""
    rng, entries = ctx.rng, []
    for _ in range(rng.randint(1, 3)):
        entry: Rules = {}
        if rng.random() < 0.8:
            entry["id"] = quote(rng.choice(CEL_IDS))
        if rng.random() < 0.4:
            entry["message"] = quote(rng.choice(CEL_MESSAGES))
        entry["expression"] = quote(rng.choice(pool))
        entries.append(entry)
    return entries


def field_rules(ctx: Context, fld: VField, depth: int = 0, top: bool = False) -> Rules:
    """FieldRules for ``fld``: required/ignore, CEL, and a type rules message (usually the fitting kind)."""
    rng = ctx.rng
    rules: Rules = {}
    if rng.random() < 0.2:
        rules["required"] = rng.choice(["true", "true", "false"])
    if rng.random() < 0.2:
        rules["ignore"] = rng.choice(["IGNORE_IF_ZERO_VALUE", "IGNORE_ALWAYS", "IGNORE_UNSPECIFIED"])
    if rng.random() < 0.25:
        rules["cel"] = cel_entries(ctx, CEL_ANY)
    if rng.random() < 0.15:
        rules["cel_expression"] = [quote(rng.choice(CEL_ANY)) for _ in range(rng.randint(1, 2))]
    kind = fitting_kind(fld, element=not top)
    if kind is None or rng.random() < 0.12:
        kind = rng.choice(RULE_KINDS) if rng.random() < 0.8 or kind is None else None
    if kind is not None and rng.random() < 0.85:
        rules[kind] = type_rules(ctx, kind, fld, depth)
    return rules


# ---------------------------------------------------------------------------------------------------------------------
# Model


def new_field(ctx: Context, name: str, number: int, in_oneof: bool = False) -> VField:
    """A field of a random type and label, with random rules."""
    rng = ctx.rng
    roll = rng.random()
    if roll < 0.45:
        type_ = rng.choice(SCALARS)
    elif roll < 0.55 and ctx.enums:
        type_ = rng.choice(ctx.enums)
    elif roll < 0.65 and ctx.messages:
        type_ = rng.choice(ctx.messages)
    else:
        type_ = "google.protobuf." + rng.choice([*WKT_RULES, *WRAPPERS])
    fld = VField(name, number, type_)
    if not in_oneof:
        shape = rng.random()
        if shape < 0.2:
            fld.label = "repeated"
        elif shape < 0.3:
            fld.key = rng.choice(MAP_KEYS)
        elif shape < 0.45 and ctx.syntax != "edition":
            fld.label = "optional"
        if ctx.syntax == "proto2" and not fld.label and not fld.key:
            fld.label = "required" if rng.random() < 0.1 else "optional"
    wrapper = fld.type.rsplit(".", 1)[-1] in WRAPPERS
    ctx.plain = not wrapper and not ((fld.key or fld.label == "repeated") and fld.type not in SCALARS)
    fld.rules = field_rules(ctx, fld, top=True) if rng.random() < 0.9 else {}
    return fld


def new_message(ctx: Context, name: str) -> VMessage:
    """A message of 2-6 fields, maybe a oneof, maybe message and oneof rules."""
    rng = ctx.rng
    message = VMessage(name)
    names = rng.sample(NAMES, rng.randint(3, 8))
    number = 1
    for fname in names[: rng.randint(2, 6)]:
        message.fields.append(new_field(ctx, fname, number))
        number += 1
    rest = names[len(message.fields) :]
    if rest and rng.random() < 0.4:
        members = [new_field(ctx, n, number + i, in_oneof=True) for i, n in enumerate(rest[:2])]
        number += len(members)
        message.oneofs["choice"] = members
        if rng.random() < 0.4:
            message.oneof_rules["choice"] = {"required": rng.choice(["true", "false"])}
    if rng.random() < 0.45:
        message.rules = message_rules(ctx, message)
    return message


def message_rules(ctx: Context, message: VMessage) -> Rules:
    """MessageRules: CEL over the message's fields and oneof entries (existing, missing, duplicate names)."""
    rng = ctx.rng
    rules: Rules = {}
    names = [f.name for f in message.fields] + [f.name for fs in message.oneofs.values() for f in fs]
    pool = [e.format(f=rng.choice(names), g=rng.choice(names)) for e in CEL_MESSAGE]
    if rng.random() < 0.5:
        rules["cel"] = cel_entries(ctx, pool)
    if rng.random() < 0.25:
        rules["cel_expression"] = [quote(rng.choice(pool))]
    if rng.random() < 0.5:
        entries = []
        for _ in range(rng.randint(1, 2)):
            chosen = [rng.choice([*names, *names, "nope"]) for _ in range(rng.randint(0, 3))]
            entry: Rules = {"fields": [quote(n) for n in chosen]} if chosen else {}
            if rng.random() < 0.4:
                entry["required"] = rng.choice(["true", "false"])
            entries.append(entry)
        rules["oneof"] = entries
    return rules


def new_extensions(rng: random.Random) -> list[Extension]:
    """0-3 predefined rules on a few rule kinds."""
    out = []
    for i in range(rng.choice([0, 0, 1, 2, 3])):
        extendee = rng.choice(["string", "int32", "double", "repeated", "bytes", "uint64", "bool"])
        type_ = rng.choice(["int32", "string", "bool", "double", "uint64"])
        ctx = Context(rng, "proto2", "", [], [], [])
        out.append(Extension(extendee, type_, f"my_rule_{i}", 1161 + i, rng.random() < 0.2,
                             cel_entries(ctx, CEL_PREDEFINED)))  # fmt: skip
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Rendering


def render_literal(rng: random.Random, rules: Rules, indent: str, multiline: bool) -> str:
    """``rules`` as a text-format message literal ``{...}``."""
    parts = []
    for key, value in rules.items():
        name = f"[{key[1:-1]}]" if key.startswith("(") else key
        parts.append(f"{name}: {render_value(rng, value, indent + '  ', multiline)}")
    if not parts:
        return "{}"
    if multiline:
        inner = "\n".join(f"{indent}  {p}" for p in parts)
        return "{\n" + inner + f"\n{indent}}}"
    return "{" + rng.choice([" ", ", ", "; "]).join(parts) + "}"


def render_value(rng: random.Random, value: RuleValue, indent: str, multiline: bool) -> str:
    """A literal, a list ``[...]`` or a nested message literal."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return render_literal(rng, value, indent, multiline)
    items = [render_value(rng, v, indent, multiline) for v in value]
    return "[" + ", ".join(items) + "]"


def dotted(rng: random.Random, prefix: str, rules: Rules) -> list[str]:
    """``prefix.name = value`` entries for ``rules``; each sub-message is recursed into or written as a literal."""
    entries = []
    for key, value in rules.items():
        name = f"{prefix}.{key}"
        if key.startswith("(") and "." in key and rng.random() < 0.3:  # a predefined rule by its short name
            name = f"{prefix}.({key[1:-1].rsplit('.', 1)[-1]})"
        if isinstance(value, dict) and value and rng.random() < 0.6:
            entries += dotted(rng, name, value)
        elif isinstance(value, list) and value:  # an option's value cannot be a list: one entry per element
            entries += [f"{name} = {render_value(rng, v, '', False)}" for v in value]
        else:
            entries.append(f"{name} = {render_value(rng, value, '', False)}")
    return entries


def option_entries(rng: random.Random, name: str, rules: Rules, indent: str) -> list[str]:
    """The options setting ``rules`` on extension ``name``: dotted entries or one literal, at random."""
    if not rules:
        return []
    if rng.random() < 0.45:
        return dotted(rng, f"({name})", rules)
    multiline = rng.random() < 0.3
    return [f"({name}) = {render_literal(rng, rules, indent, multiline)}"]


def render_field(rng: random.Random, fld: VField, indent: str) -> str:
    """One field line (maybe spanning lines when options are multi-line)."""
    type_ = f"map<{fld.key}, {fld.type}>" if fld.key else fld.type
    label = f"{fld.label} " if fld.label else ""
    options = option_entries(rng, "buf.validate.field", fld.rules, indent)
    text = f"{indent}{label}{type_} {fld.name} = {fld.number}"
    if options:
        sep = f",\n{indent}    " if len(options) > 1 and rng.random() < 0.3 else ", "
        text += " [" + sep.join(options) + "]"
    return text + ";"


def render_message(rng: random.Random, message: VMessage) -> list[str]:
    """A message block."""
    lines = [f"message {message.name} {{"]
    lines += [f"  option {o};" for o in option_entries(rng, "buf.validate.message", message.rules, "  ")]
    lines += [render_field(rng, f, "  ") for f in message.fields]
    for name, members in message.oneofs.items():
        lines.append(f"  oneof {name} {{")
        rules = message.oneof_rules.get(name, {})
        lines += [f"    option {o};" for o in option_entries(rng, "buf.validate.oneof", rules, "    ")]
        lines += [render_field(rng, f, "    ") for f in members]
        lines.append("  }")
    return [*lines, "}"]


def render_extensions(rng: random.Random, extensions: list[Extension], syntax: str) -> list[str]:
    """``extend buf.validate.XRules`` blocks of the predefined rules."""
    lines = []
    for ext in extensions:
        label = "repeated " if ext.repeated else ("optional " if syntax == "proto2" else "")
        options = option_entries(rng, "buf.validate.predefined", {"cel": ext.cel}, "    ")  # type: ignore[dict-item]
        lines += [f"extend buf.validate.{RULES_MESSAGES[ext.extendee]} {{",
                  f"  {label}{ext.type} {ext.name} = {ext.number} [{', '.join(options)}];", "}"]  # fmt: skip
    return lines


def header(syntax: str, package: str, imports: list[str]) -> list[str]:
    """Syntax (or edition), package and imports."""
    lines = ['edition = "2023";' if syntax == "edition" else f'syntax = "{syntax}";', ""]
    if package:
        lines += [f"package {package};", ""]
    return lines + [f'import "{i}";' for i in sorted(set(imports))] + [""]


def wkt_imports(messages: list[VMessage]) -> list[str]:
    """The WKT files the messages' field types need."""
    out = []
    for message in messages:
        for fld in message.fields + [f for fs in message.oneofs.values() for f in fs]:
            short = fld.type.rsplit(".", 1)[-1]
            if fld.type.startswith("google.protobuf."):
                out.append(f"google/protobuf/{WKT_FILES[short]}.proto")
    return out


def buf_yaml(rng: random.Random) -> str:
    """The v2 workspace: ``proto`` (PROTOVALIDATE or STANDARD) and ``vendor`` (PROTOVALIDATE)."""
    use = "STANDARD" if rng.random() < 0.15 else "PROTOVALIDATE"
    return (
        "version: v2\nmodules:\n"
        f"  - path: proto\n    lint:\n      use:\n        - {use}\n"
        "  - path: vendor\n    lint:\n      use:\n        - PROTOVALIDATE\n"
    )


def proto_file(rng: random.Random, index: int, package: str, extensions: list[Extension], rules_file: str,
               deps: list[str]) -> tuple[str, list[str]]:  # fmt: skip
    """The text of one file of messages and the full names of its messages (for a later file to use)."""
    syntax = rng.choices(["proto3", "proto2", "edition"], [0.7, 0.15, 0.15])[0]
    local_exts = extensions if not rules_file and index == 0 else []
    if local_exts and syntax == "proto3":  # proto3 files cannot declare predefined rules
        syntax = rng.choice(["proto2", "edition"])
    enum = f"E{index}Kind"
    ctx = Context(rng, syntax, package, extensions, [enum], list(deps))
    qualified = f"{package}." if package else ""
    messages = []
    for i in range(rng.randint(1, 3)):
        name = f"{'Thing' if index == 0 else 'Other'}{i}"
        messages.append(new_message(ctx, name))
        ctx.messages.append(qualified + name)
    imports = ["buf/validate/validate.proto", *wkt_imports(messages)]
    if rules_file:
        imports.append(rules_file)
    if deps:
        imports.append(f"{package.replace('.', '/')}/a.proto" if package else "a.proto")
    lines = header(syntax, package, imports)
    lines += [f"enum {enum} {{", f"  {enum.upper()}_UNSPECIFIED = 0;", f"  {enum.upper()}_ONE = 1;",
              f"  {enum.upper()}_TWO = 2;", "}", ""]  # fmt: skip
    lines += render_extensions(rng, local_exts, syntax)
    for message in messages:
        lines += [*render_message(rng, message), ""]
    return "\n".join(lines), [qualified + m.name for m in messages]


def validate_case(seed: int) -> Tree:
    """The tree (buf.yaml and vendored validate.proto included) of validate case ``seed``."""
    rng = random.Random(seed)
    package = rng.choice(["acme.v1", "acme.v1", "pets.v1", ""])
    directory = "proto/" + (package.replace(".", "/") + "/" if package else "")
    tree: Tree = {"buf.yaml": buf_yaml(rng), VALIDATE_PATH: validate_proto()}
    extensions = new_extensions(rng)
    rules_file = ""
    if extensions and rng.random() < 0.6:  # proto3 files cannot extend: predefined rules live in a proto2 file
        rules_file = directory.removeprefix("proto/") + "rules.proto"
        syntax = rng.choice(["proto2", "edition"])
        lines = header(syntax, package, ["buf/validate/validate.proto"])
        tree["proto/" + rules_file] = "\n".join(lines + render_extensions(rng, extensions, syntax)) + "\n"
    deps: list[str] = []
    for index in range(rng.choice([1, 1, 2])):
        text, names = proto_file(rng, index, package, extensions, rules_file, deps)
        tree[f"{directory}{'ab'[index]}.proto"] = text
        deps = names
    return tree


if __name__ == "__main__":
    import sys

    for name, text in validate_case(int(sys.argv[1]) if len(sys.argv) > 1 else 0).items():
        if name != VALIDATE_PATH:
            print(f"==> {name}\n{text}")
