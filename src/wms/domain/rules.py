"""Guards shared by every operation: quantities, permissions, where stock may go."""

from __future__ import annotations

from wms.domain.errors import InvalidQuantity, NotPermitted, WrongLocation
from wms.domain.kinds import (
    ACCEPTS,
    SUPERVISOR_OPS,
    TAKES,
    LocationType,
    OpType,
    OrderKind,
    Role,
    StockStatus,
)


def require_positive(qty: int) -> int:
    """Refuse zero or negative quantities."""
    if qty <= 0:
        raise InvalidQuantity(f"Quantity must be 1 or more, not {qty}")
    return qty


def require_role(role: Role, op: OpType) -> None:
    """Refuse an operation the operator's role does not allow."""
    if op in SUPERVISOR_OPS and role is not Role.SUPERVISOR:
        raise NotPermitted(f"{op.value.capitalize()} needs a supervisor")


def require_accepts(code: str, loc_type: LocationType, blocked: bool, status: StockStatus) -> None:
    """Refuse a destination that is blocked or whose type forbids the stock's status."""
    if blocked:
        raise WrongLocation(f"Bin {code} is blocked")
    if status not in ACCEPTS[loc_type]:
        raise WrongLocation(
            f"Bin {code} is {loc_type.value.replace('_', ' ')}: "
            f"no {status.value.replace('_', ' ')} stock"
        )


def may_take(kind: str, status: str) -> bool:
    """Whether stock in ``status`` may be picked for an order of trade mode ``kind``; an
    unknown kind is treated as domestic, the strictest."""
    known = kind if kind in OrderKind.__members__.values() else OrderKind.DOMESTIC
    return status in TAKES[OrderKind(known)]
