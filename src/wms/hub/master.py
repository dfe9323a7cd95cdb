"""Writing master data at the hub: upsert rows by natural key and publish them to the feed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert

from wms.hub import schema as t
from wms.hub.feed import EVERY_WAREHOUSE, Emit, emit

# kind -> (table, key columns, warehouse-scoped?)
KINDS: dict[str, tuple[Table, tuple[str, ...], bool]] = {
    "product": (t.product, ("sku",), False),
    "barcode": (t.product_barcode, ("code",), False),
    "location": (t.location, ("code",), True),
    "operator": (t.operator, ("code",), False),
    "lot": (t.lot, ("sku", "code"), False),
    "container": (t.container, ("code",), True),
}


def stock_key(sku: str, location: str, lot: str, container: str, status: str) -> str:
    """The feed key of one on-hand row."""
    return "|".join((sku, location, lot, container, status))


def upsert(conn: Connection, kind: str, rows: Sequence[dict[str, Any]], warehouse: str) -> None:
    """Insert or update master rows of ``kind`` and publish each to ``warehouse``'s terminals.

    Rows are written in chunks so a million-product import stays within memory and
    statement-size limits.
    """
    table, keys, scoped = KINDS[kind]
    columns = [c.name for c in table.columns]
    for start in range(0, len(rows), 5000):
        chunk = [{c: r.get(c) for c in columns if c in r} for r in rows[start : start + 5000]]
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
                    warehouse if scoped else EVERY_WAREHOUSE,
                    kind,
                    "|".join(str(r[k]) for k in keys),
                    r,
                )
                for r in chunk
            ),
        )


def ensure_warehouse(conn: Connection, code: str, name: str) -> None:
    """Create the warehouse if it is new (imports and enrolment name it)."""
    conn.execute(insert(t.warehouse).values(code=code, name=name).on_conflict_do_nothing())
