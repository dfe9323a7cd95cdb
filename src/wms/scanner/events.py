"""What a `ScannerReader` reports, in order, to its one callback."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scan decoder (biip) loads with the first scan, not with the terminal
    from wms.domain.scan import Scan


@dataclass(frozen=True)
class ScanReceived:
    """A complete scan, decoded. ``received_at`` is the terminal's clock (UTC), for audit only."""

    scan: Scan
    received_at: datetime


@dataclass(frozen=True)
class ScannerError:
    """Bytes that made no scan (too long, not text, cut off by an unplug), shown in hex."""

    message: str
    raw_hex: str


@dataclass(frozen=True)
class ScannerConnected:
    """The scanner's port is open; ``port`` is the device actually opened."""

    port: str


@dataclass(frozen=True)
class ScannerDisconnected:
    """The reader has no open port: it was lost, could not be opened, or the reader stopped."""

    port: str
    reason: str


@dataclass(frozen=True)
class ScannerReconnecting:
    """The reader is about to try the port again (``attempt`` counts from 1 after each loss)."""

    port: str
    attempt: int


ScannerEvent = (
    ScanReceived | ScannerError | ScannerConnected | ScannerDisconnected | ScannerReconnecting
)


def event_record(event: ScannerEvent) -> dict[str, object]:
    """``event`` as a JSON-ready dict: ``{"event": "scan", "kind": "gs1", "gtin": …}``.

    A scan lists only the fields it has; dates are ISO 8601, decimals strings, enums their names.
    """
    match event:
        case ScanReceived(scan, received_at):
            record: dict[str, object] = {"event": "scan", "received_at": received_at.isoformat()}
            for field in fields(scan):
                value = getattr(scan, field.name)
                if value is not None:
                    record[field.name] = _json_value(value)
            return record
        case ScannerError(message, raw_hex):
            return {"event": "error", "message": message, "raw_hex": raw_hex}
        case ScannerConnected(port):
            return {"event": "connected", "port": port}
        case ScannerDisconnected(port, reason):
            return {"event": "disconnected", "port": port, "reason": reason}
        case ScannerReconnecting(port, attempt):
            return {"event": "reconnecting", "port": port, "attempt": attempt}


def _json_value(value: object) -> object:
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
