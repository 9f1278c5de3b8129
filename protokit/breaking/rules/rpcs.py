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
    """No RPC changes whether the client streams."""
    return _streaming(old, new, "client")


@rule("RPC_SAME_SERVER_STREAMING", "method")
def rpc_same_server_streaming(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes whether the server streams."""
    return _streaming(old, new, "server")


def _rpc_type(old: Element, new: Element, attribute: str, what: str, part: int) -> Iterator[Finding]:
    before, after = getattr(old.proto, attribute).lstrip("."), getattr(new.proto, attribute).lstrip(".")
    if before != after:
        yield at(new, f'RPC "{new.full_name}" changed {what} type from "{before}" to "{after}".', part)


@rule("RPC_SAME_REQUEST_TYPE", "method")
def rpc_same_request_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes its request type. Fix: add a new RPC and deprecate the old one."""
    return _rpc_type(old, new, "input_type", "request", _METHOD_INPUT)


@rule("RPC_SAME_RESPONSE_TYPE", "method")
def rpc_same_response_type(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes its response type. Fix: add a new RPC and deprecate the old one."""
    return _rpc_type(old, new, "output_type", "response", _METHOD_OUTPUT)


@rule("RPC_SAME_IDEMPOTENCY_LEVEL", "method")
def rpc_same_idempotency_level(ctx: Context, old: Element, new: Element) -> Iterator[Finding]:
    """No RPC changes its idempotency level: clients retry (or not) on its strength."""
    levels = descriptor_pb2.MethodOptions.IdempotencyLevel
    before, after = old.proto.options.idempotency_level, new.proto.options.idempotency_level
    if before != after:
        message = (
            f'RPC "{new.full_name}" changed option "idempotency_level" '
            f'from "{levels.Name(before)}" to "{levels.Name(after)}".'
        )
        located = new.proto.options.HasField("idempotency_level")
        yield at(new, message, _METHOD_OPTIONS, _IDEMPOTENCY) if located else at(new, message)
