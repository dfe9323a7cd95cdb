"""Subscriptions, order events and a movable clock for the webhook tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from tests.hub.planning_helpers import RESERVE, SHIRT, order_body, put_stock, take
from wms.hub.integration.delivery import Policy
from wms.hub.integration.subscriptions import add_subscription
from wms.hub.planning.cancel import cancel
from wms.hub.planning.channels import new_channel
from wms.hub.planning.waves import WaveRule, release

# Quick to give up on a silent receiver; retries a few seconds apart, then a minute at most.
POLICY = Policy(
    timeout=0.5,
    max_attempts=30,
    retry_base=5,
    retry_cap=60,
    in_flight=8,
    per_endpoint=4,
    lanes=2,
    poll=0.05,
    private_targets=True,  # the receivers are on 127.0.0.1
)


@dataclass
class Clock:
    """The worker's now, moved on by the test (retries fall due without waiting)."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC) + timedelta(seconds=1))

    def __call__(self) -> datetime:
        """The worker's now."""
        return self.now

    def later(self, **delta: float) -> None:
        """Move on by ``delta`` (timedelta's keywords)."""
        self.now += timedelta(**delta)


def subscribe(engine: Engine, url: str, *events: str, channel: str = "tmall") -> str:
    """Subscribe ``channel`` (created if need be) to ``events`` (default every type) at ``url``;
    returns the signing secret."""
    with engine.begin() as conn:
        known = conn.execute(text("SELECT 1 FROM sales_channel WHERE name = :c"), {"c": channel})
        if known.first() is None:
            new_channel(conn, channel, ["DEMO"])
        return add_subscription(conn, channel, url, events or ("*",), private_targets=True)[1]


def orders_through(engine: Engine, *numbers: str) -> None:
    """Orders taken, released in one wave, then cancelled: three events each (received,
    released, cancelled), the orders' events interleaved."""
    put_stock(engine, SHIRT, RESERVE, 10 * len(numbers))
    with engine.begin() as conn:
        take(conn, *(order_body(n, (SHIRT, 1)) for n in numbers))
    with engine.begin() as conn:
        release(conn, "DEMO", "maria", WaveRule())
    for n in numbers:
        with engine.begin() as conn:
            cancel(conn, "DEMO", n, "customer changed mind")


def outbox(engine: Engine) -> list[dict[str, Any]]:
    """Every outbox row, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM webhook_message ORDER BY id"))
        return [dict(r._mapping) for r in rows]


def per_order(events: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Event types per order, in arrival order."""
    out: dict[str, list[str]] = {}
    for e in events:
        out.setdefault(e["data"]["order"], []).append(e["type"])
    return out


LIFE = ["order.received", "order.released", "order.cancelled"]
