"""The terminal's sync client: push every unacked op, then pull the warehouse's changes.

Failures map to exit codes a timer can act on (see hardware/SYNC.md):
0 ok · 75 hub unreachable, retry later · 76 upgrade required · 77 device revoked or unknown ·
78 not enrolled · 79 another sync of this store is running.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import ValidationError
from sqlalchemy import Engine

from wms.store.migrate import current_revision
from wms.sync import outbox
from wms.sync.apply import (
    apply_page,
    begin_full_read,
    finish_full_read,
    in_full_read,
    warehouse_id,
)
from wms.sync.lock import LockUnavailable, sync_lock
from wms.sync.state import (
    Enrolment,
    enrol_nonce,
    load,
    save_enrolment,
    save_hub_url,
    save_pull,
    save_push,
)
from wms.sync.wire import (
    MAX_PUSH_BYTES,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    STORE_HEADER,
    UPGRADE_REQUIRED,
    DeviceInfo,
    Enrolled,
    GapError,
    Lease,
    PullReply,
    PushReply,
)

# (stage, done, total or None) for a progress bar.
Progress = Callable[[str, int, int | None], None]


class SyncFailed(Exception):
    """Sync stopped; ``exit_code`` tells a timer whether retrying later makes sense."""

    exit_code = 75


class HubUnreachable(SyncFailed):
    """The network or the hub is down, or it answered with a server error: retry later."""


class UpgradeRequired(SyncFailed):
    """The hub does not speak this terminal's protocol or store revision."""

    exit_code = 76


class DeviceRefused(SyncFailed):
    """The hub revoked this device or does not know its token."""

    exit_code = 77


class TaskLeased(SyncFailed):
    """Another terminal holds this pick task's lease, or the task is done."""


class NotEnrolled(SyncFailed):
    """No hub configured: run ``wms enroll`` first."""

    exit_code = 78


class SyncBusy(SyncFailed):
    """Another sync of this store is running (the timer's, or the app's in the background)."""

    exit_code = 79


@dataclass
class SyncSummary:
    """What one sync did."""

    pushed: int = 0
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)
    exceptions: int = 0
    pulled: int = 0
    reset: bool = False

    def report(self) -> str:
        """One line for a person: what was pushed and pulled, and what needs a supervisor."""
        parts = [f"pushed {self.pushed} ops", f"pulled {self.pulled} changes"]
        if self.duplicates:
            parts.append(f"{self.duplicates} already at the hub")
        if self.exceptions:
            parts.append(f"{self.exceptions} exceptions for a supervisor")
        if self.reset:
            parts.append("full reload")
        return "Synced: " + ", ".join(parts)


def headers(engine: Engine, token: str | None = None) -> dict[str, str]:
    """Version headers on every request, and the bearer token once enrolled."""
    out = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), STORE_HEADER: current_revision(engine) or ""}
    if token:
        out["Authorization"] = f"Bearer {token}"
    return out


def _body(response: httpx.Response) -> dict[str, Any]:
    """The reply's JSON object, or nothing when it is not one (not a wms hub answering)."""
    try:
        found = response.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _call(http: httpx.Client, method: str, url: str, **kw: Any) -> httpx.Response:
    try:
        response = http.request(method, url, **kw)
    except httpx.TransportError as e:
        raise HubUnreachable(f"hub unreachable: {type(e).__name__}") from None
    except httpx.InvalidURL as e:
        raise SyncFailed(f"not a hub URL: {url} ({e})") from None
    if response.status_code == UPGRADE_REQUIRED:
        raise UpgradeRequired(_body(response).get("detail", "upgrade required"))
    if response.status_code in (401, 403) and _body(response).get("code") != "forbidden":
        raise DeviceRefused(_body(response).get("detail", "device refused"))
    if response.status_code >= 500:
        raise HubUnreachable(f"hub error {response.status_code}: retry later")
    return response


class SyncClient:
    """Sync one terminal store with its hub over ``http`` (any httpx.Client, e.g. a test one).

    A push request carries at most ``batch`` ops and ``max_bytes`` bytes.
    """

    def __init__(
        self,
        engine: Engine,
        http: httpx.Client,
        *,
        batch: int = 1000,
        max_bytes: int = MAX_PUSH_BYTES,
    ) -> None:
        self.engine, self.http, self.batch, self.max_bytes = engine, http, batch, max_bytes
        self._load()

    def _load(self) -> None:
        state = load(self.engine)
        if state is None:
            raise NotEnrolled("this terminal is not enrolled: run `wms enroll --hub URL --code C`")
        self.state: Enrolment = state
        self.headers = headers(self.engine, state.token)

    def sync(
        self,
        progress: Progress | None = None,
        *,
        wait: float = 0,
        on_wait: Callable[[], None] | None = None,
        new_epoch: bool = False,
    ) -> SyncSummary:
        """Push, then pull only if the push emptied the queue (so the hub's stock already
        contains every op this terminal has stopped counting as its own).

        One sync per store at a time, across processes: SyncBusy when another one still runs
        after ``wait`` seconds (``on_wait`` is told when the wait begins). ``new_epoch``: start
        one first (a store restored from a backup), while no other sync pushes.
        """
        try:
            with sync_lock(self.engine, wait, on_wait) as held:
                if not held:
                    raise SyncBusy("another sync of this store is running; this one did nothing")
                if new_epoch:
                    outbox.start_new_epoch(self.engine)
                return self._locked(progress)
        except LockUnavailable as e:
            raise SyncFailed(str(e)) from None

    def _locked(self, progress: Progress | None) -> SyncSummary:
        self._load()  # another sync may have moved the cursor while this one waited
        summary = SyncSummary()
        self.push(summary, progress)
        self.pull(summary, progress)
        return summary

    def _pending(self, after: int = 0) -> list[outbox.Outgoing]:
        return outbox.pending(self.engine, self.batch, after, self.max_bytes)

    def push(self, summary: SyncSummary, progress: Progress | None = None) -> None:
        """Send unacked ops in batches until none are left; prune only what the hub acked.

        The next batch is read from the store while the hub applies the current one; it is
        sent only once the current one is acked, so the hub sees every stream in order.
        """
        stream, epoch, _ = outbox.identity(self.engine)
        with ThreadPoolExecutor(max_workers=1) as reader:
            ops = self._pending()
            while ops:
                following = reader.submit(self._pending, ops[-1].seq)
                reply = self._send(epoch, ops)
                acks = {a.stream: a.last_seq for a in reply.acks}
                outbox.mark_acked(self.engine, acks, since=ops[0].seq)
                if acks.get(stream, 0) > outbox.identity(self.engine)[2]:
                    # The hub has seen more of this stream than this store ever wrote: it was
                    # restored from a backup. New ops go to a new stream so none is taken for
                    # a duplicate.
                    stream = outbox.start_new_epoch(self.engine)
                summary.pushed += len(ops) - reply.duplicates
                summary.duplicates += reply.duplicates
                summary.exceptions += reply.exceptions
                summary.rejected += [f"#{x.seq} {x.reason}" for x in reply.rejected]
                if progress:
                    progress("push", summary.pushed + summary.duplicates, None)
                ops = following.result()
        save_push(self.engine, datetime.now(UTC))

    def _send(self, epoch: int, ops: list[outbox.Outgoing]) -> PushReply:
        body = outbox.request_body(epoch, ops)
        if len(body) > self.max_bytes:
            raise SyncFailed(
                f"op #{ops[0].seq} alone takes {len(body)} bytes, more than a push may carry"
                f" ({self.max_bytes}): it cannot be sent"
            )
        r = _call(
            self.http,
            "POST",
            f"{self.state.hub_url}/v1/push",
            content=body,
            headers={**self.headers, "Content-Type": "application/json"},
        )
        if r.status_code == 403:  # this store's stream belongs to another device at the hub
            raise DeviceRefused(r.json().get("detail", "these ops belong to another device"))
        if r.status_code == 409 and r.json().get("code") == "gap":
            gap = GapError.model_validate(r.json())
            # Ops before the first unacked one are gone from this store: nothing to resend.
            raise SyncFailed(f"hub expects op {gap.expected} of {gap.stream}, not in store")
        if r.status_code == 413:
            raise SyncFailed(
                f"the hub refused a push of {len(ops)} ops, {len(body)} bytes, as too large"
                f" ({r.json().get('detail')}): raise the hub's WMS_HUB_MAX_BODY_BYTES or"
                " MAX_OPS_PER_PUSH, or install the same wms release on the hub and terminals"
            )
        if r.status_code != 200:
            raise SyncFailed(f"push refused ({r.status_code}): {r.json().get('detail')}")
        return PushReply.model_validate_json(r.content)

    def lease(self, task: str, minutes: int = 60) -> datetime:
        """Take pick task ``task`` for this terminal; TaskLeased while another one holds it."""
        r = _call(
            self.http,
            "POST",
            f"{self.state.hub_url}/v1/tasks/{task}/lease",
            params={"minutes": minutes},
            headers=self.headers,
        )
        if r.status_code == 409:
            raise TaskLeased(r.json()["detail"])
        if r.status_code != 200:
            raise SyncFailed(f"lease refused ({r.status_code}): {r.json().get('detail')}")
        return Lease.model_validate(r.json()).until

    def _page(self, cursor: str, numbers_for: str | None = None) -> PullReply:
        params = {"cursor": cursor, "limit": "2000"}
        if numbers_for:  # a packing terminal: the hub tops its number blocks up first
            params["numbers_for"] = numbers_for
        r = _call(
            self.http,
            "GET",
            f"{self.state.hub_url}/v1/pull",
            params=params,
            headers=self.headers,
        )
        if r.status_code != 200:
            raise SyncFailed(f"pull refused ({r.status_code}): {r.json().get('detail')}")
        return PullReply.model_validate_json(r.content)

    def pull(self, summary: SyncSummary, progress: Progress | None = None) -> None:
        """Read the feed to its end, applying each page in small transactions while the
        next page is on its way; the cursor is saved only once its page is applied.

        Before a page is applied, the ops the hub says it holds (its marks, read after the
        page) stop counting as this terminal's own: a page's stock figure may already contain
        an op whose push reply was lost, and it must not be added on top a second time.
        """
        cursor = self.state.pull_cursor or ""
        wh_id = warehouse_id(self.engine, self.state.warehouse)
        if not cursor:
            begin_full_read(self.engine)  # first pull: the hub's stock replaces the seed's
        full = in_full_read(self.engine)
        with ThreadPoolExecutor(max_workers=1) as fetcher:
            page = self._page(cursor, outbox.packing_stream(self.engine))
            while True:
                following = fetcher.submit(self._page, page.cursor) if page.more else None
                if page.reset:
                    summary.reset = True
                    begin_full_read(self.engine)
                    full = True
                if page.acks:
                    outbox.mark_acked(self.engine, {a.stream: a.last_seq for a in page.acks})
                apply_page(self.engine, page.changes, wh_id, full=full)
                cursor = page.cursor
                save_pull(self.engine, cursor, None)
                summary.pulled += len(page.changes)
                if progress:
                    progress("pull", summary.pulled, None)
                if following is None:
                    break
                page = following.result()
        if full:
            finish_full_read(self.engine)
        save_pull(self.engine, cursor, datetime.now(UTC))


def enroll(engine: Engine, http: httpx.Client, hub_url: str, code: str) -> Enrolled:
    """Trade a one-time code for a token and remember the hub; the token is not echoed.

    The request carries this store's nonce for ``code``: running the same enrolment again
    after a lost reply gets the same device back. The token is then shown to the hub once,
    which spends the code (a first sync would too).
    """
    url = hub_url.rstrip("/")
    body = {"code": code, "nonce": enrol_nonce(engine, code)}
    r = _call(http, "POST", f"{url}/v1/enroll", json=body, headers=headers(engine))
    if r.status_code != 200:
        raise DeviceRefused(_detail(r, "enrolment refused"))
    enrolled = Enrolled.model_validate(r.json())
    save_enrolment(engine, url, enrolled.token, enrolled.warehouse, enrolled.device)
    with contextlib.suppress(SyncFailed):
        device_info(engine, http, url, enrolled.token)
    return enrolled


def _detail(r: httpx.Response, default: str) -> str:
    detail = _body(r).get("detail")
    return detail if isinstance(detail, str) else default


def device_info(engine: Engine, http: httpx.Client, hub_url: str, token: str) -> DeviceInfo:
    """Who the hub at ``hub_url`` takes this token for; DeviceRefused when it does not know it."""
    r = _call(http, "GET", f"{hub_url.rstrip('/')}/v1/device", headers=headers(engine, token))
    try:
        if r.status_code == 200:
            return DeviceInfo.model_validate(_body(r))
    except ValidationError:
        pass
    raise SyncFailed(f"{hub_url} answered {r.status_code}, not as a wms hub does")


def set_hub(engine: Engine, http: httpx.Client, hub_url: str) -> DeviceInfo:
    """Point this terminal at its hub's new address, once the hub there knows its token (so a
    typo or another warehouse's hub is refused); queue, cursor and token are kept."""
    state = load(engine)
    if state is None:
        raise NotEnrolled("this terminal is not enrolled: run `wms enroll --hub URL --code C`")
    found = device_info(engine, http, hub_url, state.token)
    if found.warehouse != state.warehouse:
        raise DeviceRefused(
            f"the hub at {hub_url} knows this terminal as one of warehouse {found.warehouse},"
            f" not {state.warehouse}"
        )
    save_hub_url(engine, hub_url, found.device)
    return found


TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def timeout(seconds: float) -> httpx.Timeout:
    """Give up on a request once the hub has not answered for ``seconds`` (connecting, sending
    or waiting for the reply): a black-holed connection fails the sync instead of hanging."""
    return httpx.Timeout(seconds, connect=min(seconds, 10.0))


def sync_once(engine: Engine, progress: Progress | None = None) -> str:
    """Push and pull once with this terminal's hub and say what happened (the app's "sync now"
    and its background sync), reporting to ``progress`` as it goes. Raises NotEnrolled or
    SyncFailed (SyncBusy while `wms sync` runs on this store), whose messages say why."""
    with httpx.Client(timeout=TIMEOUT) as http:
        return SyncClient(engine, http).sync(progress).report()
