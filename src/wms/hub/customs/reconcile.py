"""The daily three-way reconciliation, per bonded-ledger item: the **customs ledger balance**
(the bonded ledger's entries), the **physical bonded stock** (stock on customs hold, wherever
it is: bins, carts, parcels not yet gone) and **what was declared and released** (lists customs
released whose parcels have not left yet, and those still awaiting customs).

Both ledgers start from the same opening (the bonded stock when the ledger was opened) and are
written in the same transactions, so after the opening every unit of bonded stock that moved
in or out must have its entry. Every difference is therefore traced to its source: the op
(type, terminal stream and number, parcel, bin, time) or the supervisor's decision whose stock
movement has no entry, or the entry with no movement. A list customs released for a parcel
that was opened again shows too: customs counts those units as gone, the warehouse holds them.

"As of a day" is what the hub had recorded by that day's end (the hub's local day).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.customs.ledger import BONDED, KINDS


class NotOpen(LookupError):
    """The warehouse keeps no bonded ledger (it has no customs codes)."""


@dataclass
class Item:
    """One ledger item's three figures and the day's entries."""

    item_record_no: str
    skus: list[str]
    ledger: int = 0
    physical: int = 0
    released_open: int = 0
    declared_open: int = 0
    moves: dict[str, int] = field(default_factory=dict)

    @property
    def difference(self) -> int:
        """Physical bonded stock less the ledger balance: nonzero is a discrepancy."""
        return self.physical - self.ledger

    @property
    def customs_view(self) -> int:
        """The balance customs' own books show, which count a list out once released."""
        return self.ledger - self.released_open


@dataclass(frozen=True)
class Trace:
    """Where a difference comes from: a source whose bonded stock movement and ledger entries
    disagree by ``difference`` units of ``sku``."""

    sku: str
    item_record_no: str
    source: str  # op, decision, entry, unattributed, released_opened
    what: str
    difference: int
    physical: int
    ledger: int
    op_type: str | None = None
    stream_id: str | None = None
    seq: int | None = None
    decision: int | None = None
    parcels: tuple[str, ...] = ()
    location: str | None = None
    at: datetime | None = None


@dataclass
class Report:
    """The reconciliation of one warehouse as of a moment."""

    warehouse: str
    ems_no: str
    day: date
    as_of: datetime
    items: list[Item]
    traces: list[Trace]

    @property
    def balanced(self) -> bool:
        """No item differs and nothing is to trace."""
        return not self.traces and all(i.difference == 0 for i in self.items)


_OPENED = text(
    "SELECT codes->>'ems_no' AS ems_no, opened_cut FROM customs_warehouse WHERE warehouse = :w"
)
_PHYSICAL = text(
    "SELECT sku, SUM(delta) AS units FROM ledger WHERE warehouse = :w AND status = :bonded"
    " AND recorded_at < :end GROUP BY sku"
)
_LEDGER = text(
    "SELECT sku, kind, SUM(units) AS units, SUM(units) FILTER (WHERE recorded_at >= :start)"
    " AS today FROM bonded_ledger WHERE warehouse = :w AND recorded_at < :end GROUP BY sku, kind"
)
_ITEMS = text("SELECT sku, item_record_no FROM customs_item WHERE warehouse = :w")
# Lists not gone with their parcel: released (customs counts them out) or awaiting customs.
_OPEN_LISTS = text(
    "SELECT m.guid, m.sscc, m.status, m.lines, c.status AS parcel_status, m.order_number"
    " FROM customs_message m JOIN parcel c ON c.warehouse = m.warehouse AND c.sscc = m.sscc"
    " WHERE m.warehouse = :w AND m.kind = 'CEB621' AND m.created_at < :end"
    " AND m.status IN ('released', 'declared', 'held', 'cancelling')"
    " AND (c.status <> 'shipped' OR c.shipped_at >= :end)"
)
_MOVED = text(
    "SELECT l.stream_id, l.seq, l.decision, l.sku, SUM(l.delta) AS units,"
    " MIN(l.location) AS location, MIN(l.occurred_at) AS at,"
    " array_remove(array_agg(DISTINCT NULLIF(l.container, '')), NULL) AS containers"
    " FROM ledger l WHERE l.warehouse = :w AND l.status = :bonded AND l.id > :cut"
    " AND l.recorded_at < :end GROUP BY l.stream_id, l.seq, l.decision, l.sku"
    " HAVING SUM(l.delta) <> 0"
)
_ENTRIES = text(
    "SELECT stream_id, seq, decision, sku, SUM(units) AS units, MIN(occurred_at) AS at,"
    " array_remove(array_agg(DISTINCT sscc), NULL) AS containers FROM bonded_ledger"
    " WHERE warehouse = :w AND kind <> 'opening' AND recorded_at < :end"
    " GROUP BY stream_id, seq, decision, sku"
)
_OPS = text(
    "SELECT stream_id, seq, type FROM received_op WHERE (stream_id, seq) IN"
    " (SELECT * FROM unnest(CAST(:s AS text[]), CAST(:q AS bigint[])))"
)
_DECISIONS = text("SELECT id, action FROM decision WHERE id = ANY(CAST(:d AS bigint[]))")


def _bounds(day: date | None, now: datetime) -> tuple[date, datetime, datetime]:
    """(day, its start, the moment reported on): a past day's end, or now for today."""
    today = now.astimezone().date()
    day = day or today
    start = datetime.combine(day, datetime.min.time()).astimezone()
    end = start + timedelta(days=1)
    return day, start, min(end, now) if day >= today else end


def reconcile(
    conn: Connection, warehouse: str, day: date | None = None, *, now: datetime | None = None
) -> Report:
    """The warehouse's reconciliation as of ``day``'s end (today: as of now); NotOpen when it
    keeps no bonded ledger."""
    opened = conn.execute(_OPENED, {"w": warehouse}).first()
    if opened is None:
        raise NotOpen(f"{warehouse} keeps no bonded ledger: set its customs codes first")
    moment = now or conn.execute(text("SELECT now()")).scalar_one()
    day, start, end = _bounds(day, moment)
    args = {"w": warehouse, "bonded": BONDED, "start": start, "end": end}
    item_of = {r.sku: r.item_record_no for r in conn.execute(_ITEMS, args)}
    items: dict[str, Item] = {}

    def item(sku: str) -> Item:
        key = item_of.get(sku) or ""
        found = items.setdefault(key, Item(key or "(no item)", []))
        if sku not in found.skus:
            found.skus.append(sku)
        return found

    for r in conn.execute(_PHYSICAL, args):
        if r.units:
            item(r.sku).physical += int(r.units)
    for r in conn.execute(_LEDGER, args):
        it = item(r.sku)
        it.ledger += int(r.units)
        if r.today:
            it.moves[r.kind] = it.moves.get(r.kind, 0) + int(r.today)
    traces: list[Trace] = []
    for lst in conn.execute(_OPEN_LISTS, args):
        for ln in lst.lines or []:
            it = item(ln["sku"])
            if lst.status == "released" and lst.parcel_status != "void":
                it.released_open += int(ln["units"])
            elif lst.status == "released":
                traces.append(_opened_after_release(lst, ln, it))
            elif lst.parcel_status != "void":
                it.declared_open += int(ln["units"])
    traces += _traces(conn, args | {"cut": opened.opened_cut}, item_of)
    for it in items.values():
        it.skus.sort()
        it.moves = {k: it.moves[k] for k in KINDS if k in it.moves}
    ordered = sorted(items.values(), key=lambda i: i.item_record_no)
    return Report(warehouse, opened.ems_no, day, end, ordered, traces)


def _opened_after_release(lst: Any, ln: dict[str, Any], it: Item) -> Trace:
    return Trace(
        sku=ln["sku"],
        item_record_no=it.item_record_no,
        source="released_opened",
        what=f"customs released list {lst.guid} (order {lst.order_number}) but parcel"
        f" {lst.sscc} was opened again: customs counts these units out; ask it to cancel",
        difference=int(ln["units"]),
        physical=int(ln["units"]),
        ledger=0,
        parcels=(lst.sscc,),
    )


def _traces(conn: Connection, args: dict[str, Any], item_of: dict[str, str]) -> list[Trace]:
    """Sources whose bonded stock movement and entries disagree, since the opening."""
    Key = tuple[str | None, int | None, int | None, str]
    moved: dict[Key, Any] = {
        (r.stream_id, r.seq, r.decision, r.sku): r for r in conn.execute(_MOVED, args)
    }
    entered: dict[Key, Any] = {
        (r.stream_id, r.seq, r.decision, r.sku): r for r in conn.execute(_ENTRIES, args)
    }
    keys = sorted(set(moved) | set(entered), key=lambda k: tuple(str(x) for x in k))
    units: dict[Key, tuple[int, int]] = {}
    for k in keys:
        m, e = moved.get(k), entered.get(k)
        pair = (int(m.units) if m else 0, int(e.units) if e else 0)
        if pair[0] != pair[1]:
            units[k] = pair
    ops = {
        (r.stream_id, r.seq): r.type
        for r in conn.execute(
            _OPS,
            {"s": [k[0] for k in units if k[0]], "q": [k[1] for k in units if k[0]]},
        )
    }
    actions = {
        r.id: r.action
        for r in conn.execute(_DECISIONS, {"d": [k[2] for k in units if k[2] is not None]})
    }
    out = []
    for k, (physical, ledger) in units.items():
        stream, seq, decision, sku = k
        row = moved.get(k) or entered[k]
        op_type = ops.get((stream, seq)) if stream else None
        action = actions.get(decision) if decision is not None else None
        if stream:
            source = "op"
            what = f"{op_type or 'op'} {seq} of stream {stream[:8]}…"
        elif decision is not None:
            source, what = "decision", f"decision {decision} ({action})"
        else:
            source, what = "unattributed", "stock written by no op or decision"
        if physical and not ledger:
            what += f": moved {physical:+d} bonded units with no ledger entry"
        elif ledger and not physical:
            what += f": a ledger entry of {ledger:+d} with no bonded stock moved"
        else:
            what += f": moved {physical:+d}, entered {ledger:+d}"
        out.append(
            Trace(
                sku=sku,
                item_record_no=item_of.get(sku) or "(no item)",
                source=source,
                what=what,
                difference=physical - ledger,
                physical=physical,
                ledger=ledger,
                op_type=op_type,
                stream_id=stream,
                seq=seq,
                decision=decision,
                parcels=tuple(sorted(row.containers or ())),
                location=getattr(row, "location", None),
                at=row.at,
            )
        )
    return sorted(out, key=lambda t: (t.at or datetime.min.astimezone(), t.sku))


def report_rows(report: Report) -> list[dict[str, Any]]:
    """The report as flat rows (JSON lines, CSV): one per item, then one per trace."""
    rows: list[dict[str, Any]] = []
    for it in report.items:
        rows.append(
            {
                "row": "item",
                "warehouse": report.warehouse,
                "ems_no": report.ems_no,
                "day": report.day.isoformat(),
                "item_record_no": it.item_record_no,
                "skus": " ".join(it.skus),
                "ledger": it.ledger,
                "physical": it.physical,
                "released_open": it.released_open,
                "declared_open": it.declared_open,
                "customs_view": it.customs_view,
                "difference": it.difference,
                **{f"today_{k}": it.moves.get(k, 0) for k in KINDS},
            }
        )
    for t in report.traces:
        rows.append(
            {
                "row": "trace",
                "warehouse": report.warehouse,
                "item_record_no": t.item_record_no,
                "sku": t.sku,
                "source": t.source,
                "difference": t.difference,
                "physical": t.physical,
                "ledger": t.ledger,
                "op_type": t.op_type,
                "stream_id": t.stream_id,
                "seq": t.seq,
                "decision": t.decision,
                "parcels": " ".join(t.parcels),
                "location": t.location,
                "at": t.at.isoformat() if t.at else None,
                "what": t.what,
            }
        )
    return rows


def by_item(report: Report) -> dict[str, list[Trace]]:
    """The report's traces per ledger item."""
    out: dict[str, list[Trace]] = defaultdict(list)
    for t in report.traces:
        out[t.item_record_no].append(t)
    return out
