"""terminal store: units returned per order line, so a return is bounded by what shipped

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outboundline", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("returned_qty", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("outboundline", schema=None) as batch_op:
        batch_op.drop_column("returned_qty")
