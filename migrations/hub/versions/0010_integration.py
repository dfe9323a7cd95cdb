"""integration: webhook subscriptions and their outbox, order status events, the available-to-sell
change log, an index for orders' timelines

Order status events and available-to-sell changes are written by triggers, in the transaction
that makes the change, whichever part of the hub makes it (see wms.hub.outbox and
wms.hub.integration.ats).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Events to every subscription of their order's channel that asked for their type. One event
# id per event, shared by its subscriptions, so a receiver behind several can de-duplicate.
# PL/pgSQL, so its plan is kept per connection (a SQL function's would be made on every call).
_ENQUEUE = """
CREATE FUNCTION outbox_enqueue(events jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  WITH e AS (
    SELECT x.n, x.warehouse, x."order", x.type, x.data,
      COALESCE(x.channel, (SELECT o.channel FROM sales_order o
                           WHERE o.warehouse = x.warehouse AND o.number = x."order")) AS channel,
      'evt_' || replace(gen_random_uuid()::text, '-', '') AS event_id
    FROM ROWS FROM (jsonb_to_recordset(events) AS (warehouse text, "order" text,
      channel text, type text, data jsonb)) WITH ORDINALITY AS x(warehouse, "order", channel,
      type, data, n)
  ), ins AS (
    INSERT INTO webhook_message (event_id, subscription, warehouse, order_number, type, payload)
    SELECT e.event_id, s.id, e.warehouse, e."order", e.type, jsonb_build_object('type', e.type,
      'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'data', e.data)
    FROM e JOIN webhook_subscription s ON s.channel = e.channel
      AND (e.type = ANY(s.events) OR '*' = ANY(s.events))
    ORDER BY e.n, s.id
    RETURNING 1
  )
  SELECT count(*)::integer INTO written FROM ins;
  RETURN written;
END $$
"""

_STATUS_EVENT = """
jsonb_build_object('warehouse', n.warehouse, 'order', n.number, 'channel', n.channel,
  'type', 'order.' || CASE n.status WHEN 'open' THEN 'received' ELSE n.status END,
  'data', jsonb_build_object('order', n.number, 'warehouse', n.warehouse, 'status', n.status,
    'previous_status', {previous}, 'wave', n.wave))
"""

# Statement-level, over the transition tables: a wave releasing 200 orders costs one call.
_ORDER_EVENTS = f"""
CREATE FUNCTION order_status_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_subscription
                 WHERE channel IN (SELECT DISTINCT channel FROM new_rows)) THEN
    RETURN NULL;  -- nobody listens to these orders' channels: nothing to write
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM outbox_enqueue(jsonb_agg({_STATUS_EVENT.format(previous="NULL::text")}
      ORDER BY n.warehouse, n.number))
    FROM new_rows n
    HAVING count(*) > 0;
  ELSE
    PERFORM outbox_enqueue(jsonb_agg({_STATUS_EVENT.format(previous="o.status")}
      ORDER BY n.warehouse, n.number))
    FROM new_rows n JOIN old_rows o ON o.warehouse = n.warehouse AND o.number = n.number
    WHERE o.status IS DISTINCT FROM n.status
    HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$
"""

_XID = "pg_current_xact_id()::text::bigint"
_ATS_TOUCHED = f"""
CREATE FUNCTION ats_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ats_change (warehouse, sku, xid)
    SELECT DISTINCT warehouse, sku, {_XID} FROM new_rows ORDER BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ats_change (warehouse, sku, xid)
    SELECT DISTINCT warehouse, sku, {_XID} FROM old_rows ORDER BY 1, 2;
  ELSE
    INSERT INTO ats_change (warehouse, sku, xid)
    SELECT warehouse, sku, {_XID} FROM new_rows UNION SELECT warehouse, sku, {_XID}
    FROM old_rows ORDER BY 1, 2;
  END IF;
  RETURN NULL;
END $$
"""

# Reservations count only when they are an order's and their units change: a wave giving them
# their pick task, or a replenishment's own, moves nothing a channel can sell.
_RESERVATION_TOUCHED = f"""
CREATE FUNCTION ats_reservation_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ats_change (warehouse, sku, xid)
    SELECT DISTINCT warehouse, sku, {_XID} FROM new_rows WHERE order_number IS NOT NULL
    ORDER BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ats_change (warehouse, sku, xid)
    SELECT DISTINCT warehouse, sku, {_XID} FROM old_rows WHERE order_number IS NOT NULL
    ORDER BY 1, 2;
  ELSE
    INSERT INTO ats_change (warehouse, sku, xid)
    SELECT DISTINCT n.warehouse, n.sku, {_XID} FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.qty, n.order_number IS NULL, n.sku, n.warehouse)
      IS DISTINCT FROM (o.qty, o.order_number IS NULL, o.sku, o.warehouse)
    ORDER BY 1, 2;
  END IF;
  RETURN NULL;
END $$
"""


def _statement_triggers(table: str, function: str, events: Sequence[str]) -> None:
    for event in events:
        tables = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }[event]
        op.execute(
            f"CREATE TRIGGER {table}_{function}_{event.lower()} AFTER {event} ON {table}"
            f" REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


def upgrade() -> None:
    op.create_table(
        "webhook_subscription",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("events", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["channel"],
            ["sales_channel.name"],
            name=op.f("fk_webhook_subscription_channel_sales_channel"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscription")),
    )
    op.create_index(
        op.f("ix_webhook_subscription_channel"), "webhook_subscription", ["channel"], unique=False
    )
    op.create_table(
        "webhook_message",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("subscription", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=10), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "next_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription"],
            ["webhook_subscription.id"],
            name=op.f("fk_webhook_message_subscription_webhook_subscription"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_message")),
        sa.UniqueConstraint(
            "subscription", "event_id", name=op.f("uq_webhook_message_subscription_event_id")
        ),
    )
    op.create_index(
        "ix_webhook_message_due",
        "webhook_message",
        ["id"],
        unique=False,
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_index(
        "ix_webhook_message_order",
        "webhook_message",
        ["subscription", "warehouse", "order_number", "id"],
        unique=False,
        postgresql_where=sa.text("state <> 'delivered'"),
    )
    op.create_table(
        "ats_change",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("warehouse", sa.String(length=20), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ats_change")),
    )
    op.create_index("ix_ats_change_feed", "ats_change", ["warehouse", "xid", "id"], unique=False)
    op.create_index(
        "ix_received_op_task",
        "received_op",
        [sa.text("(payload->>'task')")],
        unique=False,
        postgresql_where=sa.text("type IN ('pick', 'short_pick')"),
    )
    # What is held or promised already is where the feed starts.
    op.execute(
        f"INSERT INTO ats_change (warehouse, sku, xid) SELECT warehouse, sku, {_XID} FROM"
        " (SELECT warehouse, sku FROM on_hand UNION SELECT warehouse, sku FROM reservation"
        " WHERE order_number IS NOT NULL) s ORDER BY 1, 2"
    )
    op.execute(_ENQUEUE)
    op.execute(_ORDER_EVENTS)
    op.execute(_ATS_TOUCHED)
    op.execute(_RESERVATION_TOUCHED)
    _statement_triggers("sales_order", "order_status_events", ("INSERT", "UPDATE"))
    _statement_triggers("on_hand", "ats_touched", ("INSERT", "UPDATE", "DELETE"))
    _statement_triggers("reservation", "ats_reservation_touched", ("INSERT", "UPDATE", "DELETE"))


def downgrade() -> None:
    for table, function in (
        ("sales_order", "order_status_events"),
        ("on_hand", "ats_touched"),
        ("reservation", "ats_reservation_touched"),
    ):
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{function}_{event} ON {table}")
    for function in (
        "ats_reservation_touched",
        "ats_touched",
        "order_status_events",
        "outbox_enqueue",
    ):
        op.execute(f"DROP FUNCTION {function}")
    op.drop_index(
        "ix_received_op_task",
        table_name="received_op",
        postgresql_where=sa.text("type IN ('pick', 'short_pick')"),
    )
    op.drop_index("ix_ats_change_feed", table_name="ats_change")
    op.drop_table("ats_change")
    op.drop_index(
        "ix_webhook_message_order",
        table_name="webhook_message",
        postgresql_where=sa.text("state <> 'delivered'"),
    )
    op.drop_index(
        "ix_webhook_message_due",
        table_name="webhook_message",
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.drop_table("webhook_message")
    op.drop_index(op.f("ix_webhook_subscription_channel"), table_name="webhook_subscription")
    op.drop_table("webhook_subscription")
