"""The console on a fresh copy of the demo hub database (the hub suite's embedded PostgreSQL),
supervisor maria signed in, with the cursor blink and animations off for snapshots."""

from __future__ import annotations

import json
from asyncio.subprocess import Process
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from textual.widgets import Input
from textual_serve.app_service import AppService

from tests.hub.conftest import hub_db, hub_engine, pg_server
from wms.console.actions import Supervisor
from wms.console.app import ConsoleApp
from wms.hub.supervision.supervisors import new_supervisor

__all__ = ["hub_db", "hub_engine", "pg_server"]  # the hub suite's fixtures, used here too

SKU, BIN = "SKU-01401", "A-01-03-A-1"  # 25 units in the demo


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make snapshots depend on timing."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def raise_exception(engine: Engine, kind: str, message: str, **details: Any) -> int:
    """An exception as sync would raise it, at a fixed time; its id."""
    with engine.begin() as conn:
        return int(
            conn.execute(
                text(
                    "INSERT INTO hub_exception (warehouse, kind, message, details, created_at)"
                    " VALUES ('DEMO', :k, :m, CAST(:d AS jsonb), :at) RETURNING id"
                ),
                {
                    "k": kind,
                    "m": message,
                    "d": json.dumps(details),
                    "at": datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
                },
            ).scalar_one()
        )


def negative_stock(engine: Engine) -> int:
    """Two terminals wrote off more of a bin than it held."""
    facts = {"sku": SKU, "location": BIN, "lot": "", "container": "", "status": "available"}
    return raise_exception(engine, "negative_stock", f"{SKU} at {BIN} below zero", **facts, qty=-15)


@pytest.fixture
def make_console(hub_engine: Engine) -> Callable[[], ConsoleApp]:
    """The console as supervisor maria on DEMO, without animations."""
    with hub_engine.begin() as conn:
        new_supervisor(conn, "maria")

    def make() -> ConsoleApp:
        app = ConsoleApp(Supervisor(hub_engine, "maria"), "DEMO")
        app.animation_level = "none"
        return app

    return make


def received(engine: Engine, document: str, *lines: tuple[str, int, bool]) -> None:
    """Receive ops on ``document`` as a terminal would have pushed them: (sku, units, damaged),
    scanned on 2026-11-23."""
    with engine.begin() as conn:
        for seq, (sku, units, damaged) in enumerate(lines, start=1):
            payload = {"document": document, "sku": sku, "units": units, "damaged": damaged}
            conn.execute(
                text(
                    "INSERT INTO received_op (stream_id, seq, device, warehouse, type, payload,"
                    " occurred_at) VALUES ('console-test', :seq, 1, 'DEMO', 'receive',"
                    " CAST(:p AS jsonb), :at)"
                ),
                {"seq": seq, "p": json.dumps(payload), "at": datetime(2026, 11, 23, 8, tzinfo=UTC)},
            )


@pytest.fixture
def console_processes(monkeypatch: pytest.MonkeyPatch) -> list[Process]:
    """The console process each browser session starts, as it starts (to reap each before
    the test's event loop closes)."""
    started: list[Process] = []
    open_process = AppService._open_app_process

    async def tracked(self: AppService, width: int = 80, height: int = 24) -> Process:
        started.append(await open_process(self, width, height))
        return started[-1]

    monkeypatch.setattr(AppService, "_open_app_process", tracked)
    return started
