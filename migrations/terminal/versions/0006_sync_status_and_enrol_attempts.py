"""terminal store: the hub's device number, last push and pull times, enrolment attempts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 15:56:33.755739
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# AutoString columns render as sqlmodel types; keep the import used for ruff.
_ = sqlmodel


def upgrade() -> None:
    op.create_table(
        "enrolattempt",
        sa.Column("code_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("code_digest", name=op.f("pk_enrolattempt")),
    )
    with op.batch_alter_table("syncstate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("last_push", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("last_pull", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("syncstate", schema=None) as batch_op:
        batch_op.drop_column("last_pull")
        batch_op.drop_column("last_push")
        batch_op.drop_column("device")
    op.drop_table("enrolattempt")
