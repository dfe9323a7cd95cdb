"""hub schema: documents (receipts, orders, pick and count tasks) and pick task leases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:11:19.996379
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="open", nullable=False),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("leased_to", sa.Integer(), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouse.code"], name=op.f("fk_document_warehouse_warehouse")
        ),
        sa.PrimaryKeyConstraint("kind", "number", name=op.f("pk_document")),
    )
    op.create_index(op.f("ix_document_warehouse"), "document", ["warehouse"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_warehouse"), table_name="document")
    op.drop_table("document")
