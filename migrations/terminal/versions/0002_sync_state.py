"""terminal store: sync state (hub, token, pull cursor, last sync)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:52:36.138831
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# AutoString columns render as sqlmodel types; keep the import used for ruff.
_ = sqlmodel


def upgrade() -> None:
    op.create_table(
        "syncstate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_url", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("warehouse", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("pull_cursor", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("last_sync", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_syncstate")),
    )


def downgrade() -> None:
    op.drop_table("syncstate")
