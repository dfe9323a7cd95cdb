"""Customs' receipts: CEB622 (an import list's status), CEB624 (a cancel request's), CEB626 (a
return request's), arriving through a warehouse's inbox folder or the API.

Every receipt is kept as it came (``customs_receipt``, once: the same bytes twice are one
receipt). Each of its answers is applied to the message it answers, matched by our internal
number (``copNo``) or guid, within the warehouse it came in for; an answer that cannot be
applied is **set aside with its reason**, never dropped, and a supervisor is told: the XML is
not well-formed or not customs' schema, it names no company (signed by nobody), it is another
warehouse's, it answers no message of ours, or its status code is not one customs uses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.customs import CustomsStatus, list_decision, request_decision
from wms.hub.customs.codes import WarehouseCodes, codes_of
from wms.hub.customs.declare import build_waiting
from wms.hub.customs.gate import Raise, raise_exceptions, set_status
from wms.hub.customs.xsd import NS, NotWellFormed, problems, read

MAX_RECEIPT_BYTES = 1024 * 1024
# Receipt message -> (its answers' element, the kind of message they answer)
ANSWERS = {
    "CEB622Message": ("InventoryReturn", "CEB621"),
    "CEB624Message": ("InvtCancelReturn", "CEB623"),
    "CEB626Message": ("InvtRefundReturn", "CEB625"),
}
_FIELDS = ("guid", "copNo", "preNo", "invtNo", "agentCode", "ebcCode", "ebpCode",
           "returnStatus", "returnTime", "returnInfo")  # fmt: skip


@dataclass
class Received:
    """What became of one receipt: ``state`` applied, set_aside or duplicate (the same receipt
    came before); ``answers`` per answer in it: the message, and what it changed or why not."""

    id: int
    state: str
    reason: str | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)


_KEEP = text(
    "INSERT INTO customs_receipt (warehouse, digest, source, state, body)"
    " VALUES (:w, :d, :src, 'applied', :body) ON CONFLICT (warehouse, digest) DO NOTHING"
    " RETURNING id"
)
_SEEN = text(
    "SELECT id, state, reason, applied FROM customs_receipt WHERE warehouse = :w AND digest = :d"
)
_DONE = text(
    "UPDATE customs_receipt SET state = :state, reason = :reason, kind = :kind,"
    " applied = CAST(:applied AS jsonb) WHERE id = :id"
)


def receive(conn: Connection, warehouse: str, raw: bytes, source: str) -> Received:
    """Keep and apply one receipt for ``warehouse`` in the caller's transaction."""
    digest = hashlib.sha256(raw).hexdigest()
    body = raw[:MAX_RECEIPT_BYTES].decode("utf-8", "replace").replace("\x00", "\ufffd")
    args = {"w": warehouse, "d": digest, "src": source[:200], "body": body}
    kept = conn.execute(_KEEP, args).scalar()
    if kept is None:
        seen = conn.execute(_SEEN, {"w": warehouse, "d": digest}).one()
        return Received(int(seen.id), "duplicate", seen.reason, list(seen.applied or []))
    receipt = Received(int(kept), "applied")
    kind = _apply(conn, warehouse, raw, receipt)
    set_aside = [a for a in receipt.answers if a.get("set_aside")]
    if receipt.reason is None and set_aside:
        receipt.reason = "; ".join(str(a["set_aside"]) for a in set_aside)[:2000]
    if receipt.reason is not None:
        receipt.state = "set_aside"
        message = f"customs receipt {receipt.id} ({source[:100]}) set aside: {receipt.reason}"
        details = {"receipt": receipt.id, "source": source[:200]}
        raise_exceptions(
            conn, warehouse, [Raise("customs_receipt_set_aside", message[:2000], details)]
        )
    conn.execute(
        _DONE,
        {
            "id": receipt.id,
            "state": receipt.state,
            "reason": receipt.reason,
            "kind": kind,
            "applied": to_json(receipt.answers).decode(),
        },
    )
    return receipt


def _apply(conn: Connection, warehouse: str, raw: bytes, receipt: Received) -> str | None:
    """Apply the receipt's answers; sets ``receipt.reason`` when it is set aside whole."""
    if len(raw) > MAX_RECEIPT_BYTES:
        receipt.reason = f"over {MAX_RECEIPT_BYTES} bytes: no customs receipt is this large"
        return None
    try:
        tree = read(raw)
    except NotWellFormed as e:
        receipt.reason = str(e)
        return None
    root = tree.getroot()
    name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
    if etree.QName(root).namespace != NS or name not in ANSWERS:
        receipt.reason = f"not a customs receipt this hub takes: {name[:40]}"
        return None
    wrong = problems(tree)
    if wrong:
        receipt.reason = "does not follow customs' schema: " + "; ".join(wrong[:5])
        return None
    codes = codes_of(conn, warehouse)
    if codes is None:
        receipt.reason = f"{warehouse} has no customs codes: it declares nothing"
        return name[:6]
    element, answers = ANSWERS[name]
    for el in root.iterchildren(f"{{{NS}}}{element}"):
        answer = {f: _text(el, f) for f in _FIELDS}
        receipt.answers.append(answer | _answer(conn, warehouse, codes, answers, answer))
    return name[:6]


def _text(el: etree._Element, name: str) -> str | None:
    found = el.find(f"{{{NS}}}{name}")
    return None if found is None or found.text is None else found.text.strip()


def _answer(
    conn: Connection, warehouse: str, codes: WarehouseCodes, kind: str, a: dict[str, Any]
) -> dict[str, Any]:
    """Apply one answer; what it did, or ``set_aside`` and why."""
    named = {a["agentCode"], a["ebcCode"], a["ebpCode"]} - {None}
    if not named:
        return {"set_aside": f"{a['copNo']}: names no company (signed by nobody)"}
    ours = {codes.agent_code, codes.ebc_code, codes.ebp_code}
    if not named & ours:
        return {"set_aside": f"{a['copNo']}: for another warehouse (company {sorted(named)[0]})"}
    msg = conn.execute(
        text(
            "SELECT * FROM customs_message WHERE warehouse = :w AND kind = :k"
            " AND (cop_no = :c OR guid = :g) ORDER BY cop_no = :c DESC LIMIT 1 FOR UPDATE"
        ),
        {"w": warehouse, "k": kind, "c": a["copNo"], "g": a["guid"]},
    ).first()
    if msg is None:
        elsewhere = conn.execute(
            text(
                "SELECT 1 FROM customs_message WHERE warehouse <> :w AND kind = :k"
                " AND (cop_no = :c OR guid = :g) LIMIT 1"
            ),
            {"w": warehouse, "k": kind, "c": a["copNo"], "g": a["guid"]},
        ).first()
        why = "for another warehouse" if elsewhere else f"answers no {kind} of this warehouse"
        return {"set_aside": f"{a['copNo']}: {why}"}
    code = str(a["returnStatus"])
    if kind == "CEB621":
        decision = list_decision(code)
        if decision is None:
            return {
                "set_aside": f"{a['copNo']}: unknown status code {code[:10]}",
                "message": msg.guid,
            }
        return {"message": msg.guid} | _list_answer(conn, warehouse, msg, a, decision)
    try:
        accepted = request_decision(code)
    except ValueError as e:
        return {"set_aside": f"{a['copNo']}: {e}", "message": msg.guid}
    return {"message": msg.guid} | _request_answer(conn, warehouse, msg, a, accepted)


_ANSWERED = text(
    "UPDATE customs_message SET return_status = :code, return_time = :at, return_info = :info,"
    " pre_no = COALESCE(:pre, pre_no), invt_no = COALESCE(:invt, invt_no), answered_at = now(),"
    " status = COALESCE(:status, status) WHERE guid = :g"
)


def _record(conn: Connection, msg: Any, a: dict[str, Any], status: str | None) -> bool:
    """Note the answer on its message; False when an answer of a later time came already
    (receipts may arrive out of order: the later one stands)."""
    if msg.return_time and a["returnTime"] < msg.return_time:
        return False
    conn.execute(
        _ANSWERED,
        {
            "code": a["returnStatus"],
            "at": a["returnTime"],
            "info": a["returnInfo"],
            "pre": a["preNo"],
            "invt": a["invtNo"],
            "status": status,
            "g": msg.guid,
        },
    )
    return True


def _list_answer(
    conn: Connection, warehouse: str, msg: Any, a: dict[str, Any], decision: Any
) -> dict[str, Any]:
    """An import list's receipt: the list's and its parcel's customs status, and an exception
    with customs' words when the parcel may not leave."""
    closed = msg.status in ("cancelled", "cancelling") or msg.state == "withdrawn"
    latest = conn.execute(
        text(
            "SELECT guid FROM customs_message WHERE warehouse = :w AND sscc = :s"
            " AND kind = 'CEB621' ORDER BY created_at DESC, guid LIMIT 1"
        ),
        {"w": warehouse, "s": msg.sscc},
    ).scalar()
    status = None if closed or decision.status is None else str(decision.status)
    if not _record(conn, msg, a, status):
        return {"changed": False, "why": "older than the last receipt of this list"}
    if a["invtNo"] and msg.status == "cancelling":
        build_waiting(conn, warehouse, msg.guid)
    if closed or latest != msg.guid or decision.status is None:
        return {"changed": False, "status": msg.status}
    info = a["returnInfo"] or ""
    set_status(conn, warehouse, msg.sscc, decision.status, info[:1000] or None, list_guid=msg.guid)
    if decision.exception:
        details = {"sscc": msg.sscc, "order": msg.order_number, "list": msg.guid,
                   "return_status": a["returnStatus"], "customs_text": info}  # fmt: skip
        message = (
            f"customs answered {a['returnStatus']} on parcel {msg.sscc} (order"
            f" {msg.order_number}): {info[:500]}. Next: {' or '.join(decision.steps)}"
        )
        raise_exceptions(conn, warehouse, [Raise(decision.exception, message, details)])
    return {"changed": True, "status": str(decision.status)}


def _request_answer(
    conn: Connection, warehouse: str, msg: Any, a: dict[str, Any], accepted: bool | None
) -> dict[str, Any]:
    """A cancel or return request's receipt."""
    status = None if accepted is None else ("accepted" if accepted else "refused")
    if not _record(conn, msg, a, status) or accepted is None:
        return {"changed": False}
    info = a["returnInfo"] or ""
    details = {"sscc": msg.sscc, "order": msg.order_number, "request": msg.guid,
               "list": msg.list_guid, "customs_text": info}  # fmt: skip
    if msg.kind == "CEB625":
        if not accepted:
            message = f"customs refused the return of order {msg.order_number}: {info[:500]}"
            raise_exceptions(conn, warehouse, [Raise("customs_refund_refused", message, details)])
        return {"changed": True, "status": status}
    lst = conn.execute(
        text("SELECT * FROM customs_message WHERE guid = :g FOR UPDATE"), {"g": msg.list_guid}
    ).one()
    if accepted:
        conn.execute(
            text("UPDATE customs_message SET status = 'cancelled' WHERE guid = :g"),
            {"g": lst.guid},
        )
        words = f"list cancelled by customs: open it and put the goods back. {info}"
        set_status(conn, warehouse, lst.sscc, CustomsStatus.CANCELLED, words[:1000])
        message = f"customs cancelled the list of parcel {lst.sscc}: open it, goods back to stock"
        raise_exceptions(conn, warehouse, [Raise("customs_cancelled", message, details)])
        return {"changed": True, "status": "cancelled"}
    before = list_decision(lst.return_status or "") if lst.return_status else None
    back = before.status if before is not None and before.status else CustomsStatus.DECLARED
    conn.execute(
        text("UPDATE customs_message SET status = :s WHERE guid = :g"),
        {"s": str(back), "g": lst.guid},
    )
    set_status(conn, warehouse, lst.sscc, back, f"cancel refused by customs: {info}"[:1000])
    message = (
        f"customs refused to cancel the list of parcel {lst.sscc} (order {lst.order_number}):"
        f" {info[:500]}. Its order stays cancelled: hold the parcel or open it"
    )
    raise_exceptions(conn, warehouse, [Raise("customs_cancel_refused", message, details)])
    return {"changed": True, "status": str(back)}
