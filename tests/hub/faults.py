"""Network faults between a terminal and the in-process hub."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient


class Faulty(httpx.BaseTransport):
    """Forwards requests to the hub; on demand drops the next request or its reply."""

    def __init__(self, hub: TestClient) -> None:
        self.hub = hub
        self.drop_requests = 0
        self.drop_replies = 0
        self.delivered = 0
        self.pass_first = 0  # requests that go through before a drop takes effect

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Deliver, or cut the connection before or after the hub handled the request."""
        if self.pass_first:
            self.pass_first -= 1
            return self._forward(request)
        if self.drop_requests:
            self.drop_requests -= 1
            raise httpx.ConnectError("connection refused")
        reply = self._forward(request)
        if self.drop_replies:
            self.drop_replies -= 1
            raise httpx.ReadError("connection reset by peer")  # the hub committed; reply lost
        return reply

    def _forward(self, request: httpx.Request) -> httpx.Response:
        reply = self.hub.send(request)
        self.delivered += 1
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)


def faulty_client(hub: TestClient) -> tuple[httpx.Client, Faulty]:
    """An httpx client over a Faulty transport, and the transport to steer it."""
    transport = Faulty(hub)
    return httpx.Client(transport=transport), transport


class Interleaved(Faulty):
    """Forwards requests to the hub, but runs ``before`` once, just before the first request
    to ``path`` reaches it: another process's work slipped in between."""

    def __init__(self, hub: TestClient, path: str, before: Callable[[], None]) -> None:
        super().__init__(hub)
        self.path = path
        self.before: Callable[[], None] | None = before

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run ``before`` ahead of the first matching request, then deliver as usual."""
        if request.url.path == self.path and self.before is not None:
            before, self.before = self.before, None
            before()
        return super().handle_request(request)
