"""hub schema: ledger deltas and on-hand quantities in bigint

Each delta a client sends fits an integer, but their sums did not: one adjust at the edge of
a 32-bit integer made every later push touching that stock fail. Rewrites the ledger table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("ledger", "delta", type_=sa.BigInteger(), existing_nullable=False)
    op.alter_column("on_hand", "qty", type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    op.alter_column("on_hand", "qty", type_=sa.Integer(), existing_nullable=False)
    op.alter_column("ledger", "delta", type_=sa.Integer(), existing_nullable=False)
