"""Creating stores: an empty migrated one, or the seeded demo."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from wms.seed.demo import seed_demo
from wms.store.catalog import Product
from wms.store.migrate import BACKUPS_KEPT, at_head, open_store, upgrade


def create_store(path: Path, *, keep_backups: int | None = None) -> Engine:
    """Migrate ``path`` to the current schema (creating it) unless it is there already, and
    open it; ``keep_backups``: how many of the upgrade's backups to keep (None: all)."""
    if not at_head(path):
        upgrade(path, keep=keep_backups)
    return open_store(path)


def ensure_demo_store(path: Path) -> Engine:
    """Open the demo store at ``path``, creating and seeding it on first use. Opening it
    again writes no backup; an upgrade keeps the last few."""
    engine = create_store(path, keep_backups=BACKUPS_KEPT)
    with Session(engine) as s:
        if s.exec(select(func.count()).select_from(Product)).one() == 0:
            seed_demo(s)
            s.commit()
    return engine
