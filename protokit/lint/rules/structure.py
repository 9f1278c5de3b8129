"""Structure rules: syntax, packages' file options, imports, enums' zero values, required fields."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from protokit.checks.registry import Finding, at, at_file, rule
from protokit.index.elements import ENUM_OPTIONS, ENUM_VALUE, FILE_DEPENDENCY, FILE_OPTIONS, NAME, Element, FileView
from protokit.index.package_versions import STABLE, package_stability
from protokit.lint.context import Context
from protokit.lint.summary import PACKAGE_OPTIONS, FileSummary, Verdict
from protokit.validate.gofmt import go_quote

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
    protoc never calls an import of a file that has public imports unused; Buf does, when no symbol
    the file refers to is reached through that import first (see ``_unused_reexporters``).

    Why: unused imports add dependencies to builds and imports to generated code, and some languages (Go)
    reject unused imports or import cycles they create.
    Bad: ``import "google/protobuf/timestamp.proto";`` in a file without ``google.protobuf.Timestamp``
    Good: the import removed, or ``google.protobuf.Timestamp created_at = 5;`` using it
    Fix: delete the unused import.
    """
    unused = {m.group(1) for w in file.warnings if (m := _UNUSED.match(w))}
    unused |= _unused_reexporters(ctx, file)
    for index, name in enumerate(file.proto.dependency):
        if name in unused:
            yield at_file(file, f'Import "{name}" is unused.', (FILE_DEPENDENCY, index))


def _unused_reexporters(ctx: Context, file: FileView) -> set[str]:
    """The non-public imports of module files with public imports that Buf's compiler calls unused.

    Buf marks, for each symbol a file refers to, the direct import it came through: the import that
    defines it, else the first direct import (public ones first) that imports its file transitively.
    Only type references are followed; a file using custom options keeps all such imports (conservative),
    and so does a reference to a type outside the module when the import reaches outside the module.
    """
    by_name = ctx.files
    public = set(file.proto.public_dependency)
    candidates = [
        name
        for i, name in enumerate(file.proto.dependency)
        if i not in public and name in by_name and by_name[name].proto.public_dependency
    ]
    if not candidates or _uses_custom_options(file.proto):
        return set()
    dependencies = list(file.proto.dependency)
    directs = [dependencies[i] for i in sorted(public)] + [d for i, d in enumerate(dependencies) if i not in public]
    closures = {direct: _closure(direct, by_name) for direct in directs}
    causes: dict[str, str] = {}
    for direct in directs:
        causes[direct] = direct
        for imported in closures[direct]:
            causes.setdefault(imported, direct)
    defined: dict[str, str] = {}
    for name in {n for closure in closures.values() for n in closure} | set(directs):
        if name in by_name:
            defined.update(dict.fromkeys(_type_names(by_name[name].proto), name))
    own = set(_type_names(file.proto))
    used: set[str] = set()
    for symbol in _references(file.proto):
        if symbol in own:
            continue
        if symbol in defined:
            used.add(causes.get(defined[symbol], ""))
        elif _well_known_types().get(symbol) in causes:  # a well-known type: its file is known
            used.add(causes[_well_known_types()[symbol]])
        else:  # defined outside the module: possibly reached through any import that leaves the module
            used.update(d for d in candidates if any(n not in by_name for n in closures[d]))
    return set(candidates) - used


@functools.cache
def _well_known_types() -> dict[str, str]:
    """The well-known types (``google/protobuf/*.proto``) by full name, mapped to the file defining them."""
    from google.protobuf import (  # noqa: F401 (imported to register their files in the default pool)
        any_pb2,
        api_pb2,
        descriptor_pb2,
        descriptor_pool,
        duration_pb2,
        empty_pb2,
        field_mask_pb2,
        source_context_pb2,
        struct_pb2,
        timestamp_pb2,
        type_pb2,
        wrappers_pb2,
    )

    pool = descriptor_pool.Default()
    found: dict[str, str] = {}
    for name in ("any", "api", "descriptor", "duration", "empty", "field_mask", "source_context", "struct",
                 "timestamp", "type", "wrappers"):  # fmt: skip
        proto = descriptor_pb2.FileDescriptorProto()
        pool.FindFileByName(f"google/protobuf/{name}.proto").CopyToProto(proto)
        found.update(dict.fromkeys(_type_names(proto), proto.name))
    return found


def _closure(name: str, by_name: Mapping[str, FileView]) -> set[str]:
    """Every file ``name`` imports, directly or not (files outside the module are listed, not followed)."""
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = by_name.get(stack.pop())
        for dependency in current.proto.dependency if current is not None else ():
            if dependency not in seen:
                seen.add(dependency)
                stack.append(dependency)
    seen.discard(name)
    return seen


def _type_names(proto: Any) -> Iterator[str]:
    """The full names of the messages and enums a ``FileDescriptorProto`` defines."""
    stack = [(proto.package, proto.message_type, proto.enum_type)]
    while stack:
        scope, messages, enums = stack.pop()
        prefix = f"{scope}." if scope else ""
        yield from (prefix + enum.name for enum in enums)
        for message in messages:
            yield prefix + message.name
            stack.append((prefix + message.name, message.nested_type, message.enum_type))


def _references(proto: Any) -> Iterator[str]:
    """The full names of the types a file refers to: field types, extendees, requests and responses."""
    fields = list(proto.extension)
    messages = list(proto.message_type)
    while messages:
        message = messages.pop()
        fields += [*message.field, *message.extension]
        messages += message.nested_type
    for field in fields:
        yield from (name.lstrip(".") for name in (field.type_name, field.extendee) if name)
    for service in proto.service:
        for method in service.method:
            yield method.input_type.lstrip(".")
            yield method.output_type.lstrip(".")


def _uses_custom_options(proto: Any) -> bool:
    """Whether any options message of the file holds an extension (a custom option or feature)."""
    options = [proto.options]
    messages = list(proto.message_type)
    enums = list(proto.enum_type)
    while messages:
        message = messages.pop()
        options += [message.options, *(f.options for f in [*message.field, *message.extension])]
        options += [o.options for o in message.oneof_decl] + [r.options for r in message.extension_range]
        messages += message.nested_type
        enums += message.enum_type
    options += [f.options for f in proto.extension] + [e.options for e in enums]
    options += [v.options for e in enums for v in e.value]
    options += [s.options for s in proto.service] + [m.options for s in proto.service for m in s.method]
    return any(_has_extension(o) for o in options)


def _has_extension(options: Any) -> bool:
    """Whether an options message (or its features) has an extension or unknown field set."""
    if any(field.is_extension for field, _ in options.ListFields()):
        return True
    clean = type(options)()
    clean.CopyFrom(options)
    clean.DiscardUnknownFields()
    return clean.ByteSize() != options.ByteSize()


@rule("STABLE_PACKAGE_NO_IMPORT_UNSTABLE", "module")
def stable_package_no_import_unstable(ctx: Context, files: list[FileSummary]) -> Iterator[Verdict]:
    """A stable package (``a.v1``) does not import an unstable one (``v1beta1``, ``v1alpha``, ``v1test``).
    Packages without a correctly formed version (see PACKAGE_VERSION_SUFFIX) are neither stable nor unstable.

    Why: a stable package promises not to break, but unstable packages may change at any time, and a stable API
    that uses their types breaks with them.
    Bad: ``package acme.orders.v1; import "acme/billing/v1beta1/invoice.proto";``
    Good: ``package acme.orders.v1; import "acme/billing/v1/invoice.proto";``
    Fix: promote the imported types to a stable package version, or move the importing file to an unstable one.
    """
    package_of = {f.name: f.package for f in files}
    for file in files:
        package = file.package
        if package_stability(package) != STABLE:
            continue
        for index, dependency in enumerate(file.dependency):
            target = package_of.get(dependency)
            if target is not None and package_stability(target) not in (None, STABLE):
                message = (
                    f'This file is in stable package "{package}", so it should not depend on "{dependency}" '
                    f'from unstable package "{target}".'
                )
                yield Verdict(file.name, (FILE_DEPENDENCY, index), message)


def _same_option(option: str, number: int) -> object:
    """The check that all files of a package agree on one file option."""

    def check(ctx: Context, files: list[FileSummary]) -> Iterator[Verdict]:
        by_package: dict[str, list[FileSummary]] = defaultdict(list)
        for file in files:
            by_package[file.package].append(file)  # files without a package form a group too
        for package, group in by_package.items():
            values = {f.options.get(option, "") for f in group}  # "" when unset or set to ""
            if len(values) < 2:
                continue
            present = go_quote(",".join(sorted(values - {""})))
            if "" in values:
                problem = f"both values {present} and no value"
            else:
                problem = f"multiple values {present}"
            message = f'Files in package "{package}" have {problem} for option "{option}" and all values must be equal.'
            for file in group:
                yield Verdict(file.name, (FILE_OPTIONS, number) if option in file.options else (), message)

    check.__doc__ = f"""All files of one package set the same ``{option}`` (or none sets it).

    Why: ``{option}`` tells a language's generator where or under which name to put a package's code; when
    the files of one package disagree, the package's generated code is split or named inconsistently.
    Bad: ``option {option} = ...;`` in one file of a package, another value (or none) in another
    Good: the same ``option {option} = ...;`` in every file of the package (or in none)
    Fix: set the same value of ``{option}`` in every file of the package.
    """
    return check


for _rule_id, _option in (
    ("PACKAGE_SAME_CSHARP_NAMESPACE", "csharp_namespace"),
    ("PACKAGE_SAME_GO_PACKAGE", "go_package"),
    ("PACKAGE_SAME_JAVA_MULTIPLE_FILES", "java_multiple_files"),
    ("PACKAGE_SAME_JAVA_PACKAGE", "java_package"),
    ("PACKAGE_SAME_PHP_NAMESPACE", "php_namespace"),
    ("PACKAGE_SAME_RUBY_PACKAGE", "ruby_package"),
    ("PACKAGE_SAME_SWIFT_PREFIX", "swift_prefix"),
):
    rule(_rule_id, "module")(_same_option(_option, PACKAGE_OPTIONS[_option]))  # type: ignore[arg-type]
