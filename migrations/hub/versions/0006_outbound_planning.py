"""outbound planning: orders, reservations, waves, floor moves, count plans

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Numbers of count tasks planned at the hub (CT-H000001...), apart from terminals' own.
    op.execute("CREATE SEQUENCE count_task_no")
    op.create_table(
        "move_task",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("from_location", sa.String(length=30), nullable=False),
        sa.Column("to_location", sa.String(length=30), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("moved", sa.Integer(), server_default="0", nullable=False),
        sa.Column("state", sa.String(length=10), server_default="open", nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_move_task")),
        sa.UniqueConstraint("number", name=op.f("uq_move_task_number")),
    )
    op.create_index(
        "ix_move_task_open", "move_task", ["warehouse", "state", "to_location"], unique=False
    )
    op.create_table(
        "pick_line",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("task", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("wave", sa.BigInteger(), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=30), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("container", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("picked", sa.Integer(), server_default="0", nullable=False),
        sa.Column("tote", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), server_default="open", nullable=False),
        sa.PrimaryKeyConstraint("warehouse", "task", "seq", name=op.f("pk_pick_line")),
    )
    op.create_index("ix_pick_line_order", "pick_line", ["order_number", "warehouse"], unique=False)
    op.create_table(
        "reservation",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=30), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("container", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=True),
        sa.Column("line_no", sa.Integer(), nullable=True),
        sa.Column("task", sa.String(length=40), nullable=True),
        sa.Column("task_seq", sa.Integer(), nullable=True),
        sa.Column("move_task", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("qty > 0", name=op.f("ck_reservation_qty_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation")),
    )
    op.create_index(
        "ix_reservation_order", "reservation", ["order_number", "warehouse"], unique=False
    )
    op.create_index(
        "ix_reservation_stock",
        "reservation",
        ["warehouse", "sku", "location", "lot", "container", "status"],
        unique=False,
    )
    op.create_index("ix_reservation_task", "reservation", ["task", "task_seq"], unique=False)
    op.create_table(
        "sales_channel",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("warehouses", sa.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sales_channel")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sales_channel_token_hash")),
    )
    op.create_table(
        "count_plan",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("rule", sa.String(length=10), nullable=False),
        sa.Column("zone", sa.String(length=5), nullable=True),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("bins_per_day", sa.Integer(), nullable=False),
        sa.Column("every", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_count_plan_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("warehouse", "name", name=op.f("pk_count_plan")),
    )
    op.create_table(
        "face_limit",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("location", sa.String(length=30), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("min_qty", sa.Integer(), nullable=False),
        sa.Column("max_qty", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "0 <= min_qty AND min_qty < max_qty", name=op.f("ck_face_limit_min_below_max")
        ),
        sa.ForeignKeyConstraint(["sku"], ["product.sku"], name=op.f("fk_face_limit_sku_product")),
        sa.PrimaryKeyConstraint("warehouse", "location", name=op.f("pk_face_limit")),
    )
    op.create_table(
        "sales_order",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("shop", sa.String(length=100), nullable=True),
        sa.Column("trade_mode", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.Integer(), server_default="0", nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=True),
        sa.Column("service", sa.String(length=40), nullable=True),
        sa.Column("ship_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="open", nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("wave", sa.BigInteger(), nullable=True),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_sales_order_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("warehouse", "number", name=op.f("pk_sales_order")),
    )
    op.create_index(
        "ix_sales_order_open",
        "sales_order",
        ["warehouse", "priority"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index(
        "uq_sales_order_idempotency",
        "sales_order",
        ["warehouse", "channel", "idempotency_key"],
        unique=True,
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    op.create_table(
        "wave",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("rule", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("released_by", sa.String(length=40), nullable=False),
        sa.Column("schedule", sa.String(length=40), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("tasks", sa.Integer(), nullable=False),
        sa.Column(
            "released_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_wave_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wave")),
    )
    op.create_index(op.f("ix_wave_warehouse"), "wave", ["warehouse"], unique=False)
    op.create_table(
        "wave_schedule",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("rule", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("every_minutes", sa.Integer(), nullable=False),
        sa.Column("next_run", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("last_result", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_wave_schedule_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("warehouse", "name", name=op.f("pk_wave_schedule")),
    )
    op.create_table(
        "order_consignee",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=True),
        sa.Column("province", sa.String(length=60), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint("warehouse", "order_number", name=op.f("pk_order_consignee")),
    )
    op.create_table(
        "order_line",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("lot", sa.String(length=40), server_default="", nullable=False),
        sa.Column("min_shelf_days", sa.Integer(), nullable=True),
        sa.Column("unit_price", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("picked", sa.Integer(), server_default="0", nullable=False),
        sa.Column("backordered", sa.Integer(), server_default="0", nullable=False),
        sa.Column("cancelled", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("qty > 0", name=op.f("ck_order_line_qty_positive")),
        sa.ForeignKeyConstraint(["sku"], ["product.sku"], name=op.f("fk_order_line_sku_product")),
        sa.PrimaryKeyConstraint("warehouse", "order_number", "line_no", name=op.f("pk_order_line")),
    )
    op.add_column("product", sa.Column("weight_g", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("product", "weight_g")
    op.drop_table("order_line")
    op.drop_table("order_consignee")
    op.drop_table("wave_schedule")
    op.drop_index(op.f("ix_wave_warehouse"), table_name="wave")
    op.drop_table("wave")
    op.drop_index(
        "uq_sales_order_idempotency",
        table_name="sales_order",
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    op.drop_index(
        "ix_sales_order_open",
        table_name="sales_order",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_table("sales_order")
    op.drop_table("face_limit")
    op.drop_table("count_plan")
    op.drop_table("sales_channel")
    op.drop_index("ix_reservation_task", table_name="reservation")
    op.drop_index("ix_reservation_stock", table_name="reservation")
    op.drop_index("ix_reservation_order", table_name="reservation")
    op.drop_table("reservation")
    op.drop_index("ix_pick_line_order", table_name="pick_line")
    op.drop_table("pick_line")
    op.drop_index("ix_move_task_open", table_name="move_task")
    op.drop_table("move_task")
    op.execute("DROP SEQUENCE count_task_no")
