"""A bug in a workflow step never stops the app: the operator sees the internal error, with the
usual long beep, acknowledges it and carries on from the menu."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.store_helpers import qty_at
from tests.tui.conftest import logged_on, scan, shown
from wms.services.context import Context
from wms.store.journal import Op
from wms.tui.app import WmsApp
from wms.tui.feedback import RecordingFeedback

APPAREL = "2000000014012"


async def test_the_app_stays_up_and_shows_the_internal_error(
    make_app: Callable[..., WmsApp],
    ctx: Context,
    feedback: RecordingFeedback,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_record(self: Op, payload: dict[str, object]) -> int:
        raise RuntimeError("bug")

    app = make_app()
    async with app.run_test() as pilot:
        await logged_on(pilot)
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        monkeypatch.setattr(Op, "record", broken_record)
        await scan(pilot, APPAREL)
        assert app.is_running
        assert shown(pilot, "result") == (
            "ERROR: Internal error — operation not recorded, tell your supervisor (RuntimeError)"
        )
        assert feedback.events[-1] == "error"
        monkeypatch.undo()
        await pilot.press("enter")
        assert pilot.app.screen.name == "menu"
        await scan(pilot, "#MENU1")
        await scan(pilot, "PO-2026-0001")
        await scan(pilot, APPAREL)
        assert shown(pilot, "result") == "OK: +1 SKU-01401 (1/10)"
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 1
