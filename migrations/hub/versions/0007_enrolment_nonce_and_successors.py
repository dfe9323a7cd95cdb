"""hub schema: an enrolment's nonce (a retried enrolment gets its device back), and the device a
re-enrolled terminal replaces

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("device", sa.Column("enrol_nonce_hash", sa.String(length=64), nullable=True))
    op.add_column("device", sa.Column("replaces", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_device_replaces_device"), "device", "device", ["replaces"], ["id"]
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_device_replaces_device"), "device", type_="foreignkey")
    op.drop_column("device", "replaces")
    op.drop_column("device", "enrol_nonce_hash")
