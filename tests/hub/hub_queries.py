"""Read the hub's database directly, as an auditor would."""

from __future__ import annotations

from sqlalchemy import Engine, text


def received(engine: Engine) -> list[tuple[str, int]]:
    """Every (stream, seq) the hub holds, in order; a duplicate would show twice."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT stream_id, seq FROM received_op ORDER BY stream_id, seq"))
        return [(r.stream_id, r.seq) for r in rows]


def hub_qty(engine: Engine, location: str, sku: str) -> int:
    """Units of ``sku`` in a bin at the hub, all lots and statuses."""
    with engine.connect() as conn:
        q = text("SELECT COALESCE(SUM(qty), 0) FROM on_hand WHERE location = :l AND sku = :s")
        return int(conn.execute(q, {"l": location, "s": sku}).scalar_one())


def exception_kinds(engine: Engine) -> list[str]:
    """Kinds of the exceptions raised for supervisors, oldest first."""
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT kind FROM hub_exception ORDER BY id")))


def hub_stock(engine: Engine) -> dict[tuple[str, ...], int]:
    """The hub's on-hand for the demo warehouse, by natural key."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT sku, location, lot, container, status, qty FROM on_hand"
                " WHERE warehouse = 'DEMO' AND qty <> 0"
            )
        )
        return {tuple(r[:5]): r.qty for r in rows}


def terminal_stock(engine: Engine) -> dict[tuple[str, ...], int]:
    """A terminal's on-hand by the same natural key; also checks it equals its ledger."""
    with engine.connect() as conn:
        on_hand = text(
            "SELECT p.sku, l.code, COALESCE(lot.code, ''), COALESCE(c.code, ''), o.status,"
            " SUM(o.qty) FROM onhand o JOIN product p ON p.id = o.product_id"
            " JOIN location l ON l.id = o.location_id LEFT JOIN lot ON lot.id = o.lot_id"
            " LEFT JOIN container c ON c.id = o.container_id GROUP BY 1, 2, 3, 4, 5"
        )
        stock = {tuple(r[:5]): int(r[5]) for r in conn.execute(on_hand) if r[5] != 0}
        ledger = text(
            "SELECT COUNT(*) FROM (SELECT product_id, location_id, lot_id, container_id, status,"
            " SUM(delta) AS s FROM stockledger GROUP BY 1, 2, 3, 4, 5) WHERE s <> 0"
        )
        assert conn.execute(ledger).scalar_one() == len(stock), "ledger and on-hand disagree"
    return stock
