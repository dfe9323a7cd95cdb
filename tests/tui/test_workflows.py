"""Each floor workflow through the app, asserting the store afterwards."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlmodel import Session, select

from tests.store_helpers import op_count, qty_at
from tests.tui.conftest import logged_on, scan, shown, type_line
from wms.labels.errors import PrinterOffline
from wms.services.context import Context
from wms.store.people import ExceptionRecord
from wms.tui.app import WmsApp
from wms.tui.feedback import RecordingFeedback
from wms.workflows.info import SyncProgress

FORMULA, APPAREL = "2000000000015", "2000000014012"


async def test_receive_gs1_then_plain_ean_with_lot_and_expiry(
    make_app: Callable[..., WmsApp], ctx: Context, feedback: RecordingFeedback
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        await scan(pilot, f"(01)0{FORMULA}(17)280407(10)L2611")
        assert shown(pilot, "result") == "OK: +1 SKU-00001 (1/24)"
        assert shown(pilot, "title") == "Receive  1/46"
        await scan(pilot, FORMULA)
        assert shown(pilot, "prompt") == "Scan or type the lot"
        await type_line(pilot, "L77")
        await type_line(pilot, "280101")
        await pilot.press("f4")
        await pilot.pause()
        assert shown(pilot, "prompt") == "44 missing: close short? #YES/#NO"
        await scan(pilot, "#YES")
        assert pilot.app.screen.name == "menu"
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L2611") == 1
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L77") == 1
    assert feedback.events == ["success", "success", "success", "success"]


async def test_pick_refuses_the_later_lot_with_the_fefo_reason(
    make_app: Callable[..., WmsApp], ctx: Context, feedback: RecordingFeedback
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU3")
        await scan(pilot, "PT-0001")
        assert shown(pilot, "prompt") == "Take a cart for PT-0001: scan it"
        await scan(pilot, "CART-01")
        await scan(pilot, "TOTE0001")
        assert shown(pilot, "prompt") == "Go to A-01-01-A-1, scan the bin"
        await scan(pilot, "A-01-01-A-1")
        await scan(pilot, f"(01)0{FORMULA}(17)271228(10)L2602")
        assert shown(pilot, "result") == "ERROR: FEFO: pick lot L2601 first (expires 2027-06-11)"
        assert feedback.events[-1] == "error"
        await pilot.press("enter")
        # The product stays scanned: the lot the refusal named is typed at once.
        assert shown(pilot, "prompt") == "Scan or type the lot"
        await type_line(pilot, "L2601")
        assert shown(pilot, "result") == "OK: Picked 1 SKU-00001"
        await type_line(pilot, "3")
        await scan(pilot, f"(01)0{FORMULA}(17)270611(10)L2601")
        assert shown(pilot, "prompt") == "Go to A-01-02-A-1, scan the bin"
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2601") == 36
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2602") == 40


async def test_short_pick_is_one_command_and_shows_in_messages(
    make_app: Callable[..., WmsApp], ctx: Context
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU3")
        await scan(pilot, "PT-0001")
        await scan(pilot, "CART-01")
        await scan(pilot, "TOTE0001")
        await scan(pilot, "A-01-01-A-1")
        await scan(pilot, "#EMPTY")
        assert shown(pilot, "result").startswith("OK: Short 4 SKU-00001: count CT-S")
        await pilot.press("escape")
        await pilot.pause()
        await scan(pilot, "#MENU11")
        assert "Short 4 SKU-00001 at A-01-01-A-1: bin empty" in shown(pilot, "context")
    with Session(ctx.engine) as db:
        assert len(db.exec(select(ExceptionRecord)).all()) == 1


async def test_blind_count_with_recount(make_app: Callable[..., WmsApp], ctx: Context) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU4")
        await scan(pilot, "CT-0002")
        await scan(pilot, "A-01-03-A-1")
        await scan(pilot, APPAREL)
        await type_line(pilot, "20")
        assert "25" not in pilot.app.screen.query_one("#context").render().plain  # type: ignore[attr-defined]
        await pilot.press("f4")
        await pilot.pause()
        assert shown(pilot, "result") == "Recount needed: scan bin A-01-03-A-1 again"
        await scan(pilot, "A-01-03-A-1")
        await scan(pilot, APPAREL)
        await type_line(pilot, "21")
        await pilot.press("f4")
        await pilot.pause()
        assert pilot.app.screen.name == "menu"
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 21


async def test_putaway_to_the_suggested_bin(make_app: Callable[..., WmsApp], ctx: Context) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        await scan(pilot, APPAREL)
        await pilot.press("f3")
        await pilot.pause()
        await scan(pilot, "#MENU2")
        await scan(pilot, "DOCK-01")
        await scan(pilot, APPAREL)
        assert shown(pilot, "prompt") == "Put away to A-01-03-A-1: scan it"
        await scan(pilot, "A-01-03-A-1")
        assert shown(pilot, "result") == "OK: 1 SKU-01401 to A-01-03-A-1"
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 26


async def test_move_refused_into_a_bin_that_forbids_the_status(
    make_app: Callable[..., WmsApp], ctx: Context
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU5")
        await scan(pilot, "A-01-03-A-1")
        await scan(pilot, APPAREL)
        await scan(pilot, "QA-01")
        assert shown(pilot, "result").startswith("ERROR:")
        await pilot.press("enter")
        await scan(pilot, "C-04-05-C-2")
        assert shown(pilot, "result") == "OK: Moved 1 SKU-01401 to C-04-05-C-2"
    assert qty_at(ctx, "C-04-05-C-2", "SKU-01401") == 1
    assert op_count(ctx) == 1


async def test_inquiry_shows_what_a_bin_holds(make_app: Callable[..., WmsApp]) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU6")
        await scan(pilot, "A-01-02-A-1")
        context = shown(pilot, "context").splitlines()
        assert "SKU-00301 C-OK1 2028-10-23: 20" in context
        assert "SKU-00301 C-RC1 2028-09-03: 10 recalled" in context
        assert context[-1] == "Available 20 · recalled 10"  # held stock is never added in


async def test_sync_now_runs_the_injected_sync_in_a_worker(
    make_app: Callable[..., WmsApp],
) -> None:
    calls: list[str] = []

    def sync(progress: SyncProgress | None) -> str:
        calls.append("sync")
        return "Pushed 0 ops"

    async with make_app(sync_runner=sync).run_test() as pilot:
        await logged_on(pilot)
        await type_line(pilot, "12")
        assert "Unsynced operations: 0" in shown(pilot, "context")
        await pilot.press("f4")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == ["sync"]
        assert shown(pilot, "result") == "OK: Pushed 0 ops"


async def test_supervisor_releases_customs_hold_on_the_holds_screen(
    make_app: Callable[..., WmsApp], ctx: Context
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot, "OP0009")
        await scan(pilot, "#MENU8")
        await scan(pilot, "(01)02000000000022(10)L2610")
        await scan(pilot, "#NO")
        await type_line(pilot, "cleared")
        assert shown(pilot, "result") == "OK: Released 30 SKU-00002"
    assert qty_at(ctx, "BND-01-01-A-1", "SKU-00002", status="available") == 30


async def test_return_graded_damaged_goes_to_quarantine(
    make_app: Callable[..., WmsApp], ctx: Context
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU7")
        await scan(pilot, "SO-2026-0000")
        await scan(pilot, APPAREL)
        await scan(pilot, "#DAMAGED")
        await scan(pilot, "RET-01")
        assert shown(pilot, "result") == "OK: Returned 1 SKU-01401 to RET-01 (quarantine)"
    assert qty_at(ctx, "RET-01", "SKU-01401", status="quarantine") == 1


class _Printer:
    def __init__(self, *, offline: bool) -> None:
        self.offline = offline
        self.printed: list[str] = []

    def new_lpn(self) -> str:
        return "LPN00000042"

    def print_lpn(self, code: str) -> None:
        if self.offline:
            raise PrinterOffline("printer zebra1 is offline: 1 job kept")
        self.printed.append(code)

    def print_location(self, code: str) -> None:
        self.printed.append(code)


async def test_pallet_label_prints_in_a_worker(make_app: Callable[..., WmsApp]) -> None:
    printer = _Printer(offline=False)
    async with make_app(labels=printer).run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        await scan(pilot, "#NEXT")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert printer.printed == ["LPN00000042"]
        assert "Onto pallet LPN00000042" in shown(pilot, "context")


async def test_offline_printer_is_an_error_to_acknowledge(
    make_app: Callable[..., WmsApp], feedback: RecordingFeedback
) -> None:
    async with make_app(labels=_Printer(offline=True)).run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        await scan(pilot, "#NEXT")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(pilot, "result") == (
            "ERROR: Label not printed: printer zebra1 is offline: 1 job kept"
        )
        assert feedback.events[-1] == "error"


async def test_settings_show_the_scanner_and_the_idle_lock(
    make_app: Callable[..., WmsApp],
) -> None:
    async with make_app(idle_lock_seconds=120).run_test() as pilot:
        await logged_on(pilot)
        await type_line(pilot, "13")
        context = shown(pilot, "context")
        assert "Scanner: keyboard only" in context
        assert "Idle lock: 120 s" in context
        await pilot.press("f3")
        await pilot.pause()
        assert pilot.app.screen.name == "menu"


async def test_background_sync_never_interrupts_the_operator(
    make_app: Callable[..., WmsApp], ctx: Context, feedback: RecordingFeedback
) -> None:
    calls: list[str] = []

    def hub_down(progress: SyncProgress | None) -> str:
        calls.append("sync")
        raise ConnectionError("hub unreachable")

    app = make_app(sync_runner=hub_down)
    async with app.run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        app.background_sync()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == ["sync"]
        assert app.last_background_sync == "Sync failed: hub unreachable"
        await scan(pilot, "PO-2026-0001")
        await scan(pilot, APPAREL)
        assert shown(pilot, "result") == "OK: +1 SKU-01401 (1/10)"
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 1
    assert "error" not in feedback.events


async def test_a_new_pack_station_syncs_for_its_numbers_at_once(
    make_app: Callable[..., WmsApp], ctx: Context
) -> None:
    """Not at the next background interval: the first parcel would wait for its SSCC."""
    calls: list[str] = []
    with ctx.engine.begin() as c:  # enrolled, not packing yet
        c.execute(
            text(
                "INSERT INTO syncstate (hub_url, token, warehouse)"
                " VALUES ('http://127.0.0.1:8750', 'secret', 'DEMO')"
            )
        )
    app = make_app(sync_runner=lambda progress: calls.append("sync") or "Synced")
    async with app.run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU9")
        await app.workers.wait_for_complete()
        assert calls == ["sync"]
        assert shown(pilot, "prompt") == "Scan your pack station"
