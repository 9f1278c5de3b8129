"""A consumer of the generated clients."""

import asyncio
from collections.abc import Iterator

import grpc
from acme.orders.v1 import OrderServiceAsyncClient, OrderServiceClient, RetryPolicy
from acme.orders.v1.order_pb2 import Order
from acme.orders.v1.order_service_pb2 import (
    BatchCreateOrdersRequest,
    CreateOrderRequest,
    CreateOrderResponse,
    WatchOrderStatusRequest,
)


def place(target: str) -> str:
    with OrderServiceClient(target, timeout=2.0, retry=RetryPolicy(max_attempts=3)) as client:
        response: CreateOrderResponse = client.create_order(CreateOrderRequest(order=Order(order_id="o-1")))
        for change in client.watch_order_status(WatchOrderStatusRequest(order_id="o-1")):
            print(change.change.status)
        summary = client.batch_create_orders(iter([BatchCreateOrdersRequest()]))
        print(len(summary.order_ids))
        return response.order.order_id


async def place_async(target: str, credentials: grpc.ChannelCredentials) -> str:
    async with OrderServiceAsyncClient(target, credentials=credentials) as client:
        response = await client.create_order(CreateOrderRequest(order=Order(order_id="o-2")), timeout=1.0)
        async for change in client.watch_order_status(WatchOrderStatusRequest(order_id="o-2")):
            print(change.change.order_id)
        return response.order.order_id


def ids(orders: Iterator[Order]) -> list[str]:
    return [o.order_id for o in orders]


def wired(
    channel: grpc.Channel,
    aio_channel: grpc.aio.Channel,
    interceptor: grpc.UnaryUnaryClientInterceptor,
    aio_interceptor: grpc.aio.UnaryUnaryClientInterceptor,
) -> tuple[tuple[str, object], ...]:
    with OrderServiceClient.from_channel(channel, timeout=1.0, metadata=[("x-tenant", "acme")]) as borrowed:
        print(borrowed.create_order(CreateOrderRequest()).order.order_id)
    OrderServiceAsyncClient.from_channel(aio_channel, timeout=1.0)
    tuned = OrderServiceClient(
        "dns:///orders:443",
        interceptors=[interceptor],
        options=[("grpc.max_receive_message_length", 16 * 1024 * 1024), ("grpc.primary_user_agent", "shop")],
        keepalive=30,
        load_balancing="round_robin",
    )
    OrderServiceAsyncClient("orders:443", interceptors=[aio_interceptor], keepalive=12.5, load_balancing="pick_first")
    return tuned.channel_options


if __name__ == "__main__":
    print(place("localhost:1"), asyncio.run(place_async("localhost:1", grpc.ssl_channel_credentials())))
