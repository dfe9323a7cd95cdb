"""Declaring to customs: a bonded-retail parcel's import list (CEB621), built from its order
(consignee, declared prices), the parcel (waybill, weights) and its lines (HS code, ledger
item, trade and legal units, lots); a cancel request (CEB623) when a declared parcel's order is
cancelled or the parcel is opened; a return request (CEB625) when goods of a released list come
back. Each is validated against the official schema and stored under a guid of its own, to be
handed over (:mod:`.handover`); one that cannot be built says why, for the supervisor.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from lxml import etree
from pydantic_core import to_json
from sqlalchemy import Connection, Engine, text

from wms.domain.customs import CustomsFacts, CustomsStatus, missing_customs_data
from wms.domain.kinds import OrderKind
from wms.hub.customs.codes import WarehouseCodes, codes_of
from wms.hub.customs.gate import Raise, raise_exceptions, set_status
from wms.hub.customs.messages import (
    Buyer,
    CancelRequest,
    Head,
    ImportList,
    ListLine,
    Party,
    RefundLine,
    ReturnRequest,
    Sender,
    cancel_request,
    import_list,
    return_request,
    serialise,
)
from wms.hub.customs.xsd import problems

CEB621, CEB623, CEB625 = "CEB621", "CEB623", "CEB625"
MAX_LINES = 99  # goods lines one list may carry (the schema's)
_GRAM = Decimal("0.001")
# A list customs may still act on: a cancel request is needed to take it back.
LIVE = (CustomsStatus.DECLARED, CustomsStatus.RELEASED, CustomsStatus.HELD)

_PARCEL = text(
    "SELECT c.sscc, c.order_number, c.carrier, c.waybill, c.weight_g, c.status,"
    " c.customs_status, o.trade_mode, o.currency, k.name, k.phone, k.address, k.id_number,"
    " t.tare_g FROM parcel c JOIN sales_order o ON o.warehouse = c.warehouse"
    " AND o.number = c.order_number LEFT JOIN order_consignee k ON k.warehouse = c.warehouse"
    " AND k.order_number = c.order_number LEFT JOIN carton t ON t.warehouse = c.warehouse"
    " AND t.code = c.carton WHERE c.warehouse = :w AND c.sscc = :s FOR UPDATE OF c"
)
_LINES = text(
    "SELECT pl.sku, pl.lot, SUM(pl.units) AS units, p.name AS product, p.weight_g,"
    " cp.hs_code, cp.name AS goods, cp.spec, cp.unit, cp.legal_unit, cp.legal_qty,"
    " cp.second_unit, cp.second_qty, cp.origin, cp.barcode, ci.item_record_no,"
    " ol.line_no, ol.unit_price, (SELECT MIN(b.code) FROM product_barcode b"
    " WHERE b.sku = pl.sku) AS gtin FROM parcel_line pl JOIN product p ON p.sku = pl.sku"
    " LEFT JOIN customs_product cp ON cp.sku = pl.sku LEFT JOIN customs_item ci"
    " ON ci.warehouse = pl.warehouse AND ci.sku = pl.sku LEFT JOIN LATERAL (SELECT line_no,"
    " unit_price FROM order_line WHERE warehouse = pl.warehouse AND order_number = :o"
    " AND sku = pl.sku ORDER BY line_no LIMIT 1) ol ON true WHERE pl.warehouse = :w"
    " AND pl.sscc = :s GROUP BY pl.sku, pl.lot, p.name, p.weight_g, cp.sku, ci.item_record_no,"
    " ol.line_no, ol.unit_price ORDER BY ol.line_no NULLS LAST, pl.sku, pl.lot"
)
_OTHER_LIST = text(
    "SELECT sscc FROM customs_message WHERE warehouse = :w AND order_number = :o"
    " AND kind = 'CEB621' AND sscc <> :s AND state <> 'withdrawn'"
    " AND status = ANY(CAST(:live AS text[])) LIMIT 1"
)
_TRIES = text(
    "SELECT COUNT(*) FROM customs_message WHERE warehouse = :w AND sscc = :s AND kind = :k"
)
_STORE = text(
    "INSERT INTO customs_message (guid, warehouse, kind, sscc, order_number, cop_no,"
    " list_guid, state, status, body, lines, reason, stream_id, seq, send_after, pre_no,"
    " invt_no) VALUES (:guid, :w, :kind, :sscc, :order, :cop, :list, :state, :status, :body,"
    " CAST(:lines AS jsonb), :reason, :stream, :seq, now(), :pre, :invt)"
)


@dataclass
class Declared:
    """What declaring a parcel came to: the list's guid, or why there is none (``waiting``: it
    will be declared by itself once that is fixed; ``raised``: exceptions for a supervisor)."""

    guid: str | None = None
    waiting: str | None = None
    problems: list[str] = field(default_factory=list)
    raised: list[Raise] = field(default_factory=list)


def new_guid() -> str:
    """A message guid as customs wants it: 36 characters, upper case."""
    return str(uuid.uuid4()).upper()


def _kg(grams: Decimal) -> Decimal:
    return (grams / 1000).quantize(_GRAM)


def _facts(r: Any) -> CustomsFacts:
    return CustomsFacts(r.hs_code, r.unit, r.legal_unit, r.origin, r.item_record_no)


def head_of(codes: WarehouseCodes, parcel: Any) -> Head:
    """What every message about ``parcel`` repeats (its consignee read only for this)."""
    agent = Party(codes.agent_code, codes.agent_name)
    carrier = codes.carrier(parcel.carrier)
    return Head(
        order_no=parcel.order_number,
        ebp=Party(codes.ebp_code, codes.ebp_name),
        ebc=Party(codes.ebc_code, codes.ebc_name),
        logistics=Party(carrier.code, carrier.name),
        logistics_no=parcel.waybill or "",
        agent=agent,
        customs_code=codes.customs_code,
        buyer=Buyer(
            id_number=parcel.id_number or "",
            name=parcel.name or "",
            phone=parcel.phone or "",
            address=" ".join(str(parcel.address or "").split()),
        ),
        sender=Sender(codes.agent_code, codes.agent_name, codes.dxp_id),
    )


def _list_lines(rows: Sequence[Any]) -> tuple[list[ListLine], list[dict[str, Any]], list[str]]:
    """The list's goods lines (one per order line: its lots in the note), what they declare
    per product, and what stops them."""
    by_sku: dict[str, list[Any]] = {}
    for r in rows:
        by_sku.setdefault(r.sku, []).append(r)
    lines: list[ListLine] = []
    declared: list[dict[str, Any]] = []
    stops: list[str] = []
    for gnum, (sku, lots) in enumerate(by_sku.items(), start=1):
        r = lots[0]
        missing = missing_customs_data(_facts(r))
        if missing:
            stops.append(f"{sku}: {', '.join(missing)}")
            continue
        if r.unit_price is None:
            stops.append(f"{sku} is not on the order: no declared price")
            continue
        units = sum(int(x.units) for x in lots)
        qty = Decimal(units)
        note = "; ".join(f"lot {x.lot} x{int(x.units)}" for x in lots if x.lot)
        lines.append(
            ListLine(
                gnum=gnum,
                item_record_no=r.item_record_no,
                sku=sku,
                item_name=r.product,
                hs_code=r.hs_code,
                goods_name=r.goods or r.product,
                spec=r.spec or r.goods or r.product,
                barcode=r.barcode or r.gtin or "无",  # customs' word for "no barcode"
                origin=r.origin,
                qty=qty,
                unit=r.unit,
                legal_qty=qty * Decimal(r.legal_qty),
                legal_unit=r.legal_unit,
                second_qty=None if r.second_qty is None else qty * Decimal(r.second_qty),
                second_unit=r.second_unit,
                price=Decimal(r.unit_price),
                note=note[:1000],
            )
        )
        declared.append(
            {"gnum": gnum, "sku": sku, "item": r.item_record_no, "units": units,
             "hs_code": r.hs_code, "goods": r.goods or r.product, "unit": r.unit}
        )  # fmt: skip
    if len(by_sku) > MAX_LINES:
        stops.append(f"{len(by_sku)} products in one parcel: a list carries at most {MAX_LINES}")
    return lines, declared, stops


def _weights(parcel: Any, rows: Sequence[Any]) -> tuple[Decimal, Decimal]:
    """Gross (the scale's) and net weight in kg: the goods' own weights when every product
    has one, else the gross less the carton's tare."""
    gross = Decimal(int(parcel.weight_g or 0))
    goods = [Decimal(int(r.weight_g)) * int(r.units) for r in rows if r.weight_g]
    if len(goods) == len(rows) and 0 < sum(goods) <= gross:
        net = sum(goods, Decimal(0))
    else:
        net = max(gross - Decimal(int(parcel.tare_g or 0)), Decimal(0))
    return _kg(gross), _kg(net)


def _buyer_stops(parcel: Any) -> list[str]:
    stops = []
    if not parcel.id_number:
        stops.append("the order's consignee has no ID number (id_number): customs needs it")
    if parcel.currency != "CNY":
        stops.append(f"the order's prices are in {parcel.currency}: customs takes CNY only")
    return stops


def build_list(
    conn: Connection, warehouse: str, sscc: str, codes: WarehouseCodes, *, guid: str, at: datetime
) -> tuple[etree._ElementTree | None, list[dict[str, Any]], list[str], str]:
    """The parcel's import list (None and why when it cannot be built), what it declares per
    line, and its internal number (the SSCC, then SSCC R2, R3… when declared again)."""
    parcel = conn.execute(_PARCEL, {"w": warehouse, "s": sscc}).one()
    rows = conn.execute(_LINES, {"w": warehouse, "s": sscc, "o": parcel.order_number}).all()
    tries = int(conn.execute(_TRIES, {"w": warehouse, "s": sscc, "k": CEB621}).scalar_one())
    cop_no = sscc if tries == 0 else f"{sscc}R{tries + 1}"
    lines, declared, stops = _list_lines(rows)
    stops = _buyer_stops(parcel) + stops
    if stops:
        return None, declared, stops, cop_no
    gross, net = _weights(parcel, rows)
    tree = import_list(
        ImportList(
            guid=guid,
            at=at,
            cop_no=cop_no,
            head=head_of(codes, parcel),
            assure_code=codes.assure_code or codes.ebc_code,
            ems_no=codes.ems_no,
            port_code=codes.port_code,
            area=Party(codes.area_code, codes.area_name),
            traf_mode=codes.traf_mode,
            gross_kg=gross,
            net_kg=net,
            lines=lines,
        )
    )
    return tree, declared, problems(tree), cop_no


def declare_parcel(
    conn: Connection,
    warehouse: str,
    sscc: str,
    *,
    op: tuple[str, int] | None = None,
    at: datetime | None = None,
) -> Declared:
    """Declare a bonded-retail parcel: its list built, validated and queued for customs, the
    parcel ``declared``; or the parcel left ``pending`` with why, in its customs text (and an
    exception for the supervisor when the data must be fixed)."""
    parcel = conn.execute(_PARCEL, {"w": warehouse, "s": sscc}).first()
    if parcel is None or parcel.trade_mode != OrderKind.BONDED_RETAIL or parcel.status == "void":
        return Declared()
    details = {"sscc": sscc, "order": parcel.order_number}
    codes = codes_of(conn, warehouse)
    if codes is None:
        why = f"{warehouse} has no customs codes yet: `wms hub customs codes`"
        set_status(conn, warehouse, sscc, CustomsStatus.PENDING, why)
        return Declared(waiting=why)
    other = conn.execute(
        _OTHER_LIST,
        {"w": warehouse, "o": parcel.order_number, "s": sscc, "live": [str(s) for s in LIVE]},
    ).scalar()
    if other is not None:
        why = f"order {parcel.order_number} is declared on parcel {other}: one list per order"
        set_status(conn, warehouse, sscc, CustomsStatus.PENDING, why)
        message = (
            f"parcel {sscc} is a second parcel of bonded-retail order {parcel.order_number}:"
            f" customs takes one list per order (parcel {other}); open it and pack the order"
            " as one parcel"
        )
        return Declared(waiting=why, raised=[Raise("bonded_order_split", message, details, op)])
    if not parcel.waybill:
        why = "waits for its waybill: declared once the carrier booked it"
        set_status(conn, warehouse, sscc, CustomsStatus.PENDING, why)
        return Declared(waiting=why)
    guid = new_guid()
    tree, declared, stops, cop_no = build_list(
        conn, warehouse, sscc, codes, guid=guid, at=at or datetime.now(UTC)
    )
    if tree is None or stops:
        kind = "customs_data_missing" if tree is None else "customs_list_invalid"
        why = "cannot be declared: " + "; ".join(stops)
        set_status(conn, warehouse, sscc, CustomsStatus.PENDING, why[:1000])
        message = f"parcel {sscc} (order {parcel.order_number}) {why}"
        return Declared(
            problems=stops, raised=[Raise(kind, message[:2000], details | {"problems": stops}, op)]
        )
    store(conn, warehouse, CEB621, guid, sscc=sscc, order=parcel.order_number, cop_no=cop_no,
          tree=tree, lines=declared, op=op)  # fmt: skip
    set_status(conn, warehouse, sscc, CustomsStatus.DECLARED, None, list_guid=guid)
    return Declared(guid=guid)


def store(
    conn: Connection,
    warehouse: str,
    kind: str,
    guid: str,
    *,
    sscc: str | None,
    order: str,
    cop_no: str,
    tree: etree._ElementTree | None,
    lines: list[dict[str, Any]],
    op: tuple[str, int] | None = None,
    list_guid: str | None = None,
    reason: str | None = None,
    pre_no: str | None = None,
    invt_no: str | None = None,
) -> None:
    """Keep a message to hand over (``tree`` None: it waits for customs' list number)."""
    conn.execute(
        _STORE,
        {
            "guid": guid,
            "w": warehouse,
            "kind": kind,
            "sscc": sscc,
            "order": order,
            "cop": cop_no,
            "list": list_guid,
            "state": "queued" if tree is not None else "waiting",
            "status": str(CustomsStatus.DECLARED),
            "body": None if tree is None else serialise(tree).decode(),
            "lines": to_json(lines).decode(),
            "reason": reason,
            "stream": op[0] if op else None,
            "seq": op[1] if op else None,
            "pre": pre_no,
            "invt": invt_no,
        },
    )


# --- cancel and return requests ---------------------------------------------------------------

_LIST = text(
    "SELECT guid, sscc, order_number, cop_no, state, status, pre_no, invt_no, lines"
    " FROM customs_message WHERE warehouse = :w AND sscc = :s AND kind = 'CEB621'"
    " ORDER BY created_at DESC, guid LIMIT 1 FOR UPDATE"
)


def live_list(conn: Connection, warehouse: str, sscc: str) -> Any:
    """The parcel's latest import list (locked), or None."""
    return conn.execute(_LIST, {"w": warehouse, "s": sscc}).first()


def request_cancel(
    conn: Connection, warehouse: str, sscc: str, reason: str, *, op: tuple[str, int] | None = None
) -> CustomsStatus | None:
    """Take back the parcel's list: withdrawn if never handed over; else a cancel request
    (CEB623), built once customs has numbered the list. Returns the parcel's customs status
    now (None: it had no live list)."""
    lst = live_list(conn, warehouse, sscc)
    if lst is None or lst.status not in LIVE:
        return None
    if lst.state == "queued":
        conn.execute(
            text(
                "UPDATE customs_message SET state = 'withdrawn', status = 'cancelled'"
                " WHERE guid = :g"
            ),
            {"g": lst.guid},
        )
        set_status(conn, warehouse, sscc, CustomsStatus.CANCELLED, f"not sent: {reason}"[:1000])
        return CustomsStatus.CANCELLED
    already = conn.execute(
        text(
            "SELECT 1 FROM customs_message WHERE list_guid = :g AND kind = 'CEB623'"
            " AND status = 'declared'"
        ),
        {"g": lst.guid},
    ).first()
    if already is None:
        guid = new_guid()
        cop_no = f"{sscc}C{_count(conn, warehouse, sscc, CEB623) + 1}"
        tree = _cancel_tree(conn, warehouse, lst, guid=guid, cop_no=cop_no, reason=reason)
        store(conn, warehouse, CEB623, guid, sscc=sscc, order=lst.order_number, cop_no=cop_no,
              tree=tree, lines=[], op=op, list_guid=lst.guid, reason=reason,
              invt_no=lst.invt_no)  # fmt: skip
    conn.execute(
        text("UPDATE customs_message SET status = 'cancelling' WHERE guid = :g"), {"g": lst.guid}
    )
    words = f"cancel requested: {reason}"[:1000]
    set_status(conn, warehouse, sscc, CustomsStatus.CANCELLING, words)
    return CustomsStatus.CANCELLING


def _count(conn: Connection, warehouse: str, sscc: str, kind: str) -> int:
    return int(conn.execute(_TRIES, {"w": warehouse, "s": sscc, "k": kind}).scalar_one())


def _cancel_tree(
    conn: Connection, warehouse: str, lst: Any, *, guid: str, cop_no: str, reason: str
) -> etree._ElementTree | None:
    """The cancel request of ``lst``; None until customs gave the list its number."""
    codes = codes_of(conn, warehouse)
    if codes is None or not lst.invt_no:
        return None
    parcel = conn.execute(_PARCEL, {"w": warehouse, "s": lst.sscc}).one()
    return cancel_request(
        CancelRequest(
            guid, datetime.now(UTC), cop_no, head_of(codes, parcel), lst.pre_no, lst.invt_no,
            reason[:1000] or "cancelled",
        )
    )  # fmt: skip


def build_waiting(conn: Connection, warehouse: str, list_guid: str) -> None:
    """Customs numbered a list: build its waiting cancel request."""
    lst = conn.execute(
        text("SELECT * FROM customs_message WHERE guid = :g"), {"g": list_guid}
    ).one()
    for req in conn.execute(
        text(
            "SELECT guid, cop_no, reason FROM customs_message WHERE list_guid = :g"
            " AND state = 'waiting' AND kind = 'CEB623' FOR UPDATE"
        ),
        {"g": list_guid},
    ).all():
        tree = _cancel_tree(
            conn, warehouse, lst, guid=req.guid, cop_no=req.cop_no, reason=req.reason or ""
        )
        if tree is not None:
            conn.execute(
                text(
                    "UPDATE customs_message SET state = 'queued', body = :b, invt_no = :i,"
                    " send_after = now() WHERE guid = :g"
                ),
                {"b": serialise(tree).decode(), "i": lst.invt_no, "g": req.guid},
            )


def request_return(
    conn: Connection,
    warehouse: str,
    order: str,
    returned: dict[str, int],
    reason: str,
    *,
    op: tuple[str, int] | None = None,
) -> Raise | None:
    """Declare goods of the order's released list coming back (CEB625); an exception instead
    when there is no released list to refer to."""
    lst = conn.execute(
        text(
            "SELECT * FROM customs_message WHERE warehouse = :w AND order_number = :o"
            " AND kind = 'CEB621' AND status = 'released' ORDER BY created_at DESC LIMIT 1"
        ),
        {"w": warehouse, "o": order},
    ).first()
    details = {"order": order, "returned": returned}
    if lst is None or not lst.invt_no:
        message = (
            f"goods of bonded-retail order {order} came back, but it has no list released by"
            " customs to return them against: tell the customs officer"
        )
        return Raise("customs_return_without_list", message, details, op)
    codes = codes_of(conn, warehouse)
    if codes is None:
        return None
    declared = {ln["sku"]: ln for ln in lst.lines or []}
    lines = [
        RefundLine(
            declared[sku]["gnum"],
            declared[sku]["hs_code"],
            declared[sku]["goods"],
            Decimal(units),
            declared[sku]["unit"],
        )
        for sku, units in sorted(returned.items())
        if sku in declared
    ]
    unknown = sorted(set(returned) - set(declared))
    if unknown or not lines:
        message = f"order {order}'s returned {', '.join(unknown)} are not on its released list"
        return Raise("customs_return_without_list", message, details | {"list": lst.guid}, op)
    parcel = conn.execute(_PARCEL, {"w": warehouse, "s": lst.sscc}).one()
    guid = new_guid()
    cop_no = f"{lst.sscc}T{_count(conn, warehouse, lst.sscc, CEB625) + 1}"
    tree = return_request(
        ReturnRequest(
            guid, datetime.now(UTC), cop_no, head_of(codes, parcel), lst.pre_no, lst.invt_no,
            reason[:1000] or "customer return", lines,
        )
    )  # fmt: skip
    stops = problems(tree)
    if stops:
        message = f"the return request of order {order} cannot be sent: {'; '.join(stops)}"
        return Raise("customs_list_invalid", message, details | {"problems": stops}, op)
    refund = [{"gnum": ln.gnum, "sku": s, "units": returned[s]} for s, ln in zip(
        sorted(s for s in returned if s in declared), lines, strict=True)]  # fmt: skip
    store(conn, warehouse, CEB625, guid, sscc=lst.sscc, order=order, cop_no=cop_no, tree=tree,
          lines=refund, op=op, list_guid=lst.guid, reason=reason, pre_no=lst.pre_no,
          invt_no=lst.invt_no)  # fmt: skip
    return None


# Parcels left pending for a reason that mends itself: no waybill yet, no codes yet.
_WAITING = text(
    "SELECT c.warehouse, c.sscc FROM parcel c WHERE c.customs_status = 'pending'"
    " AND c.status IN ('packed', 'loaded') AND (c.customs_text LIKE 'waits for its waybill%'"
    " OR c.customs_text LIKE '% has no customs codes yet%') AND (c.waybill IS NOT NULL"
    " OR c.customs_text NOT LIKE 'waits%') ORDER BY c.packed_at LIMIT 100"
    " FOR UPDATE OF c SKIP LOCKED"
)


def declare_waiting(engine: Engine) -> list[str]:
    """Declare the parcels that were waiting for their waybill or their warehouse's codes and
    now have them (the booking worker books parcels packed offline); their SSCCs."""
    with engine.begin() as conn:
        done = []
        for r in conn.execute(_WAITING).all():
            declared = declare_parcel(conn, r.warehouse, r.sscc)
            raise_exceptions(conn, r.warehouse, declared.raised)
            if declared.guid:
                done.append(str(r.sscc))
        return done
