"""gRPC scenarios run inside the virtualenv the generated client packages are installed in.

``python grpc_scenarios.py SCENARIO CERT_DIR`` starts a real server on 127.0.0.1 built on the
installed packages' generated servicer base classes, calls it through the generated clients and
exits 1 with a message when anything is not as expected.  CERT_DIR holds ``server.key`` and
``server.crt`` (a certificate for localhost that the test made).
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path

import grpc
from acme.orders.v1 import OrderServiceAsyncClient, OrderServiceClient, order_pb2, order_service_pb2
from acme.orders.v1 import order_service_pb2_grpc as orders_grpc
from acme.payments.v1 import PaymentServiceClient, payment_pb2, payment_service_pb2
from acme.payments.v1 import payment_service_pb2_grpc as payments_grpc

SHIPPED = order_pb2.ORDER_STATUS_SHIPPED


class Orders(orders_grpc.OrderServiceServicer):
    """All four kinds of RPC; CreateOrder sleeps ``delay`` seconds first."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def CreateOrder(self, request, context):  # noqa: N802 (the generated servicer's names)
        time.sleep(self.delay)
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


def serve(servicer: object, add: object, certs: Path | None) -> tuple[grpc.Server, str]:
    """A started server on 127.0.0.1 (TLS when ``certs``); its ``host:port`` target."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
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


SCENARIOS = {"sync-kinds": sync_kinds, "deadline": deadline, "retries": retries}

if __name__ == "__main__":
    name, cert_dir = sys.argv[1], Path(sys.argv[2])
    if name == "async-kinds":
        asyncio.run(async_kinds(cert_dir))
    else:
        SCENARIOS[name](cert_dir)
    print("ok")
