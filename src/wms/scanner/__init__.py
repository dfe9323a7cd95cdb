"""Serial barcode scanners: profiles, byte framing, the reader thread, the pty simulator.

The TUI uses `wms.scanner.reader.ScannerReader` (events to one callback; imported from its
module, which loads pyserial), the event classes, and
`key_text` for the keyboard path; what a scan means is `wms.domain.scan`.
"""

from wms.scanner.events import (
    ScannerConnected,
    ScannerDisconnected,
    ScannerError,
    ScannerEvent,
    ScannerReconnecting,
    ScanReceived,
    event_record,
)
from wms.scanner.keyboard import key_text
from wms.scanner.profile import PROFILES, ScannerProfile, Suffix, load_profile

__all__ = [
    "PROFILES",
    "ScanReceived",
    "ScannerConnected",
    "ScannerDisconnected",
    "ScannerError",
    "ScannerEvent",
    "ScannerProfile",
    "ScannerReconnecting",
    "Suffix",
    "event_record",
    "key_text",
    "load_profile",
]
