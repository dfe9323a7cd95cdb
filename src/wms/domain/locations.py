"""Location codes: zone-aisle-bay-level-position, fixed width, e.g. ``A-01-03-B-2``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wms.domain.errors import InvalidBarcode

_STORAGE = re.compile(
    r"^(?P<zone>[A-Z]{1,4})-(?P<aisle>\d{2})-(?P<bay>\d{2})-(?P<level>[A-Z])-(?P<pos>\d)$"
)
_SHORT = re.compile(r"^(?P<zone>[A-Z]{1,5})-(?P<aisle>\d{2})$")


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
    if m := _STORAGE.match(code):
        return LocationCode(m["zone"], m["aisle"], m["bay"], m["level"], m["pos"])
    if m := _SHORT.match(code):
        return LocationCode(m["zone"], m["aisle"])
    raise InvalidBarcode(f"{code} is not a location code (like A-01-03-B-2)")


def location_code(zone: str, aisle: int, bay: int, level: int, position: int) -> str:
    """Build a storage location code; level 0 is ``A`` (the floor)."""
    return f"{zone}-{aisle:02d}-{bay:02d}-{chr(ord('A') + level)}-{position}"
