"""Property: whatever operators do, on-hand equals the ledger, nothing is half-written, and the
op log's seq has no gaps."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.conftest import NOW
from wms.domain.errors import DomainError
from wms.domain.kinds import StockStatus
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.counting import Counted, record_count, start_count
from wms.services.moving import Move, move
from wms.services.picking import Pick, pick
from wms.services.receiving import Receive, receive
from wms.services.stock_control import adjust, change_status
from wms.store.migrate import open_store

CODES = [ean13(1), ean13(1401), ean13(301)]
BINS = ["DOCK-01", "A-01-01-A-1", "A-01-03-A-1", "B-01-01-A-1", "QA-01", "BND-01-01-A-1"]
LOTS = ["L2601", "L2602", "C-OK1", "NEW1"]
qty = st.integers(min_value=-2, max_value=60)

operation = st.one_of(
    st.builds(
        lambda c, q, lot, dmg: (
            "receive",
            Receive(c, q, location="DOCK-01", lot=lot, expiry=date(2028, 5, 1), damaged=dmg),
        ),
        st.sampled_from(CODES),
        qty,
        st.sampled_from(LOTS),
        st.booleans(),
    ),
    st.builds(
        lambda c, q, a, b, lot: ("move", Move(c, q, a, b, lot=lot)),
        st.sampled_from(CODES),
        qty,
        st.sampled_from(BINS),
        st.sampled_from(BINS),
        st.sampled_from(LOTS),
    ),
    st.builds(
        lambda line, q, lot: (
            "pick",
            Pick(
                "PT-0001",
                line,
                ["A-01-01-A-1", "A-01-02-A-1", "A-01-03-A-1"][line - 1],
                CODES[[0, 2, 1][line - 1]],
                q,
                lot=lot,
            ),
        ),
        st.integers(1, 3),
        qty,
        st.sampled_from(LOTS),
    ),
    st.builds(
        lambda c, b, d: ("adjust", (b, c, d)), st.sampled_from(CODES), st.sampled_from(BINS), qty
    ),
    st.builds(lambda s: ("hold", s), st.sampled_from(list(StockStatus))),
    st.builds(lambda q: ("count", q), qty),
)


def _invariants(ctx: Context) -> tuple[int, int]:
    with ctx.engine.connect() as c:
        key = "product_id, location_id, lot_id, container_id, status"
        ledger_sums = {
            tuple(r[:5]): r[5]
            for r in c.execute(text(f"SELECT {key}, sum(delta) FROM stockledger GROUP BY {key}"))
            if r[5] != 0
        }
        on_hand = {tuple(r[:5]): r[5] for r in c.execute(text(f"SELECT {key}, qty FROM onhand"))}
        assert on_hand == ledger_sums, "on_hand differs from the ledger sum"
        assert c.execute(text("SELECT count(*) FROM onhand WHERE qty <= 0")).scalar_one() == 0
        seqs = [r[0] for r in c.execute(text("SELECT seq FROM oplog ORDER BY seq"))]
        assert seqs == list(range(1, len(seqs) + 1)), "op-log seq has a gap"
        last = c.execute(text("SELECT last_seq FROM deviceidentity")).scalar()
        assert (last or 0) == len(seqs)
        ledger = c.execute(text("SELECT count(*) FROM stockledger")).scalar_one()
    return len(seqs), ledger


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_random_operations_keep_the_ledger_whole(
    ops: list[tuple[str, object]], demo_template: Path, tmp_path_factory: object
) -> None:
    path = tmp_path_factory.mktemp("prop") / "s.sqlite"  # type: ignore[attr-defined]
    shutil.copyfile(demo_template, path)
    engine = open_store(path)
    ctx = Context(engine, clock=lambda: NOW)
    alice, sam = logon_badge(ctx, "OP0001"), logon_badge(ctx, "OP0009")
    try:
        for kind, arg in ops:
            before = _invariants(ctx)
            try:
                if kind == "receive":
                    receive(ctx, alice, arg)  # type: ignore[arg-type]
                elif kind == "move":
                    move(ctx, alice, arg)  # type: ignore[arg-type]
                elif kind == "pick":
                    pick(ctx, alice, arg)  # type: ignore[arg-type]
                elif kind == "adjust":
                    b, c, d = arg  # type: ignore[misc]
                    adjust(ctx, sam, b, c, delta=d, reason="prop")
                elif kind == "hold":
                    change_status(ctx, sam, ean13(1), arg, "prop", lot="L2601")  # type: ignore[arg-type]
                else:
                    start_count(ctx, alice, "CT-0002", "A-01-03-A-1")
                    record_count(
                        ctx,
                        alice,
                        "CT-0002",
                        [Counted(ean13(1401), arg)] if arg else [],
                        empty_confirmed=True,
                    )  # type: ignore[arg-type]
            except DomainError:
                assert _invariants(ctx) == before, "a refused operation wrote something"
                continue
            ops_after, _ = _invariants(ctx)
            assert ops_after == before[0] + 1, "an operation must write exactly one op-log row"
    finally:
        engine.dispose()
