"""Scanner profiles: how to find a scanner and how it frames its output.

A profile is built in (`PROFILES`, mirrored one-for-one by hardware/scanners/*.toml so installers
can copy and edit them) or read from a TOML file with the same keys.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from wms.scanner.ports import parse_usb_id

DEFAULT_PORT = "/dev/wms-scanner"  # the stable name hardware/udev/70-wms-scanner.rules creates


class Suffix(Enum):
    """The terminator a scanner sends after each scan (the value is its bytes)."""

    CR = b"\r"
    LF = b"\n"
    CRLF = b"\r\n"


@dataclass(frozen=True)
class ScannerProfile:
    """How to reach one scanner and read its scans.

    ``port`` is a device path (``/dev/wms-scanner``, ``/dev/ttyACM0``), a ``/dev/serial/by-id``
    name, or a USB ``VID:PID`` (``0c2e:*`` for any product of a vendor); ``usb_ids`` are further
    ``VID:PID`` patterns tried when ``port`` cannot be found. ``aim_ids`` says the scanner sends
    AIM symbology ids. ``max_length`` caps a scan (bytes, suffix excluded). ``debounce_ms`` > 0
    drops a scan identical to one received less than that long before; keep it 0 wherever
    scanning the same code again means one more (counting, receiving each by each).
    """

    name: str = "wms"
    port: str = DEFAULT_PORT
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    suffix: Suffix = Suffix.CR
    aim_ids: bool = True
    max_length: int = 1024
    debounce_ms: int = 0
    usb_ids: tuple[str, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        problems = []
        if self.baudrate <= 0:
            problems.append(f"baudrate {self.baudrate} must be positive")
        if self.bytesize not in (5, 6, 7, 8):
            problems.append(f"bytesize {self.bytesize} must be 5, 6, 7 or 8")
        if self.parity not in ("N", "E", "O", "M", "S"):
            problems.append(f"parity {self.parity!r} must be one of N, E, O, M, S")
        if self.stopbits not in (1, 1.5, 2):
            problems.append(f"stopbits {self.stopbits} must be 1, 1.5 or 2")
        if self.max_length < 1:
            problems.append(f"max_length {self.max_length} must be at least 1")
        if self.debounce_ms < 0:
            problems.append(f"debounce_ms {self.debounce_ms} must not be negative")
        problems.extend(
            f"usb_ids entry {usb_id!r} must look like 0c2e:0b61 or 0c2e:*"
            for usb_id in self.usb_ids
            if parse_usb_id(usb_id) is None
        )
        if problems:
            raise ValueError(f"scanner profile {self.name!r}: " + "; ".join(problems))


PROFILES: dict[str, ScannerProfile] = {
    profile.name: profile
    for profile in (
        ScannerProfile(
            description="Recommended set-up (hardware/SCANNERS.md): AIM ids on, CR suffix",
        ),
        ScannerProfile(
            name="honeywell",
            description="Honeywell Voyager/Xenon/Granit, factory settings: 115200 8N1, CR LF",
            baudrate=115200,
            suffix=Suffix.CRLF,
            aim_ids=False,
            usb_ids=("0c2e:*",),
        ),
        ScannerProfile(
            name="zebra",
            description="Zebra/Symbol DS/LI series: 9600 8N1 (factory), CR LF suffix",
            suffix=Suffix.CRLF,
            aim_ids=False,
            usb_ids=("05e0:*",),
        ),
        ScannerProfile(
            name="datalogic",
            description="Datalogic QuickScan/Gryphon/PowerScan, factory settings: 9600 8N1, CR",
            aim_ids=False,
            usb_ids=("05f9:*",),
        ),
        ScannerProfile(
            name="generic",
            description="Any serial scanner at 9600 8N1 with a CR suffix and no AIM ids",
            aim_ids=False,
        ),
    )
}


# TOML value types per key; stopbits may be 1.5. (bool is an int: the check is loose there.)
_TOML_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "port": str,
    "baudrate": int,
    "bytesize": int,
    "parity": str,
    "stopbits": (int, float),
    "suffix": str,
    "aim_ids": bool,
    "max_length": int,
    "debounce_ms": int,
    "usb_ids": list,
    "description": str,
}


def load_profile(name_or_path: str) -> ScannerProfile:
    """A built-in profile by name, or one read from a TOML file. Raises ValueError if neither."""
    if name_or_path in PROFILES:
        return PROFILES[name_or_path]
    path = Path(name_or_path)
    if not path.is_file():
        known = ", ".join(PROFILES)
        raise ValueError(f"no scanner profile {name_or_path!r}: use one of {known} or a .toml file")
    return profile_from_toml(path.read_text(encoding="utf-8"), default_name=path.stem)


def profile_from_toml(text: str, *, default_name: str = "custom") -> ScannerProfile:
    """Read a profile from TOML text (keys as in `ScannerProfile`). Raises ValueError on errors."""

    def refused(why: object) -> ValueError:
        return ValueError(f"scanner profile {default_name!r}: {why}")

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise refused(exc) from None
    if unknown := sorted(set(data) - set(_TOML_TYPES)):
        raise refused(f"unknown keys {', '.join(unknown)}")
    for key, value in data.items():
        if not isinstance(value, _TOML_TYPES[key]):
            raise refused(f"{key} = {value!r} has the wrong type")
    if not all(isinstance(usb_id, str) for usb_id in data.get("usb_ids", [])):
        raise refused("usb_ids must be strings")
    if data.get("suffix", "CR") not in Suffix.__members__:
        raise refused("suffix must be CR, LF or CRLF")
    data.setdefault("name", default_name)
    data["suffix"] = Suffix[data.get("suffix", "CR")]
    data["usb_ids"] = tuple(data.get("usb_ids", ()))
    return ScannerProfile(**data)
