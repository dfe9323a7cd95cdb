"""hub data: PIN hashes cheaper than today's scrypt cost are wrapped in one at today's cost

Terminals log on offline, so a PIN's hash travels to every terminal of its warehouse; hashed
cheaply, a short PIN fell to one core in minutes. The PINs are unknown here, so the old digest
is hashed again (see wms.services.auth.strengthen) and republished to the operators'
terminals. Going down leaves the stronger hashes in place.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wms.services.auth import needs_strengthening, strengthen

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT warehouse, code, pin_hash FROM operator WHERE pin_hash IS NOT NULL")
    ).all()
    for r in rows:
        if not needs_strengthening(r.pin_hash):
            continue
        conn.execute(
            sa.text("UPDATE operator SET pin_hash = :h WHERE warehouse = :w AND code = :c"),
            {"h": strengthen(r.pin_hash), "w": r.warehouse, "c": r.code},
        )
        conn.execute(
            sa.text(
                "UPDATE change SET xid = pg_current_xact_id()::text::bigint,"
                " pos = nextval('change_pos'), body = (SELECT to_jsonb(o) FROM operator o"
                " WHERE o.warehouse = :w AND o.code = :c)"
                " WHERE warehouse = :w AND kind = 'operator' AND key = :c"
            ),
            {"w": r.warehouse, "c": r.code},
        )


def downgrade() -> None:
    pass  # a wrapped hash cannot be unwrapped; it verifies the same PINs
