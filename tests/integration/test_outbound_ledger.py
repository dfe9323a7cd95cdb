"""Property of the outbound floor on the terminal: pick into totes, pack into parcels, open
parcels again, load them and ship the loads, in any order an operator could try. On hand
always equals the ledger's sum; nothing but a shipped load takes stock out of the building; a
shipped parcel's units leave exactly once; nothing refused writes anything."""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import text

from tests.conftest import NOW
from tests.integration.test_ledger_properties import _invariants
from tests.store_helpers import on_cart
from wms.domain.errors import DomainError
from wms.seed.floor import stage_demo_floor
from wms.seed.gtins import ean13
from wms.seed.setup import ensure_demo_store
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.dispatch import close_load, load_parcel
from wms.services.packing import (
    Boxed,
    Draft,
    Take,
    carton,
    close_parcel,
    open_order,
    unpack,
)
from wms.services.picking import Pick, pick
from wms.store.migrate import open_store

ORDER, STATION, DOCK = "SO-2026-0001", "PACK-01", "ODOCK-01"
# PT-0001's lines: (line, bin, each EAN, the lot FEFO wants).
LINES = [
    (1, "A-01-01-A-1", ean13(1), "L2601"),
    (2, "A-01-02-A-1", ean13(301), "C-OK1"),
    (3, "A-01-03-A-1", ean13(1401), None),
]


@cache
def _template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="wms-outbound-")) / "demo.sqlite"
    engine = ensure_demo_store(path)
    stage_demo_floor(engine)  # carriers, cartons and this terminal's parcel numbers
    ctx = Context(engine, clock=lambda: NOW)
    on_cart(ctx, "PT-0001", "CART-01", "TOTE0001")
    engine.dispose()
    return path


class OutboundFloor(RuleBasedStateMachine):
    """One terminal's outbound floor, driven through its services."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="wms-outbound-run-"))
        shutil.copyfile(_template(), self.dir / "s.sqlite")
        self.engine = open_store(self.dir / "s.sqlite")
        self.ctx = Context(self.engine, clock=lambda: NOW)
        self.alice = logon_badge(self.ctx, "OP0001")
        self.load = 1
        self.shipped: set[str] = set()

    def teardown(self) -> None:
        """Close the store and drop the run's files."""
        self.engine.dispose()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- what the store holds -------------------------------------------------------------------

    def _one(self, sql: str, **params: object) -> int:
        with self.engine.connect() as c:
            return int(c.execute(text(sql), params).scalar_one())

    def _in_building(self) -> int:
        return self._one("SELECT COALESCE(SUM(qty), 0) FROM onhand")

    def _parcels(self, status: str) -> list[str]:
        with self.engine.connect() as c:
            rows = c.execute(text("SELECT sscc FROM parcel WHERE status = :s"), {"s": status})
            return sorted(r[0] for r in rows)

    def _units(self, sscc: str) -> int:
        return self._one(
            "SELECT COALESCE(SUM(o.qty), 0) FROM onhand o JOIN container c"
            " ON c.id = o.container_id WHERE c.code = :s",
            s=sscc,
        )

    def _waiting(self) -> int:
        """Units of the order in its tote or on the bench, waiting to be packed."""
        try:
            return sum(src.qty for src in open_order(self.ctx, ORDER, STATION).sources)
        except DomainError:
            return 0

    def _done(self, what: str, action: object, *, leaves: int = 0, ops: int = 1) -> bool:
        """Do ``action``; a refusal must write nothing, anything done writes ``ops`` op-log rows
        and takes ``leaves`` units out of the building. True when it was done."""
        before, total = _invariants(self.ctx), self._in_building()
        try:
            action()  # type: ignore[operator]
        except DomainError:
            assert _invariants(self.ctx) == before, "a refusal wrote something"
            event(f"{what} refused")
            return False
        assert _invariants(self.ctx)[0] == before[0] + ops, "ops written"
        assert self._in_building() == total - leaves, "stock left the building, or did not"
        event(f"{what} done")
        return True

    # -- what operators do ----------------------------------------------------------------------

    @rule(line=st.sampled_from(LINES), qty=st.integers(1, 4), wrong_lot=st.booleans())
    def pick(self, line: tuple[int, str, str, str | None], qty: int, wrong_lot: bool) -> None:
        """A pick into the tote (a later lot is refused by FEFO)."""
        seq, bin_, code, lot = line
        lot = "L2602" if wrong_lot and lot == "L2601" else lot
        cmd = Pick("PT-0001", seq, bin_, code, qty, lot=lot)
        self._done("pick", lambda: pick(self.ctx, self.alice, cmd))

    @precondition(lambda self: self._waiting() > 0)
    @rule(units=st.integers(1, 5))
    def pack(self, units: int) -> None:
        """A parcel of up to ``units`` of what waits for the order (tote first, then bench)."""
        order = open_order(self.ctx, ORDER, STATION)
        draft = Draft()
        for i, src in enumerate(order.sources):
            n = min(units - draft.units(order), src.qty)
            if n > 0:
                draft.takes.append(Take(i, n))
        box = carton(self.ctx, "BOX-L")
        self._done(
            "pack",
            lambda: close_parcel(self.ctx, self.alice, order, draft, Boxed(box, 900, "typed")),
        )

    @precondition(lambda self: bool(self._parcels("packed")))
    @rule(n=st.integers(0, 3))
    def load(self, n: int) -> None:
        """A packed parcel onto the load being made up."""
        parcels = self._parcels("packed")
        sscc = parcels[n % len(parcels)]
        self._done(
            "load", lambda: load_parcel(self.ctx, self.alice, f"LD-P{self.load}", DOCK, sscc)
        )

    @precondition(lambda self: bool(self._parcels("packed") + self._parcels("loaded")))
    @rule(n=st.integers(0, 3))
    def unpack(self, n: int) -> None:
        """A parcel opened again (a loaded one is refused: it must come off the load first)."""
        parcels = self._parcels("packed") + self._parcels("loaded")
        sscc = parcels[n % len(parcels)]
        self._done("unpack", lambda: unpack(self.ctx, self.alice, sscc, STATION, "prop"))

    @precondition(lambda self: bool(self._parcels("loaded")))
    @rule()
    def ship(self) -> None:
        """Close the load: its parcels leave, once."""
        on_load = self._parcels("loaded")
        leaving = sum(self._units(p) for p in on_load)
        assert leaving > 0
        done = self._done(
            "ship",
            lambda: close_load(self.ctx, self.alice, f"LD-P{self.load}"),
            leaves=leaving,
            ops=len(on_load) + 1,
        )
        assert done, "a load with parcels on it closes"
        assert not self.shipped & set(on_load), "a parcel shipped twice"
        self.shipped |= set(on_load)
        self.load += 1

    @rule(sscc=st.sampled_from(["", "again"]))
    def ship_again(self, sscc: str) -> None:
        """A shipped parcel scanned onto a load again is refused."""
        if not self.shipped:
            return
        parcel = sorted(self.shipped)[0] if sscc else sorted(self.shipped)[-1]
        assert not self._done(
            "reload", lambda: load_parcel(self.ctx, self.alice, f"LD-P{self.load}", DOCK, parcel)
        )

    @invariant()
    def shipped_parcels_are_empty(self) -> None:
        """Nothing of a shipped parcel is left in the building."""
        assert all(self._units(p) == 0 for p in self.shipped)


OutboundFloor.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
test_pick_pack_load_ship = OutboundFloor.TestCase
