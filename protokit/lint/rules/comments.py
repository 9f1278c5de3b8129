"""Comment rules: every element carries a leading comment that documents it."""

from __future__ import annotations

from collections.abc import Iterator

from protokit.checks.ignores import COMMENT_IGNORE_PREFIXES
from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import Element
from protokit.lint.context import Context

_TYPE_GROUP = 10


def _documented(element: Element, what: str) -> Iterator[Finding]:
    """A hit unless a line of the leading comment is neither blank nor a lint-ignore directive.

    An element without a source location (nothing the user wrote) is skipped, as Buf skips it; comment
    lines that start with an ignore directive (after trimming spaces) document nothing, as in Buf.
    """
    if element.path not in element.file.locations:
        return
    lines = (line.strip() for line in element.file.comments(element.path).split("\n"))
    if not any(line and not line.startswith(COMMENT_IGNORE_PREFIXES) for line in lines):
        yield at(element, f'{what} "{element.name}" should have a non-empty comment for documentation.')


@rule("COMMENT_MESSAGE", "message")
def comment_message(ctx: Context, message: Element) -> Iterator[Finding]:
    """Messages have a non-empty leading comment.

    Why: the comment becomes the documentation of the generated class in every language and on the BSR; a
    message without one leaves readers to guess what it represents and when it is sent.
    Bad: ``message Order {}`` with nothing above it.
    Good: ``// An order placed by a customer.`` on the line above ``message Order {}``.
    Fix: write a ``//`` or ``/* */`` comment on the lines directly above the message; a comment holding only
    ``buf:lint:ignore`` lines does not count.
    """
    return _documented(message, "Message")


@rule("COMMENT_FIELD", "field")
def comment_field(ctx: Context, field: Element) -> Iterator[Finding]:
    """Fields have a non-empty leading comment (trailing comments do not count).
    Group fields are skipped: their comment belongs to the group's message, which COMMENT_MESSAGE checks.
    Map entries' key and value fields are never looked at (map entries are not walked).

    Why: the comment is the only place that says what the value means, its unit and when it is set; generated
    accessors and API references carry it.
    Bad: ``string sku = 1; // stock keeping unit``
    Good: ``// Stock keeping unit of the product.`` on the line above ``string sku = 1;``.
    Fix: write a ``//`` or ``/* */`` comment on the lines directly above the field; a comment holding only
    ``buf:lint:ignore`` lines does not count.
    """
    if field.proto.type == _TYPE_GROUP:
        return iter(())
    return _documented(field, "Field")


@rule("COMMENT_ONEOF", "oneof")
def comment_oneof(ctx: Context, oneof: Element) -> Iterator[Finding]:
    """Oneofs have a non-empty leading comment.

    Why: a oneof is a choice between alternatives; its comment says what the choice is and whether it may be
    left unset.
    Bad: ``oneof payment { CardPayment card = 4; BankTransfer transfer = 5; }`` with nothing above it.
    Good: ``// How the order is paid; unset for free orders.`` on the line above ``oneof payment {...}``.
    Fix: write a ``//`` or ``/* */`` comment on the lines directly above the oneof; a comment holding only
    ``buf:lint:ignore`` lines does not count.
    """
    return _documented(oneof, "Oneof")


@rule("COMMENT_ENUM", "enum")
def comment_enum(ctx: Context, enum: Element) -> Iterator[Finding]:
    """Enums have a non-empty leading comment.

    Why: the comment becomes the documentation of the generated enum type; it says what the values classify.
    Bad: ``enum OrderStatus {...}`` with nothing above it.
    Good: ``// Where an order is in its lifecycle.`` on the line above ``enum OrderStatus {...}``.
    Fix: write a ``//`` or ``/* */`` comment on the lines directly above the enum; a comment holding only
    ``buf:lint:ignore`` lines does not count.
    """
    return _documented(enum, "Enum")


@rule("COMMENT_ENUM_VALUE", "enum_value")
def comment_enum_value(ctx: Context, value: Element) -> Iterator[Finding]:
    """Enum values have a non-empty leading comment.

    Why: a value's name rarely says exactly when it applies; the comment documents the generated constant.
    Bad: ``ORDER_STATUS_HELD = 3;`` with nothing above it.
    Good: ``// Payment is being reviewed; the order is not shipped yet.`` on the line above ``ORDER_STATUS_HELD = 3;``.
    Fix: write a ``//`` or ``/* */`` comment on the lines directly above the value; a comment holding only
    ``buf:lint:ignore`` lines does not count.
    """
    return _documented(value, "Enum value")


@rule("COMMENT_SERVICE", "service")
def comment_service(ctx: Context, service: Element) -> Iterator[Finding]:
    """Services have a non-empty leading comment.

    Why: the comment documents the generated client and server types and the API reference of the service.
    Bad: ``service OrderService {...}`` with nothing above it.
    Good: ``// Places and tracks customer orders.`` on the line above ``service OrderService {...}``.
    Fix: write a ``//`` or ``/* */`` comment on the lines directly above the service; a comment holding only
    ``buf:lint:ignore`` lines does not count.
    """
    return _documented(service, "Service")


@rule("COMMENT_RPC", "method")
def comment_rpc(ctx: Context, method: Element) -> Iterator[Finding]:
    """RPCs have a non-empty leading comment.

    Why: the comment documents the generated client method: what the call does, its errors and side effects.
    Bad: ``rpc CancelOrder(CancelOrderRequest) returns (CancelOrderResponse);`` with nothing above it.
    Good: ``// Cancels an order that has not shipped yet.`` on the line above ``rpc CancelOrder(...)``.
    Fix: write a ``//`` or ``/* */`` comment on the lines directly above the RPC; a comment holding only
    ``buf:lint:ignore`` lines does not count.
    """
    return _documented(method, "RPC")
