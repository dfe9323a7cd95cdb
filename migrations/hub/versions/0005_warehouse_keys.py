"""hub schema: every stock, location, container, document and operator key starts with its
warehouse; received ops name their device's warehouse

Existing rows are migrated: containers take the warehouse of their bin (or of the stock they
hold), and operators, who were published to every warehouse, get one row per warehouse so
every device keeps the operators it has. The feed's operator rows move to those warehouses.
A hub with operators but no warehouse at all gets warehouse MAIN for them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rekey(table: str, columns: list[str]) -> None:
    op.drop_constraint(op.f(f"pk_{table}"), table, type_="primary")
    op.create_primary_key(op.f(f"pk_{table}"), table, columns)


def _warehouse_fk(table: str) -> None:
    op.create_foreign_key(
        op.f(f"fk_{table}_warehouse_warehouse"), table, "warehouse", ["warehouse"], ["code"]
    )


def upgrade() -> None:
    ex = op.execute
    op.add_column("received_op", sa.Column("warehouse", sa.String(length=20), nullable=True))
    ex("UPDATE received_op r SET warehouse = d.warehouse FROM device d WHERE d.id = r.device")
    ex("UPDATE received_op SET warehouse = '' WHERE warehouse IS NULL")  # no such device
    op.alter_column("received_op", "warehouse", nullable=False)

    op.drop_index(op.f("ix_on_hand_warehouse"), table_name="on_hand")
    _rekey("on_hand", ["warehouse", "sku", "location", "lot", "container", "status"])
    _warehouse_fk("on_hand")
    op.drop_index("ix_ledger_stock", table_name="ledger")
    op.create_index(
        "ix_ledger_stock", "ledger", ["warehouse", "sku", "location", "lot", "occurred_at"]
    )

    op.drop_index(op.f("ix_document_warehouse"), table_name="document")
    _rekey("document", ["warehouse", "kind", "number"])

    # Containers: their bin's warehouse, else that of stock they held, else the first one.
    op.add_column("container", sa.Column("warehouse", sa.String(length=20), nullable=True))
    ex("UPDATE container c SET warehouse = l.warehouse FROM location l WHERE l.code = c.location")
    ex(
        "UPDATE container c SET warehouse = (SELECT min(warehouse) FROM ledger"
        " WHERE ledger.container = c.code) WHERE warehouse IS NULL"
    )
    ex("UPDATE container SET warehouse = (SELECT min(code) FROM warehouse) WHERE warehouse IS NULL")
    ex("DELETE FROM container WHERE warehouse IS NULL")  # a hub without any warehouse
    op.alter_column("container", "warehouse", nullable=False)
    _rekey("container", ["warehouse", "code"])
    _warehouse_fk("container")
    ex(  # a pallet code another warehouse's stock names: that warehouse's own container
        "INSERT INTO container (warehouse, code, kind) SELECT DISTINCT l.warehouse, c.code,"
        " c.kind FROM ledger l JOIN container c ON c.code = l.container"
        " JOIN warehouse w ON w.code = l.warehouse ON CONFLICT DO NOTHING"
    )

    op.drop_index(op.f("ix_location_warehouse"), table_name="location")
    _rekey("location", ["warehouse", "code"])
    op.create_index("ix_location_code", "location", ["code"])

    # Operators were every warehouse's: each warehouse gets its copy.
    ex(
        "INSERT INTO warehouse (code, name) SELECT 'MAIN', 'Main warehouse'"
        " WHERE EXISTS (SELECT 1 FROM operator) AND NOT EXISTS (SELECT 1 FROM warehouse)"
    )
    op.add_column("operator", sa.Column("warehouse", sa.String(length=20), nullable=True))
    op.drop_constraint(op.f("uq_operator_badge"), "operator", type_="unique")
    op.drop_constraint(op.f("pk_operator"), "operator", type_="primary")
    ex(
        "INSERT INTO operator (warehouse, code, badge, name, role, pin_hash, active)"
        " SELECT w.code, o.code, o.badge, o.name, o.role, o.pin_hash, o.active"
        " FROM operator o CROSS JOIN warehouse w WHERE o.warehouse IS NULL"
    )
    ex("DELETE FROM operator WHERE warehouse IS NULL")
    op.alter_column("operator", "warehouse", nullable=False)
    op.create_primary_key(op.f("pk_operator"), "operator", ["warehouse", "code"])
    op.create_unique_constraint(
        op.f("uq_operator_warehouse_badge"), "operator", ["warehouse", "badge"]
    )
    _warehouse_fk("operator")
    ex(
        "INSERT INTO change (warehouse, kind, key, xid, pos, body)"
        " SELECT o.warehouse, 'operator', o.code, pg_current_xact_id()::text::bigint,"
        " nextval('change_pos'), to_jsonb(o) FROM operator o"
        " ON CONFLICT (warehouse, kind, key) DO UPDATE"
        " SET xid = EXCLUDED.xid, pos = EXCLUDED.pos, body = EXCLUDED.body"
    )
    ex("DELETE FROM change WHERE warehouse = '*' AND kind = 'operator'")


def _unique_or_stop(table: str, columns: str, apart: str = "warehouse") -> None:
    """Going down merges warehouses' keys: refuse when two warehouses share one."""
    found = (
        op.get_bind()
        .execute(
            sa.text(
                f"SELECT {columns} FROM {table} GROUP BY {columns}"
                f" HAVING count(DISTINCT {apart}) > 1 LIMIT 1"
            )
        )
        .first()
    )
    if found is not None:
        raise RuntimeError(f"cannot downgrade: {table} {tuple(found)} is not one row any more")


def downgrade() -> None:
    ex = op.execute
    for table, columns in (
        ("on_hand", "sku, location, lot, container, status"),
        ("document", "kind, number"),
        ("location", "code"),
        ("container", "code"),
    ):
        _unique_or_stop(table, columns)
    _unique_or_stop("operator", "badge", apart="code")
    ex(
        "INSERT INTO change (warehouse, kind, key, xid, pos, body)"
        " SELECT DISTINCT ON (o.code) '*', 'operator', o.code,"
        " pg_current_xact_id()::text::bigint, nextval('change_pos'), to_jsonb(o) - 'warehouse'"
        " FROM operator o ORDER BY o.code, o.warehouse ON CONFLICT DO NOTHING"
    )
    ex("DELETE FROM change WHERE warehouse <> '*' AND kind = 'operator'")
    op.drop_constraint(op.f("fk_operator_warehouse_warehouse"), "operator", type_="foreignkey")
    op.drop_constraint(op.f("uq_operator_warehouse_badge"), "operator", type_="unique")
    op.drop_constraint(op.f("pk_operator"), "operator", type_="primary")
    ex(
        "DELETE FROM operator o USING operator k WHERE o.code = k.code"
        " AND o.warehouse > k.warehouse"
    )
    op.drop_column("operator", "warehouse")
    op.create_primary_key(op.f("pk_operator"), "operator", ["code"])
    op.create_unique_constraint(op.f("uq_operator_badge"), "operator", ["badge"])

    op.drop_index("ix_location_code", table_name="location")
    _rekey("location", ["code"])
    op.create_index(op.f("ix_location_warehouse"), "location", ["warehouse"])

    op.drop_constraint(op.f("fk_container_warehouse_warehouse"), "container", type_="foreignkey")
    _rekey("container", ["code"])
    op.drop_column("container", "warehouse")

    _rekey("document", ["kind", "number"])
    op.create_index(op.f("ix_document_warehouse"), "document", ["warehouse"])

    op.drop_index("ix_ledger_stock", table_name="ledger")
    op.create_index("ix_ledger_stock", "ledger", ["sku", "location", "lot", "occurred_at"])
    op.drop_constraint(op.f("fk_on_hand_warehouse_warehouse"), "on_hand", type_="foreignkey")
    _rekey("on_hand", ["sku", "location", "lot", "container", "status"])
    op.create_index(op.f("ix_on_hand_warehouse"), "on_hand", ["warehouse"])

    op.drop_column("received_op", "warehouse")
