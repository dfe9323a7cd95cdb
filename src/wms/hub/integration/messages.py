"""The outbox as people see it: dead letters (messages that failed every attempt) and re-sending.

A re-sent message keeps its event id (receivers that got it after all de-duplicate), starts its
attempts again and goes at once, with its endpoint's backoff lifted. An order's later messages
were held back behind it, so they follow it in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class Message:
    """One outbox message, as listed."""

    id: int
    event_id: str
    subscription: int
    channel: str
    warehouse: str
    order_number: str
    type: str
    state: str
    attempts: int
    created_at: datetime
    next_at: datetime
    last_status: int | None
    last_error: str | None


_LIST = text(
    "SELECT m.id, m.event_id, m.subscription, s.channel, m.warehouse, m.order_number, m.type,"
    " m.state, m.attempts, m.created_at, m.next_at, m.last_status, m.last_error"
    " FROM webhook_message m JOIN webhook_subscription s ON s.id = m.subscription"
    " WHERE m.state = :state AND (CAST(:c AS text) IS NULL OR s.channel = :c)"
    " AND (CAST(:sub AS bigint) IS NULL OR m.subscription = :sub)"
    " ORDER BY m.id LIMIT :n"
)


def messages(
    conn: Connection,
    state: str = "dead",
    *,
    channel: str | None = None,
    subscription: int | None = None,
    limit: int = 200,
) -> list[Message]:
    """Messages in ``state`` (dead letters by default), oldest first, of one channel or
    subscription when given."""
    rows = conn.execute(
        _LIST, {"state": state, "c": channel, "sub": subscription, "n": limit}
    ).all()
    return [Message(**r._mapping) for r in rows]


_RESEND = text(
    "UPDATE webhook_message m SET state = 'pending', attempts = 0, next_at = now(),"
    " lease_until = NULL FROM webhook_subscription s WHERE s.id = m.subscription"
    " AND m.state = 'dead' AND (CAST(:c AS text) IS NULL OR s.channel = :c)"
    " AND (CAST(:ids AS bigint[]) IS NULL OR m.id = ANY(CAST(:ids AS bigint[])))"
    " AND (CAST(:sub AS bigint) IS NULL OR m.subscription = :sub)"
    " RETURNING m.id, m.subscription"
)
_RESUME = text(
    "UPDATE webhook_subscription SET failures = 0, retry_at = NULL"
    " WHERE id = ANY(CAST(:ids AS bigint[]))"
)


def resend(
    conn: Connection,
    ids: Sequence[int] | None = None,
    *,
    channel: str | None = None,
    subscription: int | None = None,
) -> list[int]:
    """Send dead letters again (those in ``ids``, or of ``subscription``, or all of
    ``channel``'s); returns the ids re-queued. Messages that are not dead are left alone."""
    rows = conn.execute(
        _RESEND,
        {"c": channel, "ids": list(ids) if ids is not None else None, "sub": subscription},
    ).all()
    if rows:
        conn.execute(_RESUME, {"ids": sorted({r.subscription for r in rows})})
    return sorted(r.id for r in rows)
