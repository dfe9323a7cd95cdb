"""Scanner profiles (built in and TOML) and finding the scanner's device again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from wms.scanner.ports import PortCandidate, list_candidates, resolve_port
from wms.scanner.profile import PROFILES, ScannerProfile, Suffix, load_profile, profile_from_toml

HARDWARE = Path(__file__).parents[2] / "hardware" / "scanners"


def test_every_built_in_profile_has_its_installer_copy_and_they_agree() -> None:
    copies = {path.stem: load_profile(str(path)) for path in HARDWARE.glob("*.toml")}
    assert copies == PROFILES


def test_factory_profiles() -> None:
    honeywell = PROFILES["honeywell"]
    assert (honeywell.baudrate, honeywell.bytesize, honeywell.parity, honeywell.stopbits) == (
        115200,
        8,
        "N",
        1,
    )
    assert honeywell.suffix is Suffix.CRLF
    assert (PROFILES["generic"].baudrate, PROFILES["generic"].suffix) == (9600, Suffix.CR)
    assert PROFILES["wms"].aim_ids
    assert all(profile.debounce_ms == 0 for profile in PROFILES.values())


def test_a_toml_profile_takes_defaults_for_what_it_leaves_out() -> None:
    profile = profile_from_toml('port = "0c2e:0b61"\nsuffix = "LF"\n', default_name="dock3")
    assert profile == ScannerProfile(name="dock3", port="0c2e:0b61", suffix=Suffix.LF)


@pytest.mark.parametrize(
    ("toml", "complaint"),
    [
        ("baud = 9600", "unknown keys baud"),
        ('baudrate = "fast"', "baudrate = 'fast' has the wrong type"),
        ('suffix = "TAB"', "suffix must be CR, LF or CRLF"),
        ('parity = "X"', "parity 'X' must be one of N, E, O, M, S"),
        ("stopbits = 3", "stopbits 3 must be 1, 1.5 or 2"),
        ('usb_ids = ["honeywell"]', "usb_ids entry 'honeywell' must look like 0c2e:0b61"),
        ("usb_ids = [3118]", "usb_ids must be strings"),
        ("max_length = 0", "max_length 0 must be at least 1"),
        ("port = ", "dock3"),
    ],
)
def test_a_bad_profile_says_what_is_wrong(toml: str, complaint: str) -> None:
    with pytest.raises(ValueError, match="dock3") as refused:
        profile_from_toml(toml, default_name="dock3")
    assert complaint in str(refused.value)


def test_an_unknown_profile_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="honeywell"):
        load_profile("nope")


@dataclass
class FakePort:
    """A `list_ports` entry; the serial port itself is never faked."""

    device: str
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    description: str = "n/a"


USB_PORTS = [
    FakePort("/dev/ttyS0"),
    FakePort("/dev/ttyACM1", 0x0C2E, 0x0B61, "21001", "Honeywell Xenon"),
    FakePort("/dev/ttyACM0", 0x05E0, 0x1701, "S123", "Symbol Bar Code Scanner"),
]


def test_a_path_that_exists_is_used_as_it_is(tmp_path: Path) -> None:
    device = tmp_path / "ttyACM0"
    device.touch()
    link = tmp_path / "wms-scanner"
    link.symlink_to(device)
    assert resolve_port(str(link)) == str(link)


def test_a_dangling_link_is_not_there(tmp_path: Path) -> None:
    link = tmp_path / "wms-scanner"
    link.symlink_to(tmp_path / "ttyACM0")
    assert resolve_port(str(link), comports=lambda: USB_PORTS) is None


def test_a_by_id_name_is_looked_up_in_dev_serial_by_id(tmp_path: Path) -> None:
    (tmp_path / "ttyACM3").touch()
    name = "usb-Honeywell_Imaging_Xenon_21001-if00"
    (tmp_path / name).symlink_to(tmp_path / "ttyACM3")
    assert resolve_port(name, by_id_dir=tmp_path) == str(tmp_path / name)


@pytest.mark.parametrize(
    ("port", "usb_ids", "device"),
    [
        ("0c2e:0b61", (), "/dev/ttyACM1"),
        ("0C2E:0B61", (), "/dev/ttyACM1"),
        ("05e0:*", (), "/dev/ttyACM0"),
        ("0c2e:0000", (), None),
        (
            "/dev/wms-scanner-missing",
            ("05f9:*", "0c2e:*"),
            "/dev/ttyACM1",
        ),  # fallback after a replug
        ("/dev/wms-scanner-missing", (), None),
    ],
)
def test_usb_vid_pid_finds_the_scanner_under_whatever_name_it_got(
    port: str, usb_ids: tuple[str, ...], device: str | None, tmp_path: Path
) -> None:
    found = resolve_port(port, usb_ids, by_id_dir=tmp_path, comports=lambda: USB_PORTS)
    assert found == device


def test_two_matching_scanners_resolve_to_the_same_one_every_time() -> None:
    twins = [FakePort("/dev/ttyACM7", 0x0C2E, 1), FakePort("/dev/ttyACM2", 0x0C2E, 2)]
    assert resolve_port("0c2e:*", comports=lambda: twins) == "/dev/ttyACM2"
    assert resolve_port("0c2e:*", comports=lambda: twins[::-1]) == "/dev/ttyACM2"


def test_candidates_show_vid_pid_serial_number_and_by_id_path(tmp_path: Path) -> None:
    (tmp_path / "ttyACM1").touch()
    ports = [FakePort(str(tmp_path / "ttyACM1"), 0x0C2E, 0x0B61, "21001", "Xenon"), USB_PORTS[0]]
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    (by_id / "usb-Honeywell-if00").symlink_to(tmp_path / "ttyACM1")
    assert list_candidates(by_id_dir=by_id, comports=lambda: ports) == [
        PortCandidate("/dev/ttyS0", None, None, None, "n/a"),
        PortCandidate(
            str(tmp_path / "ttyACM1"),
            "0c2e:0b61",
            "21001",
            str(by_id / "usb-Honeywell-if00"),
            "Xenon",
        ),
    ]
