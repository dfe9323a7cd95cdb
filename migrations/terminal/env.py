"""Alembic environment for the terminal store (SQLite, batch mode, foreign keys off)."""

from __future__ import annotations

from alembic import context

from wms.store.engine import make_engine
from wms.store.tables import metadata

config = context.config


def run_migrations() -> None:
    """Migrate the store named by the ``sqlalchemy.url`` option (a file path)."""
    path = config.get_main_option("wms.db_path")
    if not path:
        raise SystemExit("set wms.db_path (alembic -x is not used; run `wms db upgrade`)")
    engine = make_engine(path, foreign_keys=False)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
