"""A supervisor at the hub for the supervisor tests: a token, and stock placed by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, text

from wms.hub.feed import Emit, emit
from wms.hub.master import stock_key, upsert
from wms.hub.supervision.supervisors import new_supervisor, renew_token


def supervisor_headers(engine: Engine, name: str = "maria") -> dict[str, str]:
    """Authorization for head-office supervisor ``name`` (created on first use; a later call
    gives them a new token)."""
    with engine.begin() as conn:
        known = conn.execute(text("SELECT 1 FROM supervisor WHERE name = :n"), {"n": name})
        token = renew_token(conn, name) if known.first() else new_supervisor(conn, name)
        return {"Authorization": f"Bearer {token}"}


def place_stock(
    engine: Engine,
    sku: str,
    location: str,
    lot: str,
    *,
    qty: int,
    expiry: str | None = None,
    container: str = "",
    status: str = "available",
) -> None:
    """Opening stock in a bin at the hub (of a new lot, when one is named), published."""
    row = {"sku": sku, "location": location, "lot": lot, "container": container, "status": status}
    with engine.begin() as conn:
        if lot:
            upsert(conn, "lot", [{"sku": sku, "code": lot, "expiry": expiry}], "DEMO")
        conn.execute(
            text(
                "INSERT INTO ledger (warehouse, sku, location, lot, container, status, delta,"
                " occurred_at) VALUES ('DEMO', :sku, :location, :lot, :container, :status,"
                " :qty, :at)"
            ),
            {**row, "qty": qty, "at": datetime(2026, 1, 1, tzinfo=UTC)},
        )
        conn.execute(
            text(
                "INSERT INTO on_hand (warehouse, sku, location, lot, container, status, qty)"
                " VALUES ('DEMO', :sku, :location, :lot, :container, :status, :qty)"
                " ON CONFLICT (warehouse, sku, location, lot, container, status)"
                " DO UPDATE SET qty = on_hand.qty + EXCLUDED.qty"
            ),
            {**row, "qty": qty},
        )
        emit(conn, [Emit("DEMO", "stock", stock_key(*row.values()), {**row, "qty": qty})])


def decisions(engine: Engine) -> list[tuple[str, str, str]]:
    """The audit trail: (action, who, why), oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT action, who, why FROM decision ORDER BY id"))
        return [(r.action, r.who, r.why) for r in rows]
