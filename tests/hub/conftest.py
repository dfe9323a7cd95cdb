"""A real PostgreSQL for the sync suite: one embedded server per test worker (pgserver), one
migrated template database holding the demo warehouse, and a fresh copy of it per test."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import NOW
from wms.hub.api.app import create_app
from wms.hub.db import embedded_url, make_hub_engine, sqlalchemy_url, stop_embedded, upgrade
from wms.hub.demo import load_demo
from wms.hub.settings import HubSettings
from wms.hub.sync.devices import new_enrolment
from wms.services.context import Context
from wms.store.migrate import open_store
from wms.sync.client import SyncClient, enroll

HUB_URL = "http://hub.test"
_numbers = itertools.count()


def _database(server_url: str, name: str) -> str:
    return make_url(sqlalchemy_url(server_url)).set(database=name).render_as_string(False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The embedded server's URL; stopped when the session's last user lets go.

    Its data lives outside pytest's temporary tree: pytest re-permissions and prunes that tree
    when other sessions start, which pulls the data directory from under a running server.
    """
    data = Path(tempfile.mkdtemp(prefix="wms-hub-pg-"))
    url = embedded_url(data)
    admin = create_engine(sqlalchemy_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS hub_template"))
        conn.execute(text("CREATE DATABASE hub_template"))
    template = _database(url, "hub_template")
    upgrade(template)
    engine = make_hub_engine(template)
    with engine.begin() as conn:
        load_demo(conn)
    engine.dispose()
    yield url
    admin.dispose()
    stop_embedded(data)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def hub_db(pg_server: str) -> Iterator[str]:
    """A fresh hub database (a copy of the demo template) for one test."""
    name = f"hub_{next(_numbers)}"
    admin = create_engine(sqlalchemy_url(pg_server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE hub_template"))
    yield _database(pg_server, name)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def hub_engine(hub_db: str) -> Iterator[Engine]:
    """An engine on this test's hub database."""
    engine = make_hub_engine(hub_db)
    yield engine
    engine.dispose()


@dataclass
class HubClock:
    """The hub's time in a test: the evening of its terminals' working day (their clocks stop
    at NOW), so their ops look as plausible whatever day the suite runs; a test moves it on."""

    now: datetime = NOW + timedelta(hours=8)

    def __call__(self) -> datetime:
        """The hub's now."""
        return self.now


@pytest.fixture
def hub_clock() -> HubClock:
    """The in-process hub's clock."""
    return HubClock()


@pytest.fixture
def hub(hub_engine: Engine, hub_clock: HubClock) -> Iterator[TestClient]:
    """The hub's HTTP API, in process."""
    app = create_app(hub_engine, HubSettings(), clock=hub_clock)
    # A crash inside the hub must reach the terminal as a 500, as it would over the network.
    with TestClient(app, base_url=HUB_URL, raise_server_exceptions=False) as client:
        yield client


def enrolment_code(engine: Engine, warehouse: str = "DEMO") -> str:
    """A one-time code a supervisor would read off ``wms hub enroll``."""
    with engine.begin() as conn:
        return new_enrolment(conn, warehouse, 60)[1]


@dataclass
class Terminal:
    """A terminal store enrolled at the hub, and a way to sync it."""

    ctx: Context
    http: httpx.Client
    device: int = 0  # its id at the hub

    def client(self, http: httpx.Client | None = None, batch: int = 1000) -> SyncClient:
        """A sync client over the hub (or over ``http``, e.g. a flaky transport)."""
        return SyncClient(self.ctx.engine, http or self.http, batch=batch)


@pytest.fixture
def make_terminal(
    demo_template: Path, tmp_path: Path, hub: TestClient, hub_engine: Engine
) -> Iterator[Callable[[], Terminal]]:
    """Create terminals: copies of the demo store, each enrolled with its own code."""
    engines: list[Engine] = []

    def make() -> Terminal:
        path = tmp_path / f"terminal-{len(engines)}.sqlite"
        shutil.copyfile(demo_template, path)
        engine = open_store(path)
        engines.append(engine)
        enrolled = enroll(engine, hub, HUB_URL, enrolment_code(hub_engine))
        return Terminal(Context(engine, clock=lambda: NOW), hub, enrolled.device)

    yield make
    for engine in engines:
        engine.dispose()
