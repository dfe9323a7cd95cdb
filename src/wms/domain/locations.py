"""Location codes: zone-aisle-bay-level-position, fixed width, e.g. ``A-01-03-B-2``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wms.domain.errors import InvalidBarcode

# [0-9], not \d: \d also matches Arabic-Indic and other Unicode digits. Used with fullmatch.
_STORAGE = (
    r"(?P<zone>[A-Z]{1,4})-(?P<aisle>[0-9]{2})-(?P<bay>[0-9]{2})-(?P<level>[A-Z])-(?P<pos>[0-9])"
)
_SHORT = r"(?P<szone>[A-Z]{1,5})-(?P<saisle>[0-9]{2})"
DEFAULT_LOCATION_PATTERN = re.compile(f"{_STORAGE}|{_SHORT}")


@dataclass(frozen=True)
class LocationCode:
    """A parsed location code. Short codes (``DOCK-01``) have no bay, level or position."""

    zone: str
    aisle: str
    bay: str | None = None
    level: str | None = None
    position: str | None = None

    def __str__(self) -> str:
        parts = [self.zone, self.aisle, self.bay, self.level, self.position]
        return "-".join(p for p in parts if p is not None)


def parse_location(code: str) -> LocationCode:
    """Parse a location code, refusing anything that is not in the warehouse's scheme."""
    m = DEFAULT_LOCATION_PATTERN.fullmatch(code)
    if m and m["zone"]:
        return LocationCode(m["zone"], m["aisle"], m["bay"], m["level"], m["pos"])
    if m:
        return LocationCode(m["szone"], m["saisle"])
    raise InvalidBarcode(f"{code} is not a location code (like A-01-03-B-2)")


def location_code(zone: str, aisle: int, bay: int, level: int, position: int) -> str:
    """Build a storage location code; level 0 is ``A`` (the floor)."""
    return f"{zone}-{aisle:02d}-{bay:02d}-{chr(ord('A') + level)}-{position}"
