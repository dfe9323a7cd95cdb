"""Delivering the outbox: signed POSTs to channels' endpoints, at least once, in order per order.

A worker claims due messages with ``FOR UPDATE SKIP LOCKED`` and a lease (any number of hub
processes may run one: each message is held by one at a time, and one whose worker died is
taken over when its lease ends), posts them concurrently, then records each outcome:

- **In order per order**: only the oldest undelivered message of an order (per subscription) is
  ever claimed, so the next one waits until it is delivered. A dead letter holds its order's
  later messages back too, until it is re-sent: receivers never see an order's events out of
  order. Other orders are not held up.
- **Retries**: a failed message is tried again after ``base × 2^(attempts−1)`` seconds (capped);
  after ``max_attempts`` it is a dead letter (:mod:`.messages` lists and re-sends them). An
  endpoint that fails is itself paused the same way (one probe per interval, not one timeout
  per message), and resumes on its first success.
- **Bounded**: a delivery has ``timeout`` seconds in all (connect, send, answer); redirects are
  not followed (a 3xx is a failure naming where it pointed); at most ``ANSWER_BYTES`` of an
  answer are read; at most ``in_flight`` deliveries run at once, ``per_endpoint`` of them to one
  endpoint, so a receiver that never answers holds a few slots, not the worker.
- **Signed** with the Standard Webhooks scheme (``webhook-id``, ``webhook-timestamp``,
  ``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``) through the
  ``standardwebhooks`` package receivers use to verify. The id is the event's: the same on every
  retry and for every subscription, so receivers can de-duplicate. The timestamp is the
  attempt's, so a receiver may refuse replays older than a few minutes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic_core import to_json
from sqlalchemy import Connection, Engine, text
from standardwebhooks import Webhook

from wms.hub.db import in_transaction
from wms.hub.settings import HubSettings

log = logging.getLogger("wms.hub")

# Read of an answer, for the failure's message; the rest is never read.
ANSWER_BYTES = 4096
ERROR_CHARS = 300
USER_AGENT = "wms-hub-webhooks/1"


@dataclass(frozen=True)
class Policy:
    """How deliveries are made and retried (from the hub's settings)."""

    timeout: float = 10.0
    max_attempts: int = 30
    retry_base: float = 5.0
    retry_cap: float = 3600.0
    in_flight: int = 64
    per_endpoint: int = 8
    poll: float = 1.0

    @classmethod
    def of(cls, s: HubSettings) -> Policy:
        """The policy the hub's settings describe."""
        return cls(
            timeout=s.webhook_timeout_seconds,
            max_attempts=s.webhook_max_attempts,
            retry_base=s.webhook_retry_base_seconds,
            retry_cap=s.webhook_retry_cap_seconds,
            in_flight=s.webhook_in_flight,
            per_endpoint=max(1, min(8, s.webhook_in_flight // 4)),
            poll=s.webhook_poll_seconds or 1.0,
        )

    def delay(self, tries: int) -> timedelta:
        """How long to wait after the ``tries``-th failure in a row (exponential, capped)."""
        return timedelta(
            seconds=min(self.retry_base * 2 ** min(max(tries, 1) - 1, 40), self.retry_cap)
        )

    @property
    def lease(self) -> timedelta:
        """How long a claimed message is its worker's: longer than any delivery can take."""
        return timedelta(seconds=self.timeout * 2 + 30)


@dataclass(frozen=True)
class Claimed:
    """A message claimed for one attempt."""

    id: int
    event_id: str
    subscription: int
    url: str
    secret: str
    payload: dict[str, Any]
    attempts: int
    lease_until: datetime


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to."""

    message: Claimed
    delivered: bool
    status: int | None = None
    error: str | None = None


@dataclass
class Stats:
    """What a run of the worker did."""

    delivered: int = 0
    failed: int = 0
    dead: int = 0
    endpoints: Counter[int] = field(default_factory=Counter)


def _utc_now() -> datetime:
    return datetime.now(UTC)


# The oldest undelivered message of each order only; endpoints in backoff and those this worker
# already keeps busy are passed over.
_CLAIM = text(
    "WITH due AS (SELECT m.id FROM webhook_message m JOIN webhook_subscription s"
    " ON s.id = m.subscription WHERE m.state = 'pending' AND m.next_at <= :now"
    " AND (m.lease_until IS NULL OR m.lease_until <= :now)"
    " AND (s.retry_at IS NULL OR s.retry_at <= :now)"
    " AND m.subscription <> ALL(CAST(:busy AS bigint[]))"
    " AND NOT EXISTS (SELECT 1 FROM webhook_message e WHERE e.subscription = m.subscription"
    " AND e.warehouse = m.warehouse AND e.order_number = m.order_number"
    " AND e.state <> 'delivered' AND e.id < m.id)"
    " ORDER BY m.id LIMIT :n FOR UPDATE OF m SKIP LOCKED)"
    " UPDATE webhook_message m SET lease_until = :until, attempts = m.attempts + 1"
    " FROM due, webhook_subscription s WHERE m.id = due.id AND s.id = m.subscription"
    " RETURNING m.id, m.event_id, m.subscription, s.url, s.secret, m.payload, m.attempts"
)
# Only while the lease is still the one this attempt took: a message taken over by another
# worker (this one outlived its lease) is that worker's to record.
_DELIVERED = text(
    "UPDATE webhook_message m SET state = 'delivered', delivered_at = :now, lease_until = NULL,"
    " last_status = x.status, last_error = NULL FROM jsonb_to_recordset(CAST(:rows AS jsonb))"
    " AS x(id bigint, status int, lease timestamptz) WHERE m.id = x.id"
    " AND m.lease_until = x.lease"
)
_FAILED = text(
    "UPDATE webhook_message m SET lease_until = NULL, last_status = x.status,"
    " last_error = x.error, next_at = x.next_at,"
    " state = CASE WHEN m.attempts >= :max THEN 'dead' ELSE 'pending' END"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(id bigint, status int, error text,"
    " next_at timestamptz, lease timestamptz) WHERE m.id = x.id AND m.lease_until = x.lease"
    " RETURNING m.state"
)
_ENDPOINT_UP = text(
    "UPDATE webhook_subscription SET failures = 0, retry_at = NULL"
    " WHERE id = ANY(CAST(:ids AS bigint[])) AND (failures > 0 OR retry_at IS NOT NULL)"
)
_ENDPOINT_DOWN = text(
    "UPDATE webhook_subscription SET failures = failures + 1 WHERE id = :id RETURNING failures"
)
_PAUSE = text("UPDATE webhook_subscription SET retry_at = :at WHERE id = :id")


def claim(
    conn: Connection, limit: int, policy: Policy, now: datetime, busy: list[int] | None = None
) -> list[Claimed]:
    """Claim up to ``limit`` due messages for one attempt each (skipping those other workers
    hold, and endpoints in ``busy``)."""
    until = now + policy.lease
    rows = conn.execute(
        _CLAIM, {"now": now, "until": until, "n": limit, "busy": sorted(busy or [])}
    ).all()
    return [
        Claimed(r.id, r.event_id, r.subscription, r.url, r.secret, r.payload, r.attempts, until)
        for r in sorted(rows, key=lambda r: r.id)
    ]


def record(conn: Connection, outcomes: list[Outcome], policy: Policy, now: datetime) -> Stats:
    """Write what attempts came to; endpoints that answered resume, those that only failed are
    paused a little longer each time."""
    stats = Stats()
    done = [o for o in outcomes if o.delivered]
    failed = [o for o in outcomes if not o.delivered]
    if done:
        rows = [
            {"id": o.message.id, "status": o.status, "lease": o.message.lease_until.isoformat()}
            for o in done
        ]
        conn.execute(_DELIVERED, {"now": now, "rows": to_json(rows).decode()})
        stats.delivered = len(done)
    if failed:
        rows = [
            {
                "id": o.message.id,
                "status": o.status,
                "error": (o.error or "")[:ERROR_CHARS],
                "next_at": (now + policy.delay(o.message.attempts)).isoformat(),
                "lease": o.message.lease_until.isoformat(),
            }
            for o in failed
        ]
        states = conn.scalars(
            _FAILED, {"rows": to_json(rows).decode(), "max": policy.max_attempts}
        ).all()
        stats.failed, stats.dead = len(failed), states.count("dead")
    up = {o.message.subscription for o in done}
    if up:
        conn.execute(_ENDPOINT_UP, {"ids": sorted(up)})
    for sub in sorted({o.message.subscription for o in failed} - up):
        failures = int(conn.execute(_ENDPOINT_DOWN, {"id": sub}).scalar_one())
        conn.execute(_PAUSE, {"id": sub, "at": now + policy.delay(failures)})
    stats.endpoints.update(o.message.subscription for o in outcomes)
    return stats


def signed(message: Claimed, at: float | None = None) -> tuple[bytes, dict[str, str]]:
    """The body and Standard Webhooks headers of one attempt (signed at ``at``, default now)."""
    body = json.dumps(message.payload, separators=(",", ":"), ensure_ascii=False)
    moment = datetime.fromtimestamp(int(at if at is not None else time.time()), UTC)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message.event_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(message.secret).sign(message.event_id, moment, body),
    }
    return body.encode(), headers


def _answer_text(answer: bytes) -> str:
    return " ".join(answer.decode("utf-8", "replace").split())[:200]


async def post(client: httpx.AsyncClient, message: Claimed, policy: Policy) -> Outcome:
    """One attempt: posted, its answer read up to ``ANSWER_BYTES``, within ``policy.timeout``."""
    body, headers = signed(message)
    try:
        async with asyncio.timeout(policy.timeout):
            request = client.build_request("POST", message.url, content=body, headers=headers)
            reply = await client.send(request, stream=True)
            try:
                answer = b""
                async for chunk in reply.aiter_raw():
                    answer += chunk[: ANSWER_BYTES - len(answer)]
                    if len(answer) >= ANSWER_BYTES:
                        break
            finally:
                await reply.aclose()
    except TimeoutError:
        return Outcome(message, False, None, f"no answer within {policy.timeout:g} s")
    except httpx.HTTPError as e:
        return Outcome(message, False, None, f"{type(e).__name__}: {e}"[:ERROR_CHARS])
    status = reply.status_code
    if 200 <= status < 300:
        return Outcome(message, True, status)
    if 300 <= status < 400:
        where = reply.headers.get("location", "?")[:200]
        return Outcome(
            message, False, status, f"answered {status}: redirect to {where} not followed"
        )
    return Outcome(message, False, status, f"answered {status}: {_answer_text(answer)}")


class Worker:
    """Delivers the outbox from one hub process (any number may run at once)."""

    def __init__(
        self,
        engine: Engine,
        policy: Policy,
        *,
        clock: Callable[[], datetime] = _utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.engine, self.policy, self.clock, self.transport = engine, policy, clock, transport

    def _step(
        self, outcomes: list[Outcome], room: int, busy: list[int]
    ) -> tuple[Stats, list[Claimed]]:
        """Record finished attempts and claim more, in one transaction."""

        def work(conn: Connection) -> tuple[Stats, list[Claimed]]:
            now = self.clock()
            stats = record(conn, outcomes, self.policy, now) if outcomes else Stats()
            return stats, claim(conn, room, self.policy, now, busy) if room > 0 else []

        return in_transaction(self.engine, work)

    async def run(self, stop: Callable[[], bool], *, until_idle: bool = False) -> Stats:
        """Deliver until ``stop()`` (finishing what is in flight), or, with ``until_idle``, until
        nothing is due and nothing is in flight."""
        total = Stats()
        flying: dict[asyncio.Task[Outcome], Claimed] = {}
        busy: Counter[int] = Counter()
        finished: list[Outcome] = []
        limits = httpx.Limits(
            max_connections=self.policy.in_flight, max_keepalive_connections=self.policy.in_flight
        )
        async with httpx.AsyncClient(
            follow_redirects=False, limits=limits, transport=self.transport, trust_env=False
        ) as client:
            while True:
                halt = stop()
                room = 0 if halt else self.policy.in_flight - len(flying)
                # Claim in batches: when half the slots are free, or when nothing is in flight.
                if flying and room < self.policy.in_flight // 2:
                    room = 0
                full = [s for s, n in busy.items() if n >= self.policy.per_endpoint]
                if finished or room:
                    stats, claimed = await asyncio.to_thread(self._step, finished, room, full)
                    _add(total, stats)
                    finished = []
                    for m in claimed:
                        flying[asyncio.create_task(post(client, m, self.policy))] = m
                        busy[m.subscription] += 1
                else:
                    claimed = []
                if not flying:
                    if claimed:
                        continue
                    if halt or until_idle:
                        return total
                    await _sleep(self.policy.poll, stop)
                    continue
                done, _ = await asyncio.wait(
                    flying, timeout=self.policy.poll, return_when=asyncio.FIRST_COMPLETED
                )
                for task in done:
                    m = flying.pop(task)
                    busy[m.subscription] -= 1
                    finished.append(task.result())


def _add(total: Stats, stats: Stats) -> None:
    total.delivered += stats.delivered
    total.failed += stats.failed
    total.dead += stats.dead
    total.endpoints.update(stats.endpoints)


async def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    """Sleep up to ``seconds``, waking early once ``stop()`` is true."""
    end = time.monotonic() + seconds
    while not stop() and time.monotonic() < end:
        await asyncio.sleep(min(0.1, max(0.0, end - time.monotonic())))


def deliver_due(
    engine: Engine,
    policy: Policy,
    *,
    clock: Callable[[], datetime] = _utc_now,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Stats:
    """Deliver everything due now, then return (``wms hub webhooks deliver``, tests)."""
    worker = Worker(engine, policy, clock=clock, transport=transport)
    return asyncio.run(worker.run(lambda: False, until_idle=True))


def delivery_loop(engine: Engine, policy: Policy, stop: threading.Event) -> None:
    """Deliver until ``stop`` is set (a hub process's background thread). A database hiccup
    ends nothing: the worker starts again after a pause, and its leased messages are taken
    over when their leases end."""
    while not stop.is_set():
        try:
            asyncio.run(Worker(engine, policy).run(stop.is_set))
        except Exception:
            log.exception("webhook delivery failed; starting again")
            stop.wait(policy.poll)
