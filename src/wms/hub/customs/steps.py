"""A supervisor's next step for a parcel customs stopped (resolving its exception):

- ``redeclare``: build and send its list again under a new guid, once what stopped it is
  fixed (customs' reason, the product's customs data, the consignee's ID number);
- ``hold``: keep it aside for customs (an inspection, a detention) until customs answers;
- ``unpack``: the floor opens it and puts its goods back to stock; a list customs may still
  act on is taken back first (a cancel request).

What the floor must do is said in the parcel's customs text, which pack and dispatch
terminals show.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from wms.domain.customs import CustomsStatus
from wms.hub.customs.declare import LIVE, declare_parcel, live_list, request_cancel
from wms.hub.customs.gate import set_status

CUSTOMS_STEPS = frozenset({"redeclare", "hold", "unpack"})


class StepRefused(Exception):
    """The step cannot be taken (now); the message says why."""


_PARCEL = text(
    "SELECT sscc, status, customs_status, customs_text FROM parcel WHERE warehouse = :w"
    " AND sscc = :s FOR UPDATE"
)


def take_step(
    conn: Connection, warehouse: str, sscc: str, step: str, *, who: str, why: str
) -> None:
    """Take ``step`` for parcel ``sscc`` in the caller's transaction; StepRefused otherwise."""
    parcel = conn.execute(_PARCEL, {"w": warehouse, "s": sscc}).first()
    if parcel is None or parcel.customs_status is None:
        raise StepRefused(f"no bonded-retail parcel {sscc or '(none named)'} here")
    if parcel.status in ("shipped", "void"):
        raise StepRefused(f"parcel {sscc} is {parcel.status}: nothing to do for it")
    status = CustomsStatus(parcel.customs_status)
    if step == "redeclare":
        lst = live_list(conn, warehouse, sscc)
        if lst is not None and lst.status in LIVE:
            raise StepRefused(f"parcel {sscc}'s list {lst.guid} is still with customs")
        declared = declare_parcel(conn, warehouse, sscc)
        if declared.problems or declared.raised:
            stops = declared.problems or [r.message for r in declared.raised]
            raise StepRefused("still cannot be declared: " + "; ".join(stops))
    elif step == "hold":
        words = f"kept aside for customs by {who}: {why}"
        said = f"{parcel.customs_text} — {words}" if parcel.customs_text else words
        set_status(conn, warehouse, sscc, status, said[:1000])
    elif step == "unpack":
        now = request_cancel(conn, warehouse, sscc, f"opened again: {why}")
        words = f"open it and put the goods back to stock (decided by {who}: {why})"
        set_status(conn, warehouse, sscc, now or status, words[:1000])
    else:
        raise StepRefused(f"unknown step {step}")
