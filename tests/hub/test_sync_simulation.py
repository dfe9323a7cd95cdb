"""Five terminals work offline on shared stock, with cut connections, lost replies, crashes
and replays; afterwards the hub holds every op exactly once and every terminal agrees with it."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text

from tests.hub.conftest import Terminal
from tests.hub.faults import faulty_client
from tests.hub.hub_queries import hub_stock, received, terminal_stock
from wms.domain.errors import DomainError
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.moving import Move, move
from wms.services.receiving import Receive, receive
from wms.services.stock_control import adjust
from wms.sync.client import SyncFailed

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
    for _ in range(120):
        t = rng.choice(terminals)
        roll = rng.random()
        if roll < 0.7:
            _work(t, rng)
        elif roll < 0.93:
            _unreliable_sync(t, rng)
        else:
            _replay(t, rng)
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
