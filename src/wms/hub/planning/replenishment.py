"""Pick-face replenishment: min/max per face bin, and move tasks from reserve when it runs low.

A face is low when what it will hold falls below its min: on hand, plus replenishments on their
way, minus what released waves will pick from it. It is then topped up to its max from reserve,
earliest removal date first (whole pallets and cases when they fit), never with stock past its
removal date. Checked when a wave is released, when the floor's pushes move a face's stock,
and on demand (``wms hub replenish``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Connection, text

from wms.domain.allocation import Need, Stock
from wms.domain.kinds import LocationType, StockStatus
from wms.hub.planning.allocation import (
    Reserved,
    key_of,
    lock_stock,
    product_rules,
    take_from,
    write_reservations,
)
from wms.hub.planning.moves import MoveKind, MoveTask, create_moves


class LimitIn(BaseModel):
    """Min and max units of ``sku`` in pick-face bin ``location``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    location: str = Field(min_length=1, max_length=30)
    sku: str = Field(min_length=1, max_length=40)
    min_qty: int = Field(ge=0)
    max_qty: int = Field(ge=1)

    @model_validator(mode="after")
    def _min_below_max(self) -> LimitIn:
        if self.min_qty >= self.max_qty:
            raise ValueError(f"min {self.min_qty} must be below max {self.max_qty}")
        return self


class BadLimits(Exception):
    """Limits name a bin that is no pick face here, or an unknown product; nothing was set."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class FaceState:
    """A face bin's limits and what it holds, has coming, and owes to released waves."""

    location: str
    sku: str
    min_qty: int
    max_qty: int
    on_hand: int
    coming: int
    released: int

    @property
    def projected(self) -> int:
        """What the face will hold once replenishments arrive and released picks are made."""
        return self.on_hand + self.coming - self.released


_FACES = text(
    "SELECT f.location, f.sku, f.min_qty, f.max_qty,"
    " COALESCE((SELECT SUM(o.qty) FROM on_hand o WHERE o.warehouse = f.warehouse"
    " AND o.location = f.location AND o.sku = f.sku AND o.status = 'available'), 0) AS on_hand,"
    " COALESCE((SELECT SUM(m.qty - m.moved) FROM move_task m WHERE m.warehouse = f.warehouse"
    " AND m.to_location = f.location AND m.sku = f.sku AND m.kind = 'replenish'"
    " AND m.state = 'open'), 0) AS coming,"
    " COALESCE((SELECT SUM(r.qty) FROM reservation r WHERE r.warehouse = f.warehouse"
    " AND r.location = f.location AND r.sku = f.sku AND r.task IS NOT NULL), 0) AS released"
    " FROM face_limit f WHERE f.warehouse = :w"
    " AND (CAST(:locs AS text[]) IS NULL OR f.location = ANY(CAST(:locs AS text[])))"
    " ORDER BY f.location"
)
# Another transaction topping up a face right now has it in hand: skip it, never wait.
_CLAIM = text(
    "SELECT location FROM face_limit WHERE warehouse = :w"
    " AND location = ANY(CAST(:locs AS text[])) ORDER BY location FOR UPDATE SKIP LOCKED"
)
_SET = text(
    "INSERT INTO face_limit (warehouse, location, sku, min_qty, max_qty)"
    " VALUES (:w, :location, :sku, :min_qty, :max_qty) ON CONFLICT (warehouse, location)"
    " DO UPDATE SET sku = EXCLUDED.sku, min_qty = EXCLUDED.min_qty, max_qty = EXCLUDED.max_qty"
)


def set_limits(conn: Connection, warehouse: str, rows: Sequence[LimitIn]) -> int:
    """Set min/max for face bins of ``warehouse``; BadLimits (nothing set) for a bin that is
    not a pick face here or an unknown product."""
    types: dict[str, str] = {
        r.code: r.type
        for r in conn.execute(
            text("SELECT code, type FROM location WHERE warehouse = :w AND code = ANY(:c)"),
            {"w": warehouse, "c": [r.location for r in rows]},
        )
    }
    skus = set(
        conn.scalars(
            text("SELECT sku FROM product WHERE sku = ANY(:s)"), {"s": [r.sku for r in rows]}
        )
    )
    errors = []
    for r in rows:
        if r.location not in types:
            errors.append(f"{r.location}: no such bin in {warehouse}")
        elif types[r.location] != LocationType.PICK_FACE:
            errors.append(f"{r.location}: a {types[r.location]} bin, not a pick face")
        if r.sku not in skus:
            errors.append(f"{r.location}: unknown product {r.sku}")
    if errors:
        raise BadLimits(errors)
    for r in rows:
        conn.execute(_SET, {"w": warehouse, **r.model_dump()})
    return len(rows)


def faces(
    conn: Connection, warehouse: str, locations: Sequence[str] | None = None
) -> list[FaceState]:
    """Every face with limits (or those in ``locations``), with its figures."""
    rows = conn.execute(
        _FACES, {"w": warehouse, "locs": None if locations is None else list(locations)}
    )
    return [FaceState(**r._mapping) for r in rows]


def _reserve(stock: Stock) -> bool:
    return not stock.face


def top_up(
    conn: Connection,
    warehouse: str,
    locations: Sequence[str] | None = None,
    today: date | None = None,
) -> list[str]:
    """Raise replenishments for low faces (all, or those in ``locations``); their numbers."""
    low = [f for f in faces(conn, warehouse, locations) if f.projected < f.min_qty]
    if not low:
        return []
    claimed = set(conn.scalars(_CLAIM, {"w": warehouse, "locs": [f.location for f in low]}))
    low = [f for f in low if f.location in claimed]
    day = today or datetime.now(UTC).date()
    rules = product_rules(conn, {f.sku for f in low})
    stock = lock_stock(conn, warehouse, {f.sku for f in low})
    moves: list[MoveTask] = []
    keys = []
    for f in low:
        r = rules[f.sku]
        need = Need(
            qty=f.max_qty - f.projected,
            statuses=(StockStatus.AVAILABLE,),
            dispatch=day,
            margin_days=r.margin_days,
            case_qty=r.case_qty,
        )
        for s, n in take_from(stock, f.sku, need, only=_reserve):
            moves.append(MoveTask(MoveKind.REPLENISH, f.sku, s.lot, s.location, f.location, n))
            keys.append(key_of(f.sku, s))
    made = create_moves(conn, warehouse, moves)
    write_reservations(
        conn,
        warehouse,
        [Reserved(k, m.qty, move_task=i) for k, m, (i, _) in zip(keys, moves, made, strict=True)],
    )
    return [number for _, number in made]
