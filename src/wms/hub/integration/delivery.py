"""Delivering the outbox: signed POSTs to channels' endpoints, at least once, in order per order.

A worker claims due messages in batches with ``FOR UPDATE SKIP LOCKED`` and a lease (any
number of hub processes may run one: each message is held by one at a time, and one whose
worker died is taken over when its lease ends), posts them, then records the outcomes:

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
  answer are read. A worker holds at most ``in_flight`` messages, ``per_endpoint`` of them for
  one endpoint, posted one after another over ``lanes`` kept-alive connections per endpoint
  (a pool slows down as its connections multiply, so a few busy connections beat many);
  a lane that meets an endpoint that does not answer leaves the rest of its messages untried
  (not counted as attempts), so a dead receiver costs one timeout per lane, not one per message.
- **Signed** with the Standard Webhooks scheme (``webhook-id``, ``webhook-timestamp``,
  ``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``) through the
  ``standardwebhooks`` package receivers use to verify. The id is the event's: the same on every
  retry and for every subscription, so receivers can de-duplicate. The timestamp is the
  attempt's, so a receiver may refuse replays older than a few minutes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpcore
from pydantic_core import to_json
from sqlalchemy import Connection, Engine, text
from standardwebhooks import Webhook

from wms.hub.db import in_transaction
from wms.hub.integration.targets import PublicOnly
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
    in_flight: int = 256
    per_endpoint: int = 128
    lanes: int = 2
    poll: float = 1.0
    private_targets: bool = False  # may post to loopback and private networks

    @classmethod
    def of(cls, s: HubSettings) -> Policy:
        """The policy the hub's settings describe."""
        return cls(
            timeout=s.webhook_timeout_seconds,
            max_attempts=s.webhook_max_attempts,
            retry_base=s.webhook_retry_base_seconds,
            retry_cap=s.webhook_retry_cap_seconds,
            in_flight=s.webhook_in_flight,
            per_endpoint=max(1, s.webhook_in_flight // 2),
            lanes=s.webhook_lanes,
            poll=s.webhook_poll_seconds or 1.0,
            private_targets=s.webhook_private_targets,
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
    tried: bool = True  # False: left unsent behind a failure to reach its endpoint


@dataclass
class Stats:
    """What a run of the worker did."""

    delivered: int = 0
    failed: int = 0
    dead: int = 0
    endpoints: Counter[int] = field(default_factory=Counter)


def _utc_now() -> datetime:
    return datetime.now(UTC)


# The oldest undelivered message of each order only, of endpoints not in backoff, at most
# ``per_endpoint`` in flight per endpoint (counting what this worker has in flight already).
# The lock's own query checks the state and lease again: a row another worker claimed since
# this statement's snapshot is re-read once its lock is free, and then passed over.
_CLAIM = text(
    "WITH eligible AS (SELECT m.id, m.subscription FROM webhook_message m"
    " JOIN webhook_subscription s ON s.id = m.subscription WHERE m.state = 'pending'"
    " AND m.next_at <= :now AND (m.lease_until IS NULL OR m.lease_until <= :now)"
    " AND (s.retry_at IS NULL OR s.retry_at <= :now)"
    " AND NOT EXISTS (SELECT 1 FROM webhook_message e WHERE e.subscription = m.subscription"
    " AND e.warehouse = m.warehouse AND e.order_number = m.order_number"
    " AND e.state <> 'delivered' AND e.id < m.id) ORDER BY m.id LIMIT :scan),"
    " ranked AS (SELECT id, row_number() OVER (PARTITION BY subscription ORDER BY id)"
    " + COALESCE((CAST(:busy AS jsonb)->>subscription::text)::int, 0) AS k FROM eligible),"
    " due AS (SELECT m.id FROM webhook_message m WHERE m.id IN (SELECT id FROM ranked"
    " WHERE k <= :per) AND m.state = 'pending' AND (m.lease_until IS NULL"
    " OR m.lease_until <= :now) ORDER BY m.id LIMIT :n FOR UPDATE OF m SKIP LOCKED)"
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
_UNTRIED = text(
    "UPDATE webhook_message SET lease_until = NULL, attempts = attempts - 1"
    " WHERE id = ANY(CAST(:ids AS bigint[])) AND lease_until = :lease"
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
    conn: Connection,
    limit: int,
    policy: Policy,
    now: datetime,
    busy: Mapping[int, int] | None = None,
) -> list[Claimed]:
    """Claim up to ``limit`` due messages for one attempt each, skipping those other workers
    hold; ``busy``: what this worker has in flight per endpoint already."""
    until = now + policy.lease
    args = {
        "now": now,
        "until": until,
        "n": limit,
        "scan": max(4 * limit, 1000),
        "per": policy.per_endpoint,
        "busy": json.dumps({str(k): v for k, v in (busy or {}).items() if v}),
    }
    rows = conn.execute(_CLAIM, args).all()
    return [
        Claimed(r.id, r.event_id, r.subscription, r.url, r.secret, r.payload, r.attempts, until)
        for r in sorted(rows, key=lambda r: r.id)
    ]


def record(conn: Connection, outcomes: list[Outcome], policy: Policy, now: datetime) -> Stats:
    """Write what attempts came to; endpoints that answered resume, those that only failed are
    paused a little longer each time."""
    stats = Stats()
    done = [o for o in outcomes if o.delivered]
    failed = [o for o in outcomes if o.tried and not o.delivered]
    for lease in sorted({o.message.lease_until for o in outcomes if not o.tried}):
        untried = [o.message.id for o in outcomes if not o.tried and o.message.lease_until == lease]
        conn.execute(_UNTRIED, {"ids": untried, "lease": lease})
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
    stats.endpoints.update(o.message.subscription for o in outcomes if o.tried)
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


# What a failed attempt's reason names; anything else a connection can raise is caught too: a
# delivery that goes wrong is a failed attempt, never the worker's end.
_CONNECTION_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    OSError,
)


def _headers(message_headers: dict[str, str], url: httpcore.URL) -> list[tuple[bytes, bytes]]:
    host = url.host + (b":" + str(url.port).encode() if url.port else b"")
    return [(b"host", host)] + [(k.encode(), v.encode()) for k, v in message_headers.items()]


async def post(pool: httpcore.AsyncConnectionPool, message: Claimed, policy: Policy) -> Outcome:
    """One attempt: posted, its answer read up to ``ANSWER_BYTES``, within ``policy.timeout``.

    Posted with httpcore (httpx's own transport) without httpx's client layer: cookies,
    redirects and URL merging are of no use here, and skipping them makes a delivery about
    half as costly (bench/webhooks.py).
    """
    body, headers = signed(message)
    url = httpcore.URL(message.url)
    t = policy.timeout
    timeouts = {"connect": t, "read": t, "write": t, "pool": t}
    try:
        async with (
            asyncio.timeout(t),
            pool.stream(
                "POST",
                url,
                headers=_headers(headers, url),
                content=body,
                extensions={"timeout": timeouts},
            ) as reply,
        ):
            answer = b""
            async for chunk in reply.aiter_stream():
                answer += chunk[: ANSWER_BYTES - len(answer)]
                if len(answer) >= ANSWER_BYTES:
                    break
    except TimeoutError:
        return Outcome(message, False, None, f"no answer within {t:g} s")
    except _CONNECTION_ERRORS as e:
        return Outcome(message, False, None, f"{type(e).__name__}: {e}"[:ERROR_CHARS])
    status = reply.status
    if 200 <= status < 300:
        return Outcome(message, True, status)
    if 300 <= status < 400:
        found = (v for k, v in reply.headers if k.lower() == b"location")
        where = next(found, b"?").decode("latin-1")[:200]
        return Outcome(
            message, False, status, f"answered {status}: redirect to {where} not followed"
        )
    return Outcome(message, False, status, f"answered {status}: {_answer_text(answer)}")


async def lane(
    pool: httpcore.AsyncConnectionPool, messages: list[Claimed], policy: Policy
) -> list[Outcome]:
    """Post ``messages`` one after another over ``pool``'s connection; once the endpoint
    cannot be reached or does not answer, the rest are left untried."""
    out: list[Outcome] = []
    for n, m in enumerate(messages):
        outcome = await post(pool, m, policy)
        out.append(outcome)
        if outcome.status is None and not outcome.delivered:
            out += [Outcome(rest, False, tried=False) for rest in messages[n + 1 :]]
            break
    return out


class Worker:
    """Delivers the outbox from one hub process (any number may run at once)."""

    def __init__(
        self,
        engine: Engine,
        policy: Policy,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.engine, self.policy, self.clock = engine, policy, clock
        self.clients: dict[tuple[int, int], httpcore.AsyncConnectionPool] = {}
        self.busy_lanes: set[tuple[int, int]] = set()

    def _step(
        self, outcomes: list[Outcome], room: int, busy: Mapping[int, int]
    ) -> tuple[Stats, list[Claimed]]:
        """Record finished attempts and claim more, in one transaction."""

        def work(conn: Connection) -> tuple[Stats, list[Claimed]]:
            now = self.clock()
            stats = record(conn, outcomes, self.policy, now) if outcomes else Stats()
            return stats, claim(conn, room, self.policy, now, busy) if room > 0 else []

        return in_transaction(self.engine, work)

    def _client(self, key: tuple[int, int]) -> httpcore.AsyncConnectionPool:
        """The kept-alive connection of one lane of one endpoint."""
        if key not in self.clients:
            backend = None if self.policy.private_targets else PublicOnly()
            self.clients[key] = httpcore.AsyncConnectionPool(
                max_connections=1, max_keepalive_connections=1, network_backend=backend
            )
        return self.clients[key]

    async def run(self, stop: Callable[[], bool], *, until_idle: bool = False) -> Stats:
        """Deliver until ``stop()`` (finishing what is in flight), or, with ``until_idle``, until
        nothing is due and nothing is in flight.

        The database is visited once per batch, not per message: outcomes are recorded and new
        messages claimed together, once at least half of what is in flight has finished.
        """
        total = Stats()
        flying: dict[asyncio.Task[list[Outcome]], list[Claimed]] = {}
        busy: Counter[int] = Counter()
        finished: list[Outcome] = []
        try:
            while True:
                halt = stop()
                holding = sum(busy.values())
                if not flying or len(finished) >= holding or halt:
                    room = 0 if halt else self.policy.in_flight - holding
                    stats, claimed = await asyncio.to_thread(self._step, finished, room, busy)
                    _add(total, stats)
                    finished = []
                    self._start(claimed, flying, busy)
                    if not flying:
                        if halt or until_idle:
                            return total
                        await _sleep(self.policy.poll, stop)
                        continue
                done, _ = await asyncio.wait(
                    flying, timeout=self.policy.poll, return_when=asyncio.FIRST_COMPLETED
                )
                for task in done:
                    for m in flying.pop(task):
                        busy[m.subscription] -= 1
                    finished += task.result()
        finally:
            for client in self.clients.values():
                await client.aclose()
            self.clients.clear()

    def _start(
        self,
        claimed: list[Claimed],
        flying: dict[asyncio.Task[list[Outcome]], list[Claimed]],
        busy: Counter[int],
    ) -> None:
        """Deal each endpoint's claimed messages to its lanes, one task per lane."""
        per_endpoint: dict[int, list[Claimed]] = {}
        for m in claimed:
            per_endpoint.setdefault(m.subscription, []).append(m)
            busy[m.subscription] += 1
        for sub, messages in per_endpoint.items():
            lanes = min(self.policy.lanes, len(messages))
            # Lanes still busy with an earlier batch keep their connection: new ones open.
            free = (n for n in itertools.count() if (sub, n) not in self.busy_lanes)
            for n, key in zip(range(lanes), ((sub, f) for f in free), strict=False):
                share = messages[n::lanes]
                task = asyncio.create_task(lane(self._client(key), share, self.policy))
                self.busy_lanes.add(key)
                task.add_done_callback(partial(_free, self.busy_lanes, key))
                flying[task] = share


def _free(lanes: set[tuple[int, int]], key: tuple[int, int], _task: object) -> None:
    lanes.discard(key)


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
) -> Stats:
    """Deliver everything due now, then return (``wms hub webhooks deliver``, tests)."""
    worker = Worker(engine, policy, clock=clock)
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
