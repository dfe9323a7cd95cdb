"""Alembic environment for the hub's PostgreSQL schema (its own MetaData, its own history)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from wms.hub.schema import metadata

config = context.config


def run_migrations() -> None:
    """Migrate the database given in ``config.attributes['wms.hub_url']`` (see wms.hub.db)."""
    url = config.attributes.get("wms.hub_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("no hub database URL: run `wms hub migrate` or `wms hub serve`")
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
