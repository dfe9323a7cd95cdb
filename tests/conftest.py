"""Shared fixtures: real SQLite stores migrated by Alembic, never built with create_all."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wms.seed.setup import ensure_demo_store
from wms.services.auth import logon_badge
from wms.services.context import Actor, Context
from wms.store.migrate import open_store

# Fixed so that expiry rules give the same answers every day the suite runs.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded demo store per test worker; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite"
    ensure_demo_store(path).dispose()
    return path


@pytest.fixture
def ctx(demo_template: Path, tmp_path: Path) -> Iterator[Context]:
    """A context on a private copy of the demo store, with the clock stopped at NOW."""
    path = tmp_path / "store.sqlite"
    shutil.copyfile(demo_template, path)
    engine = open_store(path)
    yield Context(engine, clock=lambda: NOW)
    engine.dispose()


@pytest.fixture
def alice(ctx: Context) -> Actor:
    """An operator (not a supervisor)."""
    return logon_badge(ctx, "OP0001")


@pytest.fixture
def sam(ctx: Context) -> Actor:
    """A supervisor."""
    return logon_badge(ctx, "OP0009")
