"""The Sync screen shows the sync client's progress while the sync runs in its worker thread,
and the screen keeps taking input meanwhile."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from tests.tui.conftest import logged_on, scan, shown, type_line
from wms.tui.app import WmsApp
from wms.workflows.info import SyncProgress


async def test_progress_is_shown_while_the_sync_runs_and_cleared_after(
    make_app: Callable[..., WmsApp],
) -> None:
    reported, release = threading.Event(), threading.Event()

    def slow_sync(progress: SyncProgress | None) -> str:
        assert progress is not None
        progress("push", 1000, None)
        progress("pull", 250, 1000)
        reported.set()
        release.wait()
        return "Synced: pushed 1000 ops, pulled 250 changes"

    app = make_app(sync_runner=slow_sync)
    async with app.run_test() as pilot:
        await logged_on(pilot)
        await type_line(pilot, "12")
        assert shown(pilot, "progress") == ""
        await pilot.press("f4")
        await asyncio.to_thread(reported.wait)
        await pilot.pause()
        assert shown(pilot, "progress") == "Receiving: 250 changes/1000 [##........]"
        # The screen is not frozen: a scan is answered while the sync runs.
        await scan(pilot, "A-01-01-A-1")
        assert shown(pilot, "result") == "ERROR: Nothing to scan here: F3 to go back"
        await pilot.press("enter")
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(pilot, "result") == "OK: Synced: pushed 1000 ops, pulled 250 changes"
        assert shown(pilot, "progress") == ""
