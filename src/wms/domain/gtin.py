"""GS1 check digits for GTIN-8/12/13/14 and SSCC (mod-10, weights 3 and 1 from the right)."""

from __future__ import annotations

from wms.domain.errors import InvalidBarcode

GTIN_LENGTHS = (8, 12, 13, 14)


def gs1_check_digit(body: str) -> int:
    """Return the GS1 mod-10 check digit for ``body`` (all digits, without the check digit)."""
    if not body.isascii() or not body.isdigit():
        raise InvalidBarcode(f"{body!r} is not all digits")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True when ``code`` is a GTIN-8/12/13/14 with a correct check digit."""
    return (
        code.isascii()
        and code.isdigit()
        and len(code) in GTIN_LENGTHS
        and gs1_check_digit(code[:-1]) == int(code[-1])
    )


def normalize_gtin(code: str) -> str:
    """Validate a GTIN and return it as GTIN-14 (left-padded), the form we look codes up by.

    Raises InvalidBarcode with an operator-readable message on a bad length or check digit.
    """
    if not code.isascii() or not code.isdigit() or len(code) not in GTIN_LENGTHS:
        raise InvalidBarcode(f"{code} is not a GTIN (8, 12, 13 or 14 digits)")
    expected = gs1_check_digit(code[:-1])
    if expected != int(code[-1]):
        raise InvalidBarcode(f"{code}: bad check digit (expected {expected})")
    return code.zfill(14)


def sscc(extension: int, company_prefix: str, serial_reference: int) -> str:
    """Build an 18-digit SSCC from extension digit, company prefix and serial reference."""
    if not 0 <= extension <= 9:
        raise InvalidBarcode("SSCC extension digit must be 0-9")
    ref_len = 16 - len(company_prefix)
    if not 6 <= len(company_prefix) <= 12 or not company_prefix.isdigit():
        raise InvalidBarcode("GS1 company prefix must be 6-12 digits")
    if not 0 <= serial_reference < 10**ref_len:
        raise InvalidBarcode(f"serial reference must fit {ref_len} digits")
    body = f"{extension}{company_prefix}{serial_reference:0{ref_len}d}"
    return body + str(gs1_check_digit(body))


def is_valid_sscc(code: str) -> bool:
    """True when ``code`` is an 18-digit SSCC with a correct check digit."""
    return (
        code.isascii()
        and code.isdigit()
        and len(code) == 18
        and gs1_check_digit(code[:-1]) == int(code[-1])
    )
