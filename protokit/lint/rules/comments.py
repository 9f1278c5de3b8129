"""Comment rules: every element carries a leading comment that documents it."""

from __future__ import annotations

from collections.abc import Iterator

from protokit.lint.elements import Element
from protokit.lint.registry import Context, Hit, at, rule

# Comment lines starting with these (after trimming spaces) do not document anything, as in Buf.
_IGNORE_PREFIXES = ("buf:lint:ignore", "protokit:lint:ignore")
_TYPE_GROUP = 10


def _documented(element: Element, what: str) -> Iterator[Hit]:
    """A hit unless a line of the leading comment is neither blank nor a lint-ignore directive.

    An element without a source location (nothing the user wrote) is skipped, as Buf skips it.
    """
    if element.path not in element.file.locations:
        return
    lines = (line.strip() for line in element.file.comments(element.path).split("\n"))
    if not any(line and not line.startswith(_IGNORE_PREFIXES) for line in lines):
        yield at(element, f'{what} "{element.name}" should have a non-empty comment for documentation.')


@rule("COMMENT_MESSAGE", "message")
def comment_message(ctx: Context, message: Element) -> Iterator[Hit]:
    """Messages have a leading comment: it becomes the documentation of every generated class."""
    return _documented(message, "Message")


@rule("COMMENT_FIELD", "field")
def comment_field(ctx: Context, field: Element) -> Iterator[Hit]:
    """Fields have a leading comment (trailing comments do not count).

    Group fields are skipped: their comment belongs to the group's message, which COMMENT_MESSAGE checks.
    Map entries' key and value fields are never looked at (map entries are not walked).
    """
    if field.proto.type == _TYPE_GROUP:
        return iter(())
    return _documented(field, "Field")


@rule("COMMENT_ONEOF", "oneof")
def comment_oneof(ctx: Context, oneof: Element) -> Iterator[Hit]:
    """Oneofs have a leading comment."""
    return _documented(oneof, "Oneof")


@rule("COMMENT_ENUM", "enum")
def comment_enum(ctx: Context, enum: Element) -> Iterator[Hit]:
    """Enums have a leading comment."""
    return _documented(enum, "Enum")


@rule("COMMENT_ENUM_VALUE", "enum_value")
def comment_enum_value(ctx: Context, value: Element) -> Iterator[Hit]:
    """Enum values have a leading comment."""
    return _documented(value, "Enum value")


@rule("COMMENT_SERVICE", "service")
def comment_service(ctx: Context, service: Element) -> Iterator[Hit]:
    """Services have a leading comment."""
    return _documented(service, "Service")


@rule("COMMENT_RPC", "method")
def comment_rpc(ctx: Context, method: Element) -> Iterator[Hit]:
    """RPCs have a leading comment."""
    return _documented(method, "RPC")
