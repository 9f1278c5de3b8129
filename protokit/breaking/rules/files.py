"""Rules about a file that stays: its package, syntax or edition, and the file options generators read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.protobuf import descriptor_pb2

from protokit.breaking.context import Context
from protokit.breaking.rules.common import FILE_OPTIONS
from protokit.checks.registry import Finding, rule
from protokit.index.elements import NO_SPAN, FileView
from protokit.validate.gofmt import go_quote

_FILE_PACKAGE, _FILE_SYNTAX = 2, 12


@rule("FILE_SAME_PACKAGE", "file")
def file_same_package(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No file changes package.

    Why: every type in the file changes its full name: generated code moves, files importing it no longer find
    its types, and ``Any`` type URLs and RPC paths change.
    Bad: ``package acme.orders.v1;`` becomes ``package acme.sales.v1;``
    Good: ``package acme.orders.v1;`` kept, and the new package's types in new files
    Fix: keep the file's package; publish the types under the new package (or version) in new files and
    deprecate the old ones.
    """
    if old.package != new.package:
        message = f'File "{new.name}" changed package from "{old.package}" to "{new.package}".'
        yield Finding(new, new.span((_FILE_PACKAGE,)), message)


def _syntax(file: FileView) -> str:
    if file.proto.syntax == "editions":
        return f"edition {descriptor_pb2.Edition.Name(file.proto.edition).removeprefix('EDITION_')}"
    return file.proto.syntax or "proto2"


@rule("FILE_SAME_SYNTAX", "file")
def file_same_syntax(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
    """No file changes syntax or edition.

    Why: field presence, enum openness, defaults, UTF-8 validation and JSON support follow the syntax, so the
    same fields behave differently in generated code, in JSON and for parsers.
    Bad: ``syntax = "proto2";`` becomes ``syntax = "proto3";``
    Good: ``syntax = "proto2";`` kept
    Fix: restore the previous syntax or edition; move to another one in a new package version (or, for editions,
    set features that keep the old behaviour and accept this finding knowingly).
    """
    before, after = _syntax(old), _syntax(new)
    if before != after:
        yield Finding(new, new.span((_FILE_SYNTAX,)), f'File syntax changed from "{before}" to "{after}".')


def _option_value(file: FileView, option: str) -> str:
    options = file.proto.options
    value = getattr(options, option)
    if option == "optimize_for":
        return str(descriptor_pb2.FileOptions.OptimizeMode.Name(value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _file_option(option: str, number: int) -> Any:
    """The check that a file keeps the value of one file option."""

    def check(ctx: Context, old: FileView, new: FileView) -> Iterator[Finding]:
        before, after = _option_value(old, option), _option_value(new, option)
        if before != after:
            message = f'File "{new.name}" changed option "{option}" from {go_quote(before)} to {go_quote(after)}.'
            located = new.proto.options.HasField(option)
            yield Finding(new, new.span((FILE_OPTIONS, number)) if located else NO_SPAN, message)

    check.__doc__ = f"""No file changes its ``{option}`` option.

    Why: code generators read ``{option}``; changing it moves or reshapes the generated code, which
    breaks every client that imports it.
    Bad: ``option {option} = <new value>;`` in a file that had another value (or none).
    Good: the value the file had in the last release.
    Fix: restore the previous value of ``{option}``; to change it, create a new package version.
    """
    return check


# One rule per file option that code generators read (java_string_check_utf8 and php_generic_services
# are deprecated: FIELD_SAME_JAVA_UTF8_VALIDATION replaces the former, nothing the latter).
rule("FILE_SAME_CC_ENABLE_ARENAS", "file")(_file_option("cc_enable_arenas", 31))
rule("FILE_SAME_CC_GENERIC_SERVICES", "file")(_file_option("cc_generic_services", 16))
rule("FILE_SAME_CSHARP_NAMESPACE", "file")(_file_option("csharp_namespace", 37))
rule("FILE_SAME_GO_PACKAGE", "file")(_file_option("go_package", 11))
rule("FILE_SAME_JAVA_GENERIC_SERVICES", "file")(_file_option("java_generic_services", 17))
rule("FILE_SAME_JAVA_MULTIPLE_FILES", "file")(_file_option("java_multiple_files", 10))
rule("FILE_SAME_JAVA_OUTER_CLASSNAME", "file")(_file_option("java_outer_classname", 8))
rule("FILE_SAME_JAVA_PACKAGE", "file")(_file_option("java_package", 1))
rule("FILE_SAME_OBJC_CLASS_PREFIX", "file")(_file_option("objc_class_prefix", 36))
rule("FILE_SAME_OPTIMIZE_FOR", "file")(_file_option("optimize_for", 9))
rule("FILE_SAME_PHP_CLASS_PREFIX", "file")(_file_option("php_class_prefix", 40))
rule("FILE_SAME_PHP_METADATA_NAMESPACE", "file")(_file_option("php_metadata_namespace", 44))
rule("FILE_SAME_PHP_NAMESPACE", "file")(_file_option("php_namespace", 41))
rule("FILE_SAME_PY_GENERIC_SERVICES", "file")(_file_option("py_generic_services", 18))
rule("FILE_SAME_RUBY_PACKAGE", "file")(_file_option("ruby_package", 45))
rule("FILE_SAME_SWIFT_PREFIX", "file")(_file_option("swift_prefix", 39))
