"""Finding a scanner's device node again, and listing the candidates for an installer.

A USB scanner can come back from an unplug (or a reboot) as another ``ttyACM`` number, so the
reader resolves its port on every (re)connect: the configured path, then a
``/dev/serial/by-id`` name, then USB ``VID:PID`` patterns through ``list_ports``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

BY_ID_DIR = Path("/dev/serial/by-id")
_USB_ID = re.compile(r"([0-9a-fA-F]{4}):([0-9a-fA-F]{4}|\*)")


class PortInfo(Protocol):
    """What we read from `serial.tools.list_ports_common.ListPortInfo`."""

    device: str
    vid: int | None
    pid: int | None
    serial_number: str | None
    description: str


def _comports() -> Sequence[PortInfo]:
    # pyserial loads on first use: `wms --help` reaches this module through the profiles.
    from serial.tools import list_ports

    result: Sequence[PortInfo] = list_ports.comports()
    return result


def parse_usb_id(spec: str) -> tuple[int, int | None] | None:
    """``"0c2e:0b61"`` → ``(0x0c2e, 0x0b61)``; ``"0c2e:*"`` → ``(0x0c2e, None)``; else None."""
    match = _USB_ID.fullmatch(spec)
    if match is None:
        return None
    vid, pid = match.groups()
    return int(vid, 16), None if pid == "*" else int(pid, 16)


def resolve_port(
    port: str,
    usb_ids: Iterable[str] = (),
    *,
    by_id_dir: Path = BY_ID_DIR,
    comports: Callable[[], Sequence[PortInfo]] = _comports,
) -> str | None:
    """The device to open for ``port`` (a path, a by-id name or ``VID:PID``), or None.

    ``usb_ids`` are ``VID:PID`` patterns tried when ``port`` itself is not there.
    """
    if parse_usb_id(port) is not None:
        usb_ids = (port, *usb_ids)
    elif os.sep in port:
        if os.path.exists(port):  # follows symlinks: a dangling udev/by-id link is "not there"
            return port
    elif (by_id_dir / port).exists():
        return str(by_id_dir / port)
    patterns = [usb_id for spec in usb_ids if (usb_id := parse_usb_id(spec)) is not None]
    if not patterns:
        return None
    # Sorted, so that with two matching scanners every reconnect picks the same one.
    for info in sorted(comports(), key=lambda info: info.device):
        if any(info.vid == vid and pid in (None, info.pid) for vid, pid in patterns):
            return info.device
    return None


@dataclass(frozen=True)
class PortCandidate:
    """A serial device an installer might point a profile at."""

    device: str
    usb_id: str | None
    serial_number: str | None
    by_id: str | None
    description: str


def list_candidates(
    *,
    by_id_dir: Path = BY_ID_DIR,
    comports: Callable[[], Sequence[PortInfo]] = _comports,
) -> list[PortCandidate]:
    """Every serial device pyserial sees, with its USB ``VID:PID`` and by-id path."""
    by_id = {}
    if by_id_dir.is_dir():
        by_id = {os.path.realpath(link): str(link) for link in sorted(by_id_dir.iterdir())}
    return [
        PortCandidate(
            device=info.device,
            usb_id=(
                f"{info.vid:04x}:{info.pid:04x}"
                if info.vid is not None and info.pid is not None
                else None
            ),
            serial_number=info.serial_number,
            by_id=by_id.get(os.path.realpath(info.device)),
            description=info.description,
        )
        for info in sorted(comports(), key=lambda info: info.device)
    ]
