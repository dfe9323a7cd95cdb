"""A supervisor's request that cannot be honoured is refused with a reason, never a 500: a
blank reason, a quote in a sku, a number past what the database holds."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.hub.supervisor_helpers import decisions, supervisor_headers
from wms.cli import app
from wms.hub.supervision.supervisors import new_supervisor
from wms.sync.bounds import INT32_MAX, INT64_MAX


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/v1/supervisor/recalls", {"sku": "SKU-00301", "lot": "C-OK1", "why": "   "}, 422),
        ("/v1/supervisor/recalls", {"sku": 'SKU-"01', "supplier": "x", "why": "q"}, 422),
        ("/v1/supervisor/recalls", {"sku": 'SKU-"01', "lot": "L1", "why": "quote"}, 200),
        ("/v1/supervisor/clearances", {"declaration": "D", "qty": INT32_MAX + 1, "why": "x"}, 422),
        (f"/v1/supervisor/exceptions/{INT64_MAX + 1}/resolve", {"action": "accept"}, 422),
        ("/v1/supervisor/exceptions/1/resolve", {"action": "adjust", "delta": 2**40}, 422),
    ],
)
def test_a_request_the_database_cannot_hold_is_refused_not_crashed(
    hub: TestClient, hub_engine: Engine, path: str, body: dict[str, Any], status: int
) -> None:
    reply = hub.post(
        path,
        json={"warehouse": "DEMO", "why": "a reason", **body},
        headers=supervisor_headers(hub_engine),
    )
    assert reply.status_code == status, reply.text
    if status != 200:
        assert reply.json()["code"] in ("invalid", "bad_recall")
        assert decisions(hub_engine) == []


def test_the_command_line_refuses_the_same_without_a_traceback(
    hub_engine: Engine, hub_db: str
) -> None:
    with hub_engine.begin() as conn:
        new_supervisor(conn, "maria")
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    runner = CliRunner()
    for args, said in (
        (["exceptions", "resolve", str(INT64_MAX + 1), "--action", "accept"], "no open exception"),
        (["clear", "--declaration", "D" * 41, "--warehouse", "DEMO"], "longer than 40"),
        (["clear", "--declaration", "D", "--qty", str(2**40), "--warehouse", "DEMO"], "1 to"),
        (["recall", "--sku", "SKU-00301", "--lot", "C-OK1", "--warehouse", "DEMO"], "reason"),
    ):
        why = "  " if "recall" in args else "a reason"
        result = runner.invoke(app, ["hub", *args, "--by", "maria", "--why", why], env=env)
        assert result.exit_code == 1, result.output
        assert said in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert decisions(hub_engine) == []
