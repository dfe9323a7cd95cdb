"""The Settings screen: a supervisor changes the scanner and the label printer with keys only;
wrong values are refused with the reason, changes outlast a restart, a test label prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tui.conftest import logged_on, screen_text, shown, type_line
from wms.labels.labeller import Labeller
from wms.labels.settings import FilePrinterSettings, LabelSettings, load_settings
from wms.tui.app import WmsApp
from wms.workflows.settings import SettingsFiles, saved_scanner


@pytest.fixture
def files(tmp_path: Path) -> SettingsFiles:
    """Settings files of this test only."""
    return SettingsFiles(tmp_path / "labels.toml", tmp_path / "terminal.toml")


def settings_app(make_app: Callable[..., WmsApp], files: SettingsFiles) -> WmsApp:
    """The app as `wms terminal` builds it: its labeller reads the saved label settings."""
    labeller = Labeller(load_settings(files.labels), files.labels.parent / "data")
    return make_app(labeller=labeller, settings_files=files)


async def test_the_printer_set_by_a_supervisor_survives_a_restart(
    make_app: Callable[..., WmsApp], files: SettingsFiles
) -> None:
    async with settings_app(make_app, files).run_test() as pilot:
        await logged_on(pilot, "OP0009")
        await type_line(pilot, "13")
        assert "Printer: none" in shown(pilot, "context")
        await type_line(pilot, "2")
        await type_line(pilot, "10.0.0.5:9101")
        assert shown(pilot, "result") == "OK: Printer 10.0.0.5:9101 saved"
    async with settings_app(make_app, files).run_test() as pilot:
        await logged_on(pilot, "OP0001")
        await type_line(pilot, "13")
        assert "Printer: 10.0.0.5:9101" in shown(pilot, "context")


async def test_a_bad_printer_address_is_refused_with_what_is_accepted(
    make_app: Callable[..., WmsApp], files: SettingsFiles
) -> None:
    async with settings_app(make_app, files).run_test() as pilot:
        await logged_on(pilot, "OP0009")
        await type_line(pilot, "13")
        await type_line(pilot, "2")
        await type_line(pilot, "dock printer")
        assert shown(pilot, "result") == (
            "ERROR: Bad printer 'dock printer': use host:port, cups:QUEUE or /path"
        )
        await pilot.press("enter")
        await type_line(pilot, "10.0.0.5:99999")
        assert shown(pilot, "result") == "ERROR: Bad port '99999': 1-65535"
        await pilot.press("enter")
        await type_line(pilot, "3")  # a menu choice typed while the printer prompt is up
        assert shown(pilot, "result") == "ERROR: Bad IP address '3': e.g. 10.0.0.20"
        await pilot.press("enter")
        await type_line(pilot, "cups:zebra")
        assert shown(pilot, "result") == "OK: Printer cups:zebra saved"
    assert load_settings(files.labels).printer(None).model_dump()["queue"] == "zebra"


async def test_an_operator_sees_the_settings_but_cannot_change_them(
    make_app: Callable[..., WmsApp], files: SettingsFiles
) -> None:
    async with settings_app(make_app, files).run_test() as pilot:
        await logged_on(pilot, "OP0001")
        await type_line(pilot, "13")
        assert "Changes need a supervisor" in shown(pilot, "context")
        await type_line(pilot, "2")
        assert shown(pilot, "result") == "ERROR: Changing settings needs a supervisor"
    assert not files.labels.exists()


async def test_a_new_scanner_profile_reopens_the_reader_and_is_saved(
    make_app: Callable[..., WmsApp], files: SettingsFiles, tmp_path: Path
) -> None:
    profile = tmp_path / "dock.toml"
    profile.write_text(f'port = "{tmp_path / "no-such-tty"}"\nsuffix = "CRLF"\n')
    app = settings_app(make_app, files)
    async with app.run_test() as pilot:
        await logged_on(pilot, "OP0009")
        await type_line(pilot, "13")
        assert "Scanner: keyboard only" in shown(pilot, "context")
        await type_line(pilot, "1")
        await type_line(pilot, "symbol")
        assert shown(pilot, "result").startswith("ERROR: no scanner profile 'symbol': use one of")
        await pilot.press("enter")
        await type_line(pilot, str(profile))
        assert shown(pilot, "result") == "OK: Scanner dock saved and reopened"
        assert app.profile is not None
        assert app.profile.name == "dock"
        assert f"Scanner: dock {tmp_path / 'no-such-tty'}" in screen_text(pilot)
    assert saved_scanner(files.terminal) == str(profile)


async def test_a_test_label_prints_on_the_chosen_printer(
    make_app: Callable[..., WmsApp], files: SettingsFiles, tmp_path: Path
) -> None:
    out = tmp_path / "printed.zpl"
    printer = FilePrinterSettings(name="desk", transport="file", path=out)
    settings = LabelSettings(default_printer="desk", printers=(printer,))
    labeller = Labeller(settings, tmp_path / "data")
    app = make_app(labeller=labeller, settings_files=files)
    async with app.run_test() as pilot:
        await logged_on(pilot, "OP0001")
        await type_line(pilot, "13")
        await type_line(pilot, "3")
        assert shown(pilot, "result") == f"Test label sent to {out}"
        await app.workers.wait_for_complete()
    assert "WMS-TEST" in out.read_text()
