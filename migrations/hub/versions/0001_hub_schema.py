"""hub schema: master data, stock ledger, devices, received ops, exceptions, pull feed

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:53:31.234398
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Feed positions: ordered within a transaction; the feed orders by (xid, pos).
    op.execute("CREATE SEQUENCE change_pos")
    op.create_table(
        "change",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=False),
        sa.Column("pos", sa.BigInteger(), nullable=False),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("warehouse", "kind", "key", name=op.f("pk_change")),
    )
    op.create_index("ix_change_feed", "change", ["xid", "pos"], unique=False)
    op.create_table(
        "container",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("location", sa.String(length=30), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_container")),
    )
    op.create_table(
        "hub_exception",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("stream_id", sa.String(length=40), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("resolved", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_exception")),
    )
    op.create_index(
        op.f("ix_hub_exception_warehouse"), "hub_exception", ["warehouse"], unique=False
    )
    op.create_table(
        "hub_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_hub_meta")),
    )
    op.create_table(
        "ledger",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=30), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("container", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.String(length=40), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger")),
    )
    op.create_index(
        "ix_ledger_stock", "ledger", ["sku", "location", "lot", "occurred_at"], unique=False
    )
    op.create_table(
        "lot",
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("sku", "code", name=op.f("pk_lot")),
    )
    op.create_table(
        "on_hand",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=30), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("container", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "sku", "location", "lot", "container", "status", name=op.f("pk_on_hand")
        ),
    )
    op.create_index(op.f("ix_on_hand_warehouse"), "on_hand", ["warehouse"], unique=False)
    op.create_table(
        "operator",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("badge", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=12), server_default="operator", nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_operator")),
        sa.UniqueConstraint("badge", name=op.f("uq_operator_badge")),
    )
    op.create_table(
        "product",
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tracking", sa.String(length=10), server_default="none", nullable=False),
        sa.Column("shelf_life_days", sa.Integer(), nullable=True),
        sa.Column("min_remaining_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "short_shelf_life_action", sa.String(length=12), server_default="refuse", nullable=False
        ),
        sa.Column("removal_margin_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "customs_controlled", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("supplier", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_product")),
    )
    op.create_table(
        "received_op",
        sa.Column("stream_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("operator", sa.String(length=20), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("rejected", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("stream_id", "seq", name=op.f("pk_received_op")),
    )
    op.create_table(
        "sync_audit",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_audit")),
    )
    op.create_index(op.f("ix_sync_audit_device"), "sync_audit", ["device"], unique=False)
    op.create_table(
        "warehouse",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_warehouse")),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("enrol_code_hash", sa.String(length=64), nullable=True),
        sa.Column("enrol_expires", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_device_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("enrol_code_hash", name=op.f("uq_device_enrol_code_hash")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_device_token_hash")),
    )
    op.create_table(
        "location",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("zone", sa.String(length=5), nullable=False),
        sa.Column("aisle", sa.String(length=2), nullable=False),
        sa.Column("bay", sa.String(length=2), nullable=True),
        sa.Column("level", sa.String(length=1), nullable=True),
        sa.Column("position", sa.String(length=1), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("pick_sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("blocked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_location_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_location")),
    )
    op.create_index(op.f("ix_location_warehouse"), "location", ["warehouse"], unique=False)
    op.create_table(
        "product_barcode",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), server_default="gtin", nullable=False),
        sa.Column("pack_qty", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_product_barcode_sku_product")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_product_barcode")),
    )
    op.create_index(op.f("ix_product_barcode_sku"), "product_barcode", ["sku"], unique=False)
    op.create_table(
        "op_stream",
        sa.Column("stream_id", sa.String(length=40), nullable=False),
        sa.Column("device", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["device"], ["device.id"], name=op.f("fk_op_stream_device_device")),
        sa.PrimaryKeyConstraint("stream_id", name=op.f("pk_op_stream")),
    )
    op.create_index(op.f("ix_op_stream_device"), "op_stream", ["device"], unique=False)
    # A fresh feed id per database: a cursor from another (restored, rebuilt) hub starts over.
    op.execute("INSERT INTO hub_meta (key, value) VALUES ('feed', gen_random_uuid()::text)")


def downgrade() -> None:
    op.drop_index(op.f("ix_op_stream_device"), table_name="op_stream")
    op.drop_table("op_stream")
    op.drop_index(op.f("ix_product_barcode_sku"), table_name="product_barcode")
    op.drop_table("product_barcode")
    op.drop_index(op.f("ix_location_warehouse"), table_name="location")
    op.drop_table("location")
    op.drop_table("device")
    op.drop_table("warehouse")
    op.drop_index(op.f("ix_sync_audit_device"), table_name="sync_audit")
    op.drop_table("sync_audit")
    op.drop_table("received_op")
    op.drop_table("product")
    op.drop_table("operator")
    op.drop_index(op.f("ix_on_hand_warehouse"), table_name="on_hand")
    op.drop_table("on_hand")
    op.drop_table("lot")
    op.drop_index("ix_ledger_stock", table_name="ledger")
    op.drop_table("ledger")
    op.drop_table("hub_meta")
    op.drop_index(op.f("ix_hub_exception_warehouse"), table_name="hub_exception")
    op.drop_table("hub_exception")
    op.drop_table("container")
    op.drop_index("ix_change_feed", table_name="change")
    op.drop_table("change")
    op.execute("DROP SEQUENCE change_pos")
