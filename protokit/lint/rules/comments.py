"""Comment rules: every element carries a leading comment that documents it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import Element
from protokit.lint.context import Context

_IGNORE_LINE = re.compile(r"^\s*(?:buf|protokit):lint:ignore\b.*$", re.M)


def _documented(element: Element, what: str) -> Iterator[Finding]:
    """A hit unless the leading comment says something besides lint-ignore directives."""
    if not _IGNORE_LINE.sub("", element.file.comments(element.comment_path())).strip():
        yield at(element, f'{what} "{element.name}" should have a non-empty comment for documentation.')


@rule("COMMENT_MESSAGE", "message")
def comment_message(ctx: Context, message: Element) -> Iterator[Finding]:
    """Messages have a leading comment: it becomes the documentation of every generated class."""
    return _documented(message, "Message")


@rule("COMMENT_FIELD", "field")
def comment_field(ctx: Context, field: Element) -> Iterator[Finding]:
    """Fields have a leading comment (trailing comments do not count)."""
    return _documented(field, "Field")


@rule("COMMENT_ONEOF", "oneof")
def comment_oneof(ctx: Context, oneof: Element) -> Iterator[Finding]:
    """Oneofs have a leading comment."""
    return _documented(oneof, "Oneof")


@rule("COMMENT_ENUM", "enum")
def comment_enum(ctx: Context, enum: Element) -> Iterator[Finding]:
    """Enums have a leading comment."""
    return _documented(enum, "Enum")


@rule("COMMENT_ENUM_VALUE", "enum_value")
def comment_enum_value(ctx: Context, value: Element) -> Iterator[Finding]:
    """Enum values have a leading comment."""
    return _documented(value, "Enum value")


@rule("COMMENT_SERVICE", "service")
def comment_service(ctx: Context, service: Element) -> Iterator[Finding]:
    """Services have a leading comment."""
    return _documented(service, "Service")


@rule("COMMENT_RPC", "method")
def comment_rpc(ctx: Context, method: Element) -> Iterator[Finding]:
    """RPCs have a leading comment."""
    return _documented(method, "RPC")
