"""hub schema: a supervisor's warehouse, and when each device last read the feed to its end

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 21:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("device", sa.Column("last_pull", sa.DateTime(timezone=True), nullable=True))
    op.add_column("supervisor", sa.Column("warehouse", sa.String(length=20), nullable=True))
    op.create_foreign_key(
        op.f("fk_supervisor_warehouse_warehouse"),
        "supervisor",
        "warehouse",
        ["warehouse"],
        ["code"],
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_supervisor_warehouse_warehouse"), "supervisor", type_="foreignkey")
    op.drop_column("supervisor", "warehouse")
    op.drop_column("device", "last_pull")
