"""Log-on, the menu, help, errors and their acknowledgement, cancel, idle lock — through Pilot."""

from __future__ import annotations

from collections.abc import Callable

from tests.tui.conftest import logged_on, scan, screen_text, shown, type_line
from wms.tui.app import WmsApp
from wms.tui.feedback import RecordingFeedback
from wms.tui.screens.help import HelpScreen


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
