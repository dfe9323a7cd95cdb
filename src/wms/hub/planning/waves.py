"""Waves: a supervisor releases open orders to the floor by rule, or a schedule does.

A rule picks open orders by carrier, cut-off, trade mode, priority and zone, most urgent first,
up to ``max_orders``. Their backorders are retried first; an order still short stays open
(unless the rule allows partial orders). The released orders' reservations become pick tasks,
single-order or cluster (carts of totes), and faces they empty are replenished. Orders are
claimed with ``FOR UPDATE SKIP LOCKED``: two releases at once never take the same order. A rule
that matches nothing is refused and writes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Connection, Engine, text

from wms.domain.kinds import OrderKind
from wms.domain.waves import CartLimits, PickLine, cluster_tasks, single_tasks
from wms.hub.planning.allocation import LineNeed, allocate, fill_backorders
from wms.hub.planning.order_documents import republish_orders
from wms.hub.planning.replenishment import top_up
from wms.hub.planning.tasks import publish_tasks

log = logging.getLogger("wms.hub")


class WaveRule(BaseModel):
    """Which open orders a wave takes, and how it makes their tasks."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    carrier: str | None = Field(default=None, max_length=40)
    cutoff: AwareDatetime | None = Field(default=None, description="ship-by at or before this")
    trade_mode: OrderKind | None = None
    min_priority: int | None = Field(default=None, ge=0, le=9)
    zone: str | None = Field(default=None, max_length=5, description="every pick in this zone")
    max_orders: int = Field(default=200, ge=1, le=10_000)
    allow_partial: bool = Field(default=False, description="release orders still short")
    cluster_totes: int | None = Field(default=None, ge=2, le=60, description="totes per cart")
    max_lines: int | None = Field(default=None, ge=1, description="lines per cart")
    max_weight_kg: float | None = Field(default=None, gt=0, description="weight per cart")

    @model_validator(mode="after")
    def _cart_limits_need_a_cart(self) -> WaveRule:
        if self.cluster_totes is None and (self.max_lines or self.max_weight_kg):
            raise ValueError("cart limits (max_lines, max_weight_kg) need cluster_totes")
        return self

    def describe(self) -> str:
        """The rule in words, for refusals and listings."""
        parts = [
            f"carrier {self.carrier}" if self.carrier else "",
            f"ship-by by {self.cutoff:%Y-%m-%d %H:%M %Z}" if self.cutoff else "",
            f"trade mode {self.trade_mode}" if self.trade_mode else "",
            f"priority {self.min_priority}+" if self.min_priority is not None else "",
            f"zone {self.zone}" if self.zone else "",
        ]
        return ", ".join(p for p in parts if p) or "any open order"

    def limits(self) -> CartLimits | None:
        """The cart, for a cluster wave."""
        if self.cluster_totes is None:
            return None
        grams = None if self.max_weight_kg is None else round(self.max_weight_kg * 1000)
        return CartLimits(self.cluster_totes, self.max_lines, grams)


class NothingToRelease(Exception):
    """No open order matches the rule (or none that matches has its stock); nothing written."""


@dataclass(frozen=True)
class Released:
    """A released wave: its id, orders, lines and tasks, orders held back short of stock, and
    the replenishments it raised."""

    wave: int
    orders: list[str]
    lines: int
    tasks: list[str]
    held_back: list[str] = field(default_factory=list)
    replenishments: list[str] = field(default_factory=list)


_CANDIDATES = text(
    "SELECT o.number, o.trade_mode, o.ship_by, o.ctid::text AS row FROM sales_order o"
    " WHERE o.warehouse = :w"
    " AND o.status = 'open'"
    " AND (CAST(:carrier AS text) IS NULL OR o.carrier = :carrier)"
    " AND (CAST(:cutoff AS timestamptz) IS NULL OR o.ship_by <= :cutoff)"
    " AND (CAST(:mode AS text) IS NULL OR o.trade_mode = :mode)"
    " AND (CAST(:prio AS int) IS NULL OR o.priority >= :prio)"
    " AND (CAST(:zone AS text) IS NULL OR (EXISTS (SELECT 1 FROM reservation r"
    " WHERE r.warehouse = o.warehouse AND r.order_number = o.number)"
    " AND NOT EXISTS (SELECT 1 FROM reservation r JOIN location l ON l.code = r.location"
    " AND l.warehouse = r.warehouse WHERE r.warehouse = o.warehouse"
    " AND r.order_number = o.number AND l.zone <> :zone)))"
    " ORDER BY o.priority DESC, o.ship_by NULLS LAST, o.received_at, o.number"
    " LIMIT :n FOR UPDATE OF o SKIP LOCKED"
)
_BACKORDERS = text(
    "SELECT order_number, line_no, sku, backordered, lot, min_shelf_days FROM order_line"
    " WHERE warehouse = :w AND order_number = ANY(CAST(:n AS text[])) AND backordered > 0"
    " ORDER BY order_number, line_no"
)
_SHORT = text(
    "SELECT DISTINCT order_number FROM order_line WHERE warehouse = :w"
    " AND order_number = ANY(CAST(:n AS text[])) AND backordered > 0"
)
# Index probes per order (LATERAL, kept apart by OFFSET 0 so the planner cannot flatten it
# into a scan of the whole table), whatever it believes of the tables' sizes.
_TO_PICK = text(
    "SELECT r.id, r.order_number, r.line_no, r.sku, r.location, r.lot, r.container, r.status,"
    " r.qty, l.pick_sequence, COALESCE(p.weight_g, 0) * r.qty AS weight_g"
    " FROM unnest(CAST(:n AS text[])) AS x(number) CROSS JOIN LATERAL (SELECT * FROM"
    " reservation WHERE order_number = x.number AND warehouse = :w AND task IS NULL"
    " OFFSET 0) r JOIN location l ON l.code = r.location AND l.warehouse = r.warehouse"
    " JOIN product p ON p.sku = r.sku"
)
_WAVE = text(
    "INSERT INTO wave (warehouse, rule, released_by, schedule, orders, lines, tasks)"
    " VALUES (:w, CAST(:rule AS jsonb), :who, :schedule, 0, 0, 0) RETURNING id"
)
_COUNTS = text("UPDATE wave SET orders = :o, lines = :l, tasks = :t WHERE id = :id")
# By the rows locked when the orders were claimed: nobody else can have moved them since.
_RELEASED = text(
    "UPDATE sales_order SET status = 'released', wave = :wave, updated_at = now()"
    " WHERE ctid = ANY(CAST(:rows AS tid[]))"
)


def _retry_backorders(conn: Connection, warehouse: str, candidates: list[Any], today: date) -> None:
    mode = {c.number: c for c in candidates}
    needs = [
        LineNeed(
            r.order_number,
            r.line_no,
            r.sku,
            r.backordered,
            mode[r.order_number].trade_mode,
            mode[r.order_number].ship_by.astimezone(UTC).date()
            if mode[r.order_number].ship_by
            else today,
            r.lot,
            r.min_shelf_days,
        )
        for r in conn.execute(_BACKORDERS, {"w": warehouse, "n": list(mode)})
    ]
    fill_backorders(conn, warehouse, allocate(conn, warehouse, needs))


def release(
    conn: Connection,
    warehouse: str,
    who: str,
    rule: WaveRule,
    *,
    schedule: str | None = None,
    today: date | None = None,
) -> Released:
    """Release a wave in the caller's transaction; NothingToRelease when nothing can go."""
    day = today or datetime.now(UTC).date()
    args = {
        "w": warehouse,
        "carrier": rule.carrier,
        "cutoff": rule.cutoff,
        "mode": rule.trade_mode,
        "prio": rule.min_priority,
        "zone": rule.zone,
        "n": rule.max_orders,
    }
    candidates = conn.execute(_CANDIDATES, args).all()
    if not candidates:
        raise NothingToRelease(f"no open order in {warehouse} matches: {rule.describe()}")
    _retry_backorders(conn, warehouse, list(candidates), day)
    short = set(conn.scalars(_SHORT, {"w": warehouse, "n": [c.number for c in candidates]}))
    lines = [
        PickLine(
            r.order_number,
            r.line_no,
            r.sku,
            r.location,
            r.lot,
            r.container,
            r.status,
            r.qty,
            r.pick_sequence,
            int(r.weight_g),
            r.id,
        )
        for r in conn.execute(_TO_PICK, {"w": warehouse, "n": [c.number for c in candidates]})
    ]
    picks: dict[str, list[PickLine]] = defaultdict(list)
    for ln in lines:
        picks[ln.order].append(ln)
    going = [
        c.number
        for c in candidates
        if picks[c.number] and (rule.allow_partial or c.number not in short)
    ]
    held_back = [c.number for c in candidates if c.number not in going]
    if not going:
        raise NothingToRelease(
            f"{len(candidates)} open order(s) match ({rule.describe()}) but none has all its"
            f" stock: {', '.join(held_back[:10])} backordered (allow partial orders to release"
            " what they have)"
        )
    chosen = [ln for o in going for ln in picks[o]]
    limits = rule.limits()
    planned = single_tasks(chosen) if limits is None else cluster_tasks(chosen, limits)
    wave = int(
        conn.execute(
            _WAVE,
            {"w": warehouse, "rule": rule.model_dump_json(), "who": who, "schedule": schedule},
        ).scalar_one()
    )
    tasks = publish_tasks(conn, warehouse, wave, planned)
    rows = [c.row for c in candidates if c.number in set(going)]
    conn.execute(_RELEASED, {"wave": wave, "rows": rows})
    conn.execute(_COUNTS, {"o": len(going), "l": len(chosen), "t": len(tasks), "id": wave})
    republish_orders(conn, warehouse, going)  # on the floor now: with the consignee
    faces = sorted({ln.location for ln in chosen})
    return Released(wave, going, len(chosen), tasks, held_back, top_up(conn, warehouse, faces, day))


# --- scheduled waves --------------------------------------------------------------------------

_DUE = text(
    "SELECT warehouse, name, rule, every_minutes FROM wave_schedule WHERE next_run <= :now"
    " ORDER BY next_run FOR UPDATE SKIP LOCKED LIMIT 1"
)
_NEXT = text(
    "UPDATE wave_schedule SET next_run = :next, last_result = :result"
    " WHERE warehouse = :w AND name = :n"
)


def add_schedule(
    conn: Connection, warehouse: str, name: str, rule: WaveRule, *, every_minutes: int, who: str
) -> datetime:
    """Release ``rule`` every ``every_minutes`` from now on; returns the first run."""
    if every_minutes < 1:
        raise ValueError("a schedule runs at least every minute")
    first = datetime.now(UTC) + timedelta(minutes=every_minutes)
    conn.execute(
        text(
            "INSERT INTO wave_schedule (warehouse, name, rule, every_minutes, next_run, created_by)"
            " VALUES (:w, :n, CAST(:rule AS jsonb), :every, :next, :who)"
            " ON CONFLICT (warehouse, name) DO UPDATE SET rule = EXCLUDED.rule,"
            " every_minutes = EXCLUDED.every_minutes, next_run = EXCLUDED.next_run,"
            " created_by = EXCLUDED.created_by"
        ),
        {
            "w": warehouse,
            "n": name,
            "rule": rule.model_dump_json(),
            "every": every_minutes,
            "next": first,
            "who": who,
        },
    )
    return first


def run_one_due(conn: Connection, now: datetime | None = None) -> tuple[str, str] | None:
    """Claim one due schedule (skipping those another hub process holds), release its wave,
    and set its next run; returns (schedule, what happened), or None when none is due."""
    at = now or datetime.now(UTC)
    row = conn.execute(_DUE, {"now": at}).first()
    if row is None:
        return None
    try:
        with conn.begin_nested():
            done = release(
                conn, row.warehouse, f"schedule {row.name}", WaveRule(**row.rule), schedule=row.name
            )
        result = f"wave {done.wave}: {len(done.orders)} orders, {len(done.tasks)} tasks"
    except NothingToRelease as e:
        result = str(e)
    nxt = at + timedelta(minutes=int(row.every_minutes))
    conn.execute(_NEXT, {"next": nxt, "result": result, "w": row.warehouse, "n": row.name})
    return str(row.name), result


def run_due(engine: Engine, now: datetime | None = None) -> list[tuple[str, str]]:
    """Release every due schedule, each in its own transaction; safe to call from several
    hub processes at once (each schedule run is claimed by one of them)."""
    out: list[tuple[str, str]] = []
    while True:
        with engine.begin() as conn:
            ran = run_one_due(conn, now)
        if ran is None:
            return out
        out.append(ran)


def schedule_loop(engine: Engine, every_seconds: float, stop: threading.Event) -> None:
    """Release due scheduled waves every ``every_seconds`` until ``stop`` is set (a hub
    process's background thread; several processes may run it at once)."""
    while not stop.wait(every_seconds):
        try:
            for schedule, result in run_due(engine):
                log.info("scheduled wave", extra={"schedule": schedule, "result": result})
        except Exception:  # a database hiccup must not end the loop: try again next time
            log.exception("scheduled waves failed")
