"""Fixtures for the TUI suite: the app built the way the CLI builds it, on a private demo store
with a fixed clock, with feedback recorded and the cursor blink frozen for snapshots."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.conftest import NOW
from wms.domain.scan import decode
from wms.scanner import ScannerProfile, ScanReceived, load_profile
from wms.scanner.simulator import PtyScanner, scanner_output
from wms.services.context import Context
from wms.tui.app import WmsApp
from wms.tui.feedback import RecordingFeedback
from wms.tui.messages import ScannerMessage


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make snapshots depend on timing."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture(autouse=True)
def unfreeze_gc() -> Iterator[None]:
    """The app freezes what start-up built (`gc.freeze`), for one app per process; here one
    test's app would keep the garbage of the tests before it for good."""
    yield
    gc.unfreeze()


@pytest.fixture
def feedback() -> RecordingFeedback:
    """What the app would have beeped."""
    return RecordingFeedback()


@pytest.fixture
def make_app(ctx: Context, feedback: RecordingFeedback) -> Callable[..., WmsApp]:
    """An app on the test store, keyboard-only unless given a scanner profile, no flash timer."""

    def make(profile: ScannerProfile | None = None, **kwargs: object) -> WmsApp:
        return WmsApp(ctx, profile, feedback, flash_seconds=0, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def pty_scanner() -> Iterator[PtyScanner]:
    """A simulated scanner on a real pty."""
    with PtyScanner() as scanner:
        yield scanner


def pty_profile(scanner: PtyScanner) -> ScannerProfile:
    """The default scanner profile, reading ``scanner``'s pty."""
    return replace(load_profile("wms"), name="test", port=scanner.port, usb_ids=())


async def scan(pilot: Pilot[None], line: str) -> None:
    """Deliver one scan the way the reader thread does (a ScannerMessage), then settle."""
    event = ScanReceived(decode(scanner_output(line, aim_ids=True)), NOW)
    pilot.app.post_message(ScannerMessage(event))
    await pilot.pause()


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until ``condition`` holds (work on a worker thread finishing, say)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


async def type_line(pilot: Pilot[None], text: str) -> None:
    """Type a line on the keyboard and press Enter."""
    await pilot.press(*text, "enter")
    await pilot.pause()


def shown(pilot: Pilot[None], widget_id: str) -> str:
    """The text a Static on the current screen shows."""
    return str(pilot.app.screen.query_one(f"#{widget_id}", Static).render())


def screen_text(pilot: Pilot[None]) -> str:
    """All the Statics of the current screen, one after the other."""
    return "\n".join(str(s.render()) for s in pilot.app.screen.query(Static))


async def logged_on(pilot: Pilot[None], badge: str = "OP0001") -> None:
    """Scan a badge and wait for the menu."""
    await scan(pilot, badge)
    assert pilot.app.screen.name == "menu"
