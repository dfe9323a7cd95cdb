"""terminal store: pick to tote, cluster tasks, packing and dispatch (hardware/SHIPPING.md)

Totes on a cart per pick task slot; carriers, cartons and the hub's number blocks; parcels and
their lines, loads, the hub's tote records; the order's carrier and consignee (personal data,
erased once it ships); products' weights and sizes; whether this terminal packs.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 18:18:32.593738
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# AutoString columns render as sqlmodel types; keep the import used for ruff.
_ = sqlmodel


def upgrade() -> None:
    op.create_table(
        "carrier",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("services", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_carrier")),
    )
    op.create_table(
        "carton",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("length_mm", sa.Integer(), nullable=False),
        sa.Column("width_mm", sa.Integer(), nullable=False),
        sa.Column("height_mm", sa.Integer(), nullable=False),
        sa.Column("max_weight_g", sa.Integer(), nullable=False),
        sa.Column("tare_g", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_carton")),
    )
    op.create_table(
        "numberblock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("carrier", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("stream", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("spec", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_numberblock")),
    )
    with op.batch_alter_table("numberblock", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_numberblock_stream"), ["stream"], unique=False)

    op.create_table(
        "parcel",
        sa.Column("sscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("order_number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("carrier", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("waybill", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("customs_status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("order_status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("load", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("expected_g", sa.Integer(), nullable=True),
        sa.Column("carton", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("station", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("booking", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("packed_here", sa.Boolean(), nullable=False),
        sa.Column("packed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("unpacked_to", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.PrimaryKeyConstraint("sscc", name=op.f("pk_parcel")),
    )
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parcel_order_number"), ["order_number"], unique=False)

    op.create_table(
        "toterecord",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("order_number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("task", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("cart", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_toterecord")),
    )
    op.create_table(
        "orderconsignee",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("province", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("postcode", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["outboundorder.id"],
            name=op.f("fk_orderconsignee_order_id_outboundorder"),
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_orderconsignee")),
    )
    op.create_table(
        "load",
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("carrier", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("dock_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dock_id"], ["location.id"], name=op.f("fk_load_dock_id_location")
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_load")),
    )
    op.create_table(
        "parcelline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("from_location_id", sa.Integer(), nullable=False),
        sa.Column("from_container_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_container_id"],
            ["container.id"],
            name=op.f("fk_parcelline_from_container_id_container"),
        ),
        sa.ForeignKeyConstraint(
            ["from_location_id"],
            ["location.id"],
            name=op.f("fk_parcelline_from_location_id_location"),
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_parcelline_lot_id_lot")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_parcelline_product_id_product")
        ),
        sa.ForeignKeyConstraint(["sscc"], ["parcel.sscc"], name=op.f("fk_parcelline_sscc_parcel")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcelline")),
    )
    with op.batch_alter_table("parcelline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parcelline_sscc"), ["sscc"], unique=False)

    op.create_table(
        "picktaskslot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("container_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["container_id"], ["container.id"], name=op.f("fk_picktaskslot_container_id_container")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["outboundorder.id"], name=op.f("fk_picktaskslot_order_id_outboundorder")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["picktask.id"], name=op.f("fk_picktaskslot_task_id_picktask")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_picktaskslot")),
        sa.UniqueConstraint("task_id", "slot", name=op.f("uq_picktaskslot_task_id_slot")),
    )
    with op.batch_alter_table("picktaskslot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_picktaskslot_container_id"), ["container_id"], unique=False
        )

    with op.batch_alter_table("outboundorder", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("carrier", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(
            sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )

    with op.batch_alter_table("picktask", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "format",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                server_default="single",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("cart_id", sa.Integer(), nullable=True))
        batch_op.alter_column("order_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_picktask_cart_id_location"), "location", ["cart_id"], ["id"]
        )

    with op.batch_alter_table("picktaskline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slot", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight_g", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("length_mm", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("width_mm", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("height_mm", sa.Integer(), nullable=True))

    with op.batch_alter_table("syncstate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("packs", sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("syncstate", schema=None) as batch_op:
        batch_op.drop_column("packs")

    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("height_mm")
        batch_op.drop_column("width_mm")
        batch_op.drop_column("length_mm")
        batch_op.drop_column("weight_g")

    with op.batch_alter_table("picktaskline", schema=None) as batch_op:
        batch_op.drop_column("slot")

    with op.batch_alter_table("picktask", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_picktask_cart_id_location"), type_="foreignkey")
        batch_op.alter_column("order_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("cart_id")
        batch_op.drop_column("format")

    with op.batch_alter_table("outboundorder", schema=None) as batch_op:
        batch_op.drop_column("service")
        batch_op.drop_column("carrier")

    with op.batch_alter_table("picktaskslot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_picktaskslot_container_id"))

    op.drop_table("picktaskslot")
    with op.batch_alter_table("parcelline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcelline_sscc"))

    op.drop_table("parcelline")
    op.drop_table("load")
    op.drop_table("orderconsignee")
    op.drop_table("toterecord")
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_order_number"))

    op.drop_table("parcel")
    with op.batch_alter_table("numberblock", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_numberblock_stream"))

    op.drop_table("numberblock")
    op.drop_table("carton")
    op.drop_table("carrier")
