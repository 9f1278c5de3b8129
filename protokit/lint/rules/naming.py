"""Naming rules: PascalCase types, lower_snake_case fields, UPPER_SNAKE_CASE enum values."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from protokit.checks.registry import Finding, at, at_file, rule
from protokit.index.elements import FILE_PACKAGE, NAME, Element, FileView
from protokit.index.package_versions import package_stability
from protokit.lint.context import Context
from protokit.lint.names import lower_snake, pascal, upper_snake


def _is_pascal(name: str) -> bool:
    return bool(name) and name[0].isupper() and "_" not in name


def _pascal(element: Element, what: str) -> Iterator[Finding]:
    if not _is_pascal(element.name):
        yield at(element, f'{what} name "{element.name}" should be PascalCase, such as "{pascal(element.name)}".', NAME)


@rule("MESSAGE_PASCAL_CASE", "message")
def message_pascal_case(ctx: Context, message: Element) -> Iterator[Finding]:
    """Message names are PascalCase.

    Why: every generator and style guide expects PascalCase type names; other spellings give odd or
    inconsistent class names in generated code.
    Bad: ``message user_profile {}``
    Good: ``message UserProfile {}``
    Fix: rename the message (a wire-compatible change, but a source-breaking one for clients).
    """
    return _pascal(message, "Message")


@rule("ENUM_PASCAL_CASE", "enum")
def enum_pascal_case(ctx: Context, enum: Element) -> Iterator[Finding]:
    """Enum names are PascalCase.

    Why: every generator and style guide expects PascalCase type names; other spellings give odd or
    inconsistent class names in generated code.
    Bad: ``enum order_status {...}``
    Good: ``enum OrderStatus {...}``
    Fix: rename the enum (a wire-compatible change, but a source-breaking one for clients).
    """
    return _pascal(enum, "Enum")


@rule("SERVICE_PASCAL_CASE", "service")
def service_pascal_case(ctx: Context, service: Element) -> Iterator[Finding]:
    """Service names are PascalCase.

    Why: generated client and server types are named after the service, and every generator expects PascalCase
    type names; the name is also part of every RPC's path.
    Bad: ``service order_service {...}``
    Good: ``service OrderService {...}``
    Fix: rename the service before its first release (renaming changes the RPC paths clients call).
    """
    return _pascal(service, "Service")


@rule("RPC_PASCAL_CASE", "method")
def rpc_pascal_case(ctx: Context, method: Element) -> Iterator[Finding]:
    """RPC names are PascalCase.

    Why: generated methods are named after the RPC (``GetOrder`` becomes ``get_order`` or ``getOrder`` per
    language), which assumes PascalCase; the name is also part of the RPC's path.
    Bad: ``rpc get_order(GetOrderRequest) returns (GetOrderResponse);``
    Good: ``rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);``
    Fix: rename the RPC before its first release (renaming changes the path clients call).
    """
    return _pascal(method, "RPC")


@rule("FIELD_LOWER_SNAKE_CASE", "field")
def field_lower_snake_case(ctx: Context, field: Element) -> Iterator[Finding]:
    """Field names are lower_snake_case.

    Why: protoc derives the JSON name and every language's accessor names from the field name assuming
    lower_snake_case (``order_id`` becomes ``orderId`` and ``OrderId``); other spellings give surprising names.
    Bad: ``string orderId = 1;``
    Good: ``string order_id = 1;``
    Fix: rename the field before its first release (the number keeps the wire format, but JSON and generated code
    change with the name).
    """
    expected = lower_snake(field.name)
    if field.name != expected:
        yield at(field, f'Field name "{field.name}" should be lower_snake_case, such as "{expected}".', NAME)


@rule("FIELD_NO_DESCRIPTOR", "field")
def field_no_descriptor(ctx: Context, field: Element) -> Iterator[Finding]:
    """Field names are no capitalization of ``descriptor``, with or without leading and trailing
    underscores (Buf's configuration version v1beta1 only).

    Why: a field ``descriptor`` clashes with the generated ``DESCRIPTOR`` or ``descriptor`` accessor in some languages.
    Bad: ``string Descriptor = 1;`` or ``string __descriptor_ = 1;``
    Good: ``string field_descriptor = 1;``
    Fix: rename the field (and reserve the old name if the message is already in use).
    """
    if field.name.strip("_").lower() == "descriptor":
        message = (
            f'Field name "{field.name}" cannot be any capitalization of "descriptor" '
            "with any number of prefix or suffix underscores."
        )
        yield at(field, message, NAME)


@rule("ONEOF_LOWER_SNAKE_CASE", "oneof")
def oneof_lower_snake_case(ctx: Context, oneof: Element) -> Iterator[Finding]:
    """Oneof names are lower_snake_case.

    Why: generated code derives case enums and accessors from the oneof name (``payment_method`` becomes
    ``PaymentMethodCase``), assuming lower_snake_case.
    Bad: ``oneof paymentMethod {...}``
    Good: ``oneof payment_method {...}``
    Fix: rename the oneof (wire and JSON do not see oneof names, generated code does).
    """
    expected = lower_snake(oneof.name)
    if oneof.name != expected:
        yield at(oneof, f'Oneof name "{oneof.name}" should be lower_snake_case, such as "{expected}".', NAME)


@rule("ENUM_VALUE_UPPER_SNAKE_CASE", "enum_value")
def enum_value_upper_snake_case(ctx: Context, value: Element) -> Iterator[Finding]:
    """Enum value names are UPPER_SNAKE_CASE.

    Why: enum values become constants in generated code, and every generator and style guide expects
    UPPER_SNAKE_CASE; ENUM_VALUE_PREFIX relies on it too.
    Bad: ``statusActive = 1;``
    Good: ``STATUS_ACTIVE = 1;``
    Fix: rename the value before its first release (JSON carries enum values by name).
    """
    expected = upper_snake(value.name)
    if value.name != expected:
        yield at(value, f'Enum value name "{value.name}" should be UPPER_SNAKE_CASE, such as "{expected}".', NAME)


@rule("ENUM_VALUE_PREFIX", "enum_value")
def enum_value_prefix(ctx: Context, value: Element) -> Iterator[Finding]:
    """Enum values start with the enum's name in UPPER_SNAKE_CASE.

    Why: enum values are scoped like C++ enums, as siblings of their enum, so two enums of one package cannot
    both have a value ``UNKNOWN``; the prefix avoids the clash and says which enum a value belongs to.
    Bad: ``enum Color { RED = 0; }``
    Good: ``enum Color { COLOR_RED = 0; }``
    Fix: prefix every value with the enum's name in UPPER_SNAKE_CASE (``OrderStatus`` gives ``ORDER_STATUS_``).
    """
    assert value.parent is not None
    prefix = upper_snake(value.parent.name) + "_"
    if not value.name.startswith(prefix):
        yield at(value, f'Enum value name "{value.name}" should be prefixed with "{prefix}".', NAME)


@rule("ENUM_ZERO_VALUE_SUFFIX", "enum_value")
def enum_zero_value_suffix(ctx: Context, value: Element) -> Iterator[Finding]:
    """The zero value of an enum ends with ``_UNSPECIFIED`` (configurable: ``enum_zero_value_suffix``).

    Why: the zero value is what an unset field reads as (in proto3 the two cannot be told apart); naming it for
    what it is keeps "not set" from passing for a real value.
    Bad: ``enum Color { COLOR_RED = 0; }``
    Good: ``enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; }``
    Fix: make the zero value ``<ENUM_NAME>_UNSPECIFIED`` and number real values from 1 (before the first release:
    renaming a value breaks JSON).
    """
    suffix = ctx.config.enum_zero_value_suffix
    if value.proto.number == 0 and not value.name.endswith(suffix):
        yield at(value, f'Enum zero value name "{value.name}" should be suffixed with "{suffix}".', NAME)


@rule("SERVICE_SUFFIX", "service")
def service_suffix(ctx: Context, service: Element) -> Iterator[Finding]:
    """Service names end with ``Service`` (configurable: ``service_suffix``).

    Why: the suffix marks the generated client and server types as a service and keeps them apart from the
    messages of the same subject (``Order`` and ``OrderService``).
    Bad: ``service Orders {...}``
    Good: ``service OrderService {...}``
    Fix: rename the service with the suffix before its first release (the name is part of every RPC's path).
    """
    suffix = ctx.config.service_suffix
    if not service.name.endswith(suffix):
        yield at(service, f'Service name "{service.name}" should be suffixed with "{suffix}".', NAME)


@rule("PACKAGE_LOWER_SNAKE_CASE", "file")
def package_lower_snake_case(ctx: Context, file: FileView) -> Iterator[Finding]:
    """Package names are lower_snake.case: dot-separated lower_snake_case components.

    Why: packages become Go, Java and Python package paths and directories, which expect lower case; mixed case
    clashes on case-insensitive file systems and with type names.
    Bad: ``package Acme.Orders.v1;``
    Good: ``package acme.orders.v1;``
    Fix: lowercase each component, separating words with underscores, and move the files to match
    (PACKAGE_DIRECTORY_MATCH).
    """
    package = file.proto.package
    expected = ".".join(lower_snake(part) for part in package.split("."))
    if package and package != expected:
        message = f'Package name "{package}" should be lower_snake.case, such as "{expected}".'
        yield at_file(file, message, (FILE_PACKAGE,))


@rule("PACKAGE_VERSION_SUFFIX", "file")
def package_version_suffix(ctx: Context, file: FileView) -> Iterator[Finding]:
    """The last package component is a version: ``v1``, ``v2beta1``, ``v1p1alpha1``, ``v1test``.
    A package of one component (``package v1;``) has no version, and ``v0`` is none either.

    Why: a versioned package lets a breaking change ship as ``v2`` next to ``v1``, so clients move when they are
    ready, and marks alpha, beta and test packages as unstable; every number in the version is at least 1.
    Bad: ``package acme.orders;``
    Good: ``package acme.orders.v1;``
    Fix: append a version component (``.v1``) and move the files to the matching directory.
    """
    package = file.proto.package
    if package and package_stability(package) is None:
        message = (
            f'Package name "{package}" should be suffixed with a correctly formed version, such as "{package}.v1".'
        )
        yield at_file(file, message, (FILE_PACKAGE,))


@rule("FILE_LOWER_SNAKE_CASE", "file")
def file_lower_snake_case(ctx: Context, file: FileView) -> Iterator[Finding]:
    """File names are lower_snake_case.proto.

    Why: file names become generated file and module names (Python modules, C++ headers); mixed case reads
    inconsistently and clashes on case-insensitive file systems.
    Bad: ``OrderService.proto``
    Good: ``order_service.proto``
    Fix: rename the file and its imports before the first release (for users a rename deletes a file:
    FILE_NO_DELETE).
    """
    base = posixpath.basename(file.name)
    stem = base.removesuffix(".proto")
    expected = lower_snake(stem)
    if stem != expected:
        yield at_file(file, f'Filename "{base}" should be lower_snake_case.proto, such as "{expected}.proto".')
