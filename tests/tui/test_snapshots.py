"""SVG snapshots of the main screens at 80×24 and 40×16 (fixed clock, no blink, no flash)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import logged_on, scan, type_line
from wms.labels.labeller import Labeller
from wms.labels.settings import LabelSettings, TcpPrinterSettings
from wms.seed.floor import demo_sscc, stage_demo_floor
from wms.services.context import Context
from wms.tui.app import WmsApp
from wms.workflows.settings import SettingsFiles

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((40, 16), id="40x16")]


@pytest.mark.parametrize("size", SIZES)
def test_logon(
    snap_compare: Callable[..., bool], make_app: Callable[..., WmsApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_menu(
    snap_compare: Callable[..., bool], make_app: Callable[..., WmsApp], size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_receive_after_a_gs1_scan(
    snap_compare: Callable[..., bool], make_app: Callable[..., WmsApp], size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot)
        for line in ("#MENU1", "PO-2026-0001", "(01)02000000000015(17)280407(10)L2611"):
            await scan(pilot, line)

    assert snap_compare(make_app(), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_pick_fefo_error(
    snap_compare: Callable[..., bool], make_app: Callable[..., WmsApp], size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot)
        for line in (
            "#MENU3",
            "PT-0001",
            "CART-01",
            "TOTE0001",
            "A-01-01-A-1",
            "(01)02000000000015(17)271228(10)L2602",
        ):
            await scan(pilot, line)

    assert snap_compare(make_app(), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_count_recount_asked(
    snap_compare: Callable[..., bool], make_app: Callable[..., WmsApp], size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot)
        for line in ("#MENU4", "CT-0002", "A-01-03-A-1", "2000000014012", "#DONE"):
            await scan(pilot, line)

    assert snap_compare(make_app(), terminal_size=size, run_before=before)


def _settings_app(make_app: Callable[..., WmsApp], directory: Path) -> WmsApp:
    """A terminal with a network printer; its settings files in ``directory``."""
    printer = TcpPrinterSettings(name="dock1", transport="tcp9100", host="10.0.0.21")
    labeller = Labeller(LabelSettings(default_printer="dock1", printers=(printer,)), directory)
    files = SettingsFiles(directory / "labels.toml", directory / "terminal.toml")
    return make_app(labeller=labeller, settings_files=files)


@pytest.mark.parametrize("size", SIZES)
def test_settings(
    snap_compare: Callable[..., bool],
    make_app: Callable[..., WmsApp],
    size: tuple[int, int],
    tmp_path: Path,
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot, "OP0009")
        await type_line(pilot, "13")

    assert snap_compare(_settings_app(make_app, tmp_path), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_settings_bad_printer_refused(
    snap_compare: Callable[..., bool],
    make_app: Callable[..., WmsApp],
    size: tuple[int, int],
    tmp_path: Path,
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot, "OP0009")
        for line in ("13", "2", "10.0.0.21:x"):
            await type_line(pilot, line)

    assert snap_compare(_settings_app(make_app, tmp_path), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_pack_a_lot_not_picked(
    snap_compare: Callable[..., bool],
    make_app: Callable[..., WmsApp],
    ctx: Context,
    size: tuple[int, int],
) -> None:
    stage_demo_floor(ctx.engine)

    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot)
        for line in (
            "#MENU9",
            "PACK-01",
            "TOTE0010",
            "(01)02000000000015(10)L2601",
            "(01)02000000000015(10)L2602",
        ):
            await scan(pilot, line)

    assert snap_compare(make_app(), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_pack_weighing(
    snap_compare: Callable[..., bool],
    make_app: Callable[..., WmsApp],
    ctx: Context,
    size: tuple[int, int],
) -> None:
    stage_demo_floor(ctx.engine)

    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot)
        lot = "(01)02000000000015(10)L2601"
        for line in ("#MENU9", "PACK-01", "TOTE0010", lot, lot, "2000000014012"):
            await scan(pilot, line)
        await pilot.press("f4")

    assert snap_compare(make_app(), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_dispatch_held_by_customs(
    snap_compare: Callable[..., bool],
    make_app: Callable[..., WmsApp],
    ctx: Context,
    size: tuple[int, int],
) -> None:
    stage_demo_floor(ctx.engine)

    async def before(pilot: Pilot[None]) -> None:
        await logged_on(pilot)
        for line in ("#MENU10", "LD-1", "ODOCK-01", f"(00){demo_sscc(9001)}"):
            await scan(pilot, line)
        await scan(pilot, f"(00){demo_sscc(9003)}")

    assert snap_compare(make_app(), terminal_size=size, run_before=before)
