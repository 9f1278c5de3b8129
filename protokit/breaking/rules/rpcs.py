"""Rules about an RPC that stays: its streaming, request and response types and idempotency level."""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2

from protokit.breaking.context import Context
from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import Element

_METHOD_INPUT, _METHOD_OUTPUT, _METHOD_OPTIONS, _IDEMPOTENCY = 2, 3, 4, 34


def _streaming(old: Element, new: Element, side: str) -> Iterator[Finding]:
    before, after = getattr(old.proto, f"{side}_streaming"), getattr(new.proto, f"{side}_streaming")
    if before != after:
        words = {False: f"{side} unary", True: f"{side} streaming"}
        message = f'RPC "{new.full_name}" changed from {words[before]} to {words[after]}.'
        yield at(new, message)


@rule("RPC_SAME_CLIENT_STREAMING", "method")
def rpc_same_client_streaming(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes whether the client streams.

    Why: the call's shape changes: generated stubs get another signature, and deployed clients and servers speak
    different protocols for the method.
    Bad: ``rpc Upload(UploadRequest) returns (UploadResponse);`` becomes ``rpc Upload(stream UploadRequest) ...``
    Good: ``rpc Upload(...)`` kept and ``rpc UploadStream(stream UploadStreamRequest) returns (...);`` added
    Fix: add a new RPC with the streaming you want and deprecate the old one.
    """
    return _streaming(old, new, "client")


@rule("RPC_SAME_SERVER_STREAMING", "method")
def rpc_same_server_streaming(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes whether the server streams.

    Why: the call's shape changes: generated stubs get another signature, and deployed clients and servers speak
    different protocols for the method.
    Bad: ``rpc ListOrders(ListOrdersRequest) returns (ListOrdersResponse);`` becomes ``... returns (stream ...)``
    Good: ``rpc ListOrders(...)`` kept and ``rpc WatchOrders(WatchOrdersRequest) returns (stream ...);`` added
    Fix: add a new RPC with the streaming you want and deprecate the old one.
    """
    return _streaming(old, new, "server")


def _rpc_type(old: Element, new: Element, attribute: str, what: str, part: int) -> Iterator[Finding]:
    before, after = getattr(old.proto, attribute).lstrip("."), getattr(new.proto, attribute).lstrip(".")
    if before != after:
        yield at(new, f'RPC "{new.full_name}" changed {what} type from "{before}" to "{after}".', part)


@rule("RPC_SAME_REQUEST_TYPE", "method")
def rpc_same_request_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes its request type.

    Why: deployed clients send the old message, which the server decodes as the new type, and generated stubs
    change signature.
    Bad: ``rpc GetOrder(GetOrderRequest)`` becomes ``rpc GetOrder(OrderQuery)``
    Good: ``rpc GetOrder(GetOrderRequest)`` kept, with new fields added to ``GetOrderRequest``
    Fix: add fields to the existing request message, or add a new RPC and deprecate the old one.
    """
    return _rpc_type(old, new, "input_type", "request", _METHOD_INPUT)


@rule("RPC_SAME_RESPONSE_TYPE", "method")
def rpc_same_response_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes its response type.

    Why: deployed clients decode the new response as the old type, and generated stubs change signature.
    Bad: ``rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);`` becomes ``... returns (Order);``
    Good: ``returns (GetOrderResponse)`` kept, with new fields added to ``GetOrderResponse``
    Fix: add fields to the existing response message, or add a new RPC and deprecate the old one.
    """
    return _rpc_type(old, new, "output_type", "response", _METHOD_OUTPUT)


@rule("RPC_SAME_IDEMPOTENCY_LEVEL", "method")
def rpc_same_idempotency_level(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes its ``idempotency_level`` option.

    Why: clients and generated code decide on its strength whether to retry a call or send it as an HTTP GET
    (Connect does for ``NO_SIDE_EFFECTS``), so a change makes deployed clients misbehave.
    Bad: ``option idempotency_level = NO_SIDE_EFFECTS;`` removed from ``rpc GetOrder``
    Good: ``rpc GetOrder(...) returns (...) { option idempotency_level = NO_SIDE_EFFECTS; }`` kept
    Fix: restore the previous level; for other semantics, add a new RPC and deprecate the old one.
    """
    levels = descriptor_pb2.MethodOptions.IdempotencyLevel
    before, after = old.proto.options.idempotency_level, new.proto.options.idempotency_level
    if before != after:
        message = (
            f'RPC "{new.full_name}" changed option "idempotency_level" '
            f'from "{levels.Name(before)}" to "{levels.Name(after)}".'
        )
        yield at(new, message, _METHOD_OPTIONS, _IDEMPOTENCY)  # no option written: no location (1:1), as in Buf
