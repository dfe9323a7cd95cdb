"""shipping: carriers, cartons, number pools and blocks, parcels and their lines, bookings,
loads, totes, manifests; products' sizes; reservations' stage on the way out

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 17:15:24.269331
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("sscc", sa.String(length=18), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("waybill", sa.String(length=30), nullable=True),
        sa.Column("shipment", sa.String(length=100), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("label_type", sa.String(length=4), nullable=True),
        sa.Column(
            "asked_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("warehouse", "sscc", name=op.f("pk_booking")),
    )
    op.create_table(
        "parcel_line",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("sscc", sa.String(length=18), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("from_location", sa.String(length=30), nullable=False),
        sa.Column("from_container", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="available", nullable=False),
        sa.PrimaryKeyConstraint("warehouse", "sscc", "n", name=op.f("pk_parcel_line")),
    )
    op.create_table(
        "tote",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("task", sa.String(length=40), nullable=True),
        sa.Column("cart", sa.String(length=30), nullable=True),
        sa.Column(
            "bound_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("warehouse", "code", name=op.f("pk_tote")),
    )
    op.create_table(
        "carrier",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("services", sa.ARRAY(sa.String(length=40)), server_default="{}", nullable=False),
        sa.Column("api", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_carrier_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("warehouse", "code", name=op.f("pk_carrier")),
    )
    op.create_table(
        "carton",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("length_mm", sa.Integer(), nullable=False),
        sa.Column("width_mm", sa.Integer(), nullable=False),
        sa.Column("height_mm", sa.Integer(), nullable=False),
        sa.Column("max_weight_g", sa.Integer(), nullable=False),
        sa.Column("tare_g", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_carton_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("warehouse", "code", name=op.f("pk_carton")),
    )
    op.create_table(
        "load",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=True),
        sa.Column("dock", sa.String(length=30), nullable=True),
        sa.Column("status", sa.String(length=8), server_default="open", nullable=False),
        sa.Column("parcels", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "opened_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_load_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("warehouse", "number", name=op.f("pk_load")),
    )
    op.create_table(
        "manifest",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("parcels", sa.Integer(), nullable=False),
        sa.Column("weight_g", sa.BigInteger(), nullable=False),
        sa.Column("made_by", sa.String(length=40), nullable=False),
        sa.Column(
            "made_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_manifest_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("warehouse", "carrier", "day", name=op.f("pk_manifest")),
    )
    op.create_table(
        "number_pool",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=True),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("next", sa.BigInteger(), nullable=False),
        sa.Column("format", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("numbers", sa.ARRAY(sa.String(length=30)), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "first <= next AND next <= last + 1", name=op.f("ck_number_pool_next_within")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_number_pool_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_pool")),
    )
    op.create_index(
        "ix_number_pool_kind", "number_pool", ["warehouse", "kind", "carrier"], unique=False
    )
    op.create_table(
        "parcel",
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("sscc", sa.String(length=18), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=True),
        sa.Column("waybill", sa.String(length=30), nullable=True),
        sa.Column("status", sa.String(length=8), server_default="packed", nullable=False),
        sa.Column("carton", sa.String(length=20), nullable=True),
        sa.Column("weight_g", sa.Integer(), nullable=True),
        sa.Column("expected_g", sa.Integer(), nullable=True),
        sa.Column("weight_source", sa.String(length=8), nullable=True),
        sa.Column("station", sa.String(length=30), nullable=True),
        sa.Column("location", sa.String(length=30), nullable=True),
        sa.Column("load", sa.String(length=40), nullable=True),
        sa.Column("customs_status", sa.String(length=12), nullable=True),
        sa.Column("customs_text", sa.Text(), nullable=True),
        sa.Column("booking", sa.String(length=8), server_default="booked", nullable=False),
        sa.Column("booking_tries", sa.Integer(), server_default="0", nullable=False),
        sa.Column("booking_error", sa.Text(), nullable=True),
        sa.Column("book_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("sscc_block", sa.BigInteger(), nullable=True),
        sa.Column("waybill_block", sa.BigInteger(), nullable=True),
        sa.Column("stream_id", sa.String(length=40), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("packed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_parcel_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("warehouse", "sscc", name=op.f("pk_parcel")),
    )
    op.create_index("ix_parcel_order", "parcel", ["order_number", "warehouse"], unique=False)
    op.create_index(
        "ix_parcel_shipped", "parcel", ["warehouse", "carrier", "shipped_at"], unique=False
    )
    op.create_index(
        "ix_parcel_to_book",
        "parcel",
        ["book_after"],
        unique=False,
        postgresql_where=sa.text("booking IN ('pending', 'voiding')"),
    )
    op.create_index(
        "uq_parcel_waybill",
        "parcel",
        ["warehouse", "carrier", "waybill"],
        unique=True,
        postgresql_where=sa.text("waybill IS NOT NULL"),
    )
    op.create_table(
        "number_block",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("pool", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=True),
        sa.Column("device", sa.Integer(), nullable=False),
        sa.Column("stream", sa.String(length=40), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column(
            "issued_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["pool"], ["number_pool.id"], name=op.f("fk_number_block_pool_number_pool")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_block")),
    )
    op.create_index(
        "ix_number_block_stream", "number_block", ["stream", "kind", "carrier"], unique=False
    )
    op.add_column("product", sa.Column("length_mm", sa.Integer(), nullable=True))
    op.add_column("product", sa.Column("width_mm", sa.Integer(), nullable=True))
    op.add_column("product", sa.Column("height_mm", sa.Integer(), nullable=True))
    op.add_column(
        "reservation",
        sa.Column("stage", sa.String(length=10), server_default="pick", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("reservation", "stage")
    op.drop_column("product", "height_mm")
    op.drop_column("product", "width_mm")
    op.drop_column("product", "length_mm")
    op.drop_index("ix_number_block_stream", table_name="number_block")
    op.drop_table("number_block")
    op.drop_index(
        "uq_parcel_waybill", table_name="parcel", postgresql_where=sa.text("waybill IS NOT NULL")
    )
    op.drop_index(
        "ix_parcel_to_book",
        table_name="parcel",
        postgresql_where=sa.text("booking IN ('pending', 'voiding')"),
    )
    op.drop_index("ix_parcel_shipped", table_name="parcel")
    op.drop_index("ix_parcel_order", table_name="parcel")
    op.drop_table("parcel")
    op.drop_index("ix_number_pool_kind", table_name="number_pool")
    op.drop_table("number_pool")
    op.drop_table("manifest")
    op.drop_table("load")
    op.drop_table("carton")
    op.drop_table("carrier")
    op.drop_table("tote")
    op.drop_table("parcel_line")
    op.drop_table("booking")
