"""Naming rules: PascalCase types, lower_snake_case fields, UPPER_SNAKE_CASE enum values."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from protokit.lint.elements import FILE_PACKAGE, NAME, Element, FileView
from protokit.lint.names import lower_snake, package_stability, pascal, upper_snake
from protokit.lint.registry import Context, Hit, at, at_file, rule


def _is_pascal(name: str) -> bool:
    return bool(name) and name[0].isupper() and "_" not in name


def _pascal(element: Element, what: str) -> Iterator[Hit]:
    if not _is_pascal(element.name):
        yield at(element, f'{what} name "{element.name}" should be PascalCase, such as "{pascal(element.name)}".', NAME)


@rule("MESSAGE_PASCAL_CASE", "message")
def message_pascal_case(ctx: Context, message: Element) -> Iterator[Hit]:
    """Message names are PascalCase, as every code generator expects for types.

    Bad: ``message user_profile {}`` — Good: ``message UserProfile {}``.
    Fix: rename the message (a wire-compatible change, but a source-breaking one for clients).
    """
    return _pascal(message, "Message")


@rule("ENUM_PASCAL_CASE", "enum")
def enum_pascal_case(ctx: Context, enum: Element) -> Iterator[Hit]:
    """Enum names are PascalCase.

    Bad: ``enum order_status {}`` — Good: ``enum OrderStatus {}``.
    """
    return _pascal(enum, "Enum")


@rule("SERVICE_PASCAL_CASE", "service")
def service_pascal_case(ctx: Context, service: Element) -> Iterator[Hit]:
    """Service names are PascalCase.

    Bad: ``service order_service {}`` — Good: ``service OrderService {}``.
    """
    return _pascal(service, "Service")


@rule("RPC_PASCAL_CASE", "method")
def rpc_pascal_case(ctx: Context, method: Element) -> Iterator[Hit]:
    """RPC names are PascalCase.

    Bad: ``rpc get_order(...)`` — Good: ``rpc GetOrder(...)``.
    """
    return _pascal(method, "RPC")


@rule("FIELD_LOWER_SNAKE_CASE", "field")
def field_lower_snake_case(ctx: Context, field: Element) -> Iterator[Hit]:
    """Field names are lower_snake_case: the JSON name and every language's accessor derive from it.

    Bad: ``string orderId = 1;`` — Good: ``string order_id = 1;``.
    """
    expected = lower_snake(field.name)
    if field.name != expected:
        yield at(field, f'Field name "{field.name}" should be lower_snake_case, such as "{expected}".', NAME)


@rule("FIELD_NO_DESCRIPTOR", "field")
def field_no_descriptor(ctx: Context, field: Element) -> Iterator[Hit]:
    """Field names are no capitalization of ``descriptor``, with or without leading and trailing underscores.

    A field ``descriptor`` clashes with the generated ``DESCRIPTOR`` or ``descriptor`` accessor in some languages.
    (Buf's configuration version v1beta1 only.)
    Bad: ``string Descriptor = 1;`` or ``string __descriptor_ = 1;`` — Good: ``string field_descriptor = 1;``.
    """
    if field.name.strip("_").lower() == "descriptor":
        message = (
            f'Field name "{field.name}" cannot be any capitalization of "descriptor" '
            "with any number of prefix or suffix underscores."
        )
        yield at(field, message, NAME)


@rule("ONEOF_LOWER_SNAKE_CASE", "oneof")
def oneof_lower_snake_case(ctx: Context, oneof: Element) -> Iterator[Hit]:
    """Oneof names are lower_snake_case.

    Bad: ``oneof paymentMethod {...}`` — Good: ``oneof payment_method {...}``.
    """
    expected = lower_snake(oneof.name)
    if oneof.name != expected:
        yield at(oneof, f'Oneof name "{oneof.name}" should be lower_snake_case, such as "{expected}".', NAME)


@rule("ENUM_VALUE_UPPER_SNAKE_CASE", "enum_value")
def enum_value_upper_snake_case(ctx: Context, value: Element) -> Iterator[Hit]:
    """Enum value names are UPPER_SNAKE_CASE.

    Bad: ``statusActive = 1;`` — Good: ``STATUS_ACTIVE = 1;``.
    """
    expected = upper_snake(value.name)
    if value.name != expected:
        yield at(value, f'Enum value name "{value.name}" should be UPPER_SNAKE_CASE, such as "{expected}".', NAME)


@rule("ENUM_VALUE_PREFIX", "enum_value")
def enum_value_prefix(ctx: Context, value: Element) -> Iterator[Hit]:
    """Enum values start with the enum's name in UPPER_SNAKE_CASE.

    Enum values are siblings of their enum in C++ scoping rules, so two enums of
    one package cannot both have a value ``UNKNOWN``.
    Bad: ``enum Color { RED = 0; }`` — Good: ``enum Color { COLOR_RED = 0; }``.
    """
    assert value.parent is not None
    prefix = upper_snake(value.parent.name) + "_"
    if not value.name.startswith(prefix):
        yield at(value, f'Enum value name "{value.name}" should be prefixed with "{prefix}".', NAME)


@rule("ENUM_ZERO_VALUE_SUFFIX", "enum_value")
def enum_zero_value_suffix(ctx: Context, value: Element) -> Iterator[Hit]:
    """The zero value of an enum ends with ``_UNSPECIFIED`` (``enum_zero_value_suffix``).

    The zero value is what an unset field reads as; naming it for what it is
    keeps "not set" from passing for a real value.
    Bad: ``COLOR_RED = 0;`` — Good: ``COLOR_UNSPECIFIED = 0;``.
    """
    suffix = ctx.config.enum_zero_value_suffix
    if value.proto.number == 0 and not value.name.endswith(suffix):
        yield at(value, f'Enum zero value name "{value.name}" should be suffixed with "{suffix}".', NAME)


@rule("SERVICE_SUFFIX", "service")
def service_suffix(ctx: Context, service: Element) -> Iterator[Hit]:
    """Service names end with ``Service`` (``service_suffix``).

    Bad: ``service Orders {}`` — Good: ``service OrderService {}``.
    """
    suffix = ctx.config.service_suffix
    if not service.name.endswith(suffix):
        yield at(service, f'Service name "{service.name}" should be suffixed with "{suffix}".', NAME)


@rule("PACKAGE_LOWER_SNAKE_CASE", "file")
def package_lower_snake_case(ctx: Context, file: FileView) -> Iterator[Hit]:
    """Package names are lower_snake.case: dot-separated lower_snake_case components.

    Bad: ``package Acme.Orders.v1;`` — Good: ``package acme.orders.v1;``.
    """
    package = file.proto.package
    expected = ".".join(lower_snake(part) for part in package.split("."))
    if package and package != expected:
        message = f'Package name "{package}" should be lower_snake.case, such as "{expected}".'
        yield at_file(file, message, (FILE_PACKAGE,))


@rule("PACKAGE_VERSION_SUFFIX", "file")
def package_version_suffix(ctx: Context, file: FileView) -> Iterator[Hit]:
    """The last package component is a version: ``v1``, ``v2beta1``, ``v1p1alpha1``, ``v1test``.

    A versioned package lets a breaking change ship as ``v2`` next to ``v1``.
    A package of one component (``package v1;``) has no version, and ``v0`` is none either.
    Bad: ``package acme.orders;`` — Good: ``package acme.orders.v1;``.
    """
    package = file.proto.package
    if package and package_stability(package) is None:
        message = (
            f'Package name "{package}" should be suffixed with a correctly formed version, such as "{package}.v1".'
        )
        yield at_file(file, message, (FILE_PACKAGE,))


@rule("FILE_LOWER_SNAKE_CASE", "file")
def file_lower_snake_case(ctx: Context, file: FileView) -> Iterator[Hit]:
    """File names are lower_snake_case.proto.

    Bad: ``OrderService.proto`` — Good: ``order_service.proto``.
    """
    base = posixpath.basename(file.name)
    stem = base.removesuffix(".proto")
    expected = lower_snake(stem)
    if stem != expected:
        yield at_file(file, f'Filename "{base}" should be lower_snake_case.proto, such as "{expected}.proto".')
