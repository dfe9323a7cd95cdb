"""Property: whatever operators do, on-hand equals the ledger, nothing is half-written, and the
op log's seq has no gaps; stock leaves the building only when a load ships (pick, pack, load and
unpack move it within), and a shipped parcel's units leave exactly once."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.conftest import NOW
from tests.store_helpers import on_cart
from wms.domain.errors import DomainError
from wms.domain.kinds import StockStatus
from wms.seed.floor import stage_demo_floor
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.context import Actor, Context
from wms.services.counting import Counted, record_count, start_count
from wms.services.dispatch import close_load, load_parcel
from wms.services.moving import Move, move
from wms.services.packing import Boxed, Draft, Take, carton, close_parcel, open_order, unpack
from wms.services.picking import Pick, pick
from wms.services.receiving import Receive, receive
from wms.services.stock_control import adjust, change_status
from wms.store.migrate import open_store

CODES = [ean13(1), ean13(1401), ean13(301)]
BINS = ["DOCK-01", "A-01-01-A-1", "A-01-03-A-1", "B-01-01-A-1", "QA-01", "BND-01-01-A-1"]
LOTS = ["L2601", "L2602", "C-OK1", "NEW1"]
qty = st.integers(min_value=-2, max_value=60)

picking = st.builds(
    lambda line_lot, q: (
        "pick",
        Pick(
            "PT-0001",
            line_lot[0],
            ["A-01-01-A-1", "A-01-02-A-1", "A-01-03-A-1"][line_lot[0] - 1],
            CODES[[0, 2, 1][line_lot[0] - 1]],
            q,
            lot=line_lot[1],
        ),
    ),
    # Mostly the lot FEFO wants and a quantity the line asks for: picks that go through.
    st.sampled_from([(1, "L2601"), (2, "C-OK1"), (3, None), (1, "L2602"), (2, "C-RC1")]),
    st.integers(-1, 4),
)
packing = st.builds(lambda n: ("pack", n), st.integers(1, 4))
loading = st.builds(lambda back: ("load", back), st.integers(0, 2))
unpacking = st.builds(lambda back: ("unpack", back), st.integers(0, 2))
shipping = st.just(("ship", None))

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
    picking,
    st.builds(
        lambda c, b, d: ("adjust", (b, c, d)), st.sampled_from(CODES), st.sampled_from(BINS), qty
    ),
    st.builds(lambda s: ("hold", s), st.sampled_from(list(StockStatus))),
    st.builds(lambda q: ("count", q), qty),
    packing,
    loading,
    shipping,
    unpacking,
)
# Stock leaves the building only with these (a receipt and a count bring it in, too).
LEAVES = {"ship", "adjust", "count", "receive"}


def _in_building(ctx: Context) -> int:
    with ctx.engine.connect() as c:
        return int(c.execute(text("SELECT COALESCE(SUM(qty), 0) FROM onhand")).scalar_one())


def _parcels(ctx: Context, status: str) -> list[str]:
    with ctx.engine.connect() as c:
        rows = c.execute(
            text("SELECT sscc FROM parcel WHERE status = :s AND packed_here ORDER BY packed_at"),
            {"s": status},
        )
        return [r[0] for r in rows]


def _parcel_units(ctx: Context, sscc: str) -> int:
    with ctx.engine.connect() as c:
        found = c.execute(
            text(
                "SELECT COALESCE(SUM(o.qty), 0) FROM onhand o JOIN container c"
                " ON c.id = o.container_id WHERE c.code = :s"
            ),
            {"s": sscc},
        )
        return int(found.scalar_one())


def _pack(ctx: Context, alice: Actor, units: int) -> None:
    """Close a parcel of up to ``units`` of what was picked for SO-2026-0001."""
    order = open_order(ctx, "SO-2026-0001", "PACK-01")
    draft = Draft()
    for i, src in enumerate(order.sources):
        take = min(units - draft.units(order), src.qty)
        if take > 0:
            draft.takes.append(Take(i, take))
    box = carton(ctx, "BOX-L")
    close_parcel(ctx, alice, order, draft, Boxed(box, 1000, "typed"))


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


def _nth(parcels: list[str], n: object) -> str:
    """One of the parcels (IndexError when there is none: nothing to do)."""
    return parcels[int(n) % len(parcels)] if parcels else parcels[0]  # type: ignore[call-overload]


class Floor:
    """The operators of one example, and the load the dock is making up."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.alice, self.sam = logon_badge(ctx, "OP0001"), logon_badge(ctx, "OP0009")
        self.load = 1

    def apply(self, kind: str, arg: object) -> None:
        """Do one operation; a refusal raises DomainError (IndexError: no parcel to take)."""
        ctx, alice, sam = self.ctx, self.alice, self.sam
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
        elif kind == "pack":
            _pack(ctx, alice, arg)  # type: ignore[arg-type]
        elif kind == "load":
            parcel = _nth(_parcels(ctx, "packed"), arg)
            load_parcel(ctx, alice, f"LD-P{self.load}", "ODOCK-01", parcel)
        elif kind == "unpack":
            unpack(ctx, alice, _nth(_parcels(ctx, "packed"), arg), "PACK-01", "prop")
        elif kind == "ship":
            close_load(ctx, alice, f"LD-P{self.load}")
            self.load += 1
        else:
            start_count(ctx, alice, "CT-0002", "A-01-03-A-1")
            counted = [Counted(ean13(1401), arg)] if arg else []  # type: ignore[arg-type]
            record_count(ctx, alice, "CT-0002", counted, empty_confirmed=True)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=16))
def test_random_operations_keep_the_ledger_whole(
    ops: list[tuple[str, object]], demo_template: Path, tmp_path_factory: object
) -> None:
    _run(ops, demo_template, tmp_path_factory)


def _run(ops: list[tuple[str, object]], template: Path, tmp_path_factory: object) -> None:
    path = tmp_path_factory.mktemp("prop") / "s.sqlite"  # type: ignore[attr-defined]
    shutil.copyfile(template, path)
    engine = open_store(path)
    ctx = Context(engine, clock=lambda: NOW)
    stage_demo_floor(engine)  # carriers, cartons and parcel numbers for the pack station
    on_cart(ctx, "PT-0001", "CART-01", "TOTE0001")
    floor = Floor(ctx)
    shipped: set[str] = set()
    try:
        for kind, arg in ops:
            before = _invariants(ctx)
            total = _in_building(ctx)
            on_load = _parcels(ctx, "loaded")
            leaving = sum(_parcel_units(ctx, p) for p in on_load)
            try:
                floor.apply(kind, arg)
            except (DomainError, IndexError):
                assert _invariants(ctx) == before, "a refused operation wrote something"
                assert _in_building(ctx) == total
                event(f"{kind} refused")
                continue
            event(f"{kind} done")
            ops_after, _ = _invariants(ctx)
            if kind == "ship":  # one ship op per parcel, and the load closed
                assert ops_after == before[0] + len(on_load) + 1
                assert _in_building(ctx) == total - leaving, "shipped units must leave, once"
                assert not shipped & set(on_load), "a parcel shipped twice"
                shipped |= set(on_load)
                assert all(_parcel_units(ctx, p) == 0 for p in shipped)
            else:
                assert ops_after == before[0] + 1, "an operation must write exactly one op-log row"
            if kind not in LEAVES:
                assert _in_building(ctx) == total, f"{kind} must keep stock in the building"
    finally:
        engine.dispose()
