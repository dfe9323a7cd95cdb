"""terminal store: master data, stock ledger, documents, op log

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:26:06.783359
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# AutoString columns render as sqlmodel types; keep the import used for ruff.
_ = sqlmodel


def upgrade() -> None:
    op.create_table(
        "counter",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counter")),
    )
    op.create_table(
        "deviceidentity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviceidentity")),
    )
    op.create_table(
        "exceptionrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("op_seq", sa.Integer(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("details", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exceptionrecord")),
    )
    op.create_table(
        "operator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("badge", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("pin_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator")),
        sa.UniqueConstraint("badge", name=op.f("uq_operator_badge")),
        sa.UniqueConstraint("code", name=op.f("uq_operator_code")),
    )
    op.create_table(
        "oplog",
        sa.Column("device_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("payload", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("operator", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("acked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq", name=op.f("pk_oplog")),
    )
    with op.batch_alter_table("oplog", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oplog_acked"), ["acked"], unique=False)

    op.create_table(
        "outboundorder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("customer", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outboundorder")),
        sa.UniqueConstraint("number", name=op.f("uq_outboundorder_number")),
    )
    op.create_table(
        "product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("tracking", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("shelf_life_days", sa.Integer(), nullable=True),
        sa.Column("min_remaining_days", sa.Integer(), nullable=False),
        sa.Column(
            "short_shelf_life_action", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False
        ),
        sa.Column("removal_margin_days", sa.Integer(), nullable=False),
        sa.Column("customs_controlled", sa.Boolean(), nullable=False),
        sa.Column("supplier", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
        sa.UniqueConstraint("sku", name=op.f("uq_product_sku")),
    )
    op.create_table(
        "warehouse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse")),
        sa.UniqueConstraint("code", name=op.f("uq_warehouse_code")),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("zone", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("aisle", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("bay", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("position", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("pick_sequence", sa.Integer(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouse.id"], name=op.f("fk_location_warehouse_id_warehouse")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
        sa.UniqueConstraint("code", name=op.f("uq_location_code")),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_location_type"), ["type"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_location_warehouse_id"), ["warehouse_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_location_zone"), ["zone"], unique=False)

    op.create_table(
        "lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_lot_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lot")),
        sa.UniqueConstraint("product_id", "code", name=op.f("uq_lot_product_id_code")),
    )
    op.create_table(
        "outboundline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("picked_qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["outboundorder.id"], name=op.f("fk_outboundline_order_id_outboundorder")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_outboundline_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outboundline")),
        sa.UniqueConstraint("order_id", "line_no", name=op.f("uq_outboundline_order_id_line_no")),
    )
    op.create_table(
        "picktask",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_picktask_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["outboundorder.id"], name=op.f("fk_picktask_order_id_outboundorder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_picktask")),
        sa.UniqueConstraint("number", name=op.f("uq_picktask_number")),
    )
    op.create_table(
        "productbarcode",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("pack_qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_productbarcode_product_id_product")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_productbarcode")),
    )
    with op.batch_alter_table("productbarcode", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_productbarcode_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "container",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_container_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_container")),
        sa.UniqueConstraint("code", name=op.f("uq_container_code")),
    )
    op.create_table(
        "counttask",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("pass_no", sa.Integer(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_counttask_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_counttask_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_counttask_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counttask")),
        sa.UniqueConstraint("number", name=op.f("uq_counttask_number")),
    )
    op.create_table(
        "inbounddocument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("supplier", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("dock_id", sa.Integer(), nullable=True),
        sa.Column(
            "customs_declaration", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True
        ),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dock_id"], ["location.id"], name=op.f("fk_inbounddocument_dock_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbounddocument")),
        sa.UniqueConstraint("number", name=op.f("uq_inbounddocument_number")),
    )
    op.create_table(
        "picktaskline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("picked_qty", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_picktaskline_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["outboundline.id"],
            name=op.f("fk_picktaskline_order_line_id_outboundline"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_picktaskline_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["picktask.id"], name=op.f("fk_picktaskline_task_id_picktask")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_picktaskline")),
        sa.UniqueConstraint("task_id", "seq", name=op.f("uq_picktaskline_task_id_seq")),
    )
    op.create_table(
        "serialnumber",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("serial", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_serialnumber_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_serialnumber_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_serialnumber")),
        sa.UniqueConstraint("product_id", "serial", name=op.f("uq_serialnumber_product_id_serial")),
    )
    op.create_table(
        "countentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("pass_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("counted_qty", sa.Integer(), nullable=False),
        sa.Column("expected_qty", sa.Integer(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("counted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_countentry_lot_id_lot")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_countentry_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["counttask.id"], name=op.f("fk_countentry_task_id_counttask")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_countentry")),
    )
    with op.batch_alter_table("countentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_countentry_task_id"), ["task_id"], unique=False)

    op.create_table(
        "inboundline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("expected_qty", sa.Integer(), nullable=False),
        sa.Column("received_qty", sa.Integer(), nullable=False),
        sa.Column("damaged_qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["inbounddocument.id"],
            name=op.f("fk_inboundline_document_id_inbounddocument"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_inboundline_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inboundline")),
        sa.UniqueConstraint(
            "document_id", "line_no", name=op.f("uq_inboundline_document_id_line_no")
        ),
    )
    op.create_table(
        "onhand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("container_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["container_id"], ["container.id"], name=op.f("fk_onhand_container_id_container")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_onhand_location_id_location")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_onhand_lot_id_lot")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_onhand_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onhand")),
    )
    with op.batch_alter_table("onhand", schema=None) as batch_op:
        batch_op.create_index("ix_on_hand_container", ["container_id"], unique=False)
        batch_op.create_index(
            "ix_on_hand_key",
            ["product_id", "location_id", "lot_id", "container_id", "status"],
            unique=False,
        )
        batch_op.create_index("ix_on_hand_location", ["location_id"], unique=False)

    op.create_table(
        "receiptdiscrepancy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["inbounddocument.id"],
            name=op.f("fk_receiptdiscrepancy_document_id_inbounddocument"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_receiptdiscrepancy_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receiptdiscrepancy")),
    )
    with op.batch_alter_table("receiptdiscrepancy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receiptdiscrepancy_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "stockledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("op_seq", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("container_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["container_id"], ["container.id"], name=op.f("fk_stockledger_container_id_container")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_stockledger_location_id_location")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_stockledger_lot_id_lot")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_stockledger_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stockledger")),
    )
    with op.batch_alter_table("stockledger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stockledger_op_seq"), ["op_seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stockledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stockledger_op_seq"))

    op.drop_table("stockledger")
    with op.batch_alter_table("receiptdiscrepancy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receiptdiscrepancy_document_id"))

    op.drop_table("receiptdiscrepancy")
    with op.batch_alter_table("onhand", schema=None) as batch_op:
        batch_op.drop_index("ix_on_hand_location")
        batch_op.drop_index("ix_on_hand_key")
        batch_op.drop_index("ix_on_hand_container")

    op.drop_table("onhand")
    op.drop_table("inboundline")
    with op.batch_alter_table("countentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_countentry_task_id"))

    op.drop_table("countentry")
    op.drop_table("serialnumber")
    op.drop_table("picktaskline")
    op.drop_table("inbounddocument")
    op.drop_table("counttask")
    op.drop_table("container")
    with op.batch_alter_table("productbarcode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_productbarcode_product_id"))

    op.drop_table("productbarcode")
    op.drop_table("picktask")
    op.drop_table("outboundline")
    op.drop_table("lot")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_zone"))
        batch_op.drop_index(batch_op.f("ix_location_warehouse_id"))
        batch_op.drop_index(batch_op.f("ix_location_type"))

    op.drop_table("location")
    op.drop_table("warehouse")
    op.drop_table("product")
    op.drop_table("outboundorder")
    with op.batch_alter_table("oplog", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oplog_acked"))

    op.drop_table("oplog")
    op.drop_table("operator")
    op.drop_table("exceptionrecord")
    op.drop_table("deviceidentity")
    op.drop_table("counter")
