"""hub schema: supervisors, the decision audit trail, decision references on ledger rows and
exception resolutions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervisor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor")),
        sa.UniqueConstraint("name", name=op.f("uq_supervisor_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_supervisor_token_hash")),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("who", sa.String(length=40), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    op.create_index(op.f("ix_decision_warehouse"), "decision", ["warehouse"], unique=False)
    op.add_column("ledger", sa.Column("decision", sa.BigInteger(), nullable=True))
    op.add_column("ledger", sa.Column("reference", sa.String(length=40), nullable=True))
    op.add_column("hub_exception", sa.Column("resolution", sa.String(length=12), nullable=True))
    op.add_column("hub_exception", sa.Column("decision", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("hub_exception", "decision")
    op.drop_column("hub_exception", "resolution")
    op.drop_column("ledger", "reference")
    op.drop_column("ledger", "decision")
    op.drop_index(op.f("ix_decision_warehouse"), table_name="decision")
    op.drop_table("decision")
    op.drop_table("supervisor")
