"""The real serial path: PtyScanner → ScannerReader (thread) → app → workflow → store; and the
demo scanner panel, whose choices are typed into that same pty."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tests.store_helpers import qty_at
from tests.tui.conftest import pty_profile, scan, shown
from wms.scanner.simulator import PtyScanner
from wms.services.context import Context
from wms.tui.app import WmsApp
from wms.tui.screens.demo import DemoScannerScreen


async def _until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Let the reader thread's messages arrive: it runs outside the app's loop, so wait for
    the outcome itself, in short steps, up to five seconds."""
    for _ in range(250):
        if done():
            return
        await pilot.pause(0.02)
    raise AssertionError("the scan never arrived")


async def test_scans_travel_the_serial_path_into_the_store(
    make_app: Callable[..., WmsApp], ctx: Context, pty_scanner: PtyScanner
) -> None:
    profile = pty_profile(pty_scanner)
    app = make_app(profile)
    async with app.run_test() as pilot:
        await _until(pilot, lambda: app.scanner_state == "ok")
        assert "Scanner ok" in shown(pilot, "status")
        for text in ("]C0OP0001", "]C0#MENU1", "]C0PO-2026-0001", "]E02000000014012"):
            pty_scanner.type(text)
        await _until(pilot, lambda: qty_at(ctx, "DOCK-01", "SKU-01401") == 1)
        await pilot.pause()
        assert shown(pilot, "result") == "OK: +1 SKU-01401 (1/10)"
        pty_scanner.unplug()
        await _until(pilot, lambda: app.scanner_state != "ok")
        assert "Scanner ok" not in shown(pilot, "status")


class _FakePty:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def type(self, text: str) -> None:
        self.sent.append(text)


async def test_demo_panel_offers_barcodes_for_the_step_and_sends_the_chosen_one(
    make_app: Callable[..., WmsApp],
) -> None:
    fake = _FakePty()
    async with make_app(demo=fake).run_test() as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DemoScannerScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert fake.sent == ["]C0OP0001"]
        assert pilot.app.screen.name == "logon"


async def test_escape_closes_the_demo_panel_without_cancelling(
    make_app: Callable[..., WmsApp],
) -> None:
    fake = _FakePty()
    async with make_app(demo=fake).run_test() as pilot:
        await scan(pilot, "OP0001")
        await scan(pilot, "#MENU5")
        await scan(pilot, "A-01-03-A-1")
        await scan(pilot, "2000000014012")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert fake.sent == []
        assert pilot.app.screen.name == "move"
        assert shown(pilot, "prompt") == "Scan more, type qty, or scan target bin"
