"""Structure rules: syntax, packages' file options, imports, enums' zero values, required fields."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from protokit.checks.registry import Finding, at, at_file, rule
from protokit.index.elements import ENUM_OPTIONS, ENUM_VALUE, FILE_DEPENDENCY, FILE_OPTIONS, NAME, Element, FileView
from protokit.lint.context import Context

_SYNTAX_PATH, _EDITION_PATH = (12,), (14,)
_ALLOW_ALIAS = 2
_NUMBER = 2
_LABEL_REQUIRED = 2
_LEGACY_REQUIRED = 3  # FeatureSet.FieldPresence in editions
_UNUSED = re.compile(r"^(?:warning: )?Import (.+) is unused\.$")


@rule("SYNTAX_SPECIFIED", "file")
def syntax_specified(ctx: Context, file: FileView) -> Iterator[Finding]:
    """Every file states its syntax (``syntax = "proto3";``) or edition.

    Why: a file without a ``syntax`` line is silently proto2, with explicit presence, closed enums and required
    fields allowed; readers and tools should not have to guess which rules apply.
    Bad: ``package acme.orders.v1;`` as the file's first statement
    Good: ``syntax = "proto3"; package acme.orders.v1;``
    Fix: start the file with ``syntax = "proto3";`` (``syntax = "proto2";`` if it relies on proto2, or an
    ``edition``).
    """
    # protoc leaves ``syntax`` empty for proto2, stated or not: only then are the locations consulted.
    if not file.proto.syntax and _SYNTAX_PATH not in file.locations and _EDITION_PATH not in file.locations:
        message = (
            'Files must have a syntax explicitly specified. If no syntax is specified, the file defaults to "proto2".'
        )
        yield at_file(file, message)


@rule("ENUM_FIRST_VALUE_ZERO", "enum")
def enum_first_value_zero(ctx: Context, enum: Element) -> Iterator[Finding]:
    """The first value of an enum is zero.

    Why: proto3 requires it, and in proto2 the first value is what an unset field reads as; a zero first value
    keeps defaults the same in every syntax and edition, and leaves room for an ``_UNSPECIFIED`` value.
    Bad: ``enum Color { COLOR_RED = 1; }``
    Good: ``enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; }``
    Fix: add a zero value (``COLOR_UNSPECIFIED = 0;``) as the enum's first value.
    """
    if enum.proto.value and enum.proto.value[0].number != 0:
        first = enum.proto.value[0]
        message = f'First enum value "{first.name}" should have a numeric value of 0'
        yield Finding(enum.file, enum.span(ENUM_VALUE, 0, _NUMBER), message, enum.path + (ENUM_VALUE, 0))


@rule("ENUM_NO_ALLOW_ALIAS", "enum")
def enum_no_allow_alias(ctx: Context, enum: Element) -> Iterator[Finding]:
    """Enums do not set ``allow_alias``.

    Why: with aliases several names share one number, so a value read from the wire maps back to one of them
    arbitrarily in JSON and text, and renaming a value through an alias hides a JSON break.
    Bad: ``enum Status { option allow_alias = true; STATUS_UNSPECIFIED = 0; STATUS_DONE = 1; STATUS_FINISHED = 1; }``
    Good: ``enum Status { STATUS_UNSPECIFIED = 0; STATUS_DONE = 1; }``
    Fix: keep one name per number and remove the option; to rename a value, deprecate it and add a new one.
    """
    if enum.proto.options.allow_alias:
        message = f'Enum option "allow_alias" on enum "{enum.name}" must be false.'
        yield at(enum, message, ENUM_OPTIONS, _ALLOW_ALIAS)


@rule("FIELD_NOT_REQUIRED", "field")
def field_not_required(ctx: Context, field: Element) -> Iterator[Finding]:
    """Fields are not ``required`` (the proto2 label, or ``field_presence = LEGACY_REQUIRED`` in editions).

    Why: a message without its required fields fails to parse, so a required field can never be removed or left
    unset without breaking every reader that still requires it.
    Bad: ``required string id = 1;``
    Good: ``optional string id = 1;``
    Fix: make the field optional and check presence in application code (or with protovalidate); on a released
    message that is itself a break (MESSAGE_SAME_REQUIRED_FIELDS), so update readers first.
    """
    presence = field.proto.options.features.field_presence
    if field.proto.label == _LABEL_REQUIRED or presence == _LEGACY_REQUIRED:
        yield at(field, f'Field named "{field.name}" should not be required.', NAME)


@rule("IMPORT_NO_PUBLIC", "file")
def import_no_public(ctx: Context, file: FileView) -> Iterator[Finding]:
    """Imports are not ``public``.

    Why: a public import re-exports another file's types, which hides where they come from, and several
    generators (Go among them) support it poorly or not at all.
    Bad: ``import public "acme/common/v1/money.proto";``
    Good: ``import "acme/common/v1/money.proto";``
    Fix: import the file directly in every file that uses its types, and drop ``public``.
    """
    for index in file.proto.public_dependency:
        name = file.proto.dependency[index]
        yield at_file(file, f'Import "{name}" must not be public.', (FILE_DEPENDENCY, index))


@rule("IMPORT_USED", "file")
def import_used(ctx: Context, file: FileView) -> Iterator[Finding]:
    """Every import is used (by a type, an extension or an option), as protoc itself determines.

    Why: unused imports add dependencies to builds and imports to generated code, and some languages (Go)
    reject unused imports or import cycles they create.
    Bad: ``import "google/protobuf/timestamp.proto";`` in a file without ``google.protobuf.Timestamp``
    Good: the import removed, or ``google.protobuf.Timestamp created_at = 5;`` using it
    Fix: delete the unused import.
    """
    unused = {m.group(1) for w in file.warnings if (m := _UNUSED.match(w))}
    for index, name in enumerate(file.proto.dependency):
        if name in unused:
            yield at_file(file, f'Import "{name}" is unused.', (FILE_DEPENDENCY, index))


def _unstable(package: str) -> bool:
    version = package.rsplit(".", 1)[-1]
    return bool(re.match(r"^v\d+.*(alpha|beta|test)", version))


@rule("STABLE_PACKAGE_NO_IMPORT_UNSTABLE", "files")
def stable_package_no_import_unstable(ctx: Context, files: list[FileView]) -> Iterator[Finding]:
    """A stable package (``v1``) does not import an unstable one (``v1beta1``, ``v1alpha``, ``v1test``).

    Why: a stable package promises not to break, but unstable packages may change at any time, and a stable API
    that uses their types breaks with them.
    Bad: ``package acme.orders.v1; import "acme/billing/v1beta1/invoice.proto";``
    Good: ``package acme.orders.v1; import "acme/billing/v1/invoice.proto";``
    Fix: promote the imported types to a stable package version, or move the importing file to an unstable one.
    """
    package_of = {f.name: f.proto.package for f in files}
    for file in files:
        package = file.proto.package
        if not package or _unstable(package) or not re.search(r"\.v\d+$", "." + package):
            continue
        for index, dependency in enumerate(file.proto.dependency):
            target = package_of.get(dependency, "")
            if target and _unstable(target):
                message = (
                    f'This file is in stable package "{package}", so it should not depend on "{dependency}" '
                    f'from unstable package "{target}".'
                )
                yield at_file(file, message, (FILE_DEPENDENCY, index))


def _same_option(option: str, number: int) -> object:
    """The check that all files of a package agree on one file option."""

    def check(ctx: Context, files: list[FileView]) -> Iterator[Finding]:
        by_package: dict[str, list[FileView]] = defaultdict(list)
        for file in files:
            by_package[file.proto.package].append(file)  # files without a package form a group too
        for package, group in by_package.items():
            values = [_option_text(f, option) for f in group]
            present = sorted({v for v in values if v is not None})
            if len(present) == 1 and None not in values or not present:
                continue
            if None in values and len(present) == 1:
                problem = f'both values "{present[0]}" and no value'
            else:
                problem = f'multiple values "{",".join(present)}"'
            message = f'Files in package "{package}" have {problem} for option "{option}" and all values must be equal.'
            for file in group:
                path = (FILE_OPTIONS, number) if file.proto.options.HasField(option) else ()
                yield at_file(file, message, path)

    check.__doc__ = f"""All files of one package set the same ``{option}`` (or none sets it).

    Why: ``{option}`` tells a language's generator where or under which name to put a package's code; when
    the files of one package disagree, the package's generated code is split or named inconsistently.
    Bad: ``option {option} = ...;`` in one file of a package, another value (or none) in another
    Good: the same ``option {option} = ...;`` in every file of the package (or in none)
    Fix: set the same value of ``{option}`` in every file of the package.
    """
    return check


def _option_text(file: FileView, option: str) -> str | None:
    if not file.proto.options.HasField(option):
        return None
    value = getattr(file.proto.options, option)
    return str(value).lower() if isinstance(value, bool) else str(value)


for _rule_id, _option, _number in (
    ("PACKAGE_SAME_CSHARP_NAMESPACE", "csharp_namespace", 37),
    ("PACKAGE_SAME_GO_PACKAGE", "go_package", 11),
    ("PACKAGE_SAME_JAVA_MULTIPLE_FILES", "java_multiple_files", 10),
    ("PACKAGE_SAME_JAVA_PACKAGE", "java_package", 1),
    ("PACKAGE_SAME_PHP_NAMESPACE", "php_namespace", 41),
    ("PACKAGE_SAME_RUBY_PACKAGE", "ruby_package", 45),
    ("PACKAGE_SAME_SWIFT_PREFIX", "swift_prefix", 39),
):
    rule(_rule_id, "files")(_same_option(_option, _number))  # type: ignore[arg-type]
