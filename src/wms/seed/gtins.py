"""Valid GTINs for seeded products: EAN-13 on the each, GTIN-14 on the case."""

from __future__ import annotations

from wms.domain.gtin import gs1_check_digit

# A GS1 prefix range reserved for in-house numbering, so demo codes never clash with real goods.
DEMO_PREFIX = "20"


def ean13(n: int, prefix: str = DEMO_PREFIX) -> str:
    """The n-th EAN-13 under ``prefix``, with its check digit."""
    body = f"{prefix}{n:0{12 - len(prefix)}d}"
    return body + str(gs1_check_digit(body))


def case_gtin14(each_ean13: str, indicator: int = 1) -> str:
    """The case GTIN-14 built from an each's EAN-13 (indicator digit 1-8)."""
    body = f"{indicator}{each_ean13[:12]}"
    return body + str(gs1_check_digit(body))
