"""Applying the outbound floor's pulled records (hardware/SHIPPING.md): carriers, cartons, this
device's number blocks, parcels (packed anywhere, for dispatch), the totes holding orders and
products' customs data (hardware/CUSTOMS.md).

Idempotent like every pulled change. A block keeps how many of its numbers this terminal has
used; a parcel keeps what this terminal did to it (its lines, a load or an unpack not yet
pushed) and takes the hub's word on the rest (waybill, customs, its order's status).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

KINDS = {"carrier", "carton", "number_block", "parcel", "tote", "customs_item"}

_CARRIER = text(
    "INSERT INTO carrier (code, name, kind, services) VALUES (:code, :name, :kind, :services)"
    " ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
    " services = excluded.services"
)
_CARTON = text(
    "INSERT INTO carton (code, name, length_mm, width_mm, height_mm, max_weight_g, tare_g)"
    " VALUES (:code, :name, :length_mm, :width_mm, :height_mm, :max_weight_g, :tare_g)"
    " ON CONFLICT (code) DO UPDATE SET name = excluded.name, length_mm = excluded.length_mm,"
    " width_mm = excluded.width_mm, height_mm = excluded.height_mm,"
    " max_weight_g = excluded.max_weight_g, tare_g = excluded.tare_g"
)
# A block's serials never change once handed out; what this terminal used of it stays.
_BLOCK = text(
    "INSERT INTO numberblock (id, kind, carrier, stream, first, last, used, spec)"
    " VALUES (:id, :kind, :carrier, :stream, :first, :last, 0, :spec)"
    " ON CONFLICT (id) DO NOTHING"
)
_TOTE = text(
    "INSERT INTO toterecord (code, order_number, task, cart) VALUES (:code, :order, :task,"
    " :cart) ON CONFLICT (code) DO UPDATE SET order_number = excluded.order_number,"
    " task = excluded.task, cart = excluded.cart"
)
_NO_TOTE = text("DELETE FROM toterecord WHERE code = :code")
_CUSTOMS_FIELDS = ("hs_code", "unit", "legal_unit", "origin", "item_record_no")
_CUSTOMS = text(
    "INSERT INTO customsitem (sku, hs_code, unit, legal_unit, origin, item_record_no)"
    " VALUES (:sku, :hs_code, :unit, :legal_unit, :origin, :item_record_no)"
    " ON CONFLICT (sku) DO UPDATE SET hs_code = excluded.hs_code, unit = excluded.unit,"
    " legal_unit = excluded.legal_unit, origin = excluded.origin,"
    " item_record_no = excluded.item_record_no"
)
_NO_CUSTOMS = text("DELETE FROM customsitem WHERE sku = :sku")
# The hub's facts about a parcel are taken as they come; where it is (status, load) only when
# no op of this terminal about it waits to be pushed: the hub has not heard that one yet.
_PARCEL = text(
    "INSERT INTO parcel (sscc, order_number, carrier, service, waybill, status, customs_status,"
    " customs_text,"
    " order_status, load, weight_g, station, booking, packed_here) VALUES (:sscc, :order,"
    " :carrier, :service, :waybill, :status, :customs_status, :customs_text, :order_status, :load,"
    " :weight_g, :station, :booking, 0) ON CONFLICT (sscc) DO UPDATE SET"
    " waybill = COALESCE(excluded.waybill, parcel.waybill),"
    " customs_status = excluded.customs_status, customs_text = excluded.customs_text,"
    " order_status = excluded.order_status,"
    " booking = excluded.booking,"
    " status = CASE WHEN :mine THEN parcel.status ELSE excluded.status END,"
    " load = CASE WHEN :mine THEN parcel.load ELSE excluded.load END"
)
_MINE = text(
    "SELECT EXISTS (SELECT 1 FROM oplog WHERE acked = 0"
    " AND json_extract(payload, '$.parcel') = :sscc)"
)
_SPEC_KEYS = ("company_prefix", "extension", "prefix", "digits", "suffix", "check", "numbers")
_PARCEL_KEYS = (
    "sscc",
    "order",
    "carrier",
    "service",
    "waybill",
    "status",
    "customs_status",
    "customs_text",
    "order_status",
    "load",
    "station",
    "booking",
)


def apply_shipping(conn: Connection, kind: str, key: str, body: dict[str, Any] | None) -> None:
    """Create, refresh or (a tote emptied) forget one pulled record."""
    if kind == "tote":
        if body is None:
            conn.execute(_NO_TOTE, {"code": key})
        else:
            conn.execute(_TOTE, {k: body.get(k) for k in ("order", "task", "cart")} | {"code": key})
        return
    if kind == "customs_item":
        if body is None:
            conn.execute(_NO_CUSTOMS, {"sku": key})
        else:
            conn.execute(_CUSTOMS, {k: body.get(k) for k in _CUSTOMS_FIELDS} | {"sku": key})
        return
    if body is None:
        return  # the hub never deletes these: a terminal's history may name them
    if kind == "carrier":
        services = json.dumps(list(body.get("services") or []))
        conn.execute(
            _CARRIER, {k: body.get(k) for k in ("code", "name", "kind")} | {"services": services}
        )
    elif kind == "carton":
        fields = ("code", "name", "length_mm", "width_mm", "height_mm", "max_weight_g")
        conn.execute(
            _CARTON, {k: body.get(k) for k in fields} | {"tare_g": body.get("tare_g") or 0}
        )
    elif kind == "number_block":
        spec = {k: body[k] for k in _SPEC_KEYS if body.get(k) is not None}
        fields = ("id", "kind", "carrier", "stream", "first", "last")
        conn.execute(_BLOCK, {k: body.get(k) for k in fields} | {"spec": json.dumps(spec)})
    elif kind == "parcel":
        mine = bool(conn.execute(_MINE, {"sscc": body["sscc"]}).scalar())
        values = {k: body.get(k) for k in _PARCEL_KEYS}
        conn.execute(_PARCEL, values | {"weight_g": body.get("weight_g") or 0, "mine": mine})
