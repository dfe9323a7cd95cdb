"""Waybill numbers from a carrier's pool: a serial made into the carrier's number format.

A pool carrier assigns a warehouse ranges of numbers in advance. The hub cuts them into blocks
for terminals (hardware/SHIPPING.md); a terminal and the hub make the same number of a serial
with :func:`waybill_number`, so packing works offline.

UPU S10 numbers (EMS, registered post: ``EA123456785CN``) carry a check digit over their eight
serial digits; other carriers' numbers are the serial as it is, zero-padded, with a prefix and
a suffix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
CHECKS = ("none", "s10")
_AFFIX = re.compile(r"[A-Z0-9-]{0,10}")


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of eight serial digits."""
    if len(serial) != 8 or not serial.isascii() or not serial.isdigit():
        raise ValueError(f"an S10 serial is 8 digits, not {serial!r}")
    check = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


@dataclass(frozen=True)
class WaybillFormat:
    """How a pool's serials become numbers: ``prefix`` + serial zero-padded to ``digits`` (+ the
    check digit) + ``suffix``."""

    prefix: str = ""
    digits: int = 10
    suffix: str = ""
    check: str = "none"

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError(f"check digit scheme {self.check!r}: one of {', '.join(CHECKS)}")
        if not (_AFFIX.fullmatch(self.prefix) and _AFFIX.fullmatch(self.suffix)):
            raise ValueError("prefix and suffix: up to 10 capital letters, digits or dashes")
        if not 1 <= self.digits <= 18:
            raise ValueError("a serial has 1-18 digits")
        if self.check == "s10" and self.digits != 8:
            raise ValueError("S10 numbers have 8 serial digits")
        if len(self.prefix) + self.digits + len(self.suffix) + (self.check != "none") > 30:
            raise ValueError("a waybill number has at most 30 characters")

    @property
    def largest(self) -> int:
        """The largest serial the format holds."""
        return int(10**self.digits) - 1

    def number(self, serial: int) -> str:
        """The waybill number of ``serial``."""
        if not 0 <= serial <= self.largest:
            raise ValueError(f"serial {serial} does not fit {self.digits} digits")
        body = f"{serial:0{self.digits}d}"
        check = str(s10_check_digit(body)) if self.check == "s10" else ""
        return f"{self.prefix}{body}{check}{self.suffix}"

    def as_dict(self) -> dict[str, Any]:
        """The format as stored and published with a block."""
        return {"prefix": self.prefix, "digits": self.digits, "suffix": self.suffix} | {
            "check": self.check
        }


def waybill_number(block: dict[str, Any], serial: int) -> str:
    """The number of ``serial`` in a published ``number_block`` of kind ``waybill``: a list
    pool's block names its numbers, a range pool's block says how to make them."""
    if not block["first"] <= serial <= block["last"]:
        raise ValueError(f"serial {serial} is not in block {block['id']}")
    numbers = block.get("numbers")
    if numbers:
        return str(numbers[serial - block["first"]])
    keys = ("prefix", "digits", "suffix", "check")
    return WaybillFormat(**{k: block[k] for k in keys if k in block}).number(serial)
