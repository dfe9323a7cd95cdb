"""Creating stores: an empty migrated one, or the seeded demo."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from wms.seed.demo import seed_demo
from wms.store.catalog import Product
from wms.store.migrate import open_store, upgrade


def create_store(path: Path) -> Engine:
    """Migrate ``path`` to the current schema (creating it) and open it."""
    upgrade(path)
    return open_store(path)


def ensure_demo_store(path: Path) -> Engine:
    """Open the demo store at ``path``, creating and seeding it on first use."""
    engine = create_store(path)
    with Session(engine) as s:
        if s.exec(select(func.count()).select_from(Product)).one() == 0:
            seed_demo(s)
            s.commit()
    return engine
