"""Applying pulled documents: receipts, orders, pick tasks, count tasks and move tasks.

A document new to the terminal is created with its lines; one it already has keeps its local
progress (received and picked quantities, statuses) and takes the hub's header fields, such as
a customs declaration recorded at the hub, and the hub's re-planned bin of a pick line nobody
has picked from yet. A pick task leased to another terminal is set aside (status 'leased'), and
one the hub reports done is closed, unless this terminal has already started it. A pick line
the hub withdrew (its order was cancelled) is closed as 'withdrawn': picking refuses it; a task
left with nothing to pick is closed. A cluster task (``format: "cluster"``: one cart of totes
for several orders) keeps a tote slot per order, and each line names its slot and its order.
Move tasks come as recall moves, replenishments and put-backs; the hub says when one is done.

An order carries its carrier and service, its status at the hub, and, while it is on the floor,
its consignee (``ship_to``): personal data, kept only for the shipping label and erased as soon
as the hub publishes the order without it (shipped or cancelled).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

_RECEIPT = text(
    "INSERT INTO inbounddocument (number, kind, supplier, expected_date, dock_id,"
    " customs_declaration, status) VALUES (:number, :kind, :supplier, :expected_date,"
    " (SELECT id FROM location WHERE code = :dock), :customs_declaration, 'open')"
    " ON CONFLICT (number) DO UPDATE SET supplier = excluded.supplier,"
    " expected_date = excluded.expected_date, customs_declaration = excluded.customs_declaration"
)
_RECEIPT_LINE = text(
    "INSERT INTO inboundline (document_id, line_no, product_id, expected_qty, received_qty,"
    " damaged_qty) SELECT d.id, :line_no, p.id, :expected_qty, 0, 0 FROM inbounddocument d,"
    " product p WHERE d.number = :number AND p.sku = :sku"
    " ON CONFLICT (document_id, line_no) DO UPDATE SET expected_qty = excluded.expected_qty"
)
_ORDER = text(
    "INSERT INTO outboundorder (number, kind, customer, status, carrier, service) VALUES"
    " (:number, :kind, :customer, COALESCE(:status, 'open'), :carrier, :service)"
    " ON CONFLICT (number) DO UPDATE SET customer = excluded.customer,"
    " carrier = excluded.carrier, service = excluded.service,"
    # The hub's status wins, except over what this terminal saw happen and has not pushed.
    " status = CASE WHEN :status IS NULL OR outboundorder.status = 'shipped'"
    " THEN outboundorder.status ELSE :status END"
)
_CONSIGNEE = text(
    "INSERT INTO orderconsignee (order_id, name, phone, address, city, province, postcode,"
    " country) SELECT id, :name, :phone, :address, :city, :province, :postcode, :country"
    " FROM outboundorder WHERE number = :number ON CONFLICT (order_id) DO UPDATE SET"
    " name = excluded.name, phone = excluded.phone, address = excluded.address,"
    " city = excluded.city, province = excluded.province, postcode = excluded.postcode,"
    " country = excluded.country"
)
_FORGET_CONSIGNEE = text(
    "DELETE FROM orderconsignee WHERE order_id = (SELECT id FROM outboundorder"
    " WHERE number = :number)"
)
_ORDER_LINE = text(
    "INSERT INTO outboundline (order_id, line_no, product_id, qty, picked_qty)"
    " SELECT o.id, :line_no, p.id, :qty, 0 FROM outboundorder o, product p"
    " WHERE o.number = :number AND p.sku = :sku"
    " ON CONFLICT (order_id, line_no) DO UPDATE SET qty = excluded.qty"
)
_TASK = text(
    "INSERT INTO picktask (number, order_id, status, format) SELECT :number,"
    " (SELECT id FROM outboundorder WHERE number = :order_number), 'open', :format"
    " WHERE :order_number IS NULL OR EXISTS (SELECT 1 FROM outboundorder"
    " WHERE number = :order_number) ON CONFLICT (number) DO NOTHING"
)
_SLOT = text(
    "INSERT INTO picktaskslot (task_id, slot, order_id) SELECT t.id, :slot, o.id"
    " FROM picktask t, outboundorder o WHERE t.number = :number AND o.number = :order_number"
    " ON CONFLICT (task_id, slot) DO NOTHING"
)
_TASK_LINE = text(
    "INSERT INTO picktaskline (task_id, seq, order_line_id, product_id, location_id, qty,"
    " picked_qty, status, slot) SELECT t.id, :seq, ol.id, p.id, loc.id, :qty, 0, 'open', :slot"
    " FROM picktask t JOIN outboundorder o ON o.number = :order_number"
    " JOIN outboundline ol ON ol.order_id = o.id AND ol.line_no = :order_line,"
    " product p, location loc"
    " WHERE t.number = :number AND p.sku = :sku AND loc.code = :location"
    # The hub re-plans a line (a recall emptied its bin) only while nobody has picked from it.
    " ON CONFLICT (task_id, seq) DO UPDATE SET location_id = excluded.location_id,"
    " qty = excluded.qty WHERE picktaskline.picked_qty = 0"
)
_SET_ASIDE = text(
    "UPDATE picktask SET status = 'leased' WHERE number = :number AND status = 'open'"
    " AND NOT EXISTS (SELECT 1 FROM picktaskline l WHERE l.task_id = picktask.id"
    " AND l.picked_qty > 0)"
)
_TAKE_BACK = text(
    "UPDATE picktask SET status = 'open' WHERE number = :number AND status = 'leased'"
)
_FINISHED_ELSEWHERE = text(
    "UPDATE picktask SET status = 'done' WHERE number = :number AND status IN ('open', 'leased')"
    " AND NOT EXISTS (SELECT 1 FROM picktaskline l WHERE l.task_id = picktask.id"
    " AND l.picked_qty > 0)"
)
_WITHDRAW = text(
    "UPDATE picktaskline SET status = 'withdrawn' WHERE status = 'open' AND seq = :seq"
    " AND task_id = (SELECT id FROM picktask WHERE number = :number)"
)
# Nothing left to pick after withdrawals: done if some of it was picked, else cancelled.
_CLOSE_EMPTIED = text(
    "UPDATE picktask SET status = CASE WHEN EXISTS (SELECT 1 FROM picktaskline l"
    " WHERE l.task_id = picktask.id AND l.picked_qty > 0) THEN 'done' ELSE 'cancelled' END"
    " WHERE number = :number AND status IN ('open', 'leased', 'in_progress')"
    " AND NOT EXISTS (SELECT 1 FROM picktaskline l WHERE l.task_id = picktask.id"
    " AND l.status = 'open')"
)
_COUNT = text(
    "INSERT INTO counttask (number, location_id, product_id, status, pass_no)"
    " SELECT :number, loc.id, (SELECT id FROM product WHERE sku = :sku), 'open', 0"
    " FROM location loc WHERE loc.code = :location ON CONFLICT (number) DO NOTHING"
)

_MOVE = text(
    "INSERT INTO movetask (number, location_id, product_id, lot_id, qty, to_location_id,"
    " reference, status) SELECT :number, loc.id, p.id,"
    " (SELECT id FROM lot WHERE product_id = p.id AND code = :lot), :qty,"
    " (SELECT id FROM location WHERE code = :to), :reference, 'open'"
    " FROM location loc, product p WHERE loc.code = :location AND p.sku = :sku"
    " ON CONFLICT (number) DO NOTHING"
)

_MOVE_FIELDS = ("number", "location", "sku", "lot", "qty", "to")
_MOVE_DONE = text("UPDATE movetask SET status = 'done' WHERE number = :number")

KINDS = {"receipt", "order", "pick_task", "count_task", "recall_move", "replenish", "put_back"}
CLUSTER = "cluster"


def _format(body: dict[str, Any]) -> str:
    return CLUSTER if body.get("format") == CLUSTER else "single"


def set_aside(conn: Connection, number: str) -> None:
    """Another terminal has pick task ``number``: set it aside here unless already started."""
    conn.execute(_SET_ASIDE, {"number": number})


def apply_document(conn: Connection, kind: str, body: dict[str, Any] | None) -> None:
    """Create or refresh one pulled document; idempotent."""
    if body is None:
        return
    number = body["number"]
    lines = [{**line, "number": number} for line in body.get("lines", [])]
    if kind == "receipt":
        keys = ("number", "kind", "supplier", "expected_date", "dock", "customs_declaration")
        conn.execute(_RECEIPT, {k: body.get(k) for k in keys})
        if lines:
            conn.execute(_RECEIPT_LINE, lines)
    elif kind == "order":
        _apply_order(conn, body, lines)
    elif kind == "pick_task":
        _apply_task(conn, body, lines)
    elif kind == "count_task":
        conn.execute(_COUNT, {k: body.get(k) for k in ("number", "location", "sku")})
    elif kind == "recall_move":  # recalled stock to take to quarantine: a task on Messages
        conn.execute(
            _MOVE, {**{k: body.get(k) for k in _MOVE_FIELDS}, "reference": body.get("recall")}
        )
    elif kind in ("replenish", "put_back"):  # planned at the hub; done once moved, it says
        conn.execute(
            _MOVE, {**{k: body.get(k) for k in _MOVE_FIELDS}, "reference": body.get("reference")}
        )
        if body.get("status") == "done":
            conn.execute(_MOVE_DONE, {"number": number})


_ORDER_FIELDS = ("number", "kind", "customer", "status", "carrier", "service")
_SHIP_TO = ("name", "phone", "city", "province", "postcode", "country")


def _apply_order(conn: Connection, body: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    conn.execute(_ORDER, {k: body.get(k) for k in _ORDER_FIELDS})
    if lines:
        conn.execute(_ORDER_LINE, lines)
    ship_to = body.get("ship_to")
    if isinstance(ship_to, dict) and ship_to.get("name"):
        address = ship_to.get("address") or []
        fields = {k: ship_to.get(k) for k in _SHIP_TO}
        fields["country"] = fields["country"] or ""
        conn.execute(
            _CONSIGNEE,
            {**fields, "number": body["number"], "address": json.dumps(list(address))},
        )
    else:  # off the floor (shipped, cancelled, not released yet): the terminal forgets it
        conn.execute(_FORGET_CONSIGNEE, {"number": body["number"]})


def _apply_task(conn: Connection, body: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    number = body["number"]
    cluster = body.get("format") == CLUSTER
    single = body.get("order_number")
    if not cluster and not single:
        return  # neither one order's task nor a cluster: nothing a picker can do with it
    conn.execute(
        _TASK,
        {"number": number, "order_number": None if cluster else single, "format": _format(body)},
    )
    slots = [
        {"number": number, "slot": o.get("tote"), "order_number": o.get("order_number")}
        for o in (body.get("orders") or [])
        if isinstance(o, dict)
    ]
    if not cluster:
        slots = [{"number": number, "slot": 1, "order_number": single}]
    if slots:
        conn.execute(_SLOT, slots)
    if lines:
        conn.execute(
            _TASK_LINE,
            [
                {
                    **ln,
                    "slot": ln.get("tote") or 1,
                    "order_number": ln.get("order_number") if cluster else single,
                }
                for ln in lines
            ],
        )
    withdrawn = [ln for ln in lines if ln.get("withdrawn")]
    if withdrawn:
        conn.execute(_WITHDRAW, withdrawn)
    if body.get("status") == "done":
        conn.execute(_FINISHED_ELSEWHERE, {"number": number})
    else:
        leased_elsewhere = body.get("leased") == "other"
        conn.execute(_SET_ASIDE if leased_elsewhere else _TAKE_BACK, {"number": number})
    if withdrawn:
        conn.execute(_CLOSE_EMPTIED, {"number": number})
