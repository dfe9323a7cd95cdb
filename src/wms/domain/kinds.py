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
    """Domestic orders take only available stock; re-export orders may take bonded stock."""

    DOMESTIC = "domestic"
    RE_EXPORT = "re_export"


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


# Statuses a location type may receive stock in (by putaway, move or receipt).
ACCEPTS: dict[LocationType, frozenset[StockStatus]] = {
    LocationType.DOCK: frozenset(StockStatus),
    LocationType.STAGING: frozenset(StockStatus),
    LocationType.STORAGE: frozenset({StockStatus.AVAILABLE}),
    LocationType.PICK_FACE: frozenset({StockStatus.AVAILABLE}),
    LocationType.QUARANTINE: frozenset({StockStatus.QUARANTINE, StockStatus.RECALLED}),
    LocationType.BONDED: frozenset({StockStatus.CUSTOMS_HOLD, StockStatus.AVAILABLE}),
    LocationType.RETURNS: frozenset({StockStatus.QUARANTINE, StockStatus.AVAILABLE}),
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
