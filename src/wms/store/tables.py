"""Every table of the terminal store, imported together so the metadata is complete."""

from wms.store.catalog import Location, Lot, Product, ProductBarcode, SerialNumber, Warehouse
from wms.store.documents import (
    CountEntry,
    CountTask,
    InboundDocument,
    InboundLine,
    MoveTask,
    OutboundLine,
    OutboundOrder,
    PickTask,
    PickTaskLine,
    ReceiptDiscrepancy,
)
from wms.store.metadata import metadata
from wms.store.people import (
    Counter,
    DeviceIdentity,
    ExceptionRecord,
    Operator,
    OpLog,
    PinLockout,
)
from wms.store.stock import Container, OnHand, StockLedger
from wms.store.sync_state import EnrolAttempt, PullSeen, SyncState

__all__ = [
    "Container",
    "CountEntry",
    "CountTask",
    "Counter",
    "DeviceIdentity",
    "EnrolAttempt",
    "ExceptionRecord",
    "InboundDocument",
    "InboundLine",
    "Location",
    "Lot",
    "MoveTask",
    "OnHand",
    "OpLog",
    "Operator",
    "OutboundLine",
    "OutboundOrder",
    "PickTask",
    "PickTaskLine",
    "PinLockout",
    "Product",
    "ProductBarcode",
    "PullSeen",
    "ReceiptDiscrepancy",
    "SerialNumber",
    "StockLedger",
    "SyncState",
    "Warehouse",
    "metadata",
]
