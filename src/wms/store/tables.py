"""Every table of the terminal store, imported together so the metadata is complete."""

from wms.store.catalog import Location, Lot, Product, ProductBarcode, SerialNumber, Warehouse
from wms.store.documents import (
    CountEntry,
    CountTask,
    InboundDocument,
    InboundLine,
    MoveTask,
    OrderConsignee,
    OutboundLine,
    OutboundOrder,
    PickTask,
    PickTaskLine,
    PickTaskSlot,
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
from wms.store.shipping import Carrier, Carton, Load, NumberBlock, Parcel, ParcelLine, ToteRecord
from wms.store.stock import Container, OnHand, StockLedger
from wms.store.sync_state import EnrolAttempt, PullSeen, SyncState

__all__ = [
    "Carrier",
    "Carton",
    "Container",
    "CountEntry",
    "CountTask",
    "Counter",
    "DeviceIdentity",
    "EnrolAttempt",
    "ExceptionRecord",
    "InboundDocument",
    "InboundLine",
    "Load",
    "Location",
    "Lot",
    "MoveTask",
    "NumberBlock",
    "OnHand",
    "OpLog",
    "Operator",
    "OrderConsignee",
    "OutboundLine",
    "OutboundOrder",
    "Parcel",
    "ParcelLine",
    "PickTask",
    "PickTaskLine",
    "PickTaskSlot",
    "PinLockout",
    "Product",
    "ProductBarcode",
    "PullSeen",
    "ReceiptDiscrepancy",
    "SerialNumber",
    "StockLedger",
    "SyncState",
    "ToteRecord",
    "Warehouse",
    "metadata",
]
