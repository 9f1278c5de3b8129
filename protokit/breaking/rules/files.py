"""Rules about a file that stays: its package, syntax or edition, and the file options generators read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.protobuf import descriptor_pb2

from protokit.breaking.registry import Change, Context, breaking_rule
from protokit.breaking.rules.common import FILE_OPTIONS
from protokit.lint.elements import NO_SPAN, FileView

_FILE_PACKAGE, _FILE_SYNTAX = 2, 12


@breaking_rule("FILE_SAME_PACKAGE", "file")
def file_same_package(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No file changes package: every type in it would change its full name."""
    if old.package != new.package:
        message = f'File "{new.name}" changed package from "{old.package}" to "{new.package}".'
        yield Change(new, new.span((_FILE_PACKAGE,)), message)


def _syntax(file: FileView) -> str:
    if file.proto.syntax == "editions":
        return f"edition {descriptor_pb2.Edition.Name(file.proto.edition).removeprefix('EDITION_')}"
    return file.proto.syntax or "proto2"


@breaking_rule("FILE_SAME_SYNTAX", "file")
def file_same_syntax(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
    """No file changes syntax or edition: presence, defaults and UTF-8 checks of its fields change with it."""
    before, after = _syntax(old), _syntax(new)
    if before != after:
        yield Change(new, new.span((_FILE_SYNTAX,)), f'File syntax changed from "{before}" to "{after}".')


def _option_value(file: FileView, option: str) -> str:
    options = file.proto.options
    if option not in options.DESCRIPTOR.fields_by_name:
        return ""  # an option this protobuf runtime no longer knows (php_generic_services)
    value = getattr(options, option)
    if option == "optimize_for":
        return str(descriptor_pb2.FileOptions.OptimizeMode.Name(value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _file_option(option: str, number: int) -> Any:
    """The check that a file keeps the value of one file option."""

    def check(ctx: Context, old: FileView, new: FileView) -> Iterator[Change]:
        before, after = _option_value(old, option), _option_value(new, option)
        if before != after:
            message = f'File "{new.name}" changed option "{option}" from "{before}" to "{after}".'
            located = option in new.proto.options.DESCRIPTOR.fields_by_name and new.proto.options.HasField(option)
            yield Change(new, new.span((FILE_OPTIONS, number)) if located else NO_SPAN, message)

    check.__doc__ = f"No file changes its ``{option}`` option: generated code moves or changes shape."
    return check


for _option, _number in (
    ("cc_enable_arenas", 31), ("cc_generic_services", 16), ("csharp_namespace", 37), ("go_package", 11),
    ("java_generic_services", 17), ("java_multiple_files", 10), ("java_outer_classname", 8), ("java_package", 1),
    ("java_string_check_utf8", 27), ("objc_class_prefix", 36), ("optimize_for", 9), ("php_class_prefix", 40),
    ("php_generic_services", 42), ("php_metadata_namespace", 44), ("php_namespace", 41), ("py_generic_services", 18),
    ("ruby_package", 45), ("swift_prefix", 39),
):  # fmt: skip
    breaking_rule(f"FILE_SAME_{_option.upper()}", "file")(_file_option(_option, _number))
