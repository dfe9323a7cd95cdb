"""Typed refusals. Each message is written for an operator on a 40-column screen."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action. ``message`` is what the operator reads."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidBarcode(DomainError):
    code = "invalid_barcode"


class UnknownCode(DomainError):
    code = "unknown_code"


class InvalidQuantity(DomainError):
    code = "invalid_quantity"


class NotPermitted(DomainError):
    code = "not_permitted"


class LogonFailed(DomainError):
    code = "logon_failed"


class WrongLocation(DomainError):
    """A bin that is blocked, of the wrong type, full, or not the one asked for."""

    code = "wrong_location"


class LotRefused(DomainError):
    """Expired, too short a shelf life, not the FEFO lot, or missing when required."""

    code = "lot_refused"


class ShortShelfLife(LotRefused):
    """Remaining shelf life below the product minimum; the receipt may go to quarantine."""

    code = "short_shelf_life"

    def __init__(self, message: str, *, quarantine_allowed: bool) -> None:
        super().__init__(message)
        self.quarantine_allowed = quarantine_allowed


class StockUnavailable(DomainError):
    """Not enough stock, or stock whose status forbids the action."""

    code = "stock_unavailable"


class OverReceipt(DomainError):
    code = "over_receipt"


class DocumentClosed(DomainError):
    code = "document_closed"


class ReasonRequired(DomainError):
    code = "reason_required"


class NotRecorded(DomainError):
    """The store could not record the operation (disk full, storage error): nothing was
    written, and the operator must know that the scan did not count."""

    code = "not_recorded"


class WrongContainer(DomainError):
    """A tote, cart, carton or parcel that is not the one asked for, or not free."""

    code = "wrong_container"


class NoNumbers(DomainError):
    """This terminal has no parcel or waybill number left in its blocks: it must sync."""

    code = "no_numbers"


class ParcelRefused(DomainError):
    """A parcel that may not be packed, loaded or shipped as asked (dispatch's refusals)."""

    code = "parcel_refused"


class CustomsDataMissing(ParcelRefused):
    """A product lacking customs data (HS code, units, origin, bonded-ledger item) scanned into
    a bonded-retail parcel: customs would refuse the parcel's list."""

    code = "customs_data_missing"
