"""Which screen class shows which session screen name."""

from __future__ import annotations

from wms.tui.screens.base import TerminalScreen
from wms.tui.screens.count import CountScreen
from wms.tui.screens.dispatch import DispatchScreen
from wms.tui.screens.holds import HoldsScreen
from wms.tui.screens.inquiry import InquiryScreen
from wms.tui.screens.logon import LogonScreen
from wms.tui.screens.menu import MenuScreen
from wms.tui.screens.messages import MessagesScreen
from wms.tui.screens.move import MoveScreen
from wms.tui.screens.pack import PackScreen
from wms.tui.screens.pick import PickScreen
from wms.tui.screens.putaway import PutawayScreen
from wms.tui.screens.receive import ReceiveScreen
from wms.tui.screens.returns import ReturnsScreen
from wms.tui.screens.settings import SettingsScreen
from wms.tui.screens.sync import SyncScreen

SCREENS_BY_NAME: dict[str, type[TerminalScreen]] = {
    s.workflow: s
    for s in (
        LogonScreen,
        MenuScreen,
        ReceiveScreen,
        PutawayScreen,
        PickScreen,
        CountScreen,
        MoveScreen,
        InquiryScreen,
        ReturnsScreen,
        HoldsScreen,
        PackScreen,
        DispatchScreen,
        MessagesScreen,
        SyncScreen,
        SettingsScreen,
    )
}
