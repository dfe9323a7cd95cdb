"""Cross-border customs, as the floor and the hub both need it (hardware/CUSTOMS.md).

A bonded-retail (1210) parcel is declared to customs as an import list; what customs answers
(its receipt's ``returnStatus``) decides whether the parcel may leave. A product goes into a
1210 parcel only with its customs data. Pure: no I/O, the same answer on a terminal and at the
hub.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CustomsStatus(StrEnum):
    """Customs' word on a parcel's import list, as a parcel carries it (hardware/SHIPPING.md)."""

    PENDING = "pending"  # not declared yet (or cannot be: see the parcel's customs text)
    DECLARED = "declared"  # handed to customs, no decision yet
    RELEASED = "released"  # 800: may leave the bonded zone
    REJECTED = "rejected"  # 100 (and 700, and a list the e-port could not pass on)
    HELD = "held"  # 500 inspection, 501-599 detained
    CANCELLING = "cancelling"  # its order was cancelled: a cancel request is with customs
    CANCELLED = "cancelled"  # customs cancelled the list


# Receipt codes that are only progress (the e-port stored, sent, customs accepted, a manual
# review, concluded): the list stays declared.
_PROGRESS = frozenset({"1", "2", "3", "120", "300", "399"})


@dataclass(frozen=True)
class Decision:
    """What a receipt's status code means for the parcel: its customs status (None: no change),
    whether a supervisor must decide what happens next, and the steps they may choose."""

    status: CustomsStatus | None
    exception: str | None = None
    steps: tuple[str, ...] = ()


def list_decision(code: str) -> Decision | None:
    """What an import list receipt (CEB622 ``returnStatus``) says; None for a code customs
    does not use (the receipt is set aside)."""
    code = code.strip()
    if code in _PROGRESS:
        return Decision(None)
    if code in ("800", "899"):  # released; closed (结关) comes after the release
        return Decision(CustomsStatus.RELEASED)
    if code == "100":
        return Decision(CustomsStatus.REJECTED, "customs_rejected", ("redeclare", "unpack"))
    if code == "700":
        return Decision(CustomsStatus.REJECTED, "customs_returned", ("redeclare", "unpack"))
    if code == "500":
        return Decision(CustomsStatus.HELD, "customs_inspection", ("hold", "unpack"))
    if code.isdigit() and 501 <= int(code) <= 599:
        return Decision(CustomsStatus.HELD, "customs_held", ("hold", "unpack"))
    if code == "4" or (code.startswith("-") and code[1:].isdigit()):
        # The e-port could not pass it on, or found it malformed: it must be sent again.
        return Decision(CustomsStatus.REJECTED, "customs_rejected", ("redeclare", "unpack"))
    return None


def request_decision(code: str) -> bool | None:
    """What a cancel or return request's receipt (CEB624, CEB626) says: True accepted
    (concluded, 399), False refused (100, 4, negative), None still in progress; ValueError for
    a code customs does not use."""
    code = code.strip()
    if code == "399":
        return True
    if code in ("100", "4") or (code.startswith("-") and code[1:].isdigit()):
        return False
    if code in ("1", "2", "3", "120"):
        return None
    raise ValueError(f"unknown status code {code[:10]!r}")


def dispatch_refusal(customs_status: str | None, customs_text: str | None = None) -> str | None:
    """Why a parcel may not leave, in an operator's words; None when it may (not a bonded
    parcel, or released by customs)."""
    if customs_status is None or customs_status == CustomsStatus.RELEASED:
        return None
    said = f" Customs: {customs_text}" if customs_text else ""
    words = {
        CustomsStatus.PENDING: "Not declared to customs yet: it cannot leave.",
        CustomsStatus.DECLARED: "Customs has not released it yet: keep it back.",
        CustomsStatus.REJECTED: "Customs rejected it: take it to the supervisor.",
        CustomsStatus.HELD: "Held by customs: take it to the customs area.",
        CustomsStatus.CANCELLING: "Its order was cancelled: keep it back until customs answers.",
        CustomsStatus.CANCELLED: "Its order was cancelled: open it and put the goods back.",
    }
    try:
        return words[CustomsStatus(customs_status)] + said
    except ValueError:
        return f"Customs status {customs_status}: it cannot leave.{said}"


@dataclass(frozen=True)
class CustomsFacts:
    """A product's customs data for one warehouse (None: not known)."""

    hs_code: str | None
    unit: str | None
    legal_unit: str | None
    origin: str | None
    item_record_no: str | None


def missing_customs_data(facts: CustomsFacts | None) -> list[str]:
    """What a product lacks to go into a 1210 parcel, in words; empty when nothing."""
    if facts is None:
        return ["no customs data (HS code, units, origin, bonded-ledger item)"]
    missing = [
        what
        for value, what in (
            (facts.hs_code, "no HS code"),
            (facts.unit, "no trade unit"),
            (facts.legal_unit, "no legal unit"),
            (facts.origin, "no country of origin"),
            (facts.item_record_no, "no bonded-ledger item"),
        )
        if not value
    ]
    return missing


def packing_refusal(sku: str, facts: CustomsFacts | None) -> str | None:
    """Why ``sku`` may not be packed into a bonded-retail parcel, in an operator's words; None
    when it may."""
    missing = missing_customs_data(facts)
    if not missing:
        return None
    return f"{sku} cannot go into a bonded parcel: {', '.join(missing)}. Ask the supervisor."
