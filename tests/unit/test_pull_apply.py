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
