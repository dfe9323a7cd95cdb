"""terminal store: a full read of the feed sweeps, at its end, stock the hub did not mention

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 21:47:57.025938
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# AutoString columns render as sqlmodel types; keep the import used for ruff.
_ = sqlmodel


def upgrade() -> None:
    op.create_table(
        "pullseen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("container_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pullseen")),
    )
    with op.batch_alter_table("pullseen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pullseen_product_id"), ["product_id"], unique=False)

    with op.batch_alter_table("syncstate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("full_read", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("syncstate", schema=None) as batch_op:
        batch_op.drop_column("full_read")

    with op.batch_alter_table("pullseen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pullseen_product_id"))

    op.drop_table("pullseen")
