"""The end-of-day manifest a carrier's driver signs: one carrier's parcels shipped on one day
(the hub's local day), with waybills, SSCCs, orders, weights and loads, as PDF and CSV.

Making it records the manifest (parcels, total weight, who made it), so a day's hand-over is a
record; made again after more parcels of that day shipped, it is rewritten.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, text

# Spreadsheets run a cell that starts with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_FIELDS = ("waybill", "sscc", "order", "weight_kg", "service", "load", "shipped_at")


def weight_kg(grams: int) -> str:
    """A weight as the manifest shows it: kilograms, three decimals."""
    return f"{grams / 1000:.3f}"


@dataclass(frozen=True)
class ManifestLine:
    """One parcel handed to the carrier."""

    waybill: str | None
    sscc: str
    order: str
    weight_g: int
    service: str | None
    load: str | None
    shipped_at: datetime


@dataclass(frozen=True)
class Manifest:
    """A carrier's parcels of one day."""

    warehouse: str
    carrier: str
    carrier_name: str
    day: date
    lines: list[ManifestLine]

    @property
    def weight_g(self) -> int:
        """The day's total weight."""
        return sum(line.weight_g for line in self.lines)


_LINES = text(
    "SELECT waybill, sscc, order_number AS order, COALESCE(weight_g, 0) AS weight_g, service,"
    " load, shipped_at FROM parcel WHERE warehouse = :w AND carrier = :c AND status = 'shipped'"
    " AND shipped_at >= :start AND shipped_at < :end ORDER BY shipped_at, sscc"
)


def manifest(conn: Connection, warehouse: str, carrier: str, day: date, who: str) -> Manifest:
    """Make (or remake) ``carrier``'s manifest of ``day`` and record it; LookupError for a
    carrier the warehouse does not have."""
    name = conn.execute(
        text("SELECT name FROM carrier WHERE warehouse = :w AND code = :c"),
        {"w": warehouse, "c": carrier},
    ).scalar()
    if name is None:
        raise LookupError(f"no carrier {carrier} in {warehouse}")
    start = datetime.combine(day, datetime.min.time()).astimezone()
    args = {"w": warehouse, "c": carrier, "start": start, "end": start + timedelta(days=1)}
    lines = [ManifestLine(**r._mapping) for r in conn.execute(_LINES, args)]
    made = Manifest(warehouse, carrier, str(name), day, lines)
    conn.execute(
        text(
            "INSERT INTO manifest (warehouse, carrier, day, parcels, weight_g, made_by)"
            " VALUES (:w, :c, :d, :n, :g, :who) ON CONFLICT (warehouse, carrier, day) DO UPDATE"
            " SET parcels = EXCLUDED.parcels, weight_g = EXCLUDED.weight_g,"
            " made_by = EXCLUDED.made_by, made_at = now()"
        ),
        {"w": warehouse, "c": carrier, "d": day, "n": len(lines), "g": made.weight_g, "who": who},
    )
    return made


def cell(value: object) -> object:
    """A cell as a spreadsheet should see it: formula-like text is quoted as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def manifest_csv(made: Manifest) -> str:
    """The manifest as CSV: a header, one line per parcel, text cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for line in made.lines:
        writer.writerow(
            [
                cell(line.waybill or ""),
                cell(line.sscc),
                cell(line.order),
                weight_kg(line.weight_g),
                cell(line.service or ""),
                cell(line.load or ""),
                line.shipped_at.isoformat(),
            ]
        )
    return out.getvalue()


def manifest_pdf(made: Manifest) -> bytes:
    """The manifest as an A4 PDF: a header, a table of the parcels, totals and signatures."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, invariant=True,
        title=f"Manifest {made.carrier} {made.day}",
    )  # fmt: skip
    header = [["Waybill", "SSCC", "Order", "Weight kg", "Service", "Load"]]
    rows: Sequence[Sequence[str]] = [
        [
            line.waybill or "-",
            line.sscc,
            line.order,
            weight_kg(line.weight_g),
            line.service or "",
            line.load or "",
        ]
        for line in made.lines
    ]
    table = Table(header + [list(r) for r in rows], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (3, 1), (3, -1), "RIGHT"),
            ]
        )
    )
    story = [
        Paragraph(f"Manifest: {made.carrier_name} ({made.carrier})", styles["Title"]),
        Paragraph(f"Warehouse {made.warehouse}, {made.day.isoformat()}", styles["Normal"]),
        Spacer(1, 6 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph(f"{len(made.lines)} parcels, {weight_kg(made.weight_g)} kg", styles["Heading3"]),
        Spacer(1, 15 * mm),
        Paragraph(f"Handed over by: {'_' * 24}    Driver: {'_' * 24}", styles["Normal"]),
    ]
    doc.build(story)
    return buf.getvalue()
