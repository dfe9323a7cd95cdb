"""Five terminals work offline on shared stock, with cut connections, lost replies, crashes
and replays, two syncs of one store overlapping, revocations and re-enrolments whose replies
get lost; afterwards the hub holds every op exactly once, every re-enrolment made exactly one
device, and every terminal agrees with the hub."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.hub.conftest import HUB_URL, Terminal
from tests.hub.faults import Interleaved, faulty_client
from tests.hub.hub_queries import hub_stock, received, terminal_stock
from wms.domain.errors import DomainError
from wms.hub.sync.devices import new_enrolment
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.moving import Move, move
from wms.services.receiving import Receive, receive
from wms.services.stock_control import adjust
from wms.sync.client import HubUnreachable, SyncBusy, SyncFailed, SyncSummary, enroll
from wms.sync.lock import sync_lock

BINS = ["A-01-03-A-1", "A-01-04-A-1", "A-01-05-A-1"]


def _work(t: Terminal, rng: random.Random) -> None:
    """One random floor operation; the terminal refuses what its own stock cannot cover."""
    n = rng.randint(1401, 1403)
    sku = f"SKU-{n:05d}"
    try:
        match rng.choice(["receive", "adjust", "move", "move"]):
            case "receive":
                actor = logon_badge(t.ctx, "OP0001")
                receive(t.ctx, actor, Receive(ean13(n), rng.randint(1, 9), location="DOCK-01"))
            case "adjust":
                sam = logon_badge(t.ctx, "OP0009")
                delta = rng.choice([-1, 1]) * rng.randint(1, 12)
                adjust(t.ctx, sam, rng.choice(BINS), sku, delta=delta, reason="sim")
            case _:
                actor = logon_badge(t.ctx, "OP0001")
                source, target = rng.sample(["DOCK-01", *BINS], 2)
                move(t.ctx, actor, Move(sku, rng.randint(1, 6), source, target, reason="sim"))
    except DomainError:
        pass  # not enough stock here, by this terminal's knowledge


def _unreliable_sync(t: Terminal, rng: random.Random) -> None:
    """A sync over a network that may cut a request or lose a reply at any point."""
    http, faults = faulty_client(t.http)  # type: ignore[arg-type]
    faults.pass_first = rng.randint(0, 3)
    if rng.random() < 0.5:
        faults.drop_requests = 1
    else:
        faults.drop_replies = 1
    with contextlib.suppress(SyncFailed):  # the next sync picks up where this one broke
        t.client(http, batch=rng.randint(1, 4)).sync()


def _overlapping_syncs(t: Terminal, rng: random.Random) -> None:
    """The app's sync is pulling when the timer's sync of the same store pushes (what the store
    lock prevents, done here behind its back), and the push's reply may be lost."""

    def timer_sync() -> None:
        _work(t, rng)
        http, faults = faulty_client(t.http)  # type: ignore[arg-type]
        faults.drop_replies = rng.randint(0, 1)
        with contextlib.suppress(SyncFailed):
            t.client(http).push(SyncSummary())

    slow = httpx.Client(transport=Interleaved(t.http, "/v1/pull", timer_sync))  # type: ignore[arg-type]
    with contextlib.suppress(SyncFailed):
        t.client(slow).pull(SyncSummary())
    with sync_lock(t.ctx.engine), pytest.raises(SyncBusy):  # and a third one is turned away
        t.client().sync()


def _enrol_again(t: Terminal, rng: random.Random, hub_engine: Engine) -> None:
    """The supervisor revokes the terminal and enrols it again as its successor; the enrolment's
    reply may be lost, and the terminal then runs the same enrolment once more."""
    with hub_engine.begin() as conn:
        device, code = new_enrolment(conn, "DEMO", 60, replaces=t.device)
    http, faults = faulty_client(t.http)  # type: ignore[arg-type]
    faults.drop_replies = rng.randint(0, 1)
    try:
        enrolled = enroll(t.ctx.engine, http, HUB_URL, code)
    except HubUnreachable:
        enrolled = enroll(t.ctx.engine, t.http, HUB_URL, code)
    assert enrolled.device == device
    t.device = device


def _replay(t: Terminal, rng: random.Random) -> None:
    """A crash lost the terminal's record of some acks: those ops will be sent again."""
    with t.ctx.engine.begin() as conn:
        top = conn.execute(text("SELECT MAX(seq) FROM oplog WHERE acked = 1")).scalar()
        if top:
            conn.execute(
                text("UPDATE oplog SET acked = 0 WHERE seq > :s"), {"s": rng.randint(0, top)}
            )


@pytest.mark.parametrize("seed", [1, 2])
def test_offline_terminals_converge_with_every_op_once(
    seed: int, make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    rng = random.Random(seed)
    terminals = [make_terminal() for _ in range(5)]
    enrolments = 0
    for _ in range(140):
        t = rng.choice(terminals)
        roll = rng.random()
        if roll < 0.65:
            _work(t, rng)
        elif roll < 0.83:
            _unreliable_sync(t, rng)
        elif roll < 0.9:
            _overlapping_syncs(t, rng)
        elif roll < 0.95:
            _replay(t, rng)
        else:
            _enrol_again(t, rng, hub_engine)
            enrolments += 1
    with hub_engine.connect() as conn:  # lost replies made no orphan devices
        devices = conn.execute(text("SELECT count(*) FROM device")).scalar_one()
    assert devices == len(terminals) + enrolments
    for _ in range(2):  # everyone pushes, then everyone pulls what the others pushed
        for t in terminals:
            t.client().sync()
    written = []
    for t in terminals:
        with t.ctx.engine.connect() as conn:
            written += [tuple(r) for r in conn.execute(text("SELECT device_id, seq FROM oplog"))]
    assert sorted(written) == received(hub_engine)
    expected = hub_stock(hub_engine)
    for t in terminals:
        assert terminal_stock(t.ctx.engine) == expected
