"""A scan in the words a refusal uses ("a bin label", "a purchase order"), and what a product
scan names: the GTIN it identifies and how many of it one scan stands for.

A GS1 case label names its product either by the case's own GTIN-14 (AI 01, the catalogue knows
its pack quantity) or, on a case of eaches without a GTIN of its own, by the content GTIN
(AI 02) and a count (AI 37); both are products wherever a product is asked for. With an SSCC
(AI 00) the label is a logistic unit: a pallet, moved whole.
"""

from __future__ import annotations

from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import DocumentType

_DOCUMENTS = {
    DocumentType.PURCHASE_ORDER: "a purchase order",
    DocumentType.ASN: "an ASN",
    DocumentType.SALES_ORDER: "a customer order",
    DocumentType.REEXPORT_ORDER: "a re-export order",
    DocumentType.PICK_TASK: "a pick task",
    DocumentType.COUNT_TASK: "a count task",
    DocumentType.RMA: "a return authorisation",
    DocumentType.LOAD: "a load",
}
_KINDS = {
    ScanKind.PRODUCT: "a product barcode",
    ScanKind.CONTAINER: "a pallet label",
    ScanKind.TOTE: "a tote",
    ScanKind.LOCATION: "a bin label",
    ScanKind.BADGE: "a badge",
    ScanKind.COMMAND: "a command",
    ScanKind.DOCUMENT: "a document",
}


def product_code(scan: Scan) -> str | None:
    """The GTIN a product scan names (a case's own GTIN, or the content GTIN of a case label
    without SSCC), or None when the scan names no product."""
    if scan.kind is ScanKind.PRODUCT:
        return scan.gtin
    if scan.kind is ScanKind.GS1:
        return scan.gtin or scan.content_gtin
    return None


def scan_count(scan: Scan) -> int | None:
    """How many units of the content GTIN a case label without a GTIN of its own holds (AI 37);
    None for every other scan (its GTIN's pack quantity says how many)."""
    if scan.kind is ScanKind.GS1 and scan.gtin is None and scan.content_gtin:
        return scan.count
    return None


def described(scan: Scan) -> str:
    """What the scan is, for a refusal: "a bin label", "a pick task", "a lot label"."""
    if scan.kind is ScanKind.DOCUMENT and scan.document_type is not None:
        return _DOCUMENTS[scan.document_type]
    if scan.kind is ScanKind.GS1 and product_code(scan) is not None:
        return "a case label" if scan_count(scan) else "a product label"
    if scan.kind is ScanKind.GS1:
        return "a GS1 label"
    if scan.kind in (ScanKind.UNKNOWN, ScanKind.INVALID):
        return "an unknown code"
    return _KINDS[scan.kind]
