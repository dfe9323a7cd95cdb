"""The benchmark-scale catalogue: 1,000,000 products and 100,000 locations in well under a minute.

Bulk rows go through the DB-API's executemany in one transaction (the ORM would take hours);
the schema is still the migrated one.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine

from wms.domain.gtin import gs1_check_digit
from wms.domain.locations import location_code

ZONES = "DEFGHIJKLM"  # ten zones, clear of the demo's A-C, so both can live in one store
_BATCH = 50_000


def _products(n: int) -> Iterator[tuple[object, ...]]:
    for i in range(1, n + 1):
        yield (f"BULK-{i:07d}", f"Bulk item {i}", "none", None, 0, "refuse", 0, False, None)


def _barcodes(first_id: int, n: int) -> Iterator[tuple[object, ...]]:
    for i in range(n):
        yield (scale_gtin(i).zfill(14), first_id + i, "gtin", 1)


def _locations(warehouse_id: int, n: int) -> Iterator[tuple[object, ...]]:
    seq = 0
    for zone in ZONES:
        for aisle in range(1, 51):
            for bay in range(1, 21):
                for level in range(5):
                    for pos in (1, 2):
                        seq += 1
                        if seq > n:
                            return
                        code = location_code(zone, aisle, bay, level, pos)
                        yield (
                            warehouse_id, code, zone, f"{aisle:02d}", f"{bay:02d}",
                            chr(ord("A") + level), str(pos), "storage", 1000, 100_000 + seq, False,
                        )  # fmt: skip


def _chunks(rows: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    chunk: list[tuple[object, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == _BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def seed_scale(engine: Engine, products: int = 1_000_000, locations: int = 100_000) -> None:
    """Add ``products`` products (one GTIN each) and ``locations`` storage bins to a store
    that already has its warehouse row (e.g. the demo)."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN IMMEDIATE")
        warehouse_id = cur.execute("SELECT min(id) FROM warehouse").fetchone()[0]
        first = (cur.execute("SELECT coalesce(max(id), 0) FROM product").fetchone()[0]) + 1
        for chunk in _chunks(_products(products)):
            cur.executemany(
                "INSERT INTO product (sku, name, tracking, shelf_life_days, min_remaining_days,"
                " short_shelf_life_action, removal_margin_days, customs_controlled, supplier)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                chunk,
            )
        for chunk in _chunks(_barcodes(first, products)):
            cur.executemany(
                "INSERT INTO productbarcode (code, product_id, kind, pack_qty) VALUES (?,?,?,?)",
                chunk,
            )
        for chunk in _chunks(_locations(warehouse_id, locations)):
            cur.executemany(
                "INSERT INTO location (warehouse_id, code, zone, aisle, bay, level, position,"
                " type, capacity, pick_sequence, blocked) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                chunk,
            )
        cur.execute("COMMIT")
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()


def scale_gtin(i: int) -> str:
    """The GTIN-13 the scale seeder gives product number ``i`` (0-based).

    Prefix 30 is GS1 France's: no demo code (prefix 20) can clash with these.
    """
    body = f"{300_000_000_000 + i:012d}"
    return body + str(gs1_check_digit(body))
