"""Pick-face replenishment: min/max per face, move tasks from reserve (earliest removal date
first) when a face runs low or a released wave will empty it, done through the terminal's move."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from tests.hub.planning_helpers import (
    FACE,
    RESERVE,
    RESERVE2,
    SHIRT,
    channel_headers,
    order_body,
    put_stock,
    reservations,
)
from tests.hub.supervisor_helpers import supervisor_headers
from wms.cli import app
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.moving import Move, move
from wms.services.views import open_move_tasks

runner = CliRunner()
CREAM = "SKU-00303"  # lot-tracked cosmetics, 60 days' removal margin


def _limits(hub: TestClient, engine: Engine, *rows: tuple[str, str, int, int]) -> object:
    body = {
        "warehouse": "DEMO",
        "limits": [
            {"location": loc, "sku": sku, "min_qty": lo, "max_qty": hi} for loc, sku, lo, hi in rows
        ],
    }
    return hub.put("/v1/replenishment/limits", json=body, headers=supervisor_headers(engine))


def _moves(engine: Engine) -> list[tuple[str, str, str, str, int, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT kind, lot, from_location, to_location, qty, state FROM move_task"
                " ORDER BY id"
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_limits_are_set_for_pick_faces_only(
    hub: TestClient, hub_engine: Engine, hub_db: str, tmp_path: Path
) -> None:
    reply = _limits(hub, hub_engine, (RESERVE, SHIRT, 2, 10), (FACE, "NOPE", 2, 10))
    assert reply.status_code == 422  # type: ignore[attr-defined]
    assert reply.json()["errors"] == [  # type: ignore[attr-defined]
        f"{RESERVE}: a storage bin, not a pick face",
        f"{FACE}: unknown product NOPE",
    ]
    flipped = _limits(hub, hub_engine, (FACE, SHIRT, 10, 2))
    assert flipped.status_code == 422  # type: ignore[attr-defined]
    limits = tmp_path / "faces.csv"
    limits.write_text(f"location,sku,min_qty,max_qty\n{FACE},{SHIRT},4,20\n", encoding="utf-8")
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    out = runner.invoke(
        app, ["hub", "import", "face_limits", str(limits), "--warehouse", "DEMO"], env=env
    )
    assert out.exit_code == 0, out.output
    faces = hub.get(
        "/v1/replenishment/faces?warehouse=DEMO", headers=supervisor_headers(hub_engine)
    ).json()
    assert [(f["location"], f["sku"], f["min_qty"], f["max_qty"]) for f in faces] == [
        (FACE, SHIRT, 4, 20)
    ]


def test_a_low_face_is_topped_up_from_the_earliest_lot_and_the_floor_closes_it(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, CREAM, RESERVE, 30, lot="CR-LATE", expiry="2029-06-01")
    put_stock(hub_engine, CREAM, RESERVE2, 8, lot="CR-EARLY", expiry="2028-06-01")
    put_stock(hub_engine, CREAM, FACE, 2, lot="CR-EARLY", expiry="2028-06-01")
    _limits(hub, hub_engine, (FACE, CREAM, 5, 20))
    run = hub.post(
        "/v1/replenishment/run", json={"warehouse": "DEMO"}, headers=supervisor_headers(hub_engine)
    )
    assert len(run.json()["tasks"]) == 2
    assert _moves(hub_engine) == [
        ("replenish", "CR-EARLY", RESERVE2, FACE, 8, "open"),
        ("replenish", "CR-LATE", RESERVE, FACE, 10, "open"),
    ]
    # Units on their way to the face are promised to it: an order cannot take them from reserve.
    hub.post(
        "/v1/orders", json=order_body("SO-1", (CREAM, 25)), headers=channel_headers(hub_engine)
    )
    assert reservations(hub_engine, "SO-1") == [
        (CREAM, RESERVE, "CR-LATE", 20),
        (CREAM, FACE, "CR-EARLY", 2),
    ]
    again = hub.post(
        "/v1/replenishment/run", json={"warehouse": "DEMO"}, headers=supervisor_headers(hub_engine)
    )
    assert again.json()["tasks"] == []  # what is coming already covers the min

    terminal = make_terminal()
    terminal.client().sync()
    task = f"MOVE 8 {CREAM} lot CR-EARLY from {RESERVE2} to {FACE} (replenish pick face {FACE})"
    assert task in open_move_tasks(terminal.ctx)
    alice = logon_badge(terminal.ctx, "OP0001")
    move(terminal.ctx, alice, Move(ean13(303), 5, RESERVE2, FACE, lot="CR-EARLY"))
    terminal.client().sync()
    assert _moves(hub_engine)[0][-1] == "open"  # 5 of 8 moved so far
    assert task in open_move_tasks(terminal.ctx)
    move(terminal.ctx, alice, Move(ean13(303), 3, RESERVE2, FACE, lot="CR-EARLY"))
    terminal.client().sync()  # the hub counted all 8: done there, and here after the pull
    assert _moves(hub_engine)[0][-1] == "done"
    assert task not in open_move_tasks(terminal.ctx)
    with hub_engine.connect() as conn:
        left = conn.execute(
            text("SELECT count(*) FROM reservation WHERE move_task IS NOT NULL")
        ).scalar()
    assert left == 1  # the first task's units have arrived; the second's are still promised


def test_a_released_wave_that_empties_a_face_raises_its_replenishment(
    hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, FACE, 6)
    put_stock(hub_engine, SHIRT, RESERVE, 40)
    _limits(hub, hub_engine, (FACE, SHIRT, 4, 20))
    hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 5)), headers=channel_headers(hub_engine))
    assert reservations(hub_engine, "SO-1") == [(SHIRT, FACE, "", 5)]
    released = hub.post(
        "/v1/waves", json={"warehouse": "DEMO"}, headers=supervisor_headers(hub_engine)
    ).json()
    assert len(released["replenishments"]) == 1
    # The face will hold 1 once the wave is picked: topped up to its max.
    assert _moves(hub_engine) == [("replenish", "", RESERVE, FACE, 19, "open")]
