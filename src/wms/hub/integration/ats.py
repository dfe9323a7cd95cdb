"""Available to sell for marketplaces: a change feed per warehouse with a cursor, and exports.

Triggers on ``on_hand`` and ``reservation`` (hub migration 0010) append the product to
``ats_change`` in the transaction that changes its stock, its holds or its orders'
reservations, at position ``(xid, id)``. The feed reads only below ``pg_snapshot_xmin`` of its
own snapshot, the pull feed's rule (:mod:`wms.hub.feed`): a transaction still open when a page
is read has an id above every position returned, so whatever it commits comes after the cursor
and a change is never skipped. A page gives each changed product's figures as they are when
read (on hand − reserved − held): a product changed twice is sent with its latest figures,
perhaps twice, never stale.

Only the latest row per product is kept (:func:`compact`), so reading the feed from the start
is a full snapshot, like the pull feed. An export gives every product's figures with the cursor
to follow the feed from, so a file and the feed after it miss nothing between them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

from wms.hub.planning.available import Availability, figures
from wms.hub.sync.pull import feed_id

_BELOW_XMIN = "xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_READ = text(
    "SELECT sku, xid, id FROM ats_change WHERE warehouse = :w AND (xid, id) > (:x, :p)"
    f" AND {_BELOW_XMIN} ORDER BY xid, id LIMIT :n"
)
_LAST = text(
    f"SELECT xid, id FROM ats_change WHERE warehouse = :w AND {_BELOW_XMIN}"
    " ORDER BY xid DESC, id DESC LIMIT 1"
)
_EVERY_SKU = text("SELECT DISTINCT sku FROM ats_change WHERE warehouse = :w ORDER BY sku")
# Superseded rows: a later position for the same product exists, so a reader before either
# still reads the later one.
_COMPACT = text(
    "DELETE FROM ats_change a WHERE EXISTS (SELECT 1 FROM ats_change b"
    " WHERE b.warehouse = a.warehouse AND b.sku = a.sku AND (b.xid, b.id) > (a.xid, a.id))"
)


class BadCursor(ValueError):
    """A cursor this feed cannot continue from: ``status`` and ``code`` say why."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


@dataclass(frozen=True)
class Page:
    """Products whose figures changed after the cursor, the cursor to read on from, and
    whether there is more to read now."""

    changes: list[Availability]
    cursor: str
    more: bool


_CURSOR = re.compile(
    r"(?P<feed>[0-9a-f-]{1,40}):(?P<warehouse>[A-Za-z0-9_-]{1,20}):(?P<xid>[0-9]{1,19}):(?P<pos>[0-9]{1,19})"
)
_BIGINT = 2**63 - 1


def _cursor(feed: str, warehouse: str, xid: int, pos: int) -> str:
    return f"{feed}:{warehouse}:{xid}:{pos}"


def parse_cursor(cursor: str, feed: str, warehouse: str) -> tuple[int, int]:
    """The position a cursor holds; BadCursor when it is malformed, of another warehouse, or
    minted by another hub database."""
    found = _CURSOR.fullmatch(cursor)
    if found is None or max(int(found["xid"]), int(found["pos"])) > _BIGINT:
        raise BadCursor(400, "bad_cursor", "not a cursor of this feed: send the one a page gave")
    parts = [found["feed"], found["warehouse"], found["xid"], found["pos"]]
    if parts[1] != warehouse:
        raise BadCursor(
            400,
            "cursor_other_warehouse",
            f"this cursor follows warehouse {parts[1]}, not {warehouse}: keep one per warehouse",
        )
    if parts[0] != feed:
        raise BadCursor(
            410,
            "cursor_expired",
            "this cursor was given by another hub database (restored or rebuilt): read the"
            " feed again from the start (no since), which is a full snapshot",
        )
    return int(parts[2]), int(parts[3])


def changes(conn: Connection, warehouse: str, since: str | None, limit: int = 1000) -> Page:
    """The products of ``warehouse`` whose figures changed after ``since`` (None: from the
    start, every product), at most ``limit`` feed rows."""
    feed = feed_id(conn)
    xid, pos = parse_cursor(since, feed, warehouse) if since else (0, 0)
    rows = conn.execute(_READ, {"w": warehouse, "x": xid, "p": pos, "n": limit}).all()
    if rows:
        xid, pos = rows[-1].xid, rows[-1].id
    skus = list(dict.fromkeys(r.sku for r in rows))
    found = figures(conn, warehouse, skus, limit=len(skus) or 1)
    return Page(
        [found.get(s, Availability(s, warehouse, 0, 0, 0)) for s in skus],
        _cursor(feed, warehouse, xid, pos),
        len(rows) == limit,
    )


def export(conn: Connection, warehouse: str) -> tuple[list[Availability], str]:
    """Every product this warehouse has held or promised, with its figures (zero when it is
    gone), and the cursor to follow the feed from after this export."""
    feed = feed_id(conn)
    last = conn.execute(_LAST, {"w": warehouse}).first()
    cursor = _cursor(feed, warehouse, *(last if last else (0, 0)))
    skus = list(conn.scalars(_EVERY_SKU, {"w": warehouse}))
    found = figures(conn, warehouse, skus, limit=len(skus) or 1)
    return [found.get(s, Availability(s, warehouse, 0, 0, 0)) for s in skus], cursor


def compact(conn: Connection) -> int:
    """Drop feed rows a later row of the same product supersedes; returns how many."""
    return int(conn.execute(_COMPACT).rowcount)


# Spreadsheets run a cell that starts with one of these as a formula (OWASP: CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
CSV_FIELDS = ("warehouse", "sku", "available_to_sell", "on_hand", "reserved", "held")


def cell(value: str) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character is escaped."""
    return "'" + value if value.startswith(_FORMULA) else value


def to_csv(rows: Sequence[Availability]) -> str:
    """The figures as CSV (a header, then one line per product), text cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for a in rows:
        writer.writerow(
            [cell(a.warehouse), cell(a.sku), a.available_to_sell, a.on_hand, a.reserved, a.held]
        )
    return out.getvalue()
