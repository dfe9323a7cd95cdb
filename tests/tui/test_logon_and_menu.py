"""Log-on, the menu, help, errors and their acknowledgement, cancel, idle lock — through Pilot."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from tests.import_helpers import loaded_after
from tests.tui.conftest import logged_on, scan, screen_text, shown, type_line, until
from wms.services.context import Context
from wms.store.migrate import open_store
from wms.tui.app import WmsApp
from wms.tui.backend import Backend
from wms.tui.feedback import RecordingFeedback
from wms.tui.screens.help import HelpScreen
from wms.tui.widgets.scan_input import ScanInput


async def test_badge_scan_logs_on_and_shows_the_numbered_menu(
    make_app: Callable[..., WmsApp], feedback: RecordingFeedback
) -> None:
    async with make_app().run_test() as pilot:
        assert pilot.app.screen.name == "logon"
        await logged_on(pilot)
        assert "1 Receive" in shown(pilot, "context")
        assert "Alice Chen · Menu" in shown(pilot, "status")
        assert "0 unsynced" in shown(pilot, "status")
        assert feedback.events == ["success"]


async def test_id_and_pin_log_on_with_the_pin_masked(make_app: Callable[..., WmsApp]) -> None:
    async with make_app().run_test() as pilot:
        await type_line(pilot, "1001")
        assert shown(pilot, "prompt") == "Type your PIN"
        assert pilot.app.screen.query_one("#entry").password  # type: ignore[attr-defined]
        await type_line(pilot, "1234")
        assert pilot.app.screen.name == "menu"


async def test_unknown_badge_shows_a_red_error_until_enter(
    make_app: Callable[..., WmsApp], feedback: RecordingFeedback
) -> None:
    async with make_app().run_test() as pilot:
        await scan(pilot, "OP9999")
        assert shown(pilot, "result") == "ERROR: Badge OP9999 is not known here"
        assert pilot.app.screen.query_one("#result").has_class("-error")
        assert feedback.events == ["error"]
        await pilot.press("enter")
        await pilot.pause()
        assert shown(pilot, "result") == "Acknowledged"


async def test_scan_during_an_error_is_consumed_as_acknowledgement_and_said_so(
    make_app: Callable[..., WmsApp],
) -> None:
    async with make_app().run_test() as pilot:
        await scan(pilot, "OP9999")
        await scan(pilot, "OP0001")
        assert pilot.app.screen.name == "logon"
        assert shown(pilot, "result") == "OP0001 not used: scan it again"
        await scan(pilot, "OP0001")
        assert pilot.app.screen.name == "menu"


async def test_menu_by_command_barcode_and_by_number(make_app: Callable[..., WmsApp]) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU3")
        assert pilot.app.screen.name == "pick"
        await pilot.press("f3")
        await pilot.pause()
        assert pilot.app.screen.name == "menu"
        await type_line(pilot, "6")
        assert pilot.app.screen.name == "inquiry"


async def test_f1_lists_the_keys_and_command_barcodes_of_the_screen(
    make_app: Callable[..., WmsApp],
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU3")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot)
        assert "F4 / #DONE" in text
        assert "#EMPTY" in text
        await pilot.press("x")
        await pilot.pause()
        assert pilot.app.screen.name == "pick"


async def test_escape_asks_before_losing_work(make_app: Callable[..., WmsApp]) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU5")
        await scan(pilot, "A-01-03-A-1")
        await scan(pilot, "2000000014012")
        await pilot.press("escape")
        await pilot.pause()
        assert shown(pilot, "prompt").startswith("Cancel?")
        await scan(pilot, "#YES")
        assert pilot.app.screen.name == "menu"
        assert shown(pilot, "result") == "Cancelled"


async def test_idle_time_locks_the_terminal(
    make_app: Callable[..., WmsApp], feedback: RecordingFeedback
) -> None:
    async with make_app(idle_lock_seconds=0.3).run_test() as pilot:
        await scan(pilot, "OP0001")
        assert feedback.events == ["success"]  # logged on (the lock may already have come)
        await pilot.pause(0.8)
        assert pilot.app.screen.name == "logon"
        assert "Locked" in shown(pilot, "result")


async def test_the_help_barcode_opens_help_like_f1(make_app: Callable[..., WmsApp]) -> None:
    async with make_app().run_test() as pilot:
        await scan(pilot, "#HELP")
        assert isinstance(pilot.app.screen, HelpScreen)
        await scan(pilot, "OP0001")
        assert pilot.app.screen.name == "menu"


async def test_a_wedge_scanner_gs_key_keeps_the_gs1_separator(
    make_app: Callable[..., WmsApp],
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        # GTIN, lot (variable length: GS ends it), expiry: as a keyboard-wedge scanner types it.
        await pilot.press(*"010200000000001510L2611", "ctrl+right_square_bracket", *"17280407")
        await pilot.press("enter")
        await pilot.pause()
        assert shown(pilot, "result") == "OK: +1 SKU-00001 (1/24)"


async def test_inputs_before_the_store_opens_wait_and_run_in_order(
    ctx: Context, feedback: RecordingFeedback
) -> None:
    store_open = threading.Event()

    def opener() -> Backend:
        assert store_open.wait(10)
        return Backend(ctx)

    app = WmsApp(opener, None, feedback, flash_seconds=0)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen.name == "logon"
        assert shown(pilot, "prompt") == "Scan your badge, or type your ID"
        assert "opening store…" in shown(pilot, "status")
        # ID and PIN typed, then two scans, all before the store is open.
        await type_line(pilot, "1001")
        assert app.screen.query_one(ScanInput).password  # what follows the ID is the PIN
        await type_line(pilot, "1234")
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        assert app.screen.name == "logon"
        assert feedback.events == []
        store_open.set()
        await until(pilot, lambda: app.screen.name == "receive" and "PO-2026" in screen_text(pilot))
        # Out of order, #MENU1 would have come before log-on and been refused.
        assert feedback.events == ["success"]
        assert "Alice Chen · Receive" in shown(pilot, "status")
        await scan(pilot, "2000000014012")
        assert shown(pilot, "result") == "OK: +1 SKU-01401 (1/10)"


async def test_a_store_that_does_not_open_says_why_on_the_logon_screen(
    tmp_path: Path, feedback: RecordingFeedback
) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    app = WmsApp(lambda: Backend(Context(open_store(empty))), None, feedback)
    async with app.run_test() as pilot:
        await until(pilot, lambda: "store not open" in shown(pilot, "status"))
        assert shown(pilot, "result") == (
            f"ERROR: Store {empty}: it is empty: run `wms db upgrade --db {empty}`"
        )
        assert feedback.events == ["error"]
        await scan(pilot, "OP0001")
        assert app.screen.name == "logon"
        assert app.session is None


def test_what_loads_before_the_logon_screen_leaves_the_store_stack_for_later() -> None:
    heavy = ("sqlalchemy", "sqlmodel", "alembic", "reportlab", "httpx", "wms.store")
    heavy += ("wms.services", "wms.workflows", "wms.labels", "wms.sync")
    assert loaded_after("import wms.tui.run", heavy) == []
