"""The small vocabularies the whole system shares: statuses, location types, roles, op types."""

from __future__ import annotations

from enum import StrEnum


class StockStatus(StrEnum):
    """What may be done with a quantity of stock."""

    AVAILABLE = "available"
    QUARANTINE = "quarantine"
    CUSTOMS_HOLD = "customs_hold"
    RECALLED = "recalled"


class LocationType(StrEnum):
    """The kind of place a location is; it decides which statuses may be stored there."""

    DOCK = "dock"
    STAGING = "staging"
    STORAGE = "storage"
    PICK_FACE = "pick_face"
    QUARANTINE = "quarantine"
    BONDED = "bonded"
    RETURNS = "returns"
    CART = "cart"  # a picking cart: the totes on it hold picked units until they are packed
    PACK = "pack"  # a pack station: parcels are closed here until they are loaded


class Tracking(StrEnum):
    """How units of a product are identified."""

    NONE = "none"
    LOT = "lot"
    SERIAL = "serial"


class ShortShelfLifeAction(StrEnum):
    """What receiving does with a lot whose remaining shelf life is below the minimum."""

    REFUSE = "refuse"
    QUARANTINE = "quarantine"


class Role(StrEnum):
    """What an operator may do. Supervisors may do everything operators may."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"


class OrderKind(StrEnum):
    """An order's trade mode, which decides the stock it may take (``TAKES``): domestic
    (general trade) takes cleared stock only, re-export cleared or bonded stock, bonded retail
    (cross-border 1210) bonded stock only."""

    DOMESTIC = "domestic"
    RE_EXPORT = "re_export"
    BONDED_RETAIL = "bonded_retail"


# Stock statuses each trade mode may take, in the order allocation prefers them. Nothing takes
# quarantined or recalled stock.
TAKES: dict[OrderKind, tuple[StockStatus, ...]] = {
    OrderKind.DOMESTIC: (StockStatus.AVAILABLE,),
    OrderKind.RE_EXPORT: (StockStatus.CUSTOMS_HOLD, StockStatus.AVAILABLE),
    OrderKind.BONDED_RETAIL: (StockStatus.CUSTOMS_HOLD,),
}


class OrderStatus(StrEnum):
    """Where a customer order is, from intake to dispatch: one vocabulary for the hub, its API
    and the issues that build on it (pack, ship, customs, webhooks)."""

    OPEN = "open"  # accepted and allocated (in part: the rest is backordered), not on the floor
    RELEASED = "released"  # in a wave: its pick tasks are on the floor
    PICKING = "picking"  # a pick of it has arrived
    PICKED = "picked"  # nothing of it is left to pick (what could not be is backordered)
    PACKED = "packed"  # every picked unit is in a closed parcel
    LOADED = "loaded"  # every parcel of it is on a load at the dock
    SHIPPED = "shipped"  # every parcel of it left on a closed load
    CANCELLED = "cancelled"


# Once packed, an order is too far along to cancel.
CANCELLABLE = frozenset(
    {OrderStatus.OPEN, OrderStatus.RELEASED, OrderStatus.PICKING, OrderStatus.PICKED}
)


class OpType(StrEnum):
    """Every operation the terminal records in its op log."""

    RECEIVE = "receive"
    CLOSE_RECEIPT = "close_receipt"
    PUTAWAY = "putaway"
    MOVE = "move"
    MOVE_CONTAINER = "move_container"
    PICK = "pick"
    SHORT_PICK = "short_pick"
    COUNT = "count"
    ADJUST = "adjust"
    HOLD = "hold"
    RELEASE = "release"
    RETURN = "return"
    # The outbound floor (hardware/SHIPPING.md): a parcel closed, opened again, loaded,
    # shipped (its stock leaves the building), and a load closed.
    PACK = "pack"
    UNPACK = "unpack"
    LOAD = "load"
    SHIP = "ship"
    CLOSE_LOAD = "close_load"


# Statuses a location type may receive stock in (by putaway, move or receipt).
ACCEPTS: dict[LocationType, frozenset[StockStatus]] = {
    LocationType.DOCK: frozenset(StockStatus),
    LocationType.STAGING: frozenset(StockStatus),
    LocationType.STORAGE: frozenset({StockStatus.AVAILABLE}),
    LocationType.PICK_FACE: frozenset({StockStatus.AVAILABLE}),
    LocationType.QUARANTINE: frozenset({StockStatus.QUARANTINE, StockStatus.RECALLED}),
    LocationType.BONDED: frozenset({StockStatus.CUSTOMS_HOLD, StockStatus.AVAILABLE}),
    LocationType.RETURNS: frozenset({StockStatus.QUARANTINE, StockStatus.AVAILABLE}),
    # Picked and packed goods keep their status until they leave (bonded stays customs_hold).
    LocationType.CART: frozenset(StockStatus),
    LocationType.PACK: frozenset(StockStatus),
}

# Operations only a supervisor may perform.
SUPERVISOR_OPS = frozenset({OpType.ADJUST, OpType.HOLD, OpType.RELEASE})

# Where putaway sends stock of each status: its usual home, not every type that accepts it.
PUTAWAY_HOME: dict[StockStatus, frozenset[LocationType]] = {
    StockStatus.AVAILABLE: frozenset({LocationType.STORAGE, LocationType.PICK_FACE}),
    StockStatus.QUARANTINE: frozenset({LocationType.QUARANTINE}),
    StockStatus.RECALLED: frozenset({LocationType.QUARANTINE}),
    StockStatus.CUSTOMS_HOLD: frozenset({LocationType.BONDED}),
}
