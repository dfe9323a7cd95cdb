"""Nothing is lost to one key, and nothing is out of reach on a small screen."""

from __future__ import annotations

from collections.abc import Callable

from tests.tui.conftest import logged_on, scan, shown, type_line
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.picking import short_pick
from wms.tui.app import WmsApp
from wms.tui.screens.help import HelpScreen
from wms.tui.widgets.step import StepPanel


async def test_ctrl_q_asks_before_quitting(make_app: Callable[..., WmsApp]) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await logged_on(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert shown(pilot, "prompt") == "Quit the terminal? #YES / #NO"
        await scan(pilot, "#NO")
        assert app.is_running
        assert pilot.app.screen.name == "menu"
        await pilot.press("ctrl+q")
        await scan(pilot, "#YES")
        assert not app.is_running


async def test_long_lists_scroll_at_40x16(make_app: Callable[..., WmsApp], ctx: Context) -> None:
    alice = logon_badge(ctx, "OP0001")
    for line in (1, 2, 3):  # three short picks: three exceptions and three count tasks
        short_pick(ctx, alice, "PT-0001", line, "bin empty")
    async with make_app().run_test(size=(40, 16)) as pilot:
        await logged_on(pilot)
        await type_line(pilot, "11")  # Messages: the operator's tasks, more than 16 rows hold
        panel = pilot.app.screen.query_one(StepPanel)
        assert panel.max_scroll_y > 0
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert panel.scroll_y == panel.max_scroll_y
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("down")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)  # the arrows scroll, not close
        await pilot.press("x")
        await pilot.pause()
        assert pilot.app.screen.name == "messages"
