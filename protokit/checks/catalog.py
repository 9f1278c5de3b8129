"""The catalog of rule IDs and categories for lint and breaking checks.

This is the single declarative table of every rule protokit knows: its ID, the
categories it belongs to, whether it is on by default and a one-line purpose.
Rule IDs and categories follow Buf's, so configurations move between the two
tools unchanged.  Configuration validation, ``--list-rules`` and the docs read
this table; rule handlers are attached to these IDs by the check modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RuleKind = Literal["lint", "breaking"]


@dataclass(frozen=True)
class RuleSpec:
    """One rule: ID, kind, categories, default state and purpose."""

    id: str
    kind: RuleKind
    categories: tuple[str, ...]
    default: bool
    purpose: str


LINT_CATEGORIES: tuple[str, ...] = ("MINIMAL", "BASIC", "STANDARD", "COMMENTS", "UNARY_RPC")
# Category names older configurations use, mapped to today's name.
LINT_CATEGORY_ALIASES: dict[str, str] = {"DEFAULT": "STANDARD"}
BREAKING_CATEGORIES: tuple[str, ...] = ("FILE", "PACKAGE", "WIRE_JSON", "WIRE")

_MIN = ("MINIMAL", "BASIC", "STANDARD")
_BASIC = ("BASIC", "STANDARD")
_STD = ("STANDARD",)

_LINT: list[tuple[str, tuple[str, ...], str]] = [
    ("DIRECTORY_SAME_PACKAGE", _MIN, "All files in one directory declare the same package."),
    ("FIELD_NO_DESCRIPTOR", _MIN, "Field names are not descriptor in any case, with any underscores (v1beta1)."),
    ("PACKAGE_DEFINED", _MIN, "Every file declares a package."),
    ("PACKAGE_DIRECTORY_MATCH", _MIN, "A file's directory, relative to its root, matches its package."),
    ("PACKAGE_NO_IMPORT_CYCLE", _MIN, "Packages do not import each other in a cycle."),
    ("PACKAGE_SAME_DIRECTORY", _MIN, "All files of one package live in one directory."),
    ("ENUM_FIRST_VALUE_ZERO", _BASIC, "The first value of every enum is zero."),
    ("ENUM_NO_ALLOW_ALIAS", _BASIC, "Enums do not set allow_alias."),
    ("ENUM_PASCAL_CASE", _BASIC, "Enum names are PascalCase."),
    ("ENUM_VALUE_UPPER_SNAKE_CASE", _BASIC, "Enum value names are UPPER_SNAKE_CASE."),
    ("FIELD_LOWER_SNAKE_CASE", _BASIC, "Field names are lower_snake_case."),
    ("FIELD_NOT_REQUIRED", _BASIC, "Fields are not declared required."),
    ("IMPORT_NO_PUBLIC", _BASIC, "Imports are not public."),
    ("IMPORT_USED", _BASIC, "Every import is used."),
    ("MESSAGE_PASCAL_CASE", _BASIC, "Message names are PascalCase."),
    ("ONEOF_LOWER_SNAKE_CASE", _BASIC, "Oneof names are lower_snake_case."),
    ("PACKAGE_LOWER_SNAKE_CASE", _BASIC, "Package names are lower_snake.case."),
    ("PACKAGE_SAME_CSHARP_NAMESPACE", _BASIC, "All files of a package share csharp_namespace."),
    ("PACKAGE_SAME_GO_PACKAGE", _BASIC, "All files of a package share go_package."),
    ("PACKAGE_SAME_JAVA_MULTIPLE_FILES", _BASIC, "All files of a package share java_multiple_files."),
    ("PACKAGE_SAME_JAVA_PACKAGE", _BASIC, "All files of a package share java_package."),
    ("PACKAGE_SAME_PHP_NAMESPACE", _BASIC, "All files of a package share php_namespace."),
    ("PACKAGE_SAME_RUBY_PACKAGE", _BASIC, "All files of a package share ruby_package."),
    ("PACKAGE_SAME_SWIFT_PREFIX", _BASIC, "All files of a package share swift_prefix."),
    ("RPC_PASCAL_CASE", _BASIC, "RPC names are PascalCase."),
    ("SERVICE_PASCAL_CASE", _BASIC, "Service names are PascalCase."),
    ("SYNTAX_SPECIFIED", _BASIC, "Every file declares its syntax or edition."),
    ("ENUM_VALUE_PREFIX", _STD, "Enum values are prefixed with the enum's UPPER_SNAKE_CASE name."),
    ("ENUM_ZERO_VALUE_SUFFIX", _STD, "The zero value of every enum ends with _UNSPECIFIED (configurable)."),
    ("FILE_LOWER_SNAKE_CASE", _STD, "File names are lower_snake_case.proto."),
    ("PACKAGE_VERSION_SUFFIX", _STD, "The last package component is a version such as v1 or v1beta1."),
    ("PROTOVALIDATE", _STD, "protovalidate constraints are valid."),
    ("RPC_REQUEST_RESPONSE_UNIQUE", _STD, "Each request and response message is used by one RPC only."),
    ("RPC_REQUEST_STANDARD_NAME", _STD, "RPC requests are named <Rpc>Request or <Service><Rpc>Request."),
    ("RPC_RESPONSE_STANDARD_NAME", _STD, "RPC responses are named <Rpc>Response or <Service><Rpc>Response."),
    ("SERVICE_SUFFIX", _STD, "Service names end with Service (configurable)."),
    ("COMMENT_ENUM", ("COMMENTS",), "Every enum has a leading comment."),
    ("COMMENT_ENUM_VALUE", ("COMMENTS",), "Every enum value has a leading comment."),
    ("COMMENT_FIELD", ("COMMENTS",), "Every field has a leading comment."),
    ("COMMENT_MESSAGE", ("COMMENTS",), "Every message has a leading comment."),
    ("COMMENT_ONEOF", ("COMMENTS",), "Every oneof has a leading comment."),
    ("COMMENT_RPC", ("COMMENTS",), "Every RPC has a leading comment."),
    ("COMMENT_SERVICE", ("COMMENTS",), "Every service has a leading comment."),
    ("RPC_NO_CLIENT_STREAMING", ("UNARY_RPC",), "RPCs are not client-streaming."),
    ("RPC_NO_SERVER_STREAMING", ("UNARY_RPC",), "RPCs are not server-streaming."),
    ("STABLE_PACKAGE_NO_IMPORT_UNSTABLE", (), "Stable packages do not import unstable (alpha, beta, test) ones."),
]

_FILE = ("FILE",)
_FP = ("FILE", "PACKAGE")
_FPJ = ("FILE", "PACKAGE", "WIRE_JSON")
_FPJW = ("FILE", "PACKAGE", "WIRE_JSON", "WIRE")
_FILE_OPTIONS = (
    "CC_ENABLE_ARENAS", "CC_GENERIC_SERVICES", "CSHARP_NAMESPACE", "GO_PACKAGE",
    "JAVA_GENERIC_SERVICES", "JAVA_MULTIPLE_FILES", "JAVA_OUTER_CLASSNAME", "JAVA_PACKAGE",
    "JAVA_STRING_CHECK_UTF8", "OBJC_CLASS_PREFIX", "OPTIMIZE_FOR", "PHP_CLASS_PREFIX",
    "PHP_GENERIC_SERVICES", "PHP_METADATA_NAMESPACE", "PHP_NAMESPACE", "PY_GENERIC_SERVICES",
    "RUBY_PACKAGE", "SWIFT_PREFIX",
)  # fmt: skip

_BREAKING: list[tuple[str, tuple[str, ...], bool, str]] = [
    ("FILE_NO_DELETE", _FILE, True, "No file is deleted."),
    ("ENUM_NO_DELETE", _FILE, True, "No enum is deleted from its file."),
    ("MESSAGE_NO_DELETE", _FILE, True, "No message is deleted from its file."),
    ("SERVICE_NO_DELETE", _FILE, True, "No service is deleted from its file."),
    ("EXTENSION_NO_DELETE", _FILE, True, "No extension is deleted from its file."),
    ("ENUM_SAME_TYPE", _FP, True, "No enum changes between open and closed."),
    ("FIELD_SAME_CARDINALITY", _FP, True, "No field changes cardinality (optional, required, repeated)."),
    ("FIELD_SAME_CPP_STRING_TYPE", _FP, True, "No field changes its C++ string type."),
    ("FIELD_SAME_JAVA_UTF8_VALIDATION", _FP, True, "No field changes its Java UTF-8 validation."),
    ("FIELD_SAME_JSTYPE", _FP, True, "No field changes its jstype option."),
    ("FIELD_SAME_UTF8_VALIDATION", _FP, True, "No string field changes its UTF-8 validation."),
    *[(f"FILE_SAME_{option}", _FP, True, f"No file changes its {option.lower()} option.") for option in _FILE_OPTIONS],
    ("RPC_NO_DELETE", _FP, True, "No RPC is deleted from its service."),
    ("ENUM_VALUE_NO_DELETE", _FP, True, "No enum value is deleted."),
    ("EXTENSION_MESSAGE_NO_DELETE", _FP, True, "No extension range is deleted from a message."),
    ("FIELD_NO_DELETE", _FP, True, "No field is deleted from its message."),
    ("FIELD_SAME_TYPE", _FP, True, "No field changes type."),
    ("FILE_SAME_SYNTAX", _FP, True, "No file changes its syntax or edition."),
    ("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", _FP, True, "No message sets no_standard_descriptor_accessor."),
    ("ONEOF_NO_DELETE", _FP, True, "No oneof is deleted from its message."),
    ("ENUM_SAME_JSON_FORMAT", _FPJ, True, "No enum changes its JSON format support."),
    ("ENUM_VALUE_SAME_NAME", _FPJ, True, "No enum value number changes name."),
    ("FIELD_SAME_JSON_NAME", _FPJ, True, "No field changes its JSON name."),
    ("FIELD_SAME_NAME", _FPJ, True, "No field number changes name."),
    ("MESSAGE_SAME_JSON_FORMAT", _FPJ, True, "No message changes its JSON format support."),
    ("FIELD_SAME_DEFAULT", _FPJW, True, "No field changes its default value."),
    ("FIELD_SAME_ONEOF", _FPJW, True, "No field moves into or out of a oneof."),
    ("FILE_SAME_PACKAGE", _FPJW, True, "No file changes package."),
    ("MESSAGE_SAME_REQUIRED_FIELDS", _FPJW, True, "No message adds or removes required fields."),
    ("RESERVED_ENUM_NO_DELETE", _FPJW, True, "No reserved range or name is deleted from an enum."),
    ("RESERVED_MESSAGE_NO_DELETE", _FPJW, True, "No reserved range or name is deleted from a message."),
    ("RPC_SAME_CLIENT_STREAMING", _FPJW, True, "No RPC changes client streaming."),
    ("RPC_SAME_SERVER_STREAMING", _FPJW, True, "No RPC changes server streaming."),
    ("RPC_SAME_IDEMPOTENCY_LEVEL", _FPJW, True, "No RPC changes idempotency level."),
    ("RPC_SAME_REQUEST_TYPE", _FPJW, True, "No RPC changes request type."),
    ("RPC_SAME_RESPONSE_TYPE", _FPJW, True, "No RPC changes response type."),
    ("PACKAGE_NO_DELETE", ("PACKAGE",), False, "No package is deleted."),
    ("PACKAGE_ENUM_NO_DELETE", ("PACKAGE",), False, "No enum is deleted from its package."),
    ("PACKAGE_MESSAGE_NO_DELETE", ("PACKAGE",), False, "No message is deleted from its package."),
    ("PACKAGE_SERVICE_NO_DELETE", ("PACKAGE",), False, "No service is deleted from its package."),
    ("PACKAGE_EXTENSION_NO_DELETE", ("PACKAGE",), False, "No extension is deleted from its package."),
    ("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", ("WIRE_JSON",), False, "Deleted enum values reserve their name."),
    ("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", ("WIRE_JSON",), False, "Deleted fields reserve their name."),
    (
        "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
        ("WIRE_JSON",),
        False,
        "Cardinality changes stay wire- and JSON-compatible.",
    ),
    ("FIELD_WIRE_JSON_COMPATIBLE_TYPE", ("WIRE_JSON",), False, "Type changes stay wire- and JSON-compatible."),
    (
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        ("WIRE_JSON", "WIRE"),
        False,
        "Deleted enum values reserve their number.",
    ),
    ("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", ("WIRE_JSON", "WIRE"), False, "Deleted fields reserve their number."),
    ("FIELD_WIRE_COMPATIBLE_CARDINALITY", ("WIRE",), False, "Cardinality changes stay wire-compatible."),
    ("FIELD_WIRE_COMPATIBLE_TYPE", ("WIRE",), False, "Type changes stay wire-compatible."),
    # protokit's own, over the release history (--against-tags):
    (
        "FIELD_NUMBER_REUSED",
        _FPJW,
        True,
        "No field number freed in any release comes back with another name or type (protokit, --against-tags).",
    ),
    (
        "ENUM_VALUE_NUMBER_REUSED",
        _FPJW,
        True,
        "No enum value number freed in any release comes back under another name (protokit, --against-tags).",
    ),
]

LINT_RULES: dict[str, RuleSpec] = {
    rule_id: RuleSpec(rule_id, "lint", categories, "STANDARD" in categories, purpose)
    for rule_id, categories, purpose in _LINT
}
BREAKING_RULES: dict[str, RuleSpec] = {
    rule_id: RuleSpec(rule_id, "breaking", categories, default, purpose)
    for rule_id, categories, default, purpose in _BREAKING
}


def rules_of(kind: RuleKind) -> dict[str, RuleSpec]:
    """All rules of one kind, by ID."""
    return LINT_RULES if kind == "lint" else BREAKING_RULES


def categories_of(kind: RuleKind) -> tuple[str, ...]:
    """The category names of one kind of check (aliases included for lint)."""
    if kind == "lint":
        return LINT_CATEGORIES + tuple(LINT_CATEGORY_ALIASES)
    return BREAKING_CATEGORIES


def known_ids(kind: RuleKind) -> tuple[str, ...]:
    """Every rule ID and category name a configuration may name for this kind."""
    return tuple(rules_of(kind)) + categories_of(kind)


def named_by(spec: RuleSpec, name: str) -> bool:
    """Whether a configuration entry (rule ID, category or category alias) names this rule."""
    return name == spec.id or LINT_CATEGORY_ALIASES.get(name, name) in spec.categories


def selected(kind: RuleKind, use: tuple[str, ...], except_: tuple[str, ...]) -> list[str]:
    """The IDs of the rules that ``use`` names and ``except`` does not, in catalog order."""
    return [
        rule_id
        for rule_id, spec in rules_of(kind).items()
        if any(named_by(spec, name) for name in use) and not any(named_by(spec, name) for name in except_)
    ]
