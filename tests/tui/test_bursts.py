"""Bursts: keys and scans faster than the app handles them are neither merged nor lost, and no
burst can empty the screen stack."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.pilot import Pilot

from tests.store_helpers import qty_at
from tests.tui.conftest import logged_on, pty_profile, scan, shown, until
from wms.scanner.simulator import PtyScanner
from wms.services.context import Context
from wms.tui.app import WmsApp
from wms.tui.screens.base import TerminalScreen


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Send key events back to back, as a keyboard-wedge scanner types: no pause between."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        char = key if len(key) == 1 else None
        name = {"\r": "enter"}.get(key, key)
        driver.send_message(events.Key(name, "\r" if name == "enter" else char))


def typed(text: str) -> list[str]:
    return [*text, "\r"]


async def test_two_wedge_scans_typed_back_to_back_are_two_receipts(
    make_app: Callable[..., WmsApp], ctx: Context
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        burst(pilot, *typed("2000000014012"), *typed("2000000014012"))
        await until(pilot, lambda: qty_at(ctx, "DOCK-01", "SKU-01401") >= 2)
        await pilot.pause()
        assert qty_at(ctx, "DOCK-01", "SKU-01401") == 2
        assert shown(pilot, "result") == "OK: +1 SKU-01401 (2/10)"


async def test_a_wedge_burst_across_a_screen_change_loses_nothing(
    make_app: Callable[..., WmsApp], ctx: Context
) -> None:
    async with make_app().run_test() as pilot:
        await logged_on(pilot)
        burst(pilot, *typed("#MENU1"), *typed("PO-2026-0001"), *typed("2000000014012"))
        await until(pilot, lambda: qty_at(ctx, "DOCK-01", "SKU-01401") >= 1)
        await pilot.pause()
        assert pilot.app.screen.name == "receive"
        assert shown(pilot, "result") == "OK: +1 SKU-01401 (1/10)"


async def test_demo_scans_chosen_back_to_back_never_blank_the_screen(
    make_app: Callable[..., WmsApp], ctx: Context, pty_scanner: PtyScanner
) -> None:
    profile = pty_profile(pty_scanner)
    app = make_app(profile, demo=pty_scanner)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.scanner_state == "ok")
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "DOCK-02")
        # The first hint at a blind receipt is SKU-01401's EAN.
        burst(pilot, "f2", "\r", "f2", "\r", "f2", "\r")
        await until(pilot, lambda: qty_at(ctx, "DOCK-02", "SKU-01401") >= 3)
        await pilot.pause()
        assert isinstance(pilot.app.screen, TerminalScreen)
        assert qty_at(ctx, "DOCK-02", "SKU-01401") == 3


async def test_a_batch_scanners_burst_on_the_pty_is_booked_scan_by_scan(
    make_app: Callable[..., WmsApp], ctx: Context, pty_scanner: PtyScanner
) -> None:
    profile = pty_profile(pty_scanner)
    app = make_app(profile)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.scanner_state == "ok")
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "DOCK-02")
        # Twenty scans in one write: the reader frames them, the app takes them one by one.
        pty_scanner.write(b"".join(b"]E02000000014012\r" for _ in range(20)))
        await until(pilot, lambda: qty_at(ctx, "DOCK-02", "SKU-01401") >= 20)
        await pilot.pause()
        assert qty_at(ctx, "DOCK-02", "SKU-01401") == 20
        assert shown(pilot, "title") == "Receive  20 received"


class _Sent:
    """A demo scanner that records what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def type(self, text: str) -> None:
        self.sent.append(text)


async def test_arrows_typed_ahead_of_the_demo_panel_choose_in_order(
    make_app: Callable[..., WmsApp],
) -> None:
    demo = _Sent()
    async with make_app(demo=demo).run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU6")
        hints = pilot.app.session.hints()  # type: ignore[union-attr]
        burst(pilot, "f2", "down", "down", "\r")
        await until(pilot, lambda: bool(demo.sent))
        assert demo.sent == [hints[2].text]
        assert pilot.app.screen.name == "inquiry"
