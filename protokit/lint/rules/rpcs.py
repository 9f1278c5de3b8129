"""RPC rules: standard request and response names, unique messages per RPC, unary-only services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from protokit.checks.registry import Finding, at, rule
from protokit.index.elements import Element
from protokit.lint.context import Context
from protokit.lint.names import pascal
from protokit.lint.summary import FileSummary, MethodSummary, Verdict

_INPUT, _OUTPUT, _CLIENT_STREAMING, _SERVER_STREAMING = 2, 3, 5, 6
EMPTY = "google.protobuf.Empty"


def _type(name: str) -> str:
    return name.lstrip(".")


def _short(name: str) -> str:
    return _type(name).rsplit(".", 1)[-1]


def _standard_name(
    method: Element, suffix: str, type_name: str, field: int, what: str, allow_empty: bool
) -> Iterator[Finding]:
    assert method.parent is not None
    if allow_empty and _type(type_name) == EMPTY:
        return
    short = _short(type_name)
    rpc, service = pascal(method.name), pascal(method.parent.name)
    plain, qualified = f"{rpc}{suffix}", f"{service}{rpc}{suffix}"
    if short not in (plain, qualified):
        message = f'RPC {what} type "{short}" should be named "{plain}" or "{qualified}".'
        yield at(method, message, field)


@rule("RPC_REQUEST_STANDARD_NAME", "method")
def rpc_request_standard_name(ctx: Context, method: Element) -> Iterator[Finding]:
    """RPC requests are named ``<Rpc>Request`` or ``<Service><Rpc>Request``.

    Why: a request message per RPC can grow new fields without touching other RPCs, and its name says which RPC
    it serves; ``google.protobuf.Empty`` passes with ``rpc_allow_google_protobuf_empty_requests``.
    Bad: ``rpc GetOrder(Order) returns (GetOrderResponse);``
    Good: ``rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);``
    Fix: define a ``GetOrderRequest`` message (holding the old type as a field if need be); for a released RPC,
    add a new RPC with it and deprecate the old one, since changing a request type is breaking.
    """
    allow = ctx.config.rpc_allow_google_protobuf_empty_requests
    return _standard_name(method, "Request", method.proto.input_type, _INPUT, "request", allow)


@rule("RPC_RESPONSE_STANDARD_NAME", "method")
def rpc_response_standard_name(ctx: Context, method: Element) -> Iterator[Finding]:
    """RPC responses are named ``<Rpc>Response`` or ``<Service><Rpc>Response``.

    Why: a response message per RPC can grow new fields without touching other RPCs, and its name says which RPC
    it serves; ``google.protobuf.Empty`` passes with ``rpc_allow_google_protobuf_empty_responses``.
    Bad: ``rpc GetOrder(GetOrderRequest) returns (Order);``
    Good: ``rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);``
    Fix: define a ``GetOrderResponse`` message (``Order order = 1;`` in it); for a released RPC, add a new RPC
    with it and deprecate the old one, since changing a response type is breaking.
    """
    allow = ctx.config.rpc_allow_google_protobuf_empty_responses
    return _standard_name(method, "Response", method.proto.output_type, _OUTPUT, "response", allow)


@rule("RPC_REQUEST_RESPONSE_UNIQUE", "module")
def rpc_request_response_unique(ctx: Context, files: list[FileSummary]) -> Iterator[Verdict]:
    """Each request and response message serves one RPC only, and no RPC uses one message for both.
    ``google.protobuf.Empty`` may be shared as the request (``rpc_allow_google_protobuf_empty_requests``),
    as the response (``..._responses``) or both; an ``Empty`` to ``Empty`` RPC then counts on each side it
    is not allowed on, and with both allowed it is not reported as having the same request and response either.

    Why: shared messages couple RPCs: a field added for one appears in all of them, and none can evolve alone.
    ``rpc_allow_same_request_response`` and ``rpc_allow_google_protobuf_empty_requests`` (``_responses``) relax it.
    Bad: ``rpc GetOrder(OrderRequest) returns (Order); rpc CancelOrder(OrderRequest) returns (Order);``
    Good: ``rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);`` and
    ``rpc CancelOrder(CancelOrderRequest) returns (CancelOrderResponse);``
    Fix: give each RPC its own request and response message, with the shared type as a field inside them.
    """
    config = ctx.config
    allow_requests = config.rpc_allow_google_protobuf_empty_requests
    allow_responses = config.rpc_allow_google_protobuf_empty_responses
    methods = [(file.name, method) for file in files for method in file.methods]
    if not config.rpc_allow_same_request_response:
        for name, method in methods:
            request, response = method.input, method.output
            if request == response and not (request == EMPTY and allow_requests and allow_responses):
                message = f'RPC "{method.name}" has the same type "{request}" for the request and response.'
                yield Verdict(name, method.path, message)
    users: dict[str, dict[str, tuple[str, MethodSummary]]] = defaultdict(dict)  # type -> RPCs using it, by name
    for name, method in methods:
        for type_name in (method.input, method.output):
            users[type_name][method.full_name] = (name, method)
    for type_name, by_name in users.items():
        if len(by_name) < 2:
            continue
        if type_name == EMPTY and (allow_requests or allow_responses):
            sides = ((allow_requests, "input", "request"), (allow_responses, "output", "response"))
            for allowed, side, role in sides:
                using = [(n, m) for n, m in by_name.values() if getattr(m, side) == EMPTY]
                if not allowed and len(using) > 1:
                    for name, method in using:
                        yield Verdict(name, method.path, f'"{type_name}" is used as the {role} for multiple RPCs.')
        else:
            for name, method in by_name.values():
                message = f'"{type_name}" is used as the request or response type for multiple RPCs.'
                yield Verdict(name, method.path, message)


@rule("RPC_NO_CLIENT_STREAMING", "method")
def rpc_no_client_streaming(ctx: Context, method: Element) -> Iterator[Finding]:
    """RPCs do not stream from the client.

    Why: client streaming needs HTTP/2 end to end: browsers (gRPC-Web, Connect over HTTP/1.1) and many proxies
    cannot carry it; this rule (UNARY_RPC, not a default) is for APIs that must work everywhere.
    Bad: ``rpc Upload(stream UploadRequest) returns (UploadResponse);``
    Good: ``rpc Upload(UploadRequest) returns (UploadResponse);``
    Fix: make the RPC unary: send items in a repeated field, or upload in several calls.
    """
    if method.proto.client_streaming:
        yield at(method, f'RPC "{method.name}" is client streaming.')


@rule("RPC_NO_SERVER_STREAMING", "method")
def rpc_no_server_streaming(ctx: Context, method: Element) -> Iterator[Finding]:
    """RPCs do not stream from the server.

    Why: a server stream holds the response open, which many proxies, load balancers and plain HTTP clients
    handle badly; this rule (UNARY_RPC, not a default) is for APIs that must work everywhere.
    Bad: ``rpc ListOrders(ListOrdersRequest) returns (stream ListOrdersResponse);``
    Good: ``rpc ListOrders(ListOrdersRequest) returns (ListOrdersResponse);`` with a ``page_token``
    Fix: make the RPC unary: page through results with a page token, or let clients poll.
    """
    if method.proto.server_streaming:
        yield at(method, f'RPC "{method.name}" is server streaming.')
