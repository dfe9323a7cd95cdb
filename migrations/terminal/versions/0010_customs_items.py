"""terminal store: products' customs data as the warehouse declares them (hardware/CUSTOMS.md)

The pack station refuses a product lacking any of it in a bonded-retail (1210) parcel.

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


def downgrade() -> None:
    op.drop_table("customsitem")
