"""gRPC scenarios run inside the virtualenv the generated client packages are installed in.

``python grpc_scenarios.py SCENARIO CERT_DIR`` starts a real server on 127.0.0.1 built on the
installed packages' generated servicer base classes, calls it through the generated clients and
exits 1 with a message when anything is not as expected.  CERT_DIR holds ``server.key`` and
``server.crt`` (a certificate for localhost that the test made).
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path

import grpc
import grpc.aio
from acme.orders.v1 import (
    OrderServiceAsyncClient,
    OrderServiceClient,
    RequestValidationError,
    order_pb2,
    order_service_pb2,
)
from acme.orders.v1 import order_service_pb2_grpc as orders_grpc
from acme.payments.v1 import PaymentServiceClient, payment_pb2, payment_service_pb2
from acme.payments.v1 import payment_service_pb2_grpc as payments_grpc

SHIPPED = order_pb2.ORDER_STATUS_SHIPPED


class Orders(orders_grpc.OrderServiceServicer):
    """All four kinds of RPC; CreateOrder sleeps ``delay`` seconds first."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.created: list[str] = []  # the request ids of the CreateOrder calls this server answered

    def CreateOrder(self, request, context):  # noqa: N802 (the generated servicer's names)
        time.sleep(self.delay)
        self.created.append(request.request_id)
        return order_service_pb2.CreateOrderResponse(order=order_pb2.Order(order_id="o-" + request.request_id))

    def WatchOrderStatus(self, request, context):  # noqa: N802
        for status in (order_pb2.ORDER_STATUS_PENDING, order_pb2.ORDER_STATUS_PROCESSING, SHIPPED):
            change = order_service_pb2.StatusChange(order_id=request.order_id, status=status)
            yield order_service_pb2.WatchOrderStatusResponse(change=change)

    def BatchCreateOrders(self, request_iterator, context):  # noqa: N802
        ids = [r.order.order_id for r in request_iterator]
        return order_service_pb2.BatchCreateOrdersResponse(order_ids=ids)

    def ProcessOrders(self, request_iterator, context):  # noqa: N802
        for request in request_iterator:
            yield order_service_pb2.ProcessOrdersResponse(order_id=request.order_id, status=SHIPPED)


class FlakyPayments(payments_grpc.PaymentServiceServicer):
    """Every RPC fails twice with UNAVAILABLE, then succeeds; ``calls`` counts the attempts per RPC."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.lock = threading.Lock()

    def _attempt(self, name: str, context: grpc.ServicerContext) -> bool:
        with self.lock:
            self.calls[name] = self.calls.get(name, 0) + 1
            count = self.calls[name]
        if count <= 2:
            context.abort(grpc.StatusCode.UNAVAILABLE, f"attempt {count}: try again")
        return True

    def GetPayment(self, request, context):  # noqa: N802
        self._attempt("GetPayment", context)
        return payment_service_pb2.GetPaymentResponse(payment=payment_pb2.Payment(payment_id=request.payment_id))

    def AuthorizePayment(self, request, context):  # noqa: N802
        self._attempt("AuthorizePayment", context)
        return payment_service_pb2.AuthorizePaymentResponse(payment=payment_pb2.Payment(payment_id="p-1"))


def check(condition: bool, message: str) -> None:
    """Fail the scenario with ``message`` unless ``condition``."""
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def serve(
    servicer: object, add: object, certs: Path | None, interceptors: tuple[grpc.ServerInterceptor, ...] = ()
) -> tuple[grpc.Server, str]:
    """A started server on 127.0.0.1 (TLS when ``certs``); its ``host:port`` target."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), interceptors=interceptors)
    add(servicer, server)  # type: ignore[operator]
    if certs is None:
        port = server.add_insecure_port("127.0.0.1:0")
        target = f"127.0.0.1:{port}"
    else:
        pair = ((certs / "server.key").read_bytes(), (certs / "server.crt").read_bytes())
        port = server.add_secure_port("127.0.0.1:0", grpc.ssl_server_credentials([pair]))
        target = f"localhost:{port}"
    server.start()
    return server, target


def requests(ids: list[str]) -> Iterator[order_service_pb2.BatchCreateOrdersRequest]:
    """A client stream of batch requests."""
    for order_id in ids:
        yield order_service_pb2.BatchCreateOrdersRequest(order=order_pb2.Order(order_id=order_id))


def sync_kinds(certs: Path) -> None:
    """Unary, server, client and bidirectional streaming through the sync client over TLS."""
    server, target = serve(Orders(), orders_grpc.add_OrderServiceServicer_to_server, certs)
    credentials = grpc.ssl_channel_credentials((certs / "server.crt").read_bytes())
    with OrderServiceClient(target, credentials=credentials) as client:
        created = client.create_order(order_service_pb2.CreateOrderRequest(request_id="42"))
        check(created.order.order_id == "o-42", f"unary: {created}")
        changes = [r.change.status for r in client.watch_order_status(order_service_pb2.WatchOrderStatusRequest())]
        check(changes[-1] == SHIPPED and len(changes) == 3, f"server streaming: {changes}")
        summary = client.batch_create_orders(requests(["a", "b", "c"]))
        check(list(summary.order_ids) == ["a", "b", "c"], f"client streaming: {summary}")
        asks = [order_service_pb2.ProcessOrdersRequest(order_id=i) for i in ("x", "y")]
        answers = [r.order_id for r in client.process_orders(asks)]
        check(answers == ["x", "y"], f"bidirectional: {answers}")
    server.stop(None)


async def async_kinds(certs: Path) -> None:
    """The same four kinds through the asyncio client over TLS."""
    server, target = serve(Orders(), orders_grpc.add_OrderServiceServicer_to_server, certs)
    credentials = grpc.ssl_channel_credentials((certs / "server.crt").read_bytes())
    async with OrderServiceAsyncClient(target, credentials=credentials) as client:
        created = await client.create_order(order_service_pb2.CreateOrderRequest(request_id="7"))
        check(created.order.order_id == "o-7", f"unary: {created}")
        stream = client.watch_order_status(order_service_pb2.WatchOrderStatusRequest(order_id="7"))
        changes = [r.change.status async for r in stream]
        check(changes[-1] == SHIPPED and len(changes) == 3, f"server streaming: {changes}")
        summary = await client.batch_create_orders(requests(["a", "b"]))
        check(list(summary.order_ids) == ["a", "b"], f"client streaming: {summary}")

        async def asks():  # an async client stream
            for order_id in ("x", "y", "z"):
                yield order_service_pb2.ProcessOrdersRequest(order_id=order_id)

        answers = [r.order_id async for r in client.process_orders(asks())]
        check(answers == ["x", "y", "z"], f"bidirectional: {answers}")
    server.stop(None)


def deadline(_: Path) -> None:
    """A handler slower than the default deadline (5 s) ends in DEADLINE_EXCEEDED at about 5 s."""
    server, target = serve(Orders(delay=7.0), orders_grpc.add_OrderServiceServicer_to_server, None)
    with OrderServiceClient(target) as client:
        started = time.monotonic()
        try:
            client.create_order(order_service_pb2.CreateOrderRequest(request_id="slow"))
        except grpc.RpcError as error:
            elapsed = time.monotonic() - started
            check(error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, f"expected DEADLINE_EXCEEDED, got {error.code()}")
            check(4.5 <= elapsed < 6.5, f"the call ended after {elapsed:.2f} s, not at the 5 s default deadline")
        else:
            check(False, "the slow call succeeded: it had no deadline")
    server.stop(None)


def retries(_: Path) -> None:
    """UNAVAILABLE twice, then success: retried for the idempotent GetPayment, not for AuthorizePayment."""
    servicer = FlakyPayments()
    server, target = serve(servicer, payments_grpc.add_PaymentServiceServicer_to_server, None)
    with PaymentServiceClient(target) as client:
        found = client.get_payment(payment_service_pb2.GetPaymentRequest(payment_id="p-9"))
        check(found.payment.payment_id == "p-9", f"GetPayment: {found}")
        check(servicer.calls["GetPayment"] == 3, f"GetPayment attempts: {servicer.calls}")
        try:
            client.authorize_payment(payment_service_pb2.AuthorizePaymentRequest(order_id="o-1"))
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.UNAVAILABLE, f"AuthorizePayment: {error.code()}")
        else:
            check(False, "AuthorizePayment (not idempotent) was retried to success")
        check(servicer.calls["AuthorizePayment"] == 1, f"AuthorizePayment attempts: {servicer.calls}")
    server.stop(None)


ORDER_METHODS = [
    f"/acme.orders.v1.OrderService/{name}"
    for name in ("CreateOrder", "WatchOrderStatus", "BatchCreateOrders", "ProcessOrders")
]
TENANT = ("x-tenant", "acme")


class RequireTenant(grpc.ServerInterceptor):
    """Fails every call without the ``x-tenant: acme`` header with UNAUTHENTICATED."""

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if TENANT in handler_call_details.invocation_metadata:
            return handler

        def deny(request, context):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "no x-tenant header")

        make = {
            (False, False): grpc.unary_unary_rpc_method_handler,
            (False, True): grpc.unary_stream_rpc_method_handler,
            (True, False): grpc.stream_unary_rpc_method_handler,
            (True, True): grpc.stream_stream_rpc_method_handler,
        }[(handler.request_streaming, handler.response_streaming)]
        return make(deny, handler.request_deserializer, handler.response_serializer)


DETAILS = ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")


class Details(collections.namedtuple("Details", DETAILS), grpc.ClientCallDetails):
    """The details of a call, as a sync client interceptor passes them on."""


class Tenant(
    grpc.UnaryUnaryClientInterceptor,
    grpc.UnaryStreamClientInterceptor,
    grpc.StreamUnaryClientInterceptor,
    grpc.StreamStreamClientInterceptor,
):
    """A sync client interceptor of every kind of call: records its method and adds the tenant header."""

    def __init__(self) -> None:
        self.methods: list[str] = []

    def intercept_unary_unary(self, continuation, details, request):
        self.methods.append(details.method)
        metadata = (*(details.metadata or ()), TENANT)
        fields = (details.method, details.timeout, metadata, details.credentials, details.wait_for_ready)
        return continuation(Details(*fields, details.compression), request)

    intercept_unary_stream = intercept_stream_unary = intercept_stream_stream = intercept_unary_unary


def async_tenant(methods: list[str]) -> list[grpc.aio.ClientInterceptor]:
    """grpc.aio client interceptors of the four kinds (grpc.aio takes an object for one kind only) that record
    the method of each call in ``methods`` and add the tenant header."""

    async def intercept(self, continuation, details, request):
        methods.append(details.method.decode() if isinstance(details.method, bytes) else details.method)
        metadata = grpc.aio.Metadata(*(details.metadata or ()), TENANT)
        changed = grpc.aio.ClientCallDetails(
            details.method, details.timeout, metadata, details.credentials, details.wait_for_ready
        )
        return await continuation(changed, request)

    kinds = {
        grpc.aio.UnaryUnaryClientInterceptor: "intercept_unary_unary",
        grpc.aio.UnaryStreamClientInterceptor: "intercept_unary_stream",
        grpc.aio.StreamUnaryClientInterceptor: "intercept_stream_unary",
        grpc.aio.StreamStreamClientInterceptor: "intercept_stream_stream",
    }
    return [type(f"Tenant{kind.__name__}", (kind,), {name: intercept})() for kind, name in kinds.items()]


class Blackhole:
    """A TCP proxy to ``target`` that, once ``frozen`` is set, swallows every byte both ways and keeps the
    connections open: a peer gone silent, as behind a dead NAT or load balancer."""

    def __init__(self, target: str) -> None:
        self.port = int(target.rsplit(":", 1)[1])
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.target = f"127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            near, _ = self.listener.accept()
            far = socket.create_connection(("127.0.0.1", self.port))
            for source, sink in ((near, far), (far, near)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        while data := source.recv(65536):
            if not self.frozen.is_set():
                sink.sendall(data)


def expect_error(code: grpc.StatusCode, call: object, what: str) -> None:
    """``call()`` fails with ``code``."""
    try:
        call()  # type: ignore[operator]
    except grpc.RpcError as error:
        check(error.code() == code, f"{what}: {error.code()} ({error.details()}), not {code}")
    else:
        check(False, f"{what} succeeded, not {code}")


async def expect_async_error(code: grpc.StatusCode, call: object, what: str) -> None:
    """``await call`` fails with ``code``."""
    try:
        await call  # type: ignore[misc]
    except grpc.RpcError as error:
        check(error.code() == code, f"{what}: {error.code()} ({error.details()}), not {code}")
    else:
        check(False, f"{what} succeeded, not {code}")


def create(request_id: str) -> order_service_pb2.CreateOrderRequest:
    """A CreateOrder request; the server answers with the order ``o-REQUEST_ID``."""
    return order_service_pb2.CreateOrderRequest(request_id=request_id)


def from_channel(_: Path) -> None:
    """A client on the test's channel leaves it open when closed; a client on a channel of its own closes it."""
    server, target = serve(Orders(), orders_grpc.add_OrderServiceServicer_to_server, None)
    channel = grpc.insecure_channel(target)
    with OrderServiceClient.from_channel(channel, timeout=2.0, metadata=[TENANT]) as client:
        check(client.create_order(create("1")).order.order_id == "o-1", "a call through from_channel")
        check(client.channel_options == (), f"options of a channel it did not make: {client.channel_options}")
    again = OrderServiceClient.from_channel(channel).create_order(create("2"))
    check(again.order.order_id == "o-2", "the channel was closed with the client that did not make it")
    check(orders_grpc.OrderServiceStub(channel).CreateOrder(create("3")).order.order_id == "o-3", "plain stub")
    channel.close()
    own = OrderServiceClient(target)
    own.close()
    try:
        own.create_order(create("4"))
    except ValueError as error:  # grpc: "Cannot invoke RPC on closed channel!"
        check("closed channel" in str(error), str(error))
    else:
        check(False, "close() left the client's own channel open")
    server.stop(None)


async def async_from_channel(_: Path) -> None:
    """The same for the asyncio client on a grpc.aio channel."""
    server, target = serve(Orders(), orders_grpc.add_OrderServiceServicer_to_server, None)
    channel = grpc.aio.insecure_channel(target)
    async with OrderServiceAsyncClient.from_channel(channel, timeout=2.0, metadata=[TENANT]) as client:
        check((await client.create_order(create("1"))).order.order_id == "o-1", "a call through from_channel")
        check(client.channel_options == (), f"options of a channel it did not make: {client.channel_options}")
    again = await OrderServiceAsyncClient.from_channel(channel).create_order(create("2"))
    check(again.order.order_id == "o-2", "the channel was closed with the client that did not make it")
    await channel.close()
    own = OrderServiceAsyncClient(target)
    await own.close()
    try:
        await own.create_order(create("3"))
    except grpc.aio.UsageError as error:  # grpc.aio: "Channel is closed."
        check("closed" in str(error), str(error))
    else:
        check(False, "close() left the client's own channel open")
    server.stop(None)


async def wrong_channel(_: Path) -> None:
    """from_channel with the other kind of channel, or with something else, is a TypeError naming the right class."""
    aio_channel, sync_channel = grpc.aio.insecure_channel("127.0.0.1:1"), grpc.insecure_channel("127.0.0.1:1")
    cases = [
        (OrderServiceClient, aio_channel, "OrderServiceClient.from_channel() takes a grpc.Channel, not a "
         "grpc.aio.Channel: use OrderServiceAsyncClient.from_channel() for it"),
        (OrderServiceAsyncClient, sync_channel, "OrderServiceAsyncClient.from_channel() takes a grpc.aio.Channel, "
         "not a grpc.Channel: use OrderServiceClient.from_channel() for it"),
        (OrderServiceClient, "127.0.0.1:1", "OrderServiceClient.from_channel() takes a grpc.Channel, not str"),
    ]  # fmt: skip
    for client, channel, message in cases:
        try:
            client.from_channel(channel)
        except TypeError as error:
            check(str(error) == message, f"the TypeError says {error}")
        else:
            check(False, f"{client.__name__}.from_channel({channel!r}) took it")
    await aio_channel.close()
    sync_channel.close()


def interceptors(_: Path) -> None:
    """A client's interceptor sees every kind of call and adds the header the server requires; so do the
    interceptors of a channel given to from_channel; a client without them is refused."""
    server, target = serve(Orders(), orders_grpc.add_OrderServiceServicer_to_server, None, (RequireTenant(),))
    tenant = Tenant()
    with OrderServiceClient(target, interceptors=[tenant]) as client:
        check(client.create_order(create("1")).order.order_id == "o-1", "unary")
        check(len(list(client.watch_order_status(order_service_pb2.WatchOrderStatusRequest()))) == 3, "server stream")
        check(list(client.batch_create_orders(requests(["a"])).order_ids) == ["a"], "client stream")
        asks = [order_service_pb2.ProcessOrdersRequest(order_id="x")]
        check([r.order_id for r in client.process_orders(asks)] == ["x"], "bidirectional")
    check(tenant.methods == ORDER_METHODS, f"the interceptor saw {tenant.methods}")
    channel = grpc.intercept_channel(grpc.insecure_channel(target), Tenant())
    check(OrderServiceClient.from_channel(channel).create_order(create("2")).order.order_id == "o-2", "from_channel")
    channel.close()
    with OrderServiceClient(target) as bare:
        expect_error(grpc.StatusCode.UNAUTHENTICATED, lambda: bare.create_order(create("3")), "no interceptor")
    server.stop(None)


async def async_interceptors(_: Path) -> None:
    """The same through the asyncio client, with grpc.aio interceptors."""
    server, target = serve(Orders(), orders_grpc.add_OrderServiceServicer_to_server, None, (RequireTenant(),))
    methods: list[str] = []
    async with OrderServiceAsyncClient(target, interceptors=async_tenant(methods)) as client:
        check((await client.create_order(create("1"))).order.order_id == "o-1", "unary")
        changes = [r async for r in client.watch_order_status(order_service_pb2.WatchOrderStatusRequest())]
        check(len(changes) == 3, "server stream")
        check(list((await client.batch_create_orders(requests(["a"]))).order_ids) == ["a"], "client stream")
        asks = [order_service_pb2.ProcessOrdersRequest(order_id="x")]
        check([r.order_id async for r in client.process_orders(asks)] == ["x"], "bidirectional")
    check(methods == ORDER_METHODS, f"the interceptors saw {methods}")
    async with OrderServiceAsyncClient(target) as bare:
        await expect_async_error(grpc.StatusCode.UNAUTHENTICATED, bare.create_order(create("2")), "no interceptor")
    server.stop(None)


BIG = "x" * 8192  # CreateOrder answers an order id longer than that


def options(_: Path) -> None:
    """A response over the client's grpc.max_receive_message_length is RESOURCE_EXHAUSTED, while a default
    client gets it; options win over keepalive on a key clash."""
    server, target = serve(Orders(), orders_grpc.add_OrderServiceServicer_to_server, None)
    with OrderServiceClient(target, options=[("grpc.max_receive_message_length", 4096)]) as client:
        expect_error(grpc.StatusCode.RESOURCE_EXHAUSTED, lambda: client.create_order(create(BIG)), "over the limit")
        check(client.create_order(create("1")).order.order_id == "o-1", "below the limit")
    with OrderServiceClient(target) as default:
        check(default.create_order(create(BIG)).order.order_id == "o-" + BIG, "a default client")
    clash = [("grpc.keepalive_time_ms", 60_000), ("grpc.service_config", "{}")]
    with OrderServiceClient(target, keepalive=10, load_balancing="round_robin", options=clash) as client:
        chosen = dict(client.channel_options)
        check(len(chosen) == len(client.channel_options), f"a key twice: {client.channel_options}")
        check(chosen["grpc.keepalive_time_ms"] == 60_000 and chosen["grpc.service_config"] == "{}", f"{chosen}")
        check(chosen["grpc.keepalive_timeout_ms"] == 10_000, f"keepalive's other options: {chosen}")
        check(client.create_order(create("2")).order.order_id == "o-2", "a call on the merged options")
    server.stop(None)


async def async_options(_: Path) -> None:
    """The message size limit through the asyncio client."""
    server, target = serve(Orders(), orders_grpc.add_OrderServiceServicer_to_server, None)
    async with OrderServiceAsyncClient(target, options=[("grpc.max_receive_message_length", 4096)]) as client:
        await expect_async_error(grpc.StatusCode.RESOURCE_EXHAUSTED, client.create_order(create(BIG)), "over the limit")
        check((await client.create_order(create("1"))).order.order_id == "o-1", "below the limit")
    async with OrderServiceAsyncClient(target) as default:
        check((await default.create_order(create(BIG))).order.order_id == "o-" + BIG, "a default client")
    server.stop(None)


def two_servers(servicers: list[object], add: object) -> tuple[list[grpc.Server], str]:
    """A server per servicer and an ``ipv4:`` target listing both addresses."""
    started = [serve(servicer, add, None) for servicer in servicers]
    return [server for server, _ in started], "ipv4:" + ",".join(target for _, target in started)


def check_service_config(options: tuple[tuple[str, object], ...]) -> None:
    """The client's service config has round_robin and the retry policy of the idempotent RPCs."""
    config = json.loads(str(dict(options)["grpc.service_config"]))
    check(config["loadBalancingConfig"] == [{"round_robin": {}}], f"service config: {config}")
    check(config["methodConfig"][0]["retryPolicy"]["retryableStatusCodes"] == ["UNAVAILABLE"], f"{config}")


def load_balancing(_: Path) -> None:
    """round_robin spreads the calls over both servers of the target, where gRPC's default sends them all to
    one; the retry policy still applies."""
    first, second = Orders(), Orders()
    servers, target = two_servers([first, second], orders_grpc.add_OrderServiceServicer_to_server)
    with OrderServiceClient(target, load_balancing="round_robin") as client:
        check_service_config(client.channel_options)
        for i in range(20):
            client.create_order(create(str(i)))
    check(len(first.created) + len(second.created) == 20, f"{first.created} {second.created}")
    check(len(first.created) >= 5 and len(second.created) >= 5, f"spread: {first.created} and {second.created}")
    first.created.clear()
    second.created.clear()
    with OrderServiceClient(target) as client:
        for i in range(10):
            client.create_order(create(str(i)))
    check(sorted([len(first.created), len(second.created)]) == [0, 10], f"{first.created} {second.created}")
    flaky = FlakyPayments()  # one count for both servers: two failed attempts in all, then success
    payment_servers, payments = two_servers([flaky, flaky], payments_grpc.add_PaymentServiceServicer_to_server)
    with PaymentServiceClient(payments, load_balancing="round_robin") as client:
        found = client.get_payment(payment_service_pb2.GetPaymentRequest(payment_id="p-9"))
        check(found.payment.payment_id == "p-9" and flaky.calls["GetPayment"] == 3, f"retried: {flaky.calls}")
        authorize = payment_service_pb2.AuthorizePaymentRequest(order_id="o-1")
        expect_error(grpc.StatusCode.UNAVAILABLE, lambda: client.authorize_payment(authorize), "AuthorizePayment")
        check(flaky.calls["AuthorizePayment"] == 1, f"AuthorizePayment attempts: {flaky.calls}")
    for server in servers + payment_servers:
        server.stop(None)


async def async_load_balancing(_: Path) -> None:
    """round_robin through the asyncio client."""
    first, second = Orders(), Orders()
    servers, target = two_servers([first, second], orders_grpc.add_OrderServiceServicer_to_server)
    async with OrderServiceAsyncClient(target, load_balancing="round_robin") as client:
        check_service_config(client.channel_options)
        for i in range(20):
            await client.create_order(create(str(i)))
    check(len(first.created) >= 5 and len(second.created) >= 5, f"spread: {first.created} and {second.created}")
    for server in servers:
        server.stop(None)


def keepalive(_: Path) -> None:
    """A call over a connection gone silent fails with UNAVAILABLE within about a second with ``keepalive=0.5``
    (its pings go unanswered); without keepalive it waits for its deadline."""
    server, target = serve(Orders(delay=5.0), orders_grpc.add_OrderServiceServicer_to_server, None)
    for seconds, code in ((0.5, grpc.StatusCode.UNAVAILABLE), (None, grpc.StatusCode.DEADLINE_EXCEEDED)):
        proxy = Blackhole(target)
        with OrderServiceClient(proxy.target, keepalive=seconds, timeout=3.0) as client:
            threading.Timer(0.5, proxy.frozen.set).start()
            expect_error(code, lambda: client.create_order(create("silent")), f"keepalive={seconds}")
    server.stop(None)


async def async_keepalive(_: Path) -> None:
    """The same for the asyncio client with keepalive."""
    server, target = serve(Orders(delay=5.0), orders_grpc.add_OrderServiceServicer_to_server, None)
    proxy = Blackhole(target)
    async with OrderServiceAsyncClient(proxy.target, keepalive=0.5, timeout=3.0) as client:
        asyncio.get_running_loop().call_later(0.5, proxy.frozen.set)
        await expect_async_error(grpc.StatusCode.UNAVAILABLE, client.create_order(create("silent")), "keepalive")
    server.stop(None)


VALID_ID = "5f0c6a52-8d1e-4c1b-9a47-2b7f6c3e9d10"


def placed(request_id: str, quantity: int) -> order_service_pb2.CreateOrderRequest:
    """An order of ``quantity`` units of one item: valid for the contracts' protovalidate rules with a UUID and
    ``quantity`` > 0."""
    item = order_pb2.OrderItem(sku="SKU-1", quantity=quantity)
    return order_service_pb2.CreateOrderRequest(request_id=request_id, order=order_pb2.Order(items=[item]))


INVALID_FIELDS = ["order.items[0].quantity: must be greater than 0", "request_id: must be a valid UUID"]


def check_violations(error: RequestValidationError) -> None:
    """The error lists each violation as ``field: message``."""
    listed = sorted(f"{field}: {message}" for field, message in error.violations)
    check(listed == INVALID_FIELDS, f"violations: {listed}")
    check(isinstance(error, ValueError), "RequestValidationError is a ValueError")
    check("acme.orders.v1.CreateOrderRequest" in str(error) and INVALID_FIELDS[0] in str(error), str(error))


def validate(_: Path) -> None:
    """validate=True: an invalid request fails locally and never reaches the server, a valid one does;
    without it the invalid request is sent. A client stream stops at its invalid request."""
    servicer = Orders()
    server, target = serve(servicer, orders_grpc.add_OrderServiceServicer_to_server, None)
    with OrderServiceClient(target, validate=True) as client:
        try:
            client.create_order(placed("not-a-uuid", 0))
        except RequestValidationError as error:
            check_violations(error)
        else:
            check(False, "an invalid request was sent")
        check(servicer.created == [], f"the server was called: {servicer.created}")
        check(client.create_order(placed(VALID_ID, 2)).order.order_id == "o-" + VALID_ID, "a valid request")
        batch = [order_service_pb2.BatchCreateOrdersRequest(order=placed(VALID_ID, 1).order)] * 2
        batch.append(order_service_pb2.BatchCreateOrdersRequest(order=order_pb2.Order()))  # no items
        try:
            client.batch_create_orders(batch)
        except RequestValidationError as error:
            check([f for f, _ in error.violations] == ["order.items"], f"stream: {error.violations}")
        else:
            check(False, "an invalid request of a client stream was sent")
    channel = grpc.insecure_channel(target)
    client = OrderServiceClient.from_channel(channel, validate=True)
    check(client.create_order(placed(VALID_ID, 3)).order.order_id == "o-" + VALID_ID, "from_channel, valid")
    try:
        client.create_order(placed("x", 0))
    except RequestValidationError as error:
        check_violations(error)
    else:
        check(False, "from_channel(validate=True) sent an invalid request")
    unchecked = OrderServiceClient.from_channel(channel)  # validate=False: the server decides
    check(unchecked.create_order(placed("not-a-uuid", 0)).order.order_id == "o-not-a-uuid", "without validate")
    check(servicer.created == [VALID_ID, VALID_ID, "not-a-uuid"], f"the server saw {servicer.created}")
    channel.close()
    server.stop(None)


async def async_validate(_: Path) -> None:
    """The same through the asyncio client, a bidirectional stream included."""
    servicer = Orders()
    server, target = serve(servicer, orders_grpc.add_OrderServiceServicer_to_server, None)
    async with OrderServiceAsyncClient(target, validate=True) as client:
        try:
            await client.create_order(placed("not-a-uuid", 0))
        except RequestValidationError as error:
            check_violations(error)
        else:
            check(False, "an invalid request was sent")
        check(servicer.created == [], f"the server was called: {servicer.created}")
        created = await client.create_order(placed(VALID_ID, 2))
        check(created.order.order_id == "o-" + VALID_ID, "a valid request")

        async def asks():
            yield order_service_pb2.ProcessOrdersRequest(order_id="a")
            yield order_service_pb2.ProcessOrdersRequest(order_id="")  # order_id: min_len 1

        try:
            [r async for r in client.process_orders(asks())]
        except RequestValidationError as error:
            check([f for f, _ in error.violations] == ["order_id"], f"stream: {error.violations}")
        else:
            check(False, "an invalid request of a bidirectional stream was sent")
    async with OrderServiceAsyncClient(target) as unchecked:
        created = await unchecked.create_order(placed("not-a-uuid", 0))
        check(created.order.order_id == "o-not-a-uuid", "without validate the server gets it")
    check(servicer.created == [VALID_ID, "not-a-uuid"], f"the server saw {servicer.created}")
    server.stop(None)


SCENARIOS = {
    "validate": validate,
    "async-validate": async_validate,
    "sync-kinds": sync_kinds,
    "async-kinds": async_kinds,
    "deadline": deadline,
    "retries": retries,
    "from-channel": from_channel,
    "async-from-channel": async_from_channel,
    "wrong-channel": wrong_channel,
    "interceptors": interceptors,
    "async-interceptors": async_interceptors,
    "options": options,
    "async-options": async_options,
    "load-balancing": load_balancing,
    "async-load-balancing": async_load_balancing,
    "keepalive": keepalive,
    "async-keepalive": async_keepalive,
}

if __name__ == "__main__":
    name, cert_dir = sys.argv[1], Path(sys.argv[2])
    result = SCENARIOS[name](cert_dir)
    if inspect.iscoroutine(result):
        asyncio.run(result)
    print("ok")
