"""Seeded generator of random, valid Protocol Buffers trees and ``buf.yaml`` files, and of random edits to them.

A tree is built as a small model (``ProtoFile`` holding ``Message``, ``Enum``, ``Service`` ...), rendered to text
by ``render``; ``mutate`` edits a deep copy of the model so that the two renderings differ only where the edit is
(comments and layout are part of the model, so they stay put).  Everything is drawn from one ``random.Random(seed)``:
the same seed always gives the same case.

Used by ``fuzz.py``; ``lint_case(seed)`` and ``breaking_case(seed)`` are the entry points.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field

Tree = dict[str, str]

# Rule IDs and categories Buf 1.75 accepts in each buf.yaml version (``buf config ls-lint-rules --version V``).
_LINT_COMMON = """DIRECTORY_SAME_PACKAGE PACKAGE_DIRECTORY_MATCH PACKAGE_SAME_DIRECTORY PACKAGE_SAME_CSHARP_NAMESPACE
PACKAGE_SAME_GO_PACKAGE PACKAGE_SAME_JAVA_MULTIPLE_FILES PACKAGE_SAME_JAVA_PACKAGE PACKAGE_SAME_PHP_NAMESPACE
PACKAGE_SAME_RUBY_PACKAGE PACKAGE_SAME_SWIFT_PREFIX ENUM_NO_ALLOW_ALIAS IMPORT_NO_PUBLIC PACKAGE_DEFINED
ENUM_PASCAL_CASE ENUM_VALUE_UPPER_SNAKE_CASE FIELD_LOWER_SNAKE_CASE MESSAGE_PASCAL_CASE ONEOF_LOWER_SNAKE_CASE
PACKAGE_LOWER_SNAKE_CASE RPC_PASCAL_CASE SERVICE_PASCAL_CASE ENUM_VALUE_PREFIX ENUM_ZERO_VALUE_SUFFIX
FILE_LOWER_SNAKE_CASE PACKAGE_VERSION_SUFFIX RPC_REQUEST_RESPONSE_UNIQUE RPC_REQUEST_STANDARD_NAME
RPC_RESPONSE_STANDARD_NAME SERVICE_SUFFIX COMMENT_ENUM COMMENT_ENUM_VALUE COMMENT_FIELD COMMENT_MESSAGE COMMENT_ONEOF
COMMENT_RPC COMMENT_SERVICE RPC_NO_CLIENT_STREAMING RPC_NO_SERVER_STREAMING ENUM_FIRST_VALUE_ZERO""".split()
LINT_RULES = {
    "v1beta1": [*_LINT_COMMON, "FIELD_NO_DESCRIPTOR"],
    "v1": [*_LINT_COMMON, "IMPORT_USED", "SYNTAX_SPECIFIED", "PACKAGE_NO_IMPORT_CYCLE"],
    "v2": [*_LINT_COMMON, "IMPORT_USED", "SYNTAX_SPECIFIED", "PACKAGE_NO_IMPORT_CYCLE", "FIELD_NOT_REQUIRED",
           "STABLE_PACKAGE_NO_IMPORT_UNSTABLE"],
}  # fmt: skip
LINT_CATEGORIES = {
    "v1beta1": "MINIMAL BASIC STANDARD DEFAULT COMMENTS UNARY_RPC FILE_LAYOUT PACKAGE_AFFINITY SENSIBLE STYLE_BASIC "
    "STYLE_STANDARD OTHER".split(),
    "v1": "MINIMAL BASIC STANDARD DEFAULT COMMENTS UNARY_RPC".split(),
    "v2": "MINIMAL BASIC STANDARD DEFAULT COMMENTS UNARY_RPC".split(),
}
_BREAKING_COMMON = """ENUM_NO_DELETE FILE_NO_DELETE MESSAGE_NO_DELETE SERVICE_NO_DELETE ENUM_SAME_TYPE
ENUM_VALUE_NO_DELETE EXTENSION_MESSAGE_NO_DELETE FIELD_NO_DELETE FIELD_SAME_CARDINALITY FIELD_SAME_CPP_STRING_TYPE
FIELD_SAME_JAVA_UTF8_VALIDATION FIELD_SAME_JSTYPE FIELD_SAME_TYPE FIELD_SAME_UTF8_VALIDATION FILE_SAME_CC_ENABLE_ARENAS
FILE_SAME_CC_GENERIC_SERVICES FILE_SAME_CSHARP_NAMESPACE FILE_SAME_GO_PACKAGE FILE_SAME_JAVA_GENERIC_SERVICES
FILE_SAME_JAVA_MULTIPLE_FILES FILE_SAME_JAVA_OUTER_CLASSNAME FILE_SAME_JAVA_PACKAGE FILE_SAME_OBJC_CLASS_PREFIX
FILE_SAME_OPTIMIZE_FOR FILE_SAME_PHP_CLASS_PREFIX FILE_SAME_PHP_METADATA_NAMESPACE FILE_SAME_PHP_NAMESPACE
FILE_SAME_PY_GENERIC_SERVICES FILE_SAME_RUBY_PACKAGE FILE_SAME_SWIFT_PREFIX FILE_SAME_SYNTAX
MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR ONEOF_NO_DELETE RPC_NO_DELETE ENUM_SAME_JSON_FORMAT ENUM_VALUE_SAME_NAME
FIELD_SAME_JSON_NAME FIELD_SAME_NAME MESSAGE_SAME_JSON_FORMAT FIELD_SAME_ONEOF FILE_SAME_PACKAGE
MESSAGE_SAME_REQUIRED_FIELDS RESERVED_ENUM_NO_DELETE RESERVED_MESSAGE_NO_DELETE RPC_SAME_CLIENT_STREAMING
RPC_SAME_IDEMPOTENCY_LEVEL RPC_SAME_REQUEST_TYPE RPC_SAME_RESPONSE_TYPE RPC_SAME_SERVER_STREAMING PACKAGE_ENUM_NO_DELETE
PACKAGE_MESSAGE_NO_DELETE PACKAGE_NO_DELETE PACKAGE_SERVICE_NO_DELETE ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED
FIELD_NO_DELETE_UNLESS_NAME_RESERVED FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED
FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED FIELD_WIRE_COMPATIBLE_CARDINALITY""".split()
BREAKING_RULES = {
    "v1beta1": _BREAKING_COMMON,
    "v1": [*_BREAKING_COMMON, "FIELD_WIRE_JSON_COMPATIBLE_TYPE", "FIELD_WIRE_COMPATIBLE_TYPE"],
    "v2": [*_BREAKING_COMMON, "FIELD_WIRE_JSON_COMPATIBLE_TYPE", "FIELD_WIRE_COMPATIBLE_TYPE", "EXTENSION_NO_DELETE",
           "FIELD_SAME_DEFAULT", "PACKAGE_EXTENSION_NO_DELETE"],
}  # fmt: skip
BREAKING_CATEGORIES = {version: ["FILE", "PACKAGE", "WIRE", "WIRE_JSON"] for version in ("v1beta1", "v1", "v2")}

SCALARS = ["int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64",
           "bool", "string", "bytes", "double", "float"]  # fmt: skip
INT64S = {"int64", "uint64", "sint64", "fixed64", "sfixed64"}
NUMERIC = set(SCALARS) - {"string", "bytes"}
MAP_KEYS = ["string", "int32", "int64", "uint32", "bool", "sfixed64"]
WKT = {
    "google/protobuf/empty.proto": "google.protobuf.Empty",
    "google/protobuf/timestamp.proto": "google.protobuf.Timestamp",
    "google/protobuf/duration.proto": "google.protobuf.Duration",
    "google/protobuf/any.proto": "google.protobuf.Any",
    "google/protobuf/wrappers.proto": "google.protobuf.StringValue",
}
PACKAGES = ["acme.orders.v1", "acme.orders.v1", "acme.billing.v1beta1", "foo.v2alpha", "foo.bar.v1test", "foo",
            "acme.orders", "Acme.Orders.v1", "pets.v1", "pets.v1p1beta1", "api.v3", "",
            "acme.v0alpha1", "acme.v1alphabeta", "acme.v1beta0", "v1beta1", "acme.v1testing"]  # fmt: skip
MESSAGE_WORDS = ["Order", "LineItem", "Customer", "Address", "Money", "Pet", "lineItem", "order_info", "HTTPThing",
                 "Foo_Bar", "Payload", "Page", "Widget", "Item"]  # fmt: skip
FIELD_WORDS = ["name", "order_id", "createTime", "Value", "display_name", "x1", "foo_bar_2", "items", "count",
               "amount", "tags", "parent", "UPPER", "page_token", "camelCase", "desc", "descriptor",
               "_Descriptor_"]  # fmt: skip
ENUM_WORDS = ["Status", "Color", "kind", "STATE", "Priority", "Level_Type", "Mode"]
VALUE_WORDS = ["UNSPECIFIED", "OK", "ACTIVE", "DONE", "invalid", "Red", "NONE", "BLUE_GREEN", "UNKNOWN", "X"]
RPC_WORDS = ["GetOrder", "ListOrders", "createOrder", "Delete_Order", "Watch", "Sync", "Ping", "update_pet"]
SERVICE_WORDS = ["OrderService", "Orders", "pet_service", "BillingAPI", "Admin"]
COMMENT_TEXT = ["is a thing.", "holds\tthe value (tab).", "Größe – naïve ✓ 日本語.", "TODO: fix", "", "deprecated."]
FILE_OPTIONS = {
    "go_package": lambda r: f'"example.com/{r.choice(["a", "b", "pkg/v1"])};{r.choice(["a", "pb", "v1"])}"',
    "java_package": lambda r: f'"com.{r.choice(["acme", "example", "foo"])}"',
    "java_multiple_files": lambda r: r.choice(["true", "false"]),
    "java_outer_classname": lambda r: f'"{r.choice(["Outer", "FooProto", "X"])}"',
    "csharp_namespace": lambda r: f'"{r.choice(["Acme.Orders", "Foo"])}"',
    "php_namespace": lambda r: '"' + r.choice(["Acme\\\\Orders", "Foo"]) + '"',
    "ruby_package": lambda r: f'"{r.choice(["Acme::Orders", "Foo"])}"',
    "swift_prefix": lambda r: f'"{r.choice(["AO", "FB"])}"',
    "objc_class_prefix": lambda r: f'"{r.choice(["AOX", "FBR"])}"',
    "optimize_for": lambda r: r.choice(["SPEED", "CODE_SIZE", "LITE_RUNTIME"]),
    "cc_enable_arenas": lambda r: r.choice(["true", "false"]),
    "php_class_prefix": lambda r: f'"{r.choice(["P", "Q"])}"',
    "php_metadata_namespace": lambda r: f'"{r.choice(["Meta", "M2"])}"',
    "deprecated": lambda r: r.choice(["true", "false"]),
    "java_string_check_utf8": lambda r: r.choice(["true", "false"]),
}
GENERIC_SERVICES = ["cc_generic_services", "java_generic_services", "py_generic_services"]


@dataclass
class Comments:
    """The comment lines above an element (each already prefixed ``//`` or ``/*``) and a trailing comment."""

    leading: list[str] = field(default_factory=list)
    trailing: str = ""


@dataclass
class Field:
    """A message field, extension field, map field or group."""

    name: str
    number: int
    type: str
    label: str = ""  # "", "optional", "required", "repeated"
    options: list[tuple[str, str]] = field(default_factory=list)
    key: str = ""  # map key type; type is then the value type
    group: list[Field] | None = None  # proto2 group body
    comments: Comments = field(default_factory=Comments)


@dataclass
class Oneof:
    """A oneof and its fields."""

    name: str
    fields: list[Field]
    comments: Comments = field(default_factory=Comments)


@dataclass
class EnumValue:
    """One enum value."""

    name: str
    number: int
    options: list[tuple[str, str]] = field(default_factory=list)
    comments: Comments = field(default_factory=Comments)


@dataclass
class Enum:
    """An enum."""

    name: str
    values: list[EnumValue]
    options: list[tuple[str, str]] = field(default_factory=list)
    reserved: list[str] = field(default_factory=list)
    comments: Comments = field(default_factory=Comments)


@dataclass
class Message:
    """A message with its fields, oneofs, nested types, reserved ranges and extension ranges."""

    name: str
    fields: list[Field] = field(default_factory=list)
    oneofs: list[Oneof] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    reserved: list[str] = field(default_factory=list)
    extensions: str = ""  # "100 to 199" or ""
    options: list[tuple[str, str]] = field(default_factory=list)
    comments: Comments = field(default_factory=Comments)


@dataclass
class Rpc:
    """One RPC of a service."""

    name: str
    request: str
    response: str
    client_streaming: bool = False
    server_streaming: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    comments: Comments = field(default_factory=Comments)


@dataclass
class Service:
    """A service."""

    name: str
    rpcs: list[Rpc]
    options: list[tuple[str, str]] = field(default_factory=list)
    comments: Comments = field(default_factory=Comments)


@dataclass
class Extend:
    """An ``extend`` block."""

    extendee: str
    fields: list[Field]
    comments: Comments = field(default_factory=Comments)


@dataclass
class ProtoFile:
    """One .proto file."""

    path: str
    syntax: str  # "proto2", "proto3", "2023"
    package: str
    imports: list[tuple[str, str]] = field(default_factory=list)  # (path, "" | "public" | "weak")
    options: list[tuple[str, str]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    enums: list[Enum] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    extends: list[Extend] = field(default_factory=list)
    comments: Comments = field(default_factory=Comments)  # above syntax
    package_comments: Comments = field(default_factory=Comments)
    option_ignores: dict[str, str] = field(default_factory=dict)  # option name -> rule ignored above it
    order: list[str] = field(default_factory=list)  # "m", "e", "s", "x": the kinds in rendering order
    tabs: bool = False  # indent with tabs instead of two spaces


@dataclass
class Model:
    """A whole tree: its files and its buf.yaml text."""

    files: list[ProtoFile]
    config: str


class Names:
    """Unique names within a scope (a package, or a message)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def fresh(self, rng: random.Random, words: list[str], suffix: str = "") -> str:
        """A name from ``words`` plus ``suffix`` not used yet in this scope (numbered when needed)."""
        base = rng.choice(words) + suffix
        name, n = base, 2
        while name.lower().replace("_", "") in self.used:
            name, n = f"{base}{n}", n + 1
        self.used.add(name.lower().replace("_", ""))
        return name


# ---------------------------------------------------------------------------------------------------------------------
# Generation of one element of each kind


def comments(rng: random.Random, rules: list[str], trailing: bool = True) -> Comments:
    """Random leading comments (maybe a ``buf:lint:ignore``) and maybe a trailing comment."""
    result = Comments()
    roll = rng.random()
    if roll < 0.45:
        text = rng.choice(COMMENT_TEXT)
        result.leading.append(f"// {text}".rstrip() if rng.random() < 0.85 else f"/* {text} */")
    if rng.random() < 0.15:
        rule = rng.choice(rules) if rng.random() < 0.9 else "NOT_A_RULE"
        line = f"// buf:lint:ignore {rule}"
        result.leading.insert(rng.randrange(len(result.leading) + 1), line)
    if trailing and rng.random() < 0.15:
        result.trailing = f"// {rng.choice(COMMENT_TEXT)}".rstrip()
    return result


def scalar_default(rng: random.Random, type_: str) -> str:
    """A default value literal for a scalar ``type_``."""
    if type_ == "bool":
        return rng.choice(["true", "false"])
    if type_ in ("string", "bytes"):
        return rng.choice(['"abc"', '"h\\u00e9llo\\tx"', '""', '"Größe"'])
    if type_ in ("double", "float"):
        return rng.choice(["1.5", "-2", "inf", "0"])
    if type_.startswith("u") or type_.startswith("fixed"):
        return rng.choice(["0", "7", "42"])
    return rng.choice(["-1", "0", "42"])


def field_options(rng: random.Random, syntax: str, f: Field, is_ext: bool) -> list[tuple[str, str]]:
    """Options valid for field ``f`` in a file of ``syntax``."""
    options: list[tuple[str, str]] = []
    scalar = f.type in SCALARS and not f.key
    if rng.random() < 0.12 and not is_ext:
        options.append(("json_name", f'"{rng.choice(["json", "x", "J_", "j_"])}{f.name}"'))
    if rng.random() < 0.12:
        options.append(("deprecated", rng.choice(["true", "false"])))
    if f.type in INT64S and not f.key and rng.random() < 0.3:
        options.append(("jstype", rng.choice(["JS_STRING", "JS_NUMBER", "JS_NORMAL"])))
    if f.type in ("string", "bytes") and not f.key and rng.random() < 0.2 and syntax != "2023":
        options.append(("ctype", rng.choice(["CORD", "STRING", "STRING_PIECE"])))
    if f.label == "repeated" and f.type in NUMERIC and syntax != "2023" and rng.random() < 0.3:
        options.append(("packed", rng.choice(["true", "false"])))
    if f.label == "repeated" and f.type in NUMERIC and syntax == "2023" and rng.random() < 0.3:
        options.append(("features.repeated_field_encoding", rng.choice(["EXPANDED", "PACKED"])))
    has_presence = syntax == "proto2" and f.label in ("optional", "required")
    has_presence |= syntax == "2023" and f.label == "" and not f.key
    if has_presence and scalar and rng.random() < 0.25:
        options.append(("default", scalar_default(rng, f.type)))
    if syntax == "2023" and f.label == "" and not f.key and not is_ext and rng.random() < 0.25:
        presence = ["EXPLICIT", "LEGACY_REQUIRED"] + (["IMPLICIT"] if scalar else [])
        if not any(o[0] == "default" for o in options) or True:
            choice = rng.choice(presence)
            if choice == "IMPLICIT":
                options = [o for o in options if o[0] != "default"]
            options.append(("features.field_presence", choice))
    if syntax == "2023" and f.type == "string" and rng.random() < 0.15:
        options.append(("features.utf8_validation", rng.choice(["NONE", "VERIFY"])))
    rng.shuffle(options)
    return options


def field_label(rng: random.Random, syntax: str) -> str:
    """A label valid in ``syntax`` for a non-map, non-oneof field."""
    if syntax == "proto2":
        return rng.choices(["optional", "required", "repeated"], [6, 1, 3])[0]
    if syntax == "proto3":
        return rng.choices(["", "optional", "repeated"], [6, 2, 3])[0]
    return rng.choices(["", "repeated"], [6, 3])[0]


def new_field(rng: random.Random, ctx: Context, names: Names, numbers: Numbers, types: list[str]) -> Field:
    """A plain field (scalar, message or enum typed) with random label and options."""
    type_ = rng.choice(SCALARS) if rng.random() < 0.6 or not types else rng.choice(types)
    f = Field(names.fresh(rng, FIELD_WORDS), numbers.next(rng), type_, field_label(rng, ctx.syntax))
    f.options = field_options(rng, ctx.syntax, f, False)
    f.comments = comments(rng, ctx.rules)
    return f


def map_field(rng: random.Random, ctx: Context, names: Names, numbers: Numbers, types: list[str]) -> Field:
    """A ``map<K, V>`` field."""
    value = rng.choice(SCALARS) if rng.random() < 0.6 or not types else rng.choice(types)
    f = Field(names.fresh(rng, FIELD_WORDS), numbers.next(rng), value, key=rng.choice(MAP_KEYS))
    f.options = [o for o in field_options(rng, ctx.syntax, f, False) if o[0] in ("json_name", "deprecated")]
    f.comments = comments(rng, ctx.rules)
    return f


def group_field(rng: random.Random, ctx: Context, names: Names, numbers: Numbers, nested: Names) -> Field:
    """A proto2 group."""
    name = nested.fresh(rng, ["Result", "Group", "Data"])
    names.used.add(name.lower())
    inner_numbers, inner_names = Numbers(), Names()
    body = []
    for _ in range(rng.randint(1, 2)):
        inner = Field(inner_names.fresh(rng, FIELD_WORDS), inner_numbers.next(rng), rng.choice(SCALARS), "optional")
        body.append(inner)
    return Field(name, numbers.next(rng), "group", rng.choice(["optional", "repeated"]), group=body,
                 comments=comments(rng, ctx.rules))  # fmt: skip


class Numbers:
    """Field numbers of one message, increasing with random gaps."""

    def __init__(self, start: int = 0) -> None:
        self.last = start

    def next(self, rng: random.Random) -> int:
        """The next free number."""
        self.last += rng.choice([1, 1, 1, 2, 5])
        if 19000 <= self.last <= 19999:
            self.last = 20000
        return self.last


@dataclass
class Context:
    """What the generator of one file needs to know."""

    syntax: str
    rules: list[str]
    types: list[str]  # message types usable as field types (imported or of this file)
    package_names: Names


def new_enum(rng: random.Random, ctx: Context, scope: Names, value_scope: Names) -> Enum:
    """An enum with 1-5 values, maybe aliases, reserved ranges and a prefix matching its name or not."""
    name = scope.fresh(rng, ENUM_WORDS)
    upper = "".join("_" + c if c.isupper() and i else c for i, c in enumerate(name)).upper().replace("__", "_")
    prefix = upper + "_" if rng.random() < 0.7 else ""
    enum = Enum(name, [], comments=comments(rng, ctx.rules))
    closed = ctx.syntax == "proto2" or (ctx.syntax == "2023" and rng.random() < 0.2)
    if ctx.syntax == "2023" and closed:
        enum.options.append(("features.enum_type", "CLOSED"))
    number = 0 if not closed or rng.random() < 0.8 else 1
    for i in range(rng.randint(1, 5)):
        word = "UNSPECIFIED" if i == 0 and rng.random() < 0.6 else rng.choice(VALUE_WORDS)
        value_name = value_scope.fresh(rng, [prefix + word])
        enum.values.append(EnumValue(value_name, number, comments=comments(rng, ctx.rules)))
        number += rng.choice([1, 1, 2])
    if rng.random() < 0.15:
        enum.options.append(("allow_alias", "true"))
        alias = value_scope.fresh(rng, [prefix + "ALIAS"])
        enum.values.append(EnumValue(alias, enum.values[-1].number))
    if rng.random() < 0.2:
        enum.values[-1].options.append(("deprecated", "true"))
    if rng.random() < 0.2:
        enum.reserved.append(f"{number + 3} to {number + 5}")
    if rng.random() < 0.15:
        enum.reserved.append('"OLD_VALUE"' if ctx.syntax != "2023" else "OLD_VALUE")
    return enum


def new_message(rng: random.Random, ctx: Context, scope: Names, value_scope: Names, depth: int = 0) -> Message:
    """A message with fields, maybe maps, oneofs, groups, nested messages and enums, reserved and extension ranges."""
    message = Message(scope.fresh(rng, MESSAGE_WORDS), comments=comments(rng, ctx.rules))
    names, numbers, nested = Names(), Numbers(), Names()
    local_types = list(ctx.types)
    if depth < 1 and rng.random() < 0.25:
        inner = new_message(rng, ctx, nested, Names(), depth + 1)
        message.messages.append(inner)
        local_types.append(inner.name)
    if depth < 2 and rng.random() < 0.25:
        inner_enum = new_enum(rng, ctx, nested, nested)
        message.enums.append(inner_enum)
        local_types.append(inner_enum.name)
    for _ in range(rng.randint(0, 5)):
        roll = rng.random()
        if roll < 0.12:
            message.fields.append(map_field(rng, ctx, names, numbers, local_types))
        elif roll < 0.18 and ctx.syntax == "proto2":
            message.fields.append(group_field(rng, ctx, names, numbers, nested))
        else:
            message.fields.append(new_field(rng, ctx, names, numbers, local_types))
    if rng.random() < 0.25:
        oneof = Oneof(names.fresh(rng, ["choice", "kind_of", "Value_Oneof", "payload"]), [], comments(rng, ctx.rules))
        for _ in range(rng.randint(1, 3)):
            f = new_field(rng, ctx, names, numbers, local_types)
            f.label = ""
            f.options = [o for o in f.options if o[0] in ("json_name", "deprecated", "jstype", "ctype")]
            oneof.fields.append(f)
        message.oneofs.append(oneof)
    if rng.random() < 0.2:
        first = numbers.next(rng) + 1
        message.reserved.append(rng.choice([f"{first}", f"{first} to {first + 2}", f"{first}, {first + 4}"]))
        numbers.last = first + 5
    if rng.random() < 0.15:
        name = rng.choice(["old_field", "legacy"])
        message.reserved.append(f'"{name}"' if ctx.syntax != "2023" else name)
    if ctx.syntax != "proto3" and rng.random() < 0.25:
        message.extensions = rng.choice(["100 to 199", "1000 to max", "500"])
    if rng.random() < 0.1:
        message.options.append(("deprecated", "true"))
    if rng.random() < 0.05:
        message.options.append(("no_standard_descriptor_accessor", rng.choice(["true", "false"])))
    return message


def new_service(rng: random.Random, ctx: Context, scope: Names, messages: list[str]) -> Service:
    """A service with 1-3 RPCs, some with standard request/response names, some streaming."""
    service = Service(scope.fresh(rng, SERVICE_WORDS), [], comments=comments(rng, ctx.rules))
    rpc_names = Names()
    for _ in range(rng.randint(1, 3)):
        name = rpc_names.fresh(rng, RPC_WORDS)
        request = rng.choice(messages)
        response = rng.choice(messages)
        rpc = Rpc(name, request, response, rng.random() < 0.2, rng.random() < 0.2, comments=comments(rng, ctx.rules))
        if rng.random() < 0.15:
            rpc.options.append(("idempotency_level", rng.choice(["NO_SIDE_EFFECTS", "IDEMPOTENT"])))
        if rng.random() < 0.1:
            rpc.options.append(("deprecated", "true"))
        service.rpcs.append(rpc)
    return service


def standard_messages(rng: random.Random, ctx: Context, scope: Names, file: ProtoFile) -> list[str]:
    """Request/response messages named after RPC words, added to ``file``; their names."""
    added = []
    for _ in range(rng.randint(1, 3)):
        word = rng.choice(RPC_WORDS)
        word = word[0].upper() + word[1:]
        for suffix in ("Request", "Response"):
            if rng.random() < 0.8 and (word + suffix).lower() not in scope.used:
                scope.used.add((word + suffix).lower())
                added.append(word + suffix)
                file.messages.append(Message(word + suffix, comments=comments(rng, ctx.rules)))
    return added


def new_extend(rng: random.Random, ctx: Context, target: Message, names: Names) -> Extend:
    """An ``extend`` of ``target`` (which has an extension range) with 1-2 fields."""
    start = {"100 to 199": 100, "1000 to max": 1000, "500": 500}[target.extensions]
    extend = Extend(target.name, [], comments(rng, ctx.rules))
    for i in range(1 if start == 500 else rng.randint(1, 2)):
        label = "optional" if ctx.syntax == "proto2" else ""
        if rng.random() < 0.2:
            label = "repeated"
        f = Field(names.fresh(rng, ["ext", "extra", "more_data"]), start + i, rng.choice(SCALARS), label)
        f.options = field_options(rng, ctx.syntax, f, True)
        f.options = [o for o in f.options if o[0] != "features.field_presence"]
        extend.fields.append(f)
    return extend


def file_options(rng: random.Random, syntax: str) -> list[tuple[str, str]]:
    """A few random file options."""
    chosen = rng.sample(sorted(FILE_OPTIONS), rng.randint(0, 4))
    options = [
        (name, FILE_OPTIONS[name](rng)) for name in chosen if syntax != "2023" or name != "java_string_check_utf8"
    ]
    if syntax != "2023" and rng.random() < 0.1:
        options.append((rng.choice(GENERIC_SERVICES), "true"))
    if syntax == "2023" and rng.random() < 0.1:
        options.append(("features.field_presence", rng.choice(["EXPLICIT", "IMPLICIT"])))
    return options


def package_path(rng: random.Random, package: str, index: int) -> str:
    """A file path for ``package``: usually its directory, sometimes another one; file names good and bad."""
    directory = package.replace(".", "/")
    if rng.random() < 0.15:
        directory = rng.choice(["", "other", "acme/orders/v1", "foo"])
    name = rng.choice(["orders", "order_service", "types", "fooBar", "Common", "a", "things-x"]) + f"{index}"
    return f"{directory}/{name}.proto" if directory else f"{name}.proto"


def new_file(rng: random.Random, index: int, rules: list[str], previous: list[ProtoFile],
             packages: dict[str, Names]) -> ProtoFile:  # fmt: skip
    """One file: syntax, package, imports of earlier files and well-known types, options and elements."""
    syntax = rng.choices(["proto3", "proto2", "2023"], [5, 3, 2])[0]
    package = rng.choice(PACKAGES)
    scope = packages.setdefault(package, Names())
    file = ProtoFile(package_path(rng, package, index), syntax, package)
    file.comments = comments(rng, rules, trailing=False)
    file.package_comments = comments(rng, rules)
    types: list[str] = []
    for other in previous:
        if rng.random() < 0.5 and other.messages:
            file.imports.append((other.path, "public" if rng.random() < 0.15 else ""))
            if rng.random() < 0.7:  # sometimes imported but unused
                prefix = f"{other.package}." if other.package else ""
                if other.package and rng.random() < 0.3:
                    prefix = "." + prefix
                types += [prefix + m.name for m in other.messages]
    for wkt, name in WKT.items():
        if rng.random() < 0.15:
            file.imports.append((wkt, ""))
            if rng.random() < 0.8:
                types.append(name)
    file.options = file_options(rng, syntax)
    for option, _ in file.options:
        if rng.random() < 0.1:
            file.option_ignores[option] = rng.choice(rules)
    ctx = Context(syntax, rules, types, scope)
    for _ in range(rng.randint(0, 2)):
        file.enums.append(new_enum(rng, ctx, scope, scope))
    ctx.types = types + [e.name for e in file.enums]
    for _ in range(rng.randint(1, 3)):
        message = new_message(rng, ctx, scope, scope)
        file.messages.append(message)
        ctx.types.append(message.name)
    requests = standard_messages(rng, ctx, scope, file) if rng.random() < 0.5 else []
    if rng.random() < 0.5:
        pool = requests + [m.name for m in file.messages] + [t for t in types if "." in t and "Empty" in t]
        if any("Empty" in t for t in types):
            pool += ["google.protobuf.Empty"] * 2
        file.services.append(new_service(rng, ctx, scope, pool))
    extendable = [m for m in file.messages if m.extensions]
    if extendable and rng.random() < 0.6:
        file.extends.append(new_extend(rng, ctx, rng.choice(extendable), scope))
    file.order = ["e"] * len(file.enums) + ["m"] * len(file.messages) + ["s"] * len(file.services)
    file.order += ["x"] * len(file.extends)
    rng.shuffle(file.order)
    file.tabs = rng.random() < 0.1
    return file


def config(rng: random.Random, kind: str, files: list[ProtoFile]) -> tuple[str, str]:
    """A random buf.yaml (version, text) with lint or breaking settings valid for its version."""
    version = rng.choices(["v1beta1", "v1", "v2"], [1, 2, 4])[0]
    lines = [f"version: {version}"]
    if version == "v1beta1":
        lines += ["build:", "  roots:", "    - ."]
    elif version == "v2" and rng.random() < 0.3:
        lines += ["modules:", "  - path: ."]
    rules = LINT_RULES[version] if kind == "lint" else BREAKING_RULES[version]
    categories = LINT_CATEGORIES[version] if kind == "lint" else BREAKING_CATEGORIES[version]
    body: list[str] = []
    roll = rng.random()
    if roll < 0.55:
        body.append(f"use: [{', '.join(rng.sample(categories, rng.randint(1, 2)))}]")
    elif roll < 0.85:
        used = rng.sample(rules, rng.randint(1, 6))
        rules = [r for r in rules if r not in used]  # buf 1.75 crashes when except removes every rule of use
        body.append(f"use: [{', '.join(used)}]")
    if rng.random() < 0.3:
        body.append(f"except: [{', '.join(rng.sample(rules, rng.randint(1, 3)))}]")
    if rng.random() < 0.1 and files:
        directory = files[0].path.rsplit("/", 1)[0] if "/" in files[0].path else files[0].path
        body.append(f"ignore: [{directory}]")
    if rng.random() < 0.1 and files:
        body.append(f"ignore_only:\n    {rng.choice(rules)}:\n      - {rng.choice(files).path}")
    if kind == "lint":
        if rng.random() < 0.2:
            body.append(f"enum_zero_value_suffix: {rng.choice(['_NONE', '_UNSPECIFIED', '_INVALID'])}")
        if rng.random() < 0.2:
            body.append(f"service_suffix: {rng.choice(['API', 'Service', 'Svc'])}")
        for option in ("rpc_allow_same_request_response", "rpc_allow_google_protobuf_empty_requests",
                       "rpc_allow_google_protobuf_empty_responses"):  # fmt: skip
            if rng.random() < 0.12:
                body.append(f"{option}: true")
        if rng.random() < 0.3:
            body.append("disallow_comment_ignores: true" if version == "v2" else "allow_comment_ignores: true")
    elif rng.random() < 0.15:
        body.append("ignore_unstable_packages: true")
    if body:
        lines.append(f"{kind}:")
        lines += ["  " + line for line in body]
    return version, "\n".join(lines) + "\n"


def new_model(rng: random.Random, kind: str) -> Model:
    """A random tree of 1-4 files and its buf.yaml for ``kind`` ("lint" or "breaking")."""
    files: list[ProtoFile] = []
    packages: dict[str, Names] = {}
    paths: set[str] = set()
    for index in range(rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0]):
        file = new_file(rng, index, LINT_RULES["v2"], files, packages)
        if file.path not in paths:
            paths.add(file.path)
            files.append(file)
    _, text = config(rng, kind, files)
    return Model(files, text)


# ---------------------------------------------------------------------------------------------------------------------
# Rendering


def _options_suffix(options: list[tuple[str, str]]) -> str:
    return f" [{', '.join(f'{n} = {v}' for n, v in options)}]" if options else ""


def _comment_lines(c: Comments, indent: str) -> list[str]:
    return [indent + line for line in c.leading]


def _trail(c: Comments) -> str:
    return f" {c.trailing}" if c.trailing else ""


def render_field(f: Field, indent: str) -> list[str]:
    """A field's lines (a group spans several)."""
    label = f"{f.label} " if f.label else ""
    lines = _comment_lines(f.comments, indent)
    if f.group is not None:
        lines.append(f"{indent}{label}group {f.name} = {f.number} {{{_trail(f.comments)}")
        for inner in f.group:
            lines += render_field(inner, indent + "  ")
        return [*lines, f"{indent}}}"]
    type_ = f"map<{f.key}, {f.type}>" if f.key else f.type
    lines.append(f"{indent}{label}{type_} {f.name} = {f.number}{_options_suffix(f.options)};{_trail(f.comments)}")
    return lines


def render_enum(e: Enum, indent: str) -> list[str]:
    """An enum's lines."""
    lines = [*_comment_lines(e.comments, indent), f"{indent}enum {e.name} {{{_trail(e.comments)}"]
    lines += [f"{indent}  option {n} = {v};" for n, v in e.options]
    for v in e.values:
        lines += _comment_lines(v.comments, indent + "  ")
        lines.append(f"{indent}  {v.name} = {v.number}{_options_suffix(v.options)};{_trail(v.comments)}")
    lines += [f"{indent}  reserved {r};" for r in e.reserved]
    return [*lines, f"{indent}}}"]


def render_message(m: Message, indent: str) -> list[str]:
    """A message's lines, nested types first."""
    lines = [*_comment_lines(m.comments, indent), f"{indent}message {m.name} {{{_trail(m.comments)}"]
    inner = indent + "  "
    lines += [f"{inner}option {n} = {v};" for n, v in m.options]
    for e in m.enums:
        lines += render_enum(e, inner)
    for nested in m.messages:
        lines += render_message(nested, inner)
    for f in m.fields:
        lines += render_field(f, inner)
    for o in m.oneofs:
        lines += [*_comment_lines(o.comments, inner), f"{inner}oneof {o.name} {{{_trail(o.comments)}"]
        for f in o.fields:
            lines += render_field(f, inner + "  ")
        lines.append(f"{inner}}}")
    lines += [f"{inner}reserved {r};" for r in m.reserved]
    if m.extensions:
        lines.append(f"{inner}extensions {m.extensions};")
    return [*lines, f"{indent}}}"]


def render_service(s: Service) -> list[str]:
    """A service's lines."""
    lines = [*_comment_lines(s.comments, ""), f"service {s.name} {{{_trail(s.comments)}"]
    lines += [f"  option {n} = {v};" for n, v in s.options]
    for r in s.rpcs:
        request = ("stream " if r.client_streaming else "") + r.request
        response = ("stream " if r.server_streaming else "") + r.response
        head = f"  rpc {r.name}({request}) returns ({response})"
        lines += _comment_lines(r.comments, "  ")
        if r.options:
            lines.append(head + " {" + _trail(r.comments))
            lines += [f"    option {n} = {v};" for n, v in r.options]
            lines.append("  }")
        else:
            lines.append(head + ";" + _trail(r.comments))
    return [*lines, "}"]


def render_extend(x: Extend) -> list[str]:
    """An extend block's lines."""
    lines = [*_comment_lines(x.comments, ""), f"extend {x.extendee} {{"]
    for f in x.fields:
        lines += render_field(f, "  ")
    return [*lines, "}"]


def render(file: ProtoFile) -> str:
    """The text of ``file``."""
    lines = _comment_lines(file.comments, "")
    lines.append(f'edition = "{file.syntax}";' if file.syntax == "2023" else f'syntax = "{file.syntax}";')
    lines.append("")
    if file.package:
        lines += [*_comment_lines(file.package_comments, ""), f"package {file.package};{_trail(file.package_comments)}"]
        lines.append("")
    for path, modifier in file.imports:
        lines.append(f'import {modifier + " " if modifier else ""}"{path}";')
    if file.imports:
        lines.append("")
    for name, value in file.options:
        if name in file.option_ignores:
            lines.append(f"// buf:lint:ignore {file.option_ignores[name]}")
        lines.append(f"option {name} = {value};")
    if file.options:
        lines.append("")
    elements = {"m": iter(file.messages), "e": iter(file.enums), "s": iter(file.services), "x": iter(file.extends)}
    renderers = {"m": lambda m: render_message(m, ""), "e": lambda e: render_enum(e, ""), "s": render_service,
                 "x": render_extend}  # fmt: skip
    order = file.order + ["m"] * len(file.messages) + ["e"] * len(file.enums) + ["s"] * len(file.services)
    order += ["x"] * len(file.extends)
    for kind in order:
        element = next(elements[kind], None)
        if element is not None:
            lines += renderers[kind](element)
            lines.append("")
    if file.tabs:
        lines = [_tabs(line) for line in lines]
    return "\n".join(lines)


def _tabs(line: str) -> str:
    stripped = line.lstrip(" ")
    return "\t" * ((len(line) - len(stripped)) // 2) + stripped


def render_model(model: Model) -> Tree:
    """The tree of ``model``: every file's text and buf.yaml."""
    tree = {f.path: render(f) for f in model.files}
    tree["buf.yaml"] = model.config
    return tree


# ---------------------------------------------------------------------------------------------------------------------
# Edits for breaking-change detection


def _all_messages(messages: list[Message]) -> list[Message]:
    found = []
    for m in messages:
        found.append(m)
        found += _all_messages(m.messages)
    return found


def _all_enums(file: ProtoFile) -> list[Enum]:
    return file.enums + [e for m in _all_messages(file.messages) for e in m.enums]


def _edit_field(rng: random.Random, file: ProtoFile, m: Message) -> None:
    message = m
    if not m.fields:
        return
    f = rng.choice(m.fields)
    action = rng.choice(["delete", "rename", "type", "number", "label", "option", "json", "reserve", "oneof", "map",
                         "presence", "required", "message_type", "utf8"])  # fmt: skip
    if action == "delete":
        m.fields.remove(f)
    elif action == "rename":
        f.name += "_renamed"
    elif action == "type" and f.group is None:
        f.type = rng.choice(SCALARS)
    elif action == "number":
        f.number += 500
    elif action == "label" and not f.key and f.group is None:
        f.label = field_label(rng, file.syntax)
        f.options = [o for o in f.options if o[0] not in ("packed", "default", "features.field_presence",
                                                          "features.repeated_field_encoding")]  # fmt: skip
    elif action == "option":
        f.options = [o for o in f.options if rng.random() < 0.5]
        if f.type in INT64S and not f.key:
            f.options = [o for o in f.options if o[0] != "jstype"] + [("jstype", "JS_STRING")]
        if f.type == "string" and not f.key and file.syntax != "2023":
            f.options = [o for o in f.options if o[0] != "ctype"] + [("ctype", "CORD")]
    elif action == "json" and f.group is None:
        f.options = [o for o in f.options if o[0] != "json_name"] + [("json_name", '"renamedJson"')]
    elif action == "reserve":
        m.fields.remove(f)
        m.reserved.append(rng.choice([str(f.number), f'"{f.name}"' if file.syntax != "2023" else f.name]))
    elif action == "oneof" and not f.key and f.group is None and f.label != "repeated" and file.syntax != "2023":
        m.fields.remove(f)
        f.label = ""
        f.options = [o for o in f.options if o[0] in ("json_name", "deprecated", "jstype", "ctype")]
        if m.oneofs:
            m.oneofs[0].fields.append(f)
        else:
            m.oneofs.append(Oneof("moved_oneof", [f]))
    elif action == "presence" and file.syntax == "2023" and not f.key and f.label == "" and f.group is None:
        presence = [o for o in f.options if o[0] == "features.field_presence"]
        f.options = [o for o in f.options if o[0] not in ("features.field_presence", "default")]
        if not presence or presence[0][1] != "EXPLICIT":
            f.options.append(("features.field_presence", "EXPLICIT"))
        elif f.type in SCALARS:
            f.options.append(("features.field_presence", "IMPLICIT"))
    elif action == "utf8" and file.syntax == "2023" and f.type == "string" and not f.key:
        f.options = [o for o in f.options if o[0] != "features.utf8_validation"]
        f.options.append(("features.utf8_validation", "NONE"))
    elif action == "required" and file.syntax == "proto2" and f.label in ("optional", "required") and f.group is None:
        f.label = "required" if f.label == "optional" else "optional"
        f.options = [o for o in f.options if o[0] != "default"]
    elif action == "message_type" and f.group is None and not f.key:
        others = [m.name for m in file.messages if m is not message]
        if others:
            f.type = rng.choice(others)
            f.options = [o for o in f.options if o[0] in ("json_name", "deprecated")]
            if file.syntax == "2023" and f.label == "" and rng.random() < 0.5:
                f.options.append(("features.message_encoding", "DELIMITED"))
    elif action == "map" and f.key:
        entry = Message(f.name[0].upper() + f.name[1:] + "Entry", [Field("key", 1, f.key), Field("value", 2, f.type)])
        if file.syntax == "proto2":
            entry.fields[0].label = entry.fields[1].label = "optional"
        m.messages.append(entry)
        f.key, f.type, f.label = "", entry.name, "repeated"


def _edit_enum(rng: random.Random, e: Enum, syntax: str) -> None:
    action = rng.choice(["delete", "rename", "number", "reserve", "alias", "closed", "json"])
    v = rng.choice(e.values)
    if action == "delete" and len(e.values) > 1 and v is not e.values[0]:
        e.values.remove(v)
    elif action == "rename":
        v.name += "_RENAMED"
    elif action == "number" and v is not e.values[0]:
        v.number += 100
    elif action == "reserve" and len(e.values) > 1 and v is not e.values[0]:
        e.values.remove(v)
        e.reserved.append(rng.choice([str(v.number), f'"{v.name}"' if syntax != "2023" else v.name]))
    elif action == "alias":
        e.options = [o for o in e.options if o[0] != "allow_alias"]
        e.values = [x for i, x in enumerate(e.values) if x.number not in {y.number for y in e.values[:i]}]
    elif action == "closed" and syntax == "2023":
        closed = ("features.enum_type", "CLOSED")
        e.options = [o for o in e.options if o != closed] if closed in e.options else [*e.options, closed]
    elif action == "closed":
        e.reserved = e.reserved[1:]
    elif action == "json" and syntax == "2023":
        e.options.append(("features.json_format", "LEGACY_BEST_EFFORT"))


def _edit_message(rng: random.Random, file: ProtoFile) -> None:
    messages = _all_messages(file.messages)
    if not messages:
        return
    m = rng.choice(messages)
    action = rng.choice(["field", "field", "field", "delete", "rename", "reserved", "oneof", "add", "option"])
    if action == "field":
        _edit_field(rng, file, m)
    elif action == "delete" and m in file.messages and not _referenced(file, m.name):
        file.messages.remove(m)
    elif action == "rename" and m in file.messages and not _referenced(file, m.name):
        m.name += "V2"
    elif action == "reserved" and m.reserved:
        m.reserved.pop()
    elif action == "oneof" and m.oneofs:
        oneof = m.oneofs.pop()
        if rng.random() < 0.5:
            m.fields += [Field(f.name, f.number, f.type, "optional" if file.syntax != "2023" else "", f.options)
                         for f in oneof.fields]  # fmt: skip
    elif action == "add":
        label = "required" if file.syntax == "proto2" else ""
        used = {f.number for f in m.fields} | {f.number for o in m.oneofs for f in o.fields}
        m.fields.append(Field("added_field", max(used | {0}) + 1000, "int32", label))
    elif action == "option":
        if m.options:
            m.options.pop()
        else:
            m.options.append(("no_standard_descriptor_accessor", "true"))


def _referenced(file: ProtoFile, name: str) -> bool:
    text = render(file)
    return text.count(name) > 1


def _edit_service(rng: random.Random, file: ProtoFile) -> None:
    if not file.services:
        return
    s = rng.choice(file.services)
    r = rng.choice(s.rpcs)
    action = rng.choice(["delete_rpc", "delete_service", "client", "server", "request", "idempotency", "rename"])
    if action == "delete_rpc":
        s.rpcs.remove(r)
        if not s.rpcs:
            file.services.remove(s)
    elif action == "delete_service":
        file.services.remove(s)
    elif action == "client":
        r.client_streaming = not r.client_streaming
    elif action == "server":
        r.server_streaming = not r.server_streaming
    elif action == "request":
        r.request, r.response = r.response, r.request
    elif action == "idempotency":
        r.options = [o for o in r.options if o[0] != "idempotency_level"]
        if rng.random() < 0.5:
            r.options.append(("idempotency_level", rng.choice(["NO_SIDE_EFFECTS", "IDEMPOTENT"])))
    elif action == "rename":
        r.name += "V2"


def _edit_file(rng: random.Random, model: Model, file: ProtoFile) -> None:
    action = rng.choice(["options", "options", "package", "move", "delete", "syntax", "enum_delete", "extend", "json"])
    if action == "options":
        file.options = [o for o in file.options if rng.random() < 0.5]
        file.options += file_options(rng, file.syntax)[:2]
        names = [n for n, _ in file.options]
        file.options = [o for i, o in enumerate(file.options) if o[0] not in names[:i]]
    elif action == "package" and not _imported(model, file):
        file.package = rng.choice([p for p in PACKAGES if p != file.package])
    elif action == "move" and not _imported(model, file):
        file.path = file.path.replace(".proto", "_moved.proto")
    elif action == "delete" and not _imported(model, file) and len(model.files) > 1:
        model.files.remove(file)
    elif action == "syntax" and file.syntax == "proto3" and not file.extends:
        file.syntax = "2023"
        for m in _all_messages(file.messages):
            for f in m.fields:
                if f.label == "optional":
                    f.label = ""
                    f.options = [o for o in f.options if o[0] != "ctype"]
                    f.options.append(("features.field_presence", "EXPLICIT"))
                elif f.label == "" and not f.key and f.type in SCALARS:
                    f.options.append(("features.field_presence", "IMPLICIT"))
                f.options = [o for o in f.options if o[0] not in ("ctype", "packed")]
    elif action == "enum_delete" and file.enums and not _referenced(file, file.enums[0].name):
        file.enums.pop(0)
    elif action == "extend" and file.extends:
        file.extends.pop()
    elif action == "json" and file.syntax == "2023":
        file.options.append(("features.json_format", "LEGACY_BEST_EFFORT"))
    elif action == "json" and file.messages:
        file.messages.append(file.messages.pop(0))  # reordered, nothing else changed


def _imported(model: Model, file: ProtoFile) -> bool:
    return any(file.path == path for other in model.files for path, _ in other.imports)


def mutate(rng: random.Random, model: Model) -> Model:
    """A copy of ``model`` with 1-3 random edits: fields, enums, messages, services and files changed or deleted."""
    new = copy.deepcopy(model)
    for _ in range(rng.randint(1, 3)):
        file = rng.choice(new.files)
        roll = rng.random()
        if roll < 0.5:
            _edit_message(rng, file)
        elif roll < 0.7:
            enums = _all_enums(file)
            if enums:
                _edit_enum(rng, rng.choice(enums), file.syntax)
        elif roll < 0.85:
            _edit_service(rng, file)
        else:
            _edit_file(rng, new, file)
    return new


# ---------------------------------------------------------------------------------------------------------------------
# Entry points


def lint_case(seed: int) -> Tree:
    """The tree (buf.yaml included) of lint case ``seed``."""
    return render_model(new_model(random.Random(seed), "lint"))


def breaking_case(seed: int) -> tuple[Tree, Tree]:
    """The (old, new) trees of breaking case ``seed``; both hold the same buf.yaml."""
    rng = random.Random(seed)
    old = new_model(rng, "breaking")
    return render_model(old), render_model(mutate(rng, old))


if __name__ == "__main__":
    import sys

    for name, text in lint_case(int(sys.argv[1]) if len(sys.argv) > 1 else 0).items():
        print(f"==> {name}\n{text}")
