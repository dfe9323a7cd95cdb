"""Packing rules: the weight a parcel should have, the carton its goods fit, the tolerance a
weighed parcel must meet, and the parcel and waybill numbers a block's serials make.

Pure: the pack station's service hands in what it read from the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wms.domain.gtin import sscc
from wms.domain.waybills import waybill_number

SSCC, WAYBILL = "sscc", "waybill"


@dataclass(frozen=True)
class Weighing:
    """What a scale reads: ``grams`` on the platter, and whether the reading has settled."""

    grams: int
    stable: bool


@dataclass(frozen=True)
class ParcelFacts:
    """What a carrier needs to book a closed parcel."""

    sscc: str
    order: str
    carrier: str
    service: str | None
    weight_g: int
    carton: str | None


@dataclass(frozen=True)
class Booked:
    """The carrier's waybill number, and its own label when it sent one in ZPL."""

    waybill: str
    label_zpl: bytes | None = None


@dataclass(frozen=True)
class Goods:
    """``units`` of one product in a parcel, with what is known of one unit's weight and size
    (None: unknown)."""

    units: int
    weight_g: int | None = None
    size_mm: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class CartonType:
    """A carton: inner size, the goods' weight it carries, its own weight."""

    code: str
    size_mm: tuple[int, int, int]
    max_weight_g: int
    tare_g: int = 0

    @property
    def volume(self) -> int:
        """Inner volume in mm³."""
        a, b, c = self.size_mm
        return a * b * c


# Goods never fill a carton's every corner: the suggestion leaves this share of it for air,
# the packing material and the hand that packs.
FILL = 0.75


def goods_weight(goods: Iterable[Goods]) -> int | None:
    """What the goods weigh, or None when any unit's weight is unknown."""
    total = 0
    for g in goods:
        if g.weight_g is None:
            return None
        total += g.units * g.weight_g
    return total


def expected_weight(goods: Sequence[Goods], carton: CartonType | None) -> int | None:
    """What the closed parcel should weigh: goods and carton (None when a weight is unknown)."""
    weight = goods_weight(goods)
    if weight is None:
        return None
    return weight + (carton.tare_g if carton else 0)


def _fits(size: tuple[int, int, int], inner: tuple[int, int, int]) -> bool:
    return all(a <= b for a, b in zip(sorted(size), sorted(inner), strict=True))


def suggest_carton(goods: Sequence[Goods], cartons: Sequence[CartonType]) -> CartonType | None:
    """The smallest carton the goods fit: every unit's size inside it, their volume within its
    fill share, their weight within what it carries. None when nothing is known about the goods
    (no size and no weight) or none of the cartons takes them."""
    known_size = [g for g in goods if g.size_mm is not None]
    weight = goods_weight(goods)
    if not known_size and weight is None:
        return None
    volume = sum(
        g.units * g.size_mm[0] * g.size_mm[1] * g.size_mm[2] for g in known_size if g.size_mm
    )
    for carton in sorted(cartons, key=lambda c: (c.volume, c.max_weight_g, c.code)):
        if weight is not None and weight > carton.max_weight_g:
            continue
        if any(g.size_mm and not _fits(g.size_mm, carton.size_mm) for g in known_size):
            continue
        if volume > carton.volume * FILL:
            continue
        return carton
    return None


@dataclass(frozen=True)
class WeightTolerance:
    """How far a weighed parcel may be from its expected weight: the larger of ``grams`` and
    ``percent`` of the expected weight."""

    grams: int = 50
    percent: float = 10.0

    def allowed(self, expected_g: int) -> int:
        """The grams a parcel expected to weigh ``expected_g`` may be off by."""
        return max(self.grams, round(expected_g * self.percent / 100))

    def problem(self, measured_g: int, expected_g: int | None) -> str | None:
        """Why ``measured_g`` is refused, or None when it is within tolerance (or nothing is
        expected: the goods' weights are not all known)."""
        if expected_g is None:
            return None
        off = measured_g - expected_g
        if abs(off) <= self.allowed(expected_g):
            return None
        how = "heavy" if off > 0 else "light"
        return (
            f"{kg(measured_g)} is {abs(off)} g too {how}: expected {kg(expected_g)}"
            f" ± {self.allowed(expected_g)} g"
        )


def kg(grams: int) -> str:
    """A weight as a packer reads it: ``1.250 kg``."""
    return f"{grams / 1000:.3f} kg"


def how_many(n: int, noun: str) -> str:
    """A count as a loader reads it: ``1 parcel``, ``3 parcels``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def parse_weight(text: str) -> int:
    """A typed weight in grams: ``1250`` or ``1250g`` (grams), ``1.25``, ``1,25`` or ``2kg``
    (kilograms). ValueError when it is not a weight a parcel can have (1 g to 1,000 kg)."""
    t = text.strip().lower().replace(",", ".")
    unit = 1000 if t.endswith("kg") else 1 if t.endswith("g") else None
    t = t.removesuffix("kg").removesuffix("g").strip()
    if not t or not all(ch.isdigit() or ch == "." for ch in t) or t.count(".") > 1:
        raise ValueError(f"Not a weight: {text[:20]} (grams, or kg with a point)")
    if unit is None:
        unit = 1000 if "." in t else 1
    grams = round(float(t) * unit)
    if not 1 <= grams <= 1_000_000:
        raise ValueError(f"Not a parcel's weight: {text[:20]}")
    return grams


def block_number(kind: str, spec: dict[str, Any], first: int, last: int, serial: int) -> str:
    """The number serial ``serial`` of a block (serials ``first``..``last``) stands for: an
    SSCC (``company_prefix``, ``extension``) or a waybill number (the carrier's format, or the
    numbers the block lists)."""
    if kind == SSCC:
        if not first <= serial <= last:
            raise ValueError(f"serial {serial} is not in the block")
        return sscc(int(spec["extension"]), str(spec["company_prefix"]), serial)
    return waybill_number({**spec, "id": 0, "first": first, "last": last}, serial)
