"""terminal store: products' customs data, and customs' words on a parcel (hardware/CUSTOMS.md)

The pack station refuses a product lacking any of its customs data in a bonded-retail (1210)
parcel; dispatch tells the loader what customs said of a parcel it stopped.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customsitem",
        sa.Column("sku", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("hs_code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("legal_unit", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("item_record_no", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_customsitem")),
    )
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("customs_text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.drop_column("customs_text")
    op.drop_table("customsitem")
