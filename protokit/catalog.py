"""The catalog: every rule ID protokit knows, with its categories per configuration version.

This is the one declarative table of rules, a leaf module that imports nothing of
protokit's.  Each row names a rule ID literally, says in which ``buf.yaml``
versions (v1beta1, v1, v2) it exists and with which categories there, and its
status: ``stable`` (implemented), ``planned`` (listed, not implemented yet) or
``deprecated`` (with the IDs that replace it).  Whether a rule runs by default
follows from its categories, as in Buf: the ``DEFAULT`` lint category and the
``FILE`` breaking category are the defaults.  The rows equal the tables of
``buf config ls-lint-rules`` / ``ls-breaking-rules --include-deprecated`` for
every version (a test compares them), so configurations move between the two
tools unchanged.  protokit's own rules are marked ``origin="protokit"``.

Configuration validation, rule selection, ``--list-rules`` and the docs read
this table; rule functions are attached to these IDs by ``checks.registry``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

RuleKind = Literal["lint", "breaking"]
Status = Literal["stable", "planned", "deprecated"]
VERSIONS: tuple[str, ...] = ("v1beta1", "v1", "v2")
# The configuration version whose rule table protokit.yaml uses.
LATEST = "v2"
# The category that makes a rule run when a configuration names no rules.
DEFAULT_CATEGORY: dict[str, str] = {"lint": "DEFAULT", "breaking": "FILE"}
# Categories Buf still accepts but has renamed: (kind, name) -> (versions, replacement).
DEPRECATED_CATEGORIES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("lint", "DEFAULT"): (VERSIONS, "STANDARD"),
    ("lint", "STYLE_DEFAULT"): (("v1beta1",), "STYLE_STANDARD"),
}


@dataclass(frozen=True)
class RuleSpec:
    """One rule: ID, kind, purpose, categories per version it exists in, status and replacements."""

    id: str
    kind: RuleKind
    purpose: str
    versions: Mapping[str, tuple[str, ...]]
    status: Status = "stable"
    replaced_by: tuple[str, ...] = ()
    origin: str = "buf"

    def exists_in(self, version: str) -> bool:
        """Whether configurations of ``version`` know this rule."""
        return version in self.versions

    def categories_in(self, version: str) -> tuple[str, ...]:
        """The rule's categories in ``version`` (none where it does not exist)."""
        return self.versions.get(version, ())

    def default_in(self, version: str) -> bool:
        """Whether the rule runs in ``version`` when a configuration names no rules."""
        return DEFAULT_CATEGORY[self.kind] in self.categories_in(version)


def _rule(rule_id: str, purpose: str, *, status: Status = "stable", replaced_by: tuple[str, ...] = (),
          origin: str = "buf", **versions: str) -> tuple[str, str, dict[str, tuple[str, ...]], Status,
                                                         tuple[str, ...], str]:  # fmt: skip
    return rule_id, purpose, {v: tuple(c.split()) for v, c in versions.items()}, status, replaced_by, origin


def _table(kind: RuleKind, *rows: tuple[str, str, dict[str, tuple[str, ...]], Status, tuple[str, ...], str]
           ) -> dict[str, RuleSpec]:  # fmt: skip
    return {row[0]: RuleSpec(row[0], kind, row[1], row[2], row[3], row[4], row[5]) for row in rows}


_MIN = "MINIMAL BASIC DEFAULT STANDARD"
_BASIC = "BASIC DEFAULT STANDARD"
_STD = "DEFAULT STANDARD"
_FP = "FILE PACKAGE"
_FPJ = "FILE PACKAGE WIRE_JSON"
_FPJW = "FILE PACKAGE WIRE_JSON WIRE"
_WJW = "WIRE_JSON WIRE"

# fmt: off

LINT_RULES: dict[str, RuleSpec] = _table(
    "lint",
    _rule("DIRECTORY_SAME_PACKAGE",
          "All files in one directory declare the same package.",
          v1beta1=_MIN + " FILE_LAYOUT", v1=_MIN, v2=_MIN),
    _rule("PACKAGE_DIRECTORY_MATCH",
          "A file's directory, relative to its root, matches its package.",
          v1beta1=_MIN + " FILE_LAYOUT", v1=_MIN, v2=_MIN),
    _rule("PACKAGE_SAME_DIRECTORY",
          "All files of one package live in one directory.",
          v1beta1=_MIN + " FILE_LAYOUT", v1=_MIN, v2=_MIN),
    _rule("PACKAGE_SAME_CSHARP_NAMESPACE",
          "All files of a package share csharp_namespace.",
          v1beta1=_MIN + " PACKAGE_AFFINITY", v1=_BASIC, v2=_BASIC),
    _rule("PACKAGE_SAME_GO_PACKAGE",
          "All files of a package share go_package.",
          v1beta1=_MIN + " PACKAGE_AFFINITY", v1=_BASIC, v2=_BASIC),
    _rule("PACKAGE_SAME_JAVA_MULTIPLE_FILES",
          "All files of a package share java_multiple_files.",
          v1beta1=_MIN + " PACKAGE_AFFINITY", v1=_BASIC, v2=_BASIC),
    _rule("PACKAGE_SAME_JAVA_PACKAGE",
          "All files of a package share java_package.",
          v1beta1=_MIN + " PACKAGE_AFFINITY", v1=_BASIC, v2=_BASIC),
    _rule("PACKAGE_SAME_PHP_NAMESPACE",
          "All files of a package share php_namespace.",
          v1beta1=_MIN + " PACKAGE_AFFINITY", v1=_BASIC, v2=_BASIC),
    _rule("PACKAGE_SAME_RUBY_PACKAGE",
          "All files of a package share ruby_package.",
          v1beta1=_MIN + " PACKAGE_AFFINITY", v1=_BASIC, v2=_BASIC),
    _rule("PACKAGE_SAME_SWIFT_PREFIX",
          "All files of a package share swift_prefix.",
          v1beta1=_MIN + " PACKAGE_AFFINITY", v1=_BASIC, v2=_BASIC),
    _rule("ENUM_NO_ALLOW_ALIAS",
          "Enums do not set allow_alias.",
          v1beta1=_MIN + " SENSIBLE", v1=_BASIC, v2=_BASIC),
    _rule("FIELD_NO_DESCRIPTOR",
          "A field is not named descriptor (ignoring case and surrounding underscores).",
          v1beta1=_MIN + " SENSIBLE"),
    _rule("IMPORT_NO_PUBLIC",
          "Imports are not public.",
          v1beta1=_MIN + " SENSIBLE", v1=_BASIC, v2=_BASIC),
    _rule("PACKAGE_DEFINED",
          "Every file declares a package.",
          v1beta1=_MIN + " SENSIBLE", v1=_MIN, v2=_MIN),
    _rule("ENUM_PASCAL_CASE",
          "Enum names are PascalCase.",
          v1beta1=_BASIC + " STYLE_BASIC STYLE_DEFAULT STYLE_STANDARD", v1=_BASIC, v2=_BASIC),
    _rule("ENUM_VALUE_UPPER_SNAKE_CASE",
          "Enum value names are UPPER_SNAKE_CASE.",
          v1beta1=_BASIC + " STYLE_BASIC STYLE_DEFAULT STYLE_STANDARD", v1=_BASIC, v2=_BASIC),
    _rule("FIELD_LOWER_SNAKE_CASE",
          "Field names are lower_snake_case.",
          v1beta1=_BASIC + " STYLE_BASIC STYLE_DEFAULT STYLE_STANDARD", v1=_BASIC, v2=_BASIC),
    _rule("MESSAGE_PASCAL_CASE",
          "Message names are PascalCase.",
          v1beta1=_BASIC + " STYLE_BASIC STYLE_DEFAULT STYLE_STANDARD", v1=_BASIC, v2=_BASIC),
    _rule("ONEOF_LOWER_SNAKE_CASE",
          "Oneof names are lower_snake_case.",
          v1beta1=_BASIC + " STYLE_BASIC STYLE_DEFAULT STYLE_STANDARD", v1=_BASIC, v2=_BASIC),
    _rule("PACKAGE_LOWER_SNAKE_CASE",
          "Package names are lower_snake.case.",
          v1beta1=_BASIC + " STYLE_BASIC STYLE_DEFAULT STYLE_STANDARD", v1=_BASIC, v2=_BASIC),
    _rule("RPC_PASCAL_CASE",
          "RPC names are PascalCase.",
          v1beta1=_BASIC + " STYLE_BASIC STYLE_DEFAULT STYLE_STANDARD", v1=_BASIC, v2=_BASIC),
    _rule("SERVICE_PASCAL_CASE",
          "Service names are PascalCase.",
          v1beta1=_BASIC + " STYLE_BASIC STYLE_DEFAULT STYLE_STANDARD", v1=_BASIC, v2=_BASIC),
    _rule("ENUM_VALUE_PREFIX",
          "Enum values are prefixed with the enum's UPPER_SNAKE_CASE name.",
          v1beta1=_STD + " STYLE_DEFAULT STYLE_STANDARD", v1=_STD, v2=_STD),
    _rule("ENUM_ZERO_VALUE_SUFFIX",
          "The zero value of every enum ends with _UNSPECIFIED (configurable).",
          v1beta1=_STD + " STYLE_DEFAULT STYLE_STANDARD", v1=_STD, v2=_STD),
    _rule("FILE_LOWER_SNAKE_CASE",
          "File names are lower_snake_case.proto.",
          v1beta1=_STD + " STYLE_DEFAULT STYLE_STANDARD", v1=_STD, v2=_STD),
    _rule("PACKAGE_VERSION_SUFFIX",
          "The last package component is a version such as v1 or v1beta1.",
          v1beta1=_STD + " STYLE_DEFAULT STYLE_STANDARD", v1=_STD, v2=_STD),
    _rule("RPC_REQUEST_RESPONSE_UNIQUE",
          "Each request and response message is used by one RPC only.",
          v1beta1=_STD + " STYLE_DEFAULT STYLE_STANDARD", v1=_STD, v2=_STD),
    _rule("RPC_REQUEST_STANDARD_NAME",
          "RPC requests are named <Rpc>Request or <Service><Rpc>Request.",
          v1beta1=_STD + " STYLE_DEFAULT STYLE_STANDARD", v1=_STD, v2=_STD),
    _rule("RPC_RESPONSE_STANDARD_NAME",
          "RPC responses are named <Rpc>Response or <Service><Rpc>Response.",
          v1beta1=_STD + " STYLE_DEFAULT STYLE_STANDARD", v1=_STD, v2=_STD),
    _rule("SERVICE_SUFFIX",
          "Service names end with Service (configurable).",
          v1beta1=_STD + " STYLE_DEFAULT STYLE_STANDARD", v1=_STD, v2=_STD),
    _rule("COMMENT_ENUM",
          "Every enum has a leading comment.",
          v1beta1="COMMENTS", v1="COMMENTS", v2="COMMENTS"),
    _rule("COMMENT_ENUM_VALUE",
          "Every enum value has a leading comment.",
          v1beta1="COMMENTS", v1="COMMENTS", v2="COMMENTS"),
    _rule("COMMENT_FIELD",
          "Every field has a leading comment.",
          v1beta1="COMMENTS", v1="COMMENTS", v2="COMMENTS"),
    _rule("COMMENT_MESSAGE",
          "Every message has a leading comment.",
          v1beta1="COMMENTS", v1="COMMENTS", v2="COMMENTS"),
    _rule("COMMENT_ONEOF",
          "Every oneof has a leading comment.",
          v1beta1="COMMENTS", v1="COMMENTS", v2="COMMENTS"),
    _rule("COMMENT_RPC",
          "Every RPC has a leading comment.",
          v1beta1="COMMENTS", v1="COMMENTS", v2="COMMENTS"),
    _rule("COMMENT_SERVICE",
          "Every service has a leading comment.",
          v1beta1="COMMENTS", v1="COMMENTS", v2="COMMENTS"),
    _rule("RPC_NO_CLIENT_STREAMING",
          "RPCs are not client-streaming.",
          v1beta1="UNARY_RPC", v1="UNARY_RPC", v2="UNARY_RPC"),
    _rule("RPC_NO_SERVER_STREAMING",
          "RPCs are not server-streaming.",
          v1beta1="UNARY_RPC", v1="UNARY_RPC", v2="UNARY_RPC"),
    _rule("ENUM_FIRST_VALUE_ZERO",
          "The first value of every enum is zero.",
          v1beta1="OTHER", v1=_BASIC, v2=_BASIC),
    _rule("IMPORT_NO_WEAK",
          "Imports are not weak (deprecated: does nothing).",
          v1beta1="", v1="", v2="",
          status="deprecated"),
    _rule("IMPORT_USED",
          "Every import is used.",
          v1=_BASIC, v2=_BASIC),
    _rule("SYNTAX_SPECIFIED",
          "Every file declares its syntax or edition.",
          v1=_BASIC, v2=_BASIC),
    _rule("PROTOVALIDATE",
          "protovalidate constraints are valid.",
          v1=_STD, v2=_STD),
    _rule("PACKAGE_NO_IMPORT_CYCLE",
          "Packages do not import each other in a cycle.",
          v1="", v2=_MIN),
    _rule("FIELD_NOT_REQUIRED",
          "Fields are not declared required.",
          v2=_BASIC),
    _rule("STABLE_PACKAGE_NO_IMPORT_UNSTABLE",
          "Stable packages do not import unstable (alpha, beta, test) ones.",
          v2=""),
)

BREAKING_RULES: dict[str, RuleSpec] = _table(
    "breaking",
    _rule("ENUM_NO_DELETE",
          "No enum is deleted from its file.",
          v1beta1="FILE", v1="FILE", v2="CSR FILE"),
    _rule("FILE_NO_DELETE",
          "No file is deleted.",
          v1beta1="FILE", v1="FILE", v2="CSR FILE"),
    _rule("FILE_SAME_PACKAGE",
          "No file changes package.",
          v1beta1="FILE", v1=_FPJW, v2="CSR " + _FPJW),
    _rule("MESSAGE_NO_DELETE",
          "No message is deleted from its file.",
          v1beta1="FILE", v1="FILE", v2="CSR FILE"),
    _rule("SERVICE_NO_DELETE",
          "No service is deleted from its file.",
          v1beta1="FILE", v1="FILE", v2="FILE"),
    _rule("ENUM_SAME_TYPE",
          "No enum changes between open and closed.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("ENUM_VALUE_NO_DELETE",
          "No enum value is deleted.",
          v1beta1=_FP, v1=_FP, v2="CSR " + _FP),
    _rule("EXTENSION_MESSAGE_NO_DELETE",
          "No extension range is deleted from a message.",
          v1beta1=_FP, v1=_FP, v2="CSR " + _FP),
    _rule("FIELD_NO_DELETE",
          "No field is deleted from its message.",
          v1beta1=_FP, v1=_FP, v2="CSR " + _FP),
    _rule("FIELD_SAME_CPP_STRING_TYPE",
          "No field changes its C++ string type.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FIELD_SAME_JAVA_UTF8_VALIDATION",
          "No field changes its Java UTF-8 validation.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FIELD_SAME_JSTYPE",
          "No field changes its jstype option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FIELD_SAME_UTF8_VALIDATION",
          "No string field changes its UTF-8 validation.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_CC_ENABLE_ARENAS",
          "No file changes its cc_enable_arenas option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_CC_GENERIC_SERVICES",
          "No file changes its cc_generic_services option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_CSHARP_NAMESPACE",
          "No file changes its csharp_namespace option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_GO_PACKAGE",
          "No file changes its go_package option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_JAVA_GENERIC_SERVICES",
          "No file changes its java_generic_services option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_JAVA_MULTIPLE_FILES",
          "No file changes its java_multiple_files option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_JAVA_OUTER_CLASSNAME",
          "No file changes its java_outer_classname option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_JAVA_PACKAGE",
          "No file changes its java_package option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_OBJC_CLASS_PREFIX",
          "No file changes its objc_class_prefix option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_OPTIMIZE_FOR",
          "No file changes its optimize_for option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_PHP_CLASS_PREFIX",
          "No file changes its php_class_prefix option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_PHP_METADATA_NAMESPACE",
          "No file changes its php_metadata_namespace option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_PHP_NAMESPACE",
          "No file changes its php_namespace option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_PY_GENERIC_SERVICES",
          "No file changes its py_generic_services option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_RUBY_PACKAGE",
          "No file changes its ruby_package option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_SWIFT_PREFIX",
          "No file changes its swift_prefix option.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("FILE_SAME_SYNTAX",
          "No file changes its syntax or edition.",
          v1beta1=_FP, v1=_FP, v2="CSR " + _FP),
    _rule("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
          "No message sets no_standard_descriptor_accessor.",
          v1beta1=_FP, v1=_FP, v2="CSR " + _FP),
    _rule("ONEOF_NO_DELETE",
          "No oneof is deleted from its message.",
          v1beta1=_FP, v1=_FP, v2="CSR " + _FP),
    _rule("RPC_NO_DELETE",
          "No RPC is deleted from its service.",
          v1beta1=_FP, v1=_FP, v2=_FP),
    _rule("ENUM_SAME_JSON_FORMAT",
          "No enum changes its JSON format support.",
          v1beta1=_FPJ, v1=_FPJ, v2="CSR " + _FPJ),
    _rule("ENUM_VALUE_SAME_NAME",
          "No enum value number changes name.",
          v1beta1=_FPJ, v1=_FPJ, v2="CSR " + _FPJ),
    _rule("FIELD_SAME_JSON_NAME",
          "No field changes its JSON name.",
          v1beta1=_FPJ, v1=_FPJ, v2="CSR " + _FPJ),
    _rule("FIELD_SAME_NAME",
          "No field number changes name.",
          v1beta1=_FPJ, v1=_FPJ, v2="CSR " + _FPJ),
    _rule("MESSAGE_SAME_JSON_FORMAT",
          "No message changes its JSON format support.",
          v1beta1=_FPJ, v1=_FPJ, v2="CSR " + _FPJ),
    _rule("FIELD_SAME_CARDINALITY",
          "No field changes cardinality (optional, required, repeated).",
          v1beta1=_FPJW, v1=_FP, v2=_FP),
    _rule("FIELD_SAME_ONEOF",
          "No field moves into or out of a oneof.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("FIELD_SAME_TYPE",
          "No field changes type.",
          v1beta1=_FPJW, v1=_FP, v2="CSR " + _FP),
    _rule("MESSAGE_SAME_REQUIRED_FIELDS",
          "No message adds or removes required fields.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("RESERVED_ENUM_NO_DELETE",
          "No reserved range or name is deleted from an enum.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("RESERVED_MESSAGE_NO_DELETE",
          "No reserved range or name is deleted from a message.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("RPC_SAME_CLIENT_STREAMING",
          "No RPC changes client streaming.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("RPC_SAME_IDEMPOTENCY_LEVEL",
          "No RPC changes idempotency level.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("RPC_SAME_REQUEST_TYPE",
          "No RPC changes request type.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("RPC_SAME_RESPONSE_TYPE",
          "No RPC changes response type.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("RPC_SAME_SERVER_STREAMING",
          "No RPC changes server streaming.",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW),
    _rule("PACKAGE_ENUM_NO_DELETE",
          "No enum is deleted from its package.",
          v1beta1="PACKAGE", v1="PACKAGE", v2="PACKAGE"),
    _rule("PACKAGE_MESSAGE_NO_DELETE",
          "No message is deleted from its package.",
          v1beta1="PACKAGE", v1="PACKAGE", v2="PACKAGE"),
    _rule("PACKAGE_NO_DELETE",
          "No package is deleted.",
          v1beta1="PACKAGE", v1="PACKAGE", v2="PACKAGE"),
    _rule("PACKAGE_SERVICE_NO_DELETE",
          "No service is deleted from its package.",
          v1beta1="PACKAGE", v1="PACKAGE", v2="PACKAGE"),
    _rule("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
          "Deleted enum values reserve their name.",
          v1beta1="WIRE_JSON", v1="WIRE_JSON", v2="CSR WIRE_JSON"),
    _rule("FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
          "Deleted fields reserve their name.",
          v1beta1="WIRE_JSON", v1="WIRE_JSON", v2="CSR WIRE_JSON"),
    _rule("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
          "Cardinality changes stay wire- and JSON-compatible.",
          v1beta1="WIRE_JSON", v1="WIRE_JSON", v2="CSR WIRE_JSON"),
    _rule("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
          "Deleted enum values reserve their number.",
          v1beta1=_WJW, v1=_WJW, v2="CSR " + _WJW),
    _rule("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
          "Deleted fields reserve their number.",
          v1beta1=_WJW, v1=_WJW, v2="CSR " + _WJW),
    _rule("FIELD_WIRE_COMPATIBLE_CARDINALITY",
          "Cardinality changes stay wire-compatible.",
          v1beta1="WIRE", v1="WIRE", v2="WIRE"),
    _rule("FIELD_SAME_CTYPE",
          "No field changes its ctype option (deprecated).",
          v1beta1="", v1="",
          status="deprecated", replaced_by=("FIELD_SAME_CPP_STRING_TYPE",)),
    _rule("FIELD_SAME_LABEL",
          "No field changes its label (deprecated).",
          v1beta1="", v1="",
          status="deprecated", replaced_by=(
              "FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"
          )),
    _rule("FILE_SAME_JAVA_STRING_CHECK_UTF8",
          "No file changes its java_string_check_utf8 option.",
          v1beta1="", v1="",
          status="deprecated", replaced_by=("FIELD_SAME_JAVA_UTF8_VALIDATION",)),
    _rule("FILE_SAME_PHP_GENERIC_SERVICES",
          "No file changes its php_generic_services option.",
          v1beta1="", v1="",
          status="deprecated"),
    _rule("MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT",
          "No message changes message_set_wire_format (deprecated: does nothing).",
          v1beta1="", v1="", v2="",
          status="deprecated"),
    _rule("FIELD_WIRE_JSON_COMPATIBLE_TYPE",
          "Type changes stay wire- and JSON-compatible.",
          v1="WIRE_JSON", v2="CSR WIRE_JSON"),
    _rule("FIELD_WIRE_COMPATIBLE_TYPE",
          "Type changes stay wire-compatible.",
          v1="WIRE", v2="WIRE"),
    _rule("EXTENSION_NO_DELETE",
          "No extension is deleted from its file.",
          v2="FILE"),
    _rule("FIELD_SAME_DEFAULT",
          "No field changes its default value.",
          v2="CSR " + _FPJW),
    _rule("PACKAGE_EXTENSION_NO_DELETE",
          "No extension is deleted from its package.",
          v2="PACKAGE"),
    # protokit's own, over the release history (--against-tags); categories as FIELD_SAME_ONEOF's:
    _rule("FIELD_NUMBER_REUSED",
          "No field number freed in any release comes back with another name or type (--against-tags).",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW,
          origin="protokit"),
    _rule("ENUM_VALUE_NUMBER_REUSED",
          "No enum value number freed in any release comes back under another name (--against-tags).",
          v1beta1=_FPJW, v1=_FPJW, v2="CSR " + _FPJW,
          origin="protokit"),
)
# fmt: on


def rules(kind: RuleKind) -> dict[str, RuleSpec]:
    """Every rule of one kind, in every version, by ID."""
    return LINT_RULES if kind == "lint" else BREAKING_RULES


def spec_of(rule_id: str) -> RuleSpec | None:
    """The rule with this ID, lint or breaking (IDs are unique across both)."""
    return LINT_RULES.get(rule_id) or BREAKING_RULES.get(rule_id)


def categories(kind: RuleKind, version: str) -> tuple[str, ...]:
    """The category names configurations of ``version`` may use for ``kind``, in table order."""
    found: dict[str, None] = {}
    for spec in rules(kind).values():
        found.update(dict.fromkeys(spec.categories_in(version)))
    return tuple(found)


def deprecated_category(kind: RuleKind, version: str, name: str) -> str | None:
    """The category that replaces deprecated category ``name`` in ``version``, if it is one."""
    versions, replacement = DEPRECATED_CATEGORIES.get((kind, name), ((), ""))
    return replacement if version in versions else None


def deprecated_categories(kind: RuleKind, version: str) -> tuple[str, ...]:
    """The deprecated category names configurations of ``version`` still accept for ``kind``."""
    return tuple(name for (k, name), (when, _) in DEPRECATED_CATEGORIES.items() if k == kind and version in when)


def known_names(kind: RuleKind, version: str) -> tuple[str, ...]:
    """Every rule ID and category a configuration of ``version`` may name for ``kind``."""
    ids = tuple(rule_id for rule_id, spec in rules(kind).items() if spec.exists_in(version))
    return ids + categories(kind, version)


def members(kind: RuleKind, version: str, names: Iterable[str]) -> list[RuleSpec]:
    """The non-deprecated rules of ``version`` that ``names`` (IDs or categories) name, in table order."""
    wanted = set(names)
    return [
        spec
        for spec in rules(kind).values()
        if spec.exists_in(version)
        and spec.status != "deprecated"
        and (spec.id in wanted or wanted.intersection(spec.categories_in(version)))
    ]
