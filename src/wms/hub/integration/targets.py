"""Where webhooks may go: public addresses only, unless the hub's operator allows private ones.

A channel is an outside party: left alone, it could subscribe ``http://127.0.0.1:5432/`` or a
cloud metadata address and have the hub post into its own network (server-side request
forgery). So the hub refuses, by default, every endpoint that is not a global address:
loopback, private networks, link-local, shared (CGNAT) and reserved ranges.

Checked twice: when a subscription is made, for a URL naming such an address outright (a clear
refusal to the channel); and on every connection, after the name is resolved and before the
socket connects, so a name that resolves to a private address later (DNS rebinding) is refused
too. A hub posting to receivers on the warehouse's own network sets
``WMS_HUB_WEBHOOK_PRIVATE_TARGETS=true``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore

ALLOW_HINT = "WMS_HUB_WEBHOOK_PRIVATE_TARGETS=true lets a hub post inside its own network"


def is_private(address: str) -> bool:
    """Whether ``address`` (an IP literal) is anything but a global unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone is not part of it
    return not ip.is_global or ip.is_multicast


def literal_refusal(host: str) -> str | None:
    """Why a URL naming ``host`` may not be subscribed (an IP literal or a name that is always
    local), or None when only resolving it can tell."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return f"{host} is this machine: webhooks go to public endpoints ({ALLOW_HINT})"
    try:
        private = is_private(name)
    except ValueError:
        return None  # a name: checked when it is resolved, on every connection
    if private:
        return f"{host} is not a public address: webhooks go to public endpoints ({ALLOW_HINT})"
    return None


class PublicOnly(httpcore.AsyncNetworkBackend):
    """A network backend that resolves the host itself and connects only to public addresses
    (TLS still checks the certificate against the URL's host name)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve ``host``; refuse it when any of its addresses is private; else connect to
        the first of them."""
        try:
            found = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as e:
            raise httpcore.ConnectError(f"cannot resolve {host}: {e}") from None
        addresses = [str(info[4][0]) for info in found]
        private = [a for a in addresses if is_private(a)]
        if private or not addresses:
            raise httpcore.ConnectError(
                f"{host} resolves to {private[0] if private else 'nothing'}, not a public"
                f" address: not posted ({ALLOW_HINT})"
            )
        return await self.inner.connect_tcp(
            addresses[0], port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Never: a webhook goes over the network."""
        raise httpcore.ConnectError("webhooks are not posted to local sockets")

    async def sleep(self, seconds: float) -> None:
        """As the inner backend sleeps."""
        await self.inner.sleep(seconds)
