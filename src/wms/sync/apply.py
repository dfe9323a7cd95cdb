"""Applying pulled changes to the terminal store: idempotent, and blind to nothing local.

Master rows are upserted by natural key. A stock change carries the hub's quantity for one
on-hand key; the terminal's row becomes that quantity plus the deltas of its own ops the hub
has not acknowledged yet, written as a ledger row (op seq 0) for the difference, so the
ledger still sums to on-hand and unsynced ops are never lost or counted twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from wms.store.uow import UnitOfWork
from wms.sync.documents import KINDS as DOCUMENTS
from wms.sync.documents import apply_document
from wms.sync.exceptions import apply_exception
from wms.sync.shipping import KINDS as SHIPPING
from wms.sync.shipping import apply_shipping
from wms.sync.wire import Change

# Masters first: a stock row names products, bins and lots by code.
_ORDER = {"product": 0, "barcode": 1, "location": 2, "operator": 3, "lot": 4, "container": 5}
_ORDER |= {"receipt": 6, "order": 6, "count_task": 6, "pick_task": 7}
_ORDER |= {"carrier": 1, "carton": 1, "number_block": 1, "customs_item": 1, "tote": 8, "parcel": 8}

_UPSERT: dict[str, Any] = {
    "product": text(
        "INSERT INTO product (sku, name, tracking, shelf_life_days, min_remaining_days,"
        " short_shelf_life_action, removal_margin_days, customs_controlled, supplier,"
        " weight_g, length_mm, width_mm, height_mm)"
        " VALUES (:sku, :name, :tracking, :shelf_life_days, :min_remaining_days,"
        " :short_shelf_life_action, :removal_margin_days, :customs_controlled, :supplier,"
        " :weight_g, :length_mm, :width_mm, :height_mm)"
        " ON CONFLICT (sku) DO UPDATE SET name = excluded.name, tracking = excluded.tracking,"
        " shelf_life_days = excluded.shelf_life_days,"
        " min_remaining_days = excluded.min_remaining_days,"
        " short_shelf_life_action = excluded.short_shelf_life_action,"
        " removal_margin_days = excluded.removal_margin_days,"
        " customs_controlled = excluded.customs_controlled, supplier = excluded.supplier,"
        # An import that does not give a weight or size leaves the one known before.
        " weight_g = COALESCE(excluded.weight_g, product.weight_g),"
        " length_mm = COALESCE(excluded.length_mm, product.length_mm),"
        " width_mm = COALESCE(excluded.width_mm, product.width_mm),"
        " height_mm = COALESCE(excluded.height_mm, product.height_mm)"
    ),
    "barcode": text(
        "INSERT INTO productbarcode (code, product_id, kind, pack_qty)"
        " SELECT :code, id, :kind, :pack_qty FROM product WHERE sku = :sku"
        " ON CONFLICT (code) DO UPDATE SET product_id = excluded.product_id,"
        " kind = excluded.kind, pack_qty = excluded.pack_qty"
    ),
    "location": text(
        "INSERT INTO location (warehouse_id, code, zone, aisle, bay, level, position, type,"
        " capacity, pick_sequence, blocked) VALUES (:warehouse_id, :code, :zone, :aisle, :bay,"
        " :level, :position, :type, :capacity, :pick_sequence, :blocked)"
        " ON CONFLICT (code) DO UPDATE SET zone = excluded.zone, aisle = excluded.aisle,"
        " bay = excluded.bay, level = excluded.level, position = excluded.position,"
        " type = excluded.type, capacity = excluded.capacity,"
        " pick_sequence = excluded.pick_sequence, blocked = excluded.blocked"
    ),
    "operator": text(
        "INSERT INTO operator (code, badge, name, role, pin_hash, active)"
        " VALUES (:code, :badge, :name, :role, :pin_hash, :active)"
        " ON CONFLICT (code) DO UPDATE SET badge = excluded.badge, name = excluded.name,"
        " role = excluded.role, pin_hash = excluded.pin_hash, active = excluded.active"
    ),
    "lot": text(
        "INSERT INTO lot (product_id, code, expiry) SELECT id, :code, :expiry FROM product"
        " WHERE sku = :sku ON CONFLICT (product_id, code)"
        " DO UPDATE SET expiry = COALESCE(excluded.expiry, lot.expiry)"
    ),
    "container": text(
        "INSERT INTO container (code, kind, location_id) SELECT :code, :kind,"
        " (SELECT id FROM location WHERE code = :location)"
        " ON CONFLICT (code) DO UPDATE SET location_id = excluded.location_id"
    ),
}

# What the hub may leave out of a body (an import with optional columns).
_DEFAULTS: dict[str, dict[str, Any]] = {
    "product": {
        "tracking": "none",
        "shelf_life_days": None,
        "min_remaining_days": 0,
        "short_shelf_life_action": "refuse",
        "removal_margin_days": 0,
        "customs_controlled": False,
        "supplier": None,
        "weight_g": None,
        "length_mm": None,
        "width_mm": None,
        "height_mm": None,
    },
    "barcode": {"kind": "gtin", "pack_qty": 1},
    "location": {
        "bay": None,
        "level": None,
        "position": None,
        "capacity": None,
        "pick_sequence": 0,
        "blocked": False,
    },
    "operator": {"role": "operator", "pin_hash": None, "active": True},
    "lot": {"expiry": None},
    "container": {"location": None},
}

# A row that names a product or bin the terminal has not heard of yet. The feed holds each row's
# latest change, so a product re-imported at the hub comes after its barcodes, lots and stock:
# a first pull can meet them pages before it. A stand-in (blocked, for a bin) holds them until
# the product's or bin's own change arrives later in the same pull and fills it in.
_PRODUCT_STANDIN = text(
    "INSERT INTO product (sku, name, tracking, min_remaining_days, short_shelf_life_action,"
    " removal_margin_days, customs_controlled) VALUES (:sku, :sku, 'none', 0, 'refuse', 0, 0)"
    " ON CONFLICT (sku) DO NOTHING"
)
_LOCATION_STANDIN = text(
    "INSERT INTO location (warehouse_id, code, zone, aisle, type, pick_sequence, blocked)"
    " VALUES (:w, :code, '', '', 'storage', 0, 1) ON CONFLICT (code) DO NOTHING"
)
# The fields of a document (and of its lines) that name a product or a bin.
_BIN_FIELDS = ("location", "dock", "to")


def _stand_in_for(conn: Connection, wh_id: int, body: dict[str, Any]) -> None:
    """Stand-ins for the products and bins a document names, so none of its lines is dropped
    when their own changes come later in the pull."""
    parts = [body, *(ln for ln in body.get("lines") or [] if isinstance(ln, dict))]
    skus = {p["sku"] for p in parts if isinstance(p.get("sku"), str)}
    bins = {p[f] for p in parts for f in _BIN_FIELDS if isinstance(p.get(f), str) and p[f]}
    if skus:
        conn.execute(_PRODUCT_STANDIN, [{"sku": s} for s in skus])
    if bins:
        conn.execute(_LOCATION_STANDIN, [{"w": wh_id, "code": b} for b in bins])


_IDS = text(
    "SELECT (SELECT id FROM product WHERE sku = :sku) AS product_id,"
    " (SELECT id FROM location WHERE code = :location) AS location_id"
)
# Driven from the (few) unacked op-log rows: the ledger is only reached through op_seq.
_UNACKED = text(
    "SELECT l.product_id, l.location_id, l.lot_id, l.container_id, l.status, SUM(l.delta)"
    " FROM oplog o JOIN stockledger l ON l.op_seq = o.seq WHERE o.acked = 0"
    " GROUP BY l.product_id, l.location_id, l.lot_id, l.container_id, l.status"
)
Unacked = dict[tuple[Any, ...], int]
_FIND = text(
    "SELECT id, qty FROM onhand WHERE product_id = :product_id AND location_id = :location_id"
    " AND lot_id IS :lot_id AND container_id IS :container_id AND status = :status"
)
_LEDGER = text(
    "INSERT INTO stockledger (op_seq, product_id, location_id, lot_id, container_id, status,"
    " delta, at) VALUES (0, :product_id, :location_id, :lot_id, :container_id, :status, :d, :at)"
)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _params(change: Change, warehouse_id: int) -> dict[str, Any] | None:
    body = change.body
    if body is None or change.kind not in _UPSERT:
        return None  # the hub never deletes master rows a terminal's history may name
    params = {**_DEFAULTS[change.kind], **body}
    if change.kind == "location":
        params["warehouse_id"] = warehouse_id
    if change.kind == "lot":
        params["expiry"] = (
            date.fromisoformat(str(body["expiry"])[:10]) if body.get("expiry") else None
        )
    return params


def _id_of(conn: Connection, sql: str, **params: Any) -> int | None:
    value = conn.execute(text(sql), params).scalar()
    return None if value is None else int(value)


def unacked(conn: Connection) -> Unacked:
    """This terminal's deltas the hub has not acknowledged, per on-hand key."""
    return {tuple(r[:5]): int(r[5]) for r in conn.execute(_UNACKED)}


def _stock(
    conn: Connection,
    key: str,
    body: dict[str, Any] | None,
    mine: Unacked,
    *,
    full: bool,
    wh_id: int,
) -> None:
    sku, location, lot, container, status = key.split("|")
    ids = conn.execute(_IDS, {"sku": sku, "location": location}).one()
    if ids.product_id is None or ids.location_id is None:
        conn.execute(_PRODUCT_STANDIN, {"sku": sku})
        conn.execute(_LOCATION_STANDIN, {"w": wh_id, "code": location})
        ids = conn.execute(_IDS, {"sku": sku, "location": location}).one()
    lot_id = None
    if lot:
        conn.execute(
            text("INSERT INTO lot (product_id, code) VALUES (:p, :c) ON CONFLICT DO NOTHING"),
            {"p": ids.product_id, "c": lot},
        )
        lot_id = _id_of(
            conn, "SELECT id FROM lot WHERE product_id = :p AND code = :c", p=ids.product_id, c=lot
        )
    container_id = None
    if container:
        conn.execute(
            text(
                "INSERT INTO container (code, kind, location_id) VALUES (:c, :k, :l)"
                " ON CONFLICT DO NOTHING"
            ),
            {"c": container, "k": "sscc" if len(container) == 18 else "lpn", "l": ids.location_id},
        )
        container_id = _id_of(conn, "SELECT id FROM container WHERE code = :c", c=container)
    k = {
        "product_id": ids.product_id,
        "location_id": ids.location_id,
        "lot_id": lot_id,
        "container_id": container_id,
        "status": status,
    }
    set_stock(conn, k, int(body["qty"]) if body else 0, mine)
    if full:
        conn.execute(_SEEN, k)


def set_stock(conn: Connection, k: dict[str, Any], hub_qty: int, mine: Unacked) -> None:
    """Make on-hand at key ``k`` the hub's quantity plus this terminal's unacked deltas."""
    target = hub_qty + mine.get(tuple(k.values()), 0)
    row = conn.execute(_FIND, k).first()
    current = row.qty if row else 0
    if target == current:
        return
    conn.execute(_LEDGER, {**k, "d": target - current, "at": _stamp()})
    if row is None:
        conn.execute(
            text(
                "INSERT INTO onhand (product_id, location_id, lot_id, container_id, status, qty)"
                " VALUES (:product_id, :location_id, :lot_id, :container_id, :status, :qty)"
            ),
            {**k, "qty": target},
        )
    elif target == 0:
        conn.execute(text("DELETE FROM onhand WHERE id = :id"), {"id": row.id})
    else:
        conn.execute(text("UPDATE onhand SET qty = :q WHERE id = :id"), {"q": target, "id": row.id})


_SEEN = text(
    "INSERT INTO pullseen (product_id, location_id, lot_id, container_id, status)"
    " VALUES (:product_id, :location_id, :lot_id, :container_id, :status)"
)
_UNSEEN = text(
    "SELECT o.product_id, o.location_id, o.lot_id, o.container_id, o.status FROM onhand o"
    " WHERE NOT EXISTS (SELECT 1 FROM pullseen p WHERE p.product_id = o.product_id"
    " AND p.location_id = o.location_id AND p.lot_id IS o.lot_id"
    " AND p.container_id IS o.container_id AND p.status = o.status) LIMIT :n"
)


def begin_full_read(engine: Engine) -> None:
    """Start reading the whole feed (first pull, or the hub said start over).

    Stock stays as it is while the pages arrive, so Inquiry and picking go on with the last
    known figures; every key a page mentions is noted, and :func:`finish_full_read` sweeps the
    rest. The flag is stored, so a read cut off half-way is finished by the next sync.
    """
    with UnitOfWork(engine) as uow:
        conn = uow.session.connection()
        conn.execute(text("DELETE FROM pullseen"))
        conn.execute(text("UPDATE syncstate SET full_read = 1"))
        uow.commit()


def in_full_read(engine: Engine) -> bool:
    """Whether a full read of the feed is under way."""
    with UnitOfWork(engine, write=False) as uow:
        found = uow.session.connection().execute(text("SELECT full_read FROM syncstate"))
        return bool(found.scalar())


def finish_full_read(engine: Engine, chunk: int = 500) -> None:
    """The feed is read to its end: stock the hub never mentioned becomes this terminal's own
    unacked deltas alone (the seed's, or the hub's rows deleted before the last reset).

    Swept in small transactions so scans never wait long; each sweep is idempotent.
    """
    while True:
        with UnitOfWork(engine) as uow:
            conn = uow.session.connection()
            keys = conn.execute(_UNSEEN, {"n": chunk}).all()
            mine = unacked(conn)
            for r in keys:
                k = dict(r._mapping)
                set_stock(conn, k, 0, mine)
                conn.execute(_SEEN, k)  # held by this terminal's own ops: swept, keep it
            if len(keys) < chunk:
                conn.execute(text("DELETE FROM pullseen"))
                conn.execute(text("UPDATE syncstate SET full_read = 0"))
            uow.commit()
        if len(keys) < chunk:
            return


def warehouse_id(engine: Engine, code: str) -> int:
    """The terminal's warehouse row, created when a fresh store first pulls."""
    with UnitOfWork(engine) as uow:
        conn = uow.session.connection()
        found = _id_of(conn, "SELECT id FROM warehouse WHERE code = :c", c=code)
        if found is None:
            found = _id_of(conn, "SELECT id FROM warehouse ORDER BY id LIMIT 1")
        if found is None:
            conn.execute(text("INSERT INTO warehouse (code, name) VALUES (:c, :c)"), {"c": code})
            found = _id_of(conn, "SELECT id FROM warehouse WHERE code = :c", c=code)
        uow.commit()
    assert found is not None
    return found


def apply_page(
    engine: Engine, changes: list[Change], wh_id: int, *, full: bool = False, chunk: int = 500
) -> None:
    """Apply one page in small write transactions, so a scan never waits long for the lock.

    ``full``: the page belongs to a full read; the stock keys it names are noted for the sweep.
    """
    ordered = sorted(changes, key=lambda c: _ORDER.get(c.kind, 9))
    for start in range(0, len(ordered), chunk):
        with UnitOfWork(engine) as uow:
            conn = uow.session.connection()
            mine = unacked(conn)
            batch = _Batch(conn)
            for change in ordered[start : start + chunk]:
                if change.kind in _UPSERT:
                    if (params := _params(change, wh_id)) is not None:
                        batch.add(change.kind, params)
                    continue
                batch.flush()  # what follows may need the rows batched so far
                if change.kind == "stock":
                    _stock(conn, change.key, change.body, mine, full=full, wh_id=wh_id)
                elif change.kind == "exception":
                    apply_exception(conn, change.body)
                elif change.kind in DOCUMENTS:
                    if change.body is not None:
                        _stand_in_for(conn, wh_id, change.body)
                    apply_document(conn, change.kind, change.body)
                elif change.kind in SHIPPING:
                    apply_shipping(conn, change.kind, change.key, change.body)
            batch.flush()
            uow.commit()


class _Batch:
    """Rows of one kind of master data, written with one executemany when the kind changes,
    before any other change, and at the end of the transaction: never left unwritten."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.kind, self.rows = conn, "", list[dict[str, Any]]()

    def add(self, kind: str, params: dict[str, Any]) -> None:
        """Batch one row (the batch of another kind is written first)."""
        if kind != self.kind:
            self.flush()
            self.kind = kind
        self.rows.append(params)

    def flush(self) -> None:
        """Write what is batched (barcodes and lots after stand-ins for unknown products)."""
        if self.rows:
            if self.kind in ("barcode", "lot"):
                self.conn.execute(_PRODUCT_STANDIN, [{"sku": r["sku"]} for r in self.rows])
            self.conn.execute(_UPSERT[self.kind], self.rows)
            self.rows = []
