"""terminal store: exception resolutions from the hub

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 21:37:48.816659
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# AutoString columns render as sqlmodel types; keep the import used for ruff.
_ = sqlmodel


def upgrade() -> None:
    with op.batch_alter_table("exceptionrecord", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hub_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("resolution", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True)
        )
        batch_op.add_column(
            sa.Column("resolved_by", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.add_column(
            sa.Column("resolved_why", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_exceptionrecord_hub_id"), ["hub_id"])


def downgrade() -> None:
    with op.batch_alter_table("exceptionrecord", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_exceptionrecord_hub_id"), type_="unique")
        batch_op.drop_column("resolved_why")
        batch_op.drop_column("resolved_by")
        batch_op.drop_column("resolution")
        batch_op.drop_column("hub_id")
