"""Sales channels: the integrators (a shop, a marketplace connector) that post orders.

A channel is a machine, not a person: it holds its own bearer token (stored as SHA-256, like
device and supervisor tokens), may post and cancel orders only for the warehouses it is added
for, and cannot take a supervisor's decisions (clearances, recalls, waves).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, text

TOKEN_PREFIX = "ch-"


@dataclass(frozen=True)
class Channel:
    """An authenticated channel and the warehouses it serves."""

    name: str
    warehouses: tuple[str, ...]


class ChannelRefused(Exception):
    """Not a usable channel token: ``status`` 401 (unknown) or 403 (revoked)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_channel(conn: Connection, name: str, warehouses: list[str]) -> str:
    """Create channel ``name`` for ``warehouses`` (or renew its token and scope); the token is
    returned to be shown once. ValueError names a warehouse this hub does not have."""
    if not warehouses:
        raise ValueError("a channel serves at least one warehouse (--warehouse)")
    known = set(
        conn.scalars(text("SELECT code FROM warehouse WHERE code = ANY(:w)"), {"w": warehouses})
    )
    missing = sorted(set(warehouses) - known)
    if missing:
        raise ValueError(f"no warehouse {', '.join(missing)} at this hub")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(
        text(
            "INSERT INTO sales_channel (name, token_hash, warehouses) VALUES (:n, :h, :w)"
            " ON CONFLICT (name) DO UPDATE SET token_hash = EXCLUDED.token_hash,"
            " warehouses = EXCLUDED.warehouses, revoked = false"
        ),
        {"n": name, "h": _digest(token), "w": sorted(set(warehouses))},
    )
    return token


def channel_of(conn: Connection, token: str) -> Channel:
    """The channel holding ``token``; ChannelRefused when unknown or revoked."""
    wanted = _digest(token)
    row = conn.execute(
        text(
            "SELECT name, token_hash, warehouses, revoked FROM sales_channel WHERE token_hash = :h"
        ),
        {"h": wanted},
    ).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        raise ChannelRefused(401, "unauthorized", "unknown channel token: `wms hub channel add`")
    if row.revoked:
        raise ChannelRefused(403, "revoked", "this channel's token has been revoked")
    return Channel(str(row.name), tuple(row.warehouses))


def revoke_channel(conn: Connection, name: str) -> bool:
    """Revoke a channel's token at once; False when there is no such channel."""
    done = conn.execute(
        text("UPDATE sales_channel SET revoked = true WHERE name = :n"), {"n": name}
    )
    return done.rowcount == 1
