"""A pulled page lands whole on the terminal, however its kinds fall across the small write
transactions it is applied in."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from wms.store.migrate import open_store, upgrade
from wms.sync.apply import apply_page, warehouse_id
from wms.sync.wire import Change


def _store(tmp_path: Path) -> Engine:
    path = tmp_path / "terminal.sqlite"
    upgrade(path)
    return open_store(path)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_every_row_of_a_page_is_written_when_a_kind_spans_two_transactions(
    tmp_path: Path,
) -> None:
    """700 products then 700 barcodes in transactions of 500: the barcodes of the middle one
    (after 200 products) used to wait for a write that never came, and 300 were lost."""
    engine = _store(tmp_path)
    products = [
        Change(kind="product", key=f"SKU-{n}", body={"sku": f"SKU-{n}", "name": f"Item {n}"})
        for n in range(700)
    ]
    codes = [
        Change(kind="barcode", key=f"CODE-{n}", body={"code": f"CODE-{n}", "sku": f"SKU-{n}"})
        for n in range(700)
    ]
    apply_page(engine, codes + products, warehouse_id(engine, "DEMO"), chunk=500)
    assert (_count(engine, "product"), _count(engine, "productbarcode")) == (700, 700)
    engine.dispose()


def test_rows_batched_before_stock_are_written_before_it(tmp_path: Path) -> None:
    """Stock names its product and bin: both are written first, in the same transaction."""
    engine = _store(tmp_path)
    page = [
        Change(kind="stock", key="SKU-1|A-01|||available", body={"qty": 7}),
        Change(kind="product", key="SKU-1", body={"sku": "SKU-1", "name": "Tea"}),
        Change(
            kind="location",
            key="A-01",
            body={"code": "A-01", "zone": "A", "aisle": "01", "type": "storage"},
        ),
    ]
    apply_page(engine, page, warehouse_id(engine, "DEMO"))
    with engine.connect() as conn:
        qty = conn.execute(text("SELECT qty FROM onhand")).scalar_one()
    assert qty == 7
    engine.dispose()


def test_a_product_and_bin_changed_after_their_stock_keep_it(tmp_path: Path) -> None:
    """The feed keeps each row's latest change: a product or bin re-imported at the hub comes
    after its barcodes, lots and stock, and a first pull meets those a page earlier. They are
    held (the bin blocked meanwhile) and the later pages complete them."""
    engine = _store(tmp_path)
    wh = warehouse_id(engine, "DEMO")
    apply_page(
        engine,
        [
            Change(kind="barcode", key="4006381333931", body={"code": "4006381333931", "sku": "T"}),
            Change(kind="lot", key="T|L1", body={"sku": "T", "code": "L1", "expiry": "2027-01-31"}),
            Change(kind="stock", key="T|B-01|L1||available", body={"qty": 12}),
        ],
        wh,
    )
    with engine.connect() as conn:
        blocked = conn.execute(text("SELECT blocked FROM location WHERE code = 'B-01'")).scalar()
    assert blocked  # nothing is put away into a bin the terminal knows only by name
    apply_page(
        engine,
        [
            Change(kind="product", key="T", body={"sku": "T", "name": "Tea", "tracking": "lot"}),
            Change(
                kind="location",
                key="B-01",
                body={"code": "B-01", "zone": "B", "aisle": "01", "type": "storage"},
            ),
        ],
        wh,
    )
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT p.name, p.tracking, b.code, l.code, l.expiry, o.qty, loc.blocked,"
                " loc.zone FROM onhand o JOIN product p ON p.id = o.product_id"
                " JOIN lot l ON l.id = o.lot_id JOIN location loc ON loc.id = o.location_id"
                " JOIN productbarcode b ON b.product_id = p.id"
            )
        ).one()
    assert tuple(row) == ("Tea", "lot", "4006381333931", "L1", "2027-01-31", 12, 0, "B")
    engine.dispose()


def test_a_task_pulled_before_its_product_and_bin_keeps_them(tmp_path: Path) -> None:
    """A count task for a bin and a product re-imported since: the task is not dropped."""
    engine = _store(tmp_path)
    wh = warehouse_id(engine, "DEMO")
    task = {"number": "CT-9", "location": "B-02", "sku": "T"}
    apply_page(engine, [Change(kind="count_task", key="CT-9", body=task)], wh)
    apply_page(
        engine,
        [
            Change(kind="product", key="T", body={"sku": "T", "name": "Tea"}),
            Change(
                kind="location",
                key="B-02",
                body={"code": "B-02", "zone": "B", "aisle": "02", "type": "storage"},
            ),
        ],
        wh,
    )
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT t.number, p.name, l.zone, l.blocked FROM counttask t"
                " JOIN product p ON p.id = t.product_id JOIN location l ON l.id = t.location_id"
            )
        ).one()
    assert tuple(row) == ("CT-9", "Tea", "B", 0)
    engine.dispose()
