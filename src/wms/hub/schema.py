"""The hub's PostgreSQL schema, on its own MetaData (the terminal's is ``SQLModel.metadata``).

Rows are keyed by natural keys (sku, location code, lot code, container code, document number):
ops arrive with natural keys, and a fact about an unknown product must still be recordable.
An absent lot or container is stored as '' so it can be part of a primary key.

Warehouses are isolated by construction: every stock, location, container, document, operator
and exception key starts with its warehouse, so a code reused by another warehouse (or named
by a careless or hostile client) can never reach this one's rows. Products and lots are
master data shared by every warehouse.
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_NOW = text("now()")


def _ts(name: str, *, nullable: bool = False) -> Column[object]:
    default = None if nullable else _NOW
    return Column(name, DateTime(timezone=True), nullable=nullable, server_default=default)


hub_meta = Table(
    "hub_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

warehouse = Table(
    "warehouse",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("name", String(100), nullable=False),
)

# --- devices and what they sent ---------------------------------------------------------

device = Table(
    "device",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("warehouse", ForeignKey("warehouse.code"), nullable=False),
    Column("token_hash", String(64), unique=True),
    Column("enrol_code_hash", String(64), unique=True),
    Column("enrol_expires", DateTime(timezone=True)),
    Column("revoked", Boolean, nullable=False, server_default=text("false")),
    _ts("created_at"),
    _ts("enrolled_at", nullable=True),
    _ts("last_seen", nullable=True),
    # When the device last read the feed to its end: what it knows is at least that recent.
    _ts("last_pull", nullable=True),
    # The terminal's nonce for its enrolment: a retry with it (the reply was lost) gets a new
    # token for this device, until the device first uses a token, which spends the code.
    Column("enrol_nonce_hash", String(64)),
    # The revoked device whose op streams (and pick task leases) this one takes over when it
    # enrols: a re-enrolled terminal's queued ops are still its own.
    Column("replaces", ForeignKey("device.id")),
)

# One per (install or restored backup) of a device: the terminal's DeviceIdentity.device_id.
op_stream = Table(
    "op_stream",
    metadata,
    Column("stream_id", String(40), primary_key=True),
    Column("device", ForeignKey("device.id"), nullable=False, index=True),
    Column("epoch", Integer, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
)

received_op = Table(
    "received_op",
    metadata,
    Column("stream_id", String(40), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("device", Integer, nullable=False),
    # The sending device's warehouse: documents' progress is read from its own ops only.
    Column("warehouse", String(20), nullable=False),
    Column("type", String(20), nullable=False),
    Column("payload", JSONB),
    Column("operator", String(20)),
    Column("occurred_at", DateTime(timezone=True)),
    _ts("received_at"),
    Column("rejected", Text),
    # An order's timeline reads its picks by task (see integration.sources).
    Index(
        "ix_received_op_task",
        text("(payload->>'task')"),
        postgresql_where=text("type IN ('pick', 'short_pick')"),
    ),
)

hub_exception = Table(
    "hub_exception",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", String(20), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("stream_id", String(40)),
    Column("seq", BigInteger),
    Column("message", Text, nullable=False),
    Column("details", JSONB),
    _ts("created_at"),
    Column("resolved", Boolean, nullable=False, server_default=text("false")),
    # How a supervisor resolved it; the decision row holds who, when and why.
    Column("resolution", String(12)),
    Column("decision", BigInteger),
)

sync_audit = Table(
    "sync_audit",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("device", Integer, nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("count", Integer, nullable=False),
    Column("detail", Text),
    _ts("at"),
)

# --- supervisors and their decisions -----------------------------------------------------

supervisor = Table(
    "supervisor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("revoked", Boolean, nullable=False, server_default=text("false")),
    # The one warehouse whose stock they decide on; none: every warehouse (a head office).
    Column("warehouse", ForeignKey("warehouse.code")),
    _ts("created_at"),
)

# The audit trail: every supervisor decision, who took it, when and why. Never updated or
# deleted; ledger rows and resolved exceptions point back to it.
decision = Table(
    "decision",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", String(20), nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("who", String(40), nullable=False),
    Column("why", Text, nullable=False),
    Column("details", JSONB),
    _ts("at"),
)

# --- master data ----------------------------------------------------------------------------

product = Table(
    "product",
    metadata,
    Column("sku", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("tracking", String(10), nullable=False, server_default="none"),
    Column("shelf_life_days", Integer),
    Column("min_remaining_days", Integer, nullable=False, server_default="0"),
    Column("short_shelf_life_action", String(12), nullable=False, server_default="refuse"),
    Column("removal_margin_days", Integer, nullable=False, server_default="0"),
    Column("customs_controlled", Boolean, nullable=False, server_default=text("false")),
    Column("supplier", String(100)),
    # Grams per unit, for carts' weight limits; unknown counts as nothing.
    Column("weight_g", Integer),
    # A unit's size, where known: the pack station suggests a carton from it.
    Column("length_mm", Integer),
    Column("width_mm", Integer),
    Column("height_mm", Integer),
)

product_barcode = Table(
    "product_barcode",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("sku", ForeignKey("product.sku"), nullable=False, index=True),
    Column("kind", String(10), nullable=False, server_default="gtin"),
    Column("pack_qty", Integer, nullable=False, server_default="1"),
)

location = Table(
    "location",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("code", String(30), primary_key=True),
    Column("zone", String(5), nullable=False),
    Column("aisle", String(2), nullable=False),
    Column("bay", String(2)),
    Column("level", String(1)),
    Column("position", String(1)),
    Column("type", String(20), nullable=False),
    Column("capacity", Integer),
    Column("pick_sequence", Integer, nullable=False, server_default="0"),
    Column("blocked", Boolean, nullable=False, server_default=text("false")),
    # Ingest looks a pushed code up in every warehouse, to refuse another warehouse's bin.
    Index("ix_location_code", "code"),
)

# Operators work in one warehouse: a device receives its own warehouse's operators only.
operator = Table(
    "operator",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("badge", String(40), nullable=False),
    Column("name", String(100), nullable=False),
    Column("role", String(12), nullable=False, server_default="operator"),
    Column("pin_hash", String(200)),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    UniqueConstraint("warehouse", "badge"),
)

lot = Table(
    "lot",
    metadata,
    Column("sku", String(40), primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("expiry", Date),
)

container = Table(
    "container",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("kind", String(5), nullable=False),
    Column("location", String(30)),
)

# --- stock ------------------------------------------------------------------------------------

ledger = Table(
    "ledger",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", String(20), nullable=False),
    Column("sku", String(40), nullable=False),
    Column("location", String(30), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("container", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    # bigint: no sum of bounded deltas a client can send overflows it (see wms.sync.bounds).
    Column("delta", BigInteger, nullable=False),
    Column("stream_id", String(40)),
    Column("seq", BigInteger),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    _ts("recorded_at"),
    # Rows written by a supervisor's decision (not an op): the decision, and its reference
    # (the customs declaration of a clearance, the recall's number).
    Column("decision", BigInteger),
    Column("reference", String(40)),
    Index("ix_ledger_stock", "warehouse", "sku", "location", "lot", "occurred_at"),
)

on_hand = Table(
    "on_hand",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("sku", String(40), primary_key=True),
    Column("location", String(30), primary_key=True),
    Column("lot", String(40), primary_key=True),
    Column("container", String(20), primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("qty", BigInteger, nullable=False),
)

# --- the pull feed --------------------------------------------------------------------------

# One row per (warehouse, kind, key), moved forward on every change: the feed is its own
# compaction, so reading it from the start is a full snapshot. '*' = every warehouse.
change = Table(
    "change",
    metadata,
    Column("warehouse", String(20), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("xid", BigInteger, nullable=False),
    Column("pos", BigInteger, nullable=False),
    Column("body", JSONB),
    Index("ix_change_feed", "xid", "pos"),
)

# --- documents and tasks ----------------------------------------------------------------------

# Receipts, orders, pick tasks and count tasks, each a header with its lines by natural keys
# (``body``): terminals receive them whole. A pick task is leased to one device at a time.
document = Table(
    "document",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("kind", String(12), primary_key=True),
    Column("number", String(40), primary_key=True),
    Column("status", String(12), nullable=False, server_default="open"),
    Column("body", JSONB, nullable=False),
    Column("leased_to", Integer),
    Column("lease_until", DateTime(timezone=True)),
)


# --- outbound planning: orders, reservations, waves, floor moves, count plans -----------------
# Every key starts with the warehouse: one warehouse's plans never reach another's.

# An integrator (a shop, a marketplace connector) that may post orders for some warehouses.
sales_channel = Table(
    "sales_channel",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("warehouses", ARRAY(String(20)), nullable=False),
    Column("revoked", Boolean, nullable=False, server_default=text("false")),
    _ts("created_at"),
)

sales_order = Table(
    "sales_order",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("number", String(40), primary_key=True),
    Column("channel", String(40), nullable=False),
    Column("shop", String(100)),
    Column("trade_mode", String(16), nullable=False),
    Column("priority", Integer, nullable=False, server_default="0"),
    Column("carrier", String(40)),
    Column("service", String(40)),
    Column("ship_by", DateTime(timezone=True)),
    Column("currency", String(3), nullable=False),
    Column("status", String(12), nullable=False, server_default="open"),
    # What was posted, hashed: the same order posted again is recognised without reading it.
    Column("content_hash", String(64), nullable=False),
    Column("idempotency_key", String(100)),
    Column("wave", BigInteger),
    _ts("received_at"),
    _ts("updated_at"),
    Column("cancel_reason", Text),
    Index(
        "uq_sales_order_idempotency",
        "warehouse",
        "channel",
        "idempotency_key",
        unique=True,
        postgresql_where=text("idempotency_key IS NOT NULL"),
    ),
    # Partial: the wave's candidates only, so lookups by number always take the primary key
    # (a second index led by the warehouse tempted the planner while statistics lagged).
    Index(
        "ix_sales_order_open",
        "warehouse",
        "priority",
        postgresql_where=text("status = 'open'"),
    ),
)

# Units of a line are always reserved + picked + backordered + cancelled = qty. Lines and
# consignees have no foreign key to their order: intake writes them in the transaction that
# writes the order, and nothing deletes orders; a per-row check cost three times the insert
# (more while the order table's statistics lag behind a burst of orders).
order_line = Table(
    "order_line",
    metadata,
    Column("warehouse", String(20), primary_key=True),
    Column("order_number", String(40), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("sku", ForeignKey("product.sku"), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("lot", String(40), nullable=False, server_default=""),
    Column("min_shelf_days", Integer),
    Column("unit_price", Numeric(14, 4), nullable=False),
    Column("picked", Integer, nullable=False, server_default="0"),
    Column("backordered", Integer, nullable=False, server_default="0"),
    Column("cancelled", Integer, nullable=False, server_default="0"),
    CheckConstraint("qty > 0", name="qty_positive"),
)

# Personal data, apart so it is read only where needed (the waybill) and never published to
# terminals or written to logs.
order_consignee = Table(
    "order_consignee",
    metadata,
    Column("warehouse", String(20), primary_key=True),
    Column("order_number", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("phone", String(30), nullable=False),
    Column("address", String(300), nullable=False),
    Column("city", String(60)),
    Column("province", String(60)),
    Column("postcode", String(20)),
    Column("country", String(2), nullable=False),
    # The buyer's identity card number: customs asks for it on a bonded-retail parcel's list.
    Column("id_number", String(60)),
)

# Units of one on-hand row promised to an order line (or to a replenishment move). Written in
# the transaction that decides it, with the on-hand rows locked: two decisions on the same
# stock serialise, so reserved never exceeds on hand.
reservation = Table(
    "reservation",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", String(20), nullable=False),
    Column("sku", String(40), nullable=False),
    Column("location", String(30), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("container", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("order_number", String(40)),
    Column("line_no", Integer),
    # The pick task line that walks it, once a wave released it.
    Column("task", String(40)),
    Column("task_seq", Integer),
    Column("move_task", BigInteger),
    _ts("created_at"),
    # Where the promised units are on their way out: still to pick (in a bin), picked (in a
    # tote on a cart), packed (in a parcel at a pack station), loaded (a parcel at the dock).
    Column("stage", String(10), nullable=False, server_default="pick"),
    CheckConstraint("qty > 0", name="qty_positive"),
    # Only the stock index leads with the warehouse: the others lead with what selects.
    Index("ix_reservation_stock", "warehouse", "sku", "location", "lot", "container", "status"),
    Index("ix_reservation_order", "order_number", "warehouse"),
    Index("ix_reservation_task", "task", "task_seq"),
)

wave = Table(
    "wave",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", ForeignKey("warehouse.code"), nullable=False, index=True),
    Column("rule", JSONB, nullable=False),
    Column("released_by", String(40), nullable=False),
    Column("schedule", String(40)),
    Column("orders", Integer, nullable=False),
    Column("lines", Integer, nullable=False),
    Column("tasks", Integer, nullable=False),
    _ts("released_at"),
)

# A wave rule released every ``every_minutes`` by whichever hub process claims it first.
wave_schedule = Table(
    "wave_schedule",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("rule", JSONB, nullable=False),
    Column("every_minutes", Integer, nullable=False),
    Column("next_run", DateTime(timezone=True), nullable=False),
    Column("created_by", String(40), nullable=False),
    Column("last_result", Text),
)

# One line of a released pick task, as the hub follows it.
pick_line = Table(
    "pick_line",
    metadata,
    Column("warehouse", String(20), primary_key=True),
    Column("task", String(40), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("wave", BigInteger, nullable=False),
    Column("order_number", String(40), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("sku", String(40), nullable=False),
    Column("location", String(30), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("container", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("picked", Integer, nullable=False, server_default="0"),
    Column("tote", Integer),
    # open, done, short (reported short on the floor), withdrawn (its order was cancelled)
    Column("state", String(10), nullable=False, server_default="open"),
    Index("ix_pick_line_order", "order_number", "warehouse"),
)

# Pick-face min/max: a replenishment is raised when the face runs low.
face_limit = Table(
    "face_limit",
    metadata,
    Column("warehouse", String(20), primary_key=True),
    Column("location", String(30), primary_key=True),
    Column("sku", ForeignKey("product.sku"), nullable=False),
    Column("min_qty", Integer, nullable=False),
    Column("max_qty", Integer, nullable=False),
    CheckConstraint("0 <= min_qty AND min_qty < max_qty", name="min_below_max"),
)

# Stock the hub asks the floor to move: a replenishment (reserve to face) or a put-back (goods
# picked for a cancelled order, back to stock). Terminals get them as move tasks.
move_task = Table(
    "move_task",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", String(20), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("number", String(40), nullable=False, unique=True),
    Column("sku", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("from_location", String(30), nullable=False),
    Column("to_location", String(30), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("moved", Integer, nullable=False, server_default="0"),
    Column("state", String(10), nullable=False, server_default="open"),
    Column("order_number", String(40)),
    _ts("created_at"),
    _ts("done_at", nullable=True),
    Index("ix_move_task_open", "warehouse", "state", "to_location"),
)

count_plan = Table(
    "count_plan",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("name", String(40), primary_key=True),
    # abc, zone, touched (bins moved since their last count) or zero (empty bins to confirm)
    Column("rule", String(10), nullable=False),
    Column("zone", String(5)),
    Column("period_days", Integer, nullable=False),
    Column("bins_per_day", Integer, nullable=False),
    # abc: days between counts per class, e.g. {"A": 30, "B": 90, "C": 180}
    Column("every", JSONB),
    Column("created_by", String(40), nullable=False),
    _ts("created_at"),
)


# --- integration: webhooks to sales channels, the available-to-sell change log ----------------

# A channel's endpoint for events about its orders. ``secret`` (``whsec_…``) signs deliveries, so
# it is kept as given out, like a carrier's API key; ``failures`` and ``retry_at`` back off an
# endpoint that keeps failing, so a receiver that is down costs one probe per interval.
webhook_subscription = Table(
    "webhook_subscription",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("channel", ForeignKey("sales_channel.name"), nullable=False, index=True),
    Column("url", String(2000), nullable=False),
    Column("events", ARRAY(String(40)), nullable=False),
    Column("secret", String(100), nullable=False),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("retry_at", DateTime(timezone=True)),
    _ts("created_at"),
)

# The outbox: one row per event and subscription, written in the transaction that made the
# event (see :mod:`wms.hub.outbox`), delivered at least once, in id order per order.
webhook_message = Table(
    "webhook_message",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("event_id", String(40), nullable=False),
    Column(
        "subscription",
        ForeignKey("webhook_subscription.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("warehouse", String(20), nullable=False),
    Column("order_number", String(40), nullable=False),
    Column("type", String(40), nullable=False),
    Column("payload", JSONB, nullable=False),
    _ts("created_at"),
    # pending, delivered, dead
    Column("state", String(10), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    _ts("next_at"),
    # A worker delivering it holds it until then; past it, another worker may take it over.
    Column("lease_until", DateTime(timezone=True)),
    Column("last_status", Integer),
    Column("last_error", Text),
    _ts("delivered_at", nullable=True),
    UniqueConstraint("subscription", "event_id"),
    Index("ix_webhook_message_due", "id", postgresql_where=text("state = 'pending'")),
    # What is still ahead of a message of the same order: delivery waits for it.
    Index(
        "ix_webhook_message_order",
        "subscription",
        "warehouse",
        "order_number",
        "id",
        postgresql_where=text("state <> 'delivered'"),
    ),
)

# Which products' available to sell may have changed, per warehouse, at feed positions
# ``(xid, id)`` (read below pg_snapshot_xmin, like the pull feed). Appended by triggers on
# on_hand and reservation; only the latest row per product is kept (see integration.ats).
ats_change = Table(
    "ats_change",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", String(20), nullable=False),
    Column("sku", String(40), nullable=False),
    Column("xid", BigInteger, nullable=False),
    Index("ix_ats_change_feed", "warehouse", "xid", "id"),
)


# --- shipping: carriers, cartons, number blocks, parcels, loads, manifests ----------------------
# Every key starts with the warehouse, as above.

carrier = Table(
    "carrier",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("name", String(100), nullable=False),
    # pool: waybill numbers from ranges the carrier assigned; api: booked online.
    Column("kind", String(4), nullable=False),
    Column("services", ARRAY(String(40)), nullable=False, server_default="{}"),
    # An API carrier's connection: connector, URL, the environment variable holding its key.
    Column("api", JSONB),
    _ts("created_at"),
)

carton = Table(
    "carton",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("length_mm", Integer, nullable=False),
    Column("width_mm", Integer, nullable=False),
    Column("height_mm", Integer, nullable=False),
    Column("max_weight_g", Integer, nullable=False),
    Column("tare_g", Integer, nullable=False, server_default="0"),
)

# Numbers the hub hands out: a warehouse's SSCC serials for parcels, a pool carrier's waybill
# numbers. ``next`` is the first serial not yet cut into a block; it only ever grows.
number_pool = Table(
    "number_pool",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", ForeignKey("warehouse.code"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("carrier", String(20)),
    Column("first", BigInteger, nullable=False),
    Column("last", BigInteger, nullable=False),
    Column("next", BigInteger, nullable=False),
    # How a serial becomes a number: SSCC (company prefix, extension digit) or waybill
    # (prefix, zero-padded digits, check digit scheme, suffix; a list pool's numbers as given).
    Column("format", JSONB, nullable=False),
    Column("numbers", ARRAY(String(30))),
    _ts("created_at"),
    CheckConstraint("first <= next AND next <= last + 1", name="next_within"),
    Index("ix_number_pool_kind", "warehouse", "kind", "carrier"),
)

# A run of a pool's serials handed to one device's op stream: only that stream uses them.
number_block = Table(
    "number_block",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", String(20), nullable=False),
    Column("pool", ForeignKey("number_pool.id"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("carrier", String(20)),
    Column("device", Integer, nullable=False),
    Column("stream", String(40), nullable=False),
    Column("first", BigInteger, nullable=False),
    Column("last", BigInteger, nullable=False),
    _ts("issued_at"),
    Index("ix_number_block_stream", "stream", "kind", "carrier"),
)

# A parcel as the floor closed it (a pack op); one row per SSCC and, while it has one, one per
# (carrier, waybill): two parcels with one number cannot be recorded.
parcel = Table(
    "parcel",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("sscc", String(18), primary_key=True),
    Column("order_number", String(40), nullable=False),
    Column("carrier", String(20), nullable=False),
    Column("service", String(40)),
    Column("waybill", String(30)),
    # packed, loaded, shipped, void
    Column("status", String(8), nullable=False, server_default="packed"),
    Column("carton", String(20)),
    Column("weight_g", Integer),
    Column("expected_g", Integer),
    Column("weight_source", String(8)),
    Column("station", String(30)),
    Column("location", String(30)),
    Column("load", String(40)),
    # Bonded retail (1210) only: customs' word on the parcel (issue #14 fills it).
    Column("customs_status", String(12)),
    Column("customs_text", Text),
    # The carrier's booking: booked; pending (the hub books it); failed (after its tries);
    # voiding (the parcel was opened: the hub voids its waybill with the carrier); void.
    Column("booking", String(8), nullable=False, server_default="booked"),
    Column("booking_tries", Integer, nullable=False, server_default="0"),
    Column("booking_error", Text),
    Column("book_after", DateTime(timezone=True)),
    Column("void_reason", Text),
    # The blocks its SSCC and waybill were taken from: a stream's use of its numbers.
    Column("sscc_block", BigInteger),
    Column("waybill_block", BigInteger),
    Column("stream_id", String(40)),
    Column("seq", BigInteger),
    Column("packed_at", DateTime(timezone=True), nullable=False),
    _ts("loaded_at", nullable=True),
    _ts("shipped_at", nullable=True),
    Index("ix_parcel_order", "order_number", "warehouse"),
    Index(
        "uq_parcel_waybill",
        "warehouse",
        "carrier",
        "waybill",
        unique=True,
        postgresql_where=text("waybill IS NOT NULL"),
    ),
    Index(
        "ix_parcel_to_book",
        "book_after",
        postgresql_where=text("booking IN ('pending', 'voiding')"),
    ),
    Index("ix_parcel_shipped", "warehouse", "carrier", "shipped_at"),
)

parcel_line = Table(
    "parcel_line",
    metadata,
    Column("warehouse", String(20), primary_key=True),
    Column("sscc", String(18), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("sku", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("units", Integer, nullable=False),
    Column("from_location", String(30), nullable=False),
    Column("from_container", String(20), nullable=False),
    # The units' stock status in the parcel (bonded goods stay customs_hold until they leave).
    Column("status", String(20), nullable=False, server_default="available"),
)

# What a carrier answered for a parcel booked at the hub, per SSCC: asked again, the same
# answer (a pack station's retry, the worker after a lost reply) and never a second purchase.
booking = Table(
    "booking",
    metadata,
    Column("warehouse", String(20), primary_key=True),
    Column("sscc", String(18), primary_key=True),
    Column("carrier", String(20), nullable=False),
    Column("order_number", String(40), nullable=False),
    # asking (a carrier call under way or cut off), booked, void
    Column("state", String(8), nullable=False),
    Column("waybill", String(30)),
    Column("shipment", String(100)),  # the carrier's own id for the shipment (to void it)
    Column("label", Text),  # the carrier's label, base64
    Column("label_type", String(4)),
    _ts("asked_at"),
    _ts("booked_at", nullable=True),
)

load = Table(
    "load",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("number", String(40), primary_key=True),
    Column("carrier", String(20)),
    Column("dock", String(30)),
    # open (parcels being loaded), closed (shipped)
    Column("status", String(8), nullable=False, server_default="open"),
    Column("parcels", Integer, nullable=False, server_default="0"),
    _ts("opened_at"),
    _ts("closed_at", nullable=True),
)

# A tote holding one order's picked units, from the pick that filled it until it is emptied.
tote = Table(
    "tote",
    metadata,
    Column("warehouse", String(20), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("order_number", String(40), nullable=False),
    Column("task", String(40)),
    Column("cart", String(30)),
    _ts("bound_at"),
)

# An end-of-day manifest handed to a carrier: one per carrier and day, rewritten when parcels of
# that day ship after it was first made.
manifest = Table(
    "manifest",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("carrier", String(20), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("parcels", Integer, nullable=False),
    Column("weight_g", BigInteger, nullable=False),
    Column("made_by", String(40), nullable=False),
    _ts("made_at"),
)


# --- customs: codes, products' customs data, messages, receipts, the bonded ledger --------------
# hardware/CUSTOMS.md. Every key starts with the warehouse but a product's customs data, which
# is master data like the product (its bonded-ledger item number is the warehouse's).

# A warehouse's customs identity: the codes every message it sends carries, and the bonded
# ledger (账册) its 1210 parcels are deducted from. ``opened_at``/``opened_cut``: when its ledger
# was opened (the bonded stock then is its opening balance; ``opened_cut`` the last stock ledger
# row it covers).
customs_warehouse = Table(
    "customs_warehouse",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("codes", JSONB, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("opened_cut", BigInteger, nullable=False),
    Column("opened_by", String(40), nullable=False),
    _ts("updated_at"),
)

customs_product = Table(
    "customs_product",
    metadata,
    Column("sku", ForeignKey("product.sku"), primary_key=True),
    Column("hs_code", String(10), nullable=False),
    Column("name", String(250)),  # the goods' name for customs; the product's name when none
    Column("spec", String(510)),  # brand, model, size, ingredients… (gmodel)
    Column("unit", String(3), nullable=False),  # the trade unit (customs unit code)
    Column("legal_unit", String(3), nullable=False),
    Column("legal_qty", Numeric(19, 5), nullable=False),  # legal units per trade unit
    Column("second_unit", String(3)),
    Column("second_qty", Numeric(19, 5)),
    Column("origin", String(3), nullable=False),  # customs country code, e.g. 116 Japan
    Column("barcode", String(50)),
)

# The warehouse's bonded-ledger item (账册备案料号) a product is recorded under.
customs_item = Table(
    "customs_item",
    metadata,
    Column("warehouse", ForeignKey("warehouse.code"), primary_key=True),
    Column("sku", ForeignKey("product.sku"), primary_key=True),
    Column("item_record_no", String(30), nullable=False),
)

# Every message to customs: import lists (CEB621), cancel requests (CEB623), return requests
# (CEB625), one guid each, never reused. ``state``: waiting (a cancel until customs gave the
# list its number), queued, sent, withdrawn (never handed over). A list's ``status`` is customs'
# word on it (declared, released, rejected, held, cancelling, cancelled).
customs_message = Table(
    "customs_message",
    metadata,
    Column("guid", String(36), primary_key=True),
    Column("warehouse", ForeignKey("warehouse.code"), nullable=False),
    Column("kind", String(6), nullable=False),
    Column("sscc", String(18)),
    Column("order_number", String(40), nullable=False),
    Column("cop_no", String(20), nullable=False),
    Column("list_guid", String(36)),  # a cancel's or return's list
    Column("state", String(10), nullable=False, server_default="queued"),
    Column("status", String(12)),
    Column("return_status", String(10)),
    Column("return_time", String(17)),
    Column("return_info", Text),
    Column("pre_no", String(18)),
    Column("invt_no", String(18)),
    Column("body", Text),
    Column("lines", JSONB),  # what the message declares: per line sku, item, gnum, units
    Column("reason", Text),
    Column("stream_id", String(40)),
    Column("seq", BigInteger),
    _ts("created_at"),
    _ts("sent_at", nullable=True),
    _ts("answered_at", nullable=True),
    Column("send_after", DateTime(timezone=True)),
    Column("tries", Integer, nullable=False, server_default="0"),
    Column("error", Text),
    UniqueConstraint("warehouse", "kind", "cop_no"),
    Index("ix_customs_message_parcel", "warehouse", "sscc"),
    Index("ix_customs_message_order", "warehouse", "order_number"),
    Index("ix_customs_message_due", "send_after", postgresql_where=text("state = 'queued'")),
)

# Every receipt customs sent back, as received (never lost): applied, or set aside with why.
customs_receipt = Table(
    "customs_receipt",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", ForeignKey("warehouse.code"), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("source", String(200), nullable=False),  # the inbox file, or "api"
    Column("kind", String(6)),
    Column("state", String(10), nullable=False),  # applied, set_aside
    Column("reason", Text),
    Column("body", Text, nullable=False),
    Column("applied", JSONB),  # per return: the message it answered and what changed
    _ts("received_at"),
    UniqueConstraint("warehouse", "digest"),
)

# The bonded ledger as this warehouse keeps it for customs: one row per movement across the
# zone's boundary, with the op, decision or parcel it comes from. ``kind``: opening, receipt
# (一线入区), deduct (二线出区: a released parcel shipped), return (re-entering the zone),
# correction (a count or adjustment of bonded stock), cleared (released to general trade).
bonded_ledger = Table(
    "bonded_ledger",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("warehouse", ForeignKey("warehouse.code"), nullable=False),
    Column("sku", String(40), nullable=False),
    Column("item_record_no", String(30)),
    Column("kind", String(10), nullable=False),
    Column("units", BigInteger, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("stream_id", String(40)),
    Column("seq", BigInteger),
    Column("decision", BigInteger),
    Column("sscc", String(18)),
    Column("reference", String(40)),  # the list guid, the declaration
    _ts("recorded_at"),
    Index("ix_bonded_ledger_item", "warehouse", "sku", "recorded_at"),
)
