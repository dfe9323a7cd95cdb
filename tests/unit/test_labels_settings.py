"""Label settings: a missing file means no printers; a wrong one is refused with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from wms.labels import LabelError
from wms.labels.settings import TcpPrinterSettings, load_settings


def test_a_missing_file_means_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "labels.toml")
    assert settings.printers == ()
    with pytest.raises(LabelError, match="no default_printer"):
        settings.printer(None)


def test_printers_are_read_by_transport(tmp_path: Path) -> None:
    path = tmp_path / "labels.toml"
    path.write_text(
        'default_printer = "dock1"\n'
        '[[printers]]\nname = "dock1"\ntransport = "tcp9100"\nhost = "10.0.0.21"\n'
        '[[printers]]\nname = "office"\ntransport = "cups"\nqueue = "hp"\nlanguage = "pdf"\n'
    )
    settings = load_settings(path)
    dock = settings.printer(None)
    assert isinstance(dock, TcpPrinterSettings)
    assert (dock.host, dock.port, dock.stock) == ("10.0.0.21", 9100, "thermal-100x150")
    assert settings.printer("office").language == "pdf"
    with pytest.raises(LabelError, match=r"unknown printer 'x' \(known: dock1, office\)"):
        settings.printer("x")


@pytest.mark.parametrize(
    ("toml", "reason"),
    [
        ('[[printers]]\nname = "p"\ntransport = "tcp9100"\nhost = "h"\nstock = "a5"\n', "a5"),
        ('[[printers]]\nname = "p"\ntransport = "serial"\n', "transport"),
        ('company_prefix = "12AB"\n', "company_prefix"),
        ("company_prefix = ", "cannot read"),
    ],
)
def test_a_wrong_file_is_refused_with_its_reason(tmp_path: Path, toml: str, reason: str) -> None:
    path = tmp_path / "labels.toml"
    path.write_text(toml)
    with pytest.raises(LabelError, match=reason):
        load_settings(path)
