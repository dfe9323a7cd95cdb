"""The hub's schema comes from its own Alembic history, which matches the table definitions."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from wms.hub.db import alembic_config, sqlalchemy_url, upgrade


def test_hub_models_and_migrations_agree(hub_db: str) -> None:
    upgrade(hub_db)  # already at head: a no-op
    command.check(alembic_config(hub_db))  # raises when a table change has no migration


def test_the_hub_schema_goes_down_and_up_again(hub_db: str) -> None:
    command.downgrade(alembic_config(hub_db), "base")
    engine = create_engine(sqlalchemy_url(hub_db))
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
        assert tables.scalar_one() == 1  # only alembic_version is left
    upgrade(hub_db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM hub_meta")).scalar_one() == 1
    engine.dispose()
