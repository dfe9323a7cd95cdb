"""Writing master data at the hub: upsert rows by natural key and publish them to the feed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects.postgresql import insert

from wms.hub import schema as t
from wms.hub.feed import EVERY_WAREHOUSE, Emit, emit

# kind -> (table, natural key columns): a warehouse-scoped kind's key starts with "warehouse";
# its feed key is the rest (the change row itself names the warehouse).
KINDS: dict[str, tuple[Table, tuple[str, ...]]] = {
    "product": (t.product, ("sku",)),
    "barcode": (t.product_barcode, ("code",)),
    "location": (t.location, ("warehouse", "code")),
    "operator": (t.operator, ("warehouse", "code")),
    "lot": (t.lot, ("sku", "code")),
    "container": (t.container, ("warehouse", "code")),
    "carton": (t.carton, ("warehouse", "code")),
}


def scoped(kind: str) -> bool:
    """Whether rows of ``kind`` belong to one warehouse (else: master data for every one)."""
    return KINDS[kind][1][0] == "warehouse"


def stock_key(sku: str, location: str, lot: str, container: str, status: str) -> str:
    """The feed key of one on-hand row."""
    return "|".join((sku, location, lot, container, status))


def upsert(conn: Connection, kind: str, rows: Sequence[dict[str, Any]], warehouse: str) -> None:
    """Insert or update master rows of ``kind`` and publish them: a warehouse-scoped kind's
    rows are written for ``warehouse`` (whatever they say) and reach its terminals alone;
    shared master data reaches every warehouse.

    Rows are written in chunks so a million-product import stays within memory and
    statement-size limits.
    """
    table, keys = KINDS[kind]
    own = scoped(kind)
    if own and warehouse == EVERY_WAREHOUSE:
        raise ValueError(f"{kind} rows belong to one warehouse")
    columns = [c.name for c in table.columns]
    feed_keys = keys[1:] if own else keys
    for start in range(0, len(rows), 5000):
        chunk = [
            {c: r.get(c) for c in columns if c in r} | ({"warehouse": warehouse} if own else {})
            for r in rows[start : start + 5000]
        ]
        if not chunk:
            continue
        stmt = insert(table).values(chunk)
        updates = {c: stmt.excluded[c] for c in chunk[0] if c not in keys}
        stmt = (
            stmt.on_conflict_do_update(index_elements=list(keys), set_=updates)
            if updates
            else stmt.on_conflict_do_nothing()
        )
        conn.execute(stmt)
        emit(
            conn,
            (
                Emit(
                    warehouse if own else EVERY_WAREHOUSE,
                    kind,
                    "|".join(str(r[k]) for k in feed_keys),
                    r,
                )
                for r in chunk
            ),
        )


def ensure_warehouse(conn: Connection, code: str, name: str) -> None:
    """Create the warehouse if it is new (the demo, and `wms hub warehouse add`)."""
    conn.execute(insert(t.warehouse).values(code=code, name=name).on_conflict_do_nothing())


_WAREHOUSE_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")


def add_warehouse(conn: Connection, code: str, name: str) -> None:
    """Create warehouse ``code``; ValueError for a malformed code or name, or one in use."""
    if not _WAREHOUSE_CODE.fullmatch(code):
        raise ValueError(
            f"Not a warehouse code: {code!r} (1-20 capital letters, digits, - or _, e.g. HKG)"
        )
    if not name.strip() or len(name) > 100 or not name.isprintable():
        raise ValueError("A warehouse needs a name of 1-100 printable characters")
    if warehouse_exists(conn, code):
        raise ValueError(f"Warehouse {code} exists already")
    ensure_warehouse(conn, code, name.strip())


def warehouse_exists(conn: Connection, code: str) -> bool:
    """Whether the hub has warehouse ``code``."""
    found = conn.execute(select(t.warehouse.c.code).where(t.warehouse.c.code == code)).first()
    return found is not None
