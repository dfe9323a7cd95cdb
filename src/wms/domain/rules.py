"""Guards shared by every operation: quantities, permissions, where stock may go."""

from __future__ import annotations

from wms.domain.errors import InvalidQuantity, NotPermitted, WrongLocation
from wms.domain.kinds import ACCEPTS, SUPERVISOR_OPS, LocationType, OpType, Role, StockStatus


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


def pickable(status: StockStatus, re_export: bool) -> bool:
    """Whether stock in ``status`` may be picked for an order of that kind."""
    if status is StockStatus.AVAILABLE:
        return True
    return re_export and status is StockStatus.CUSTOMS_HOLD
