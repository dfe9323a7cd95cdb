"""Webhook subscriptions: a channel's endpoints, each with the event types it wants and the
secret that signs what it receives.

The secret follows the Standard Webhooks convention (``whsec_`` + base64 of 32 random bytes):
receivers' libraries take it as it is. It is shown once, when the subscription is made; the hub
keeps it to sign every delivery.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import Connection, text

from wms.hub.integration.targets import literal_refusal
from wms.hub.outbox import EVENT_TYPES, EVERY_TYPE

MAX_URL = 2000
# Per channel: every subscription is delivered to on every event, so their number is bounded.
MAX_PER_CHANNEL = 20


class BadSubscription(ValueError):
    """A subscription that cannot be made as asked (the message says why)."""


@dataclass(frozen=True)
class Subscription:
    """An endpoint and where its deliveries stand (never its secret)."""

    id: int
    channel: str
    url: str
    events: list[str]
    created_at: datetime
    failures: int
    retry_at: datetime | None
    pending: int
    dead: int


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks format."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def check_url(url: str, *, private_targets: bool = False) -> str:
    """``url`` when it is an absolute http(s) URL a worker can post to (naming no private
    address, unless ``private_targets``); BadSubscription if not."""
    url = url.strip()
    if len(url) > MAX_URL:
        raise BadSubscription(f"the URL is longer than {MAX_URL} characters")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise BadSubscription("the URL holds spaces or control characters: percent-encode them")
    try:
        parts = urlsplit(url)
        port = parts.port  # a malformed port raises here
    except ValueError as e:
        raise BadSubscription(f"not a URL: {e}") from None
    if parts.scheme not in ("http", "https"):
        raise BadSubscription(
            f"webhooks are posted over http or https only, not {parts.scheme or 'a bare path'}"
        )
    if not parts.hostname:
        raise BadSubscription("the URL names no host")
    if parts.username or parts.password:
        raise BadSubscription("no credentials in the URL: deliveries are signed instead")
    if parts.fragment:
        raise BadSubscription("no #fragment in the URL: it is never sent")
    if port == 0:
        raise BadSubscription("port 0 cannot be posted to")
    refusal = None if private_targets else literal_refusal(parts.hostname)
    if refusal:
        raise BadSubscription(refusal)
    return url


def check_events(events: Sequence[str]) -> list[str]:
    """The event types, each known (or ``*`` for every one), sorted and without repeats."""
    wanted = sorted({e.strip() for e in events})
    if not wanted:
        raise BadSubscription(f"name at least one event type ({EVERY_TYPE}: every type)")
    unknown = [e for e in wanted if e not in EVENT_TYPES and e != EVERY_TYPE]
    if unknown:
        raise BadSubscription(
            f"unknown event type {', '.join(unknown)}: choose from {', '.join(EVENT_TYPES)}"
            f" or {EVERY_TYPE}"
        )
    return wanted


_LIST = text(
    "SELECT s.id, s.channel, s.url, s.events, s.created_at, s.failures, s.retry_at,"
    " COUNT(m.id) FILTER (WHERE m.state = 'pending') AS pending,"
    " COUNT(m.id) FILTER (WHERE m.state = 'dead') AS dead"
    " FROM webhook_subscription s LEFT JOIN webhook_message m ON m.subscription = s.id"
    " AND m.state <> 'delivered'"
    " WHERE (CAST(:c AS text) IS NULL OR s.channel = :c)"
    " AND (CAST(:id AS bigint) IS NULL OR s.id = :id)"
    " GROUP BY s.id ORDER BY s.channel, s.id"
)


def subscriptions(
    conn: Connection, channel: str | None = None, subscription: int | None = None
) -> list[Subscription]:
    """Subscriptions (of one channel, or one of them), with their pending and dead messages."""
    rows = conn.execute(_LIST, {"c": channel, "id": subscription})
    return [
        Subscription(
            r.id,
            r.channel,
            r.url,
            list(r.events),
            r.created_at,
            r.failures,
            r.retry_at,
            int(r.pending),
            int(r.dead),
        )
        for r in rows
    ]


def add_subscription(
    conn: Connection,
    channel: str,
    url: str,
    events: Sequence[str],
    *,
    private_targets: bool = False,
) -> tuple[Subscription, str]:
    """Subscribe ``channel``'s endpoint ``url`` to ``events``; returns it and its secret (to be
    shown once). BadSubscription for a bad URL (a private address, unless ``private_targets``),
    unknown types, an unknown channel, or too many."""
    url, wanted = check_url(url, private_targets=private_targets), check_events(events)
    # The channel's row, locked: two requests at once cannot both pass the limit.
    held = conn.execute(
        text("SELECT 1 FROM sales_channel WHERE name = :c FOR UPDATE"), {"c": channel}
    ).first()
    if held is None:
        raise BadSubscription(f"no channel {channel} (wms hub channel add)")
    count = conn.execute(
        text("SELECT count(*) FROM webhook_subscription WHERE channel = :c"), {"c": channel}
    ).scalar_one()
    if count >= MAX_PER_CHANNEL:
        raise BadSubscription(
            f"channel {channel} has {count} subscriptions already (at most {MAX_PER_CHANNEL}):"
            " remove one first"
        )
    secret = new_secret()
    sid = conn.execute(
        text(
            "INSERT INTO webhook_subscription (channel, url, events, secret)"
            " VALUES (:c, :u, :e, :s) RETURNING id"
        ),
        {"c": channel, "u": url, "e": wanted, "s": secret},
    ).scalar_one()
    return subscriptions(conn, subscription=int(sid))[0], secret


def remove_subscription(conn: Connection, subscription: int, channel: str | None = None) -> bool:
    """Remove a subscription and what it has not delivered yet; False when there is none (of
    ``channel``, when given)."""
    done = conn.execute(
        text(
            "DELETE FROM webhook_subscription WHERE id = :id"
            " AND (CAST(:c AS text) IS NULL OR channel = :c)"
        ),
        {"id": subscription, "c": channel},
    )
    return done.rowcount == 1
