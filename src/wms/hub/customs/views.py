"""What supervisors and customs officers read: messages to customs, receipts, and the
reconciliation in words (the CLI, the API and the console's Customs tab share these)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.customs.reconcile import Report
from wms.hub.shipping.manifest import cell

_MESSAGES = text(
    "SELECT guid, kind, sscc, order_number, cop_no, state, status, return_status,"
    " return_info, invt_no, created_at, sent_at, answered_at, error FROM customs_message"
    " WHERE warehouse = :w AND (CAST(:s AS text) IS NULL OR status = :s OR state = :s)"
    " ORDER BY created_at DESC, guid LIMIT :n"
)
_RECEIPTS = text(
    "SELECT id, source, kind, state, reason, received_at, jsonb_array_length(COALESCE(applied,"
    " '[]')) AS answers FROM customs_receipt WHERE warehouse = :w"
    " AND (NOT :aside OR state = 'set_aside') ORDER BY id DESC LIMIT :n"
)


def messages(
    conn: Connection, warehouse: str, *, status: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Messages to customs, newest first (``status``: a customs status or a handover state)."""
    rows = conn.execute(_MESSAGES, {"w": warehouse, "s": status, "n": limit})
    return [dict(r._mapping) for r in rows]


def receipts(
    conn: Connection, warehouse: str, *, set_aside: bool = False, limit: int = 200
) -> list[dict[str, Any]]:
    """Receipts from customs, newest first."""
    rows = conn.execute(_RECEIPTS, {"w": warehouse, "aside": set_aside, "n": limit})
    return [dict(r._mapping) for r in rows]


def describe(report: Report) -> list[str]:
    """The reconciliation for people: one line per ledger item, then each difference."""
    state = "balances" if report.balanced else "DOES NOT BALANCE"
    out = [
        f"Bonded ledger {report.ems_no} of {report.warehouse}, {report.day}"
        f" (as of {report.as_of:%Y-%m-%d %H:%M %Z}): {state}",
        f"{'item':<20} {'ledger':>8} {'physical':>8} {'released':>8} {'declared':>8}"
        f" {'customs':>8} {'diff':>6}  today",
    ]
    for it in report.items:
        today = ", ".join(f"{k} {v:+d}" for k, v in it.moves.items()) or "-"
        out.append(
            f"{it.item_record_no[:20]:<20} {it.ledger:>8} {it.physical:>8} {it.released_open:>8}"
            f" {it.declared_open:>8} {it.customs_view:>8} {it.difference:>+6}  {today}"
        )
    for t in report.traces:
        where = f" parcel {', '.join(t.parcels)}" if t.parcels else ""
        at = f" at {t.location}" if t.location else ""
        out.append(f"  {t.difference:+d} {t.sku} ({t.item_record_no}): {t.what}{where}{at}")
    return out


def rows_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as CSV for spreadsheets: the header is every key the rows have, in order; a text
    cell a spreadsheet would run as a formula is written as text."""
    fields = list(dict.fromkeys(k for r in rows for k in r))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: cell(v) for k, v in r.items()} for r in rows)
    return out.getvalue()
