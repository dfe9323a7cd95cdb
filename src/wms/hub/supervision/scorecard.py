"""The supplier scorecard at the hub: receiving facts gathered from synced ops and documents,
scored per supplier and period by :mod:`wms.hub.supervision.scorecard_rules`.

Facts: each receipt's expected date and lines (its document), and what receive ops recorded
against it (units, damaged units, units quarantined at receipt without damage, i.e. for short
shelf life, and the first scan's date as the arrival).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.supervision.scorecard_rules import (
    LineFacts,
    ReceiptFacts,
    Weights,
    counts,
    indicators,
    parse_weights,
    period_range,
    score,
)

DEFAULT_WEIGHTS = Path(__file__).with_name("scorecard_weights.toml")

_RECEIPTS = text(
    "SELECT warehouse, number, body FROM document WHERE kind = 'receipt'"
    " AND (CAST(:w AS text) IS NULL OR warehouse = :w) ORDER BY number, warehouse"
)
_RECEIVED = text(
    "SELECT warehouse, payload->>'document' AS doc, payload->>'sku' AS sku,"
    " SUM((payload->>'units')::int) AS units,"
    " COALESCE(SUM((payload->>'units')::int) FILTER (WHERE (payload->>'damaged')::bool), 0)"
    " AS damaged, COALESCE(SUM((payload->>'units')::int) FILTER (WHERE payload->>'status'"
    " = 'quarantine' AND NOT COALESCE((payload->>'damaged')::bool, false)), 0) AS short_life,"
    " MIN(occurred_at) AS first FROM received_op WHERE type = 'receive' AND rejected IS NULL"
    " AND (CAST(:w AS text) IS NULL OR warehouse = :w)"
    " AND payload->>'document' = ANY(CAST(:docs AS text[])) GROUP BY 1, 2, 3"
)


@dataclass(frozen=True)
class SupplierScore:
    """One supplier's score for a period, its indicators and the counts beneath them."""

    supplier: str
    period: str
    score: float | None
    indicators: dict[str, float | None]
    counts: dict[str, int]


def load_weights(path: Path | None = None) -> Weights:
    """Weights from ``path``, or the defaults shipped with the hub."""
    return parse_weights((path or DEFAULT_WEIGHTS).read_text(encoding="utf-8"))


def receipt_facts(conn: Connection, warehouse: str | None = None) -> list[ReceiptFacts]:
    """Every receipt with what receiving recorded against it."""
    docs = conn.execute(_RECEIPTS, {"w": warehouse}).all()
    got: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for r in conn.execute(_RECEIVED, {"w": warehouse, "docs": [d.number for d in docs]}):
        got[(r.warehouse, r.doc)][r.sku] = r
    out = []
    for d in docs:
        body, scans = d.body, got.get((d.warehouse, d.number), {})
        expected: dict[str, int] = defaultdict(int)
        for line in body.get("lines", []):
            expected[line["sku"]] += int(line.get("expected_qty") or 0)
        lines = tuple(
            LineFacts(
                sku,
                expected.get(sku, 0),
                int(scans[sku].units) if sku in scans else 0,
                int(scans[sku].damaged) if sku in scans else 0,
                int(scans[sku].short_life) if sku in scans else 0,
            )
            for sku in sorted(set(expected) | set(scans))
        )
        firsts = [s.first.date() for s in scans.values()]
        due = body.get("expected_date")
        out.append(
            ReceiptFacts(
                str(body.get("supplier") or "(no supplier)"),
                d.number,
                date.fromisoformat(str(due)[:10]) if due else None,
                min(firsts) if firsts else None,
                lines,
            )
        )
    return out


def scorecard(
    receipts: list[ReceiptFacts], weights: Weights, period: str | None = None
) -> list[SupplierScore]:
    """Scores per supplier, for receipts that arrived (or were due) within ``period``."""
    span = period_range(period) if period else None
    by_supplier: dict[str, list[ReceiptFacts]] = defaultdict(list)
    for r in receipts:
        when = r.arrived or r.expected_date
        if span is None or (when is not None and span[0] <= when <= span[1]):
            by_supplier[r.supplier].append(r)
    out = []
    for supplier in sorted(by_supplier):
        c = counts(by_supplier[supplier])
        values = indicators(c)
        out.append(SupplierScore(supplier, period or "all", score(values, weights), values, c))
    return out
