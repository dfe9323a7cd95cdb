"""What every service call needs: the store, a clock, the site's settings, and who is acting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from wms.domain.counting import Tolerance
from wms.domain.kinds import OpType, Role
from wms.domain.rules import require_role
from wms.store.uow import UnitOfWork


def utcnow() -> datetime:
    """The current time in UTC (the store keeps UTC; device clocks are for audit only)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Settings:
    """Site rules a supervisor may tune."""

    over_receipt_pct: float = 0.0
    count_tolerance: Tolerance = field(default_factory=lambda: Tolerance(units=0, percent=0.0))


@dataclass
class Context:
    """The store and the clock the services run against (tests pass a fixed clock)."""

    engine: Engine
    clock: Callable[[], datetime] = utcnow
    settings: Settings = field(default_factory=Settings)

    def uow(self, *, write: bool = True) -> UnitOfWork:
        """A new unit of work on this store."""
        return UnitOfWork(self.engine, write=write)

    def today(self) -> date:
        """Today's date by this context's clock."""
        return self.clock().date()


@dataclass(frozen=True)
class Actor:
    """The operator logged on at the terminal."""

    operator_id: int
    code: str
    name: str
    role: Role

    def may(self, op: OpType) -> None:
        """Refuse ``op`` unless this operator's role allows it."""
        require_role(self.role, op)
