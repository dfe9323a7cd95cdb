"""A packing terminal and its hub: number blocks for its current stream only (so a store
restored from a backup never hands out a number twice), an API carrier booked online through
the hub (the carrier on 127.0.0.1), and the clear offline fallback: the parcel closes without
a waybill, the hub books it once the pack arrives, and the label prints again with it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.conftest import Terminal
from tests.hub.fake_carrier import API_KEY, LABEL, CarrierState, fake_carrier
from tests.hub.planning_helpers import RESERVE, SHIRT, channel_headers, order_body, put_stock
from tests.hub.supervisor_helpers import supervisor_headers
from tests.hub.test_shipping_booking import SHIPPER
from tests.store_helpers import on_cart
from tests.tui.session_helpers import run, run_ok
from wms.domain.errors import DomainError
from wms.hub.demo import load_demo_shipping
from wms.hub.shipping.booking import work_due
from wms.hub.shipping.carriers import add_carrier
from wms.labels.labeller import Labeller
from wms.labels.settings import FilePrinterSettings, LabelSettings
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.numbers import mark_packing_terminal, numbers_left
from wms.services.picking import Pick, pick
from wms.store.migrate import backup as backup_of
from wms.store.migrate import open_store
from wms.sync import outbox
from wms.sync.booking import HubBooking
from wms.workflows.menu import default_menu
from wms.workflows.printing import LabellerPort
from wms.workflows.replay import feed
from wms.workflows.session import Session

SHIRT_EAN = ean13(1402)


def _order(hub: TestClient, hub_engine: Engine, number: str, carrier: str = "SF") -> str:
    """An order of 1 shirt released to the floor; its pick task."""
    body = order_body(number, (SHIRT, 1), carrier=carrier, service="express")
    assert hub.post("/v1/orders", json=body, headers=channel_headers(hub_engine)).status_code == 201
    wave = hub.post("/v1/waves", json={"warehouse": "DEMO"}, headers=supervisor_headers(hub_engine))
    assert wave.status_code == 201, wave.text
    (task,) = wave.json()["tasks"]
    return str(task)


def _picked(terminal: Terminal, task: str, tote: str) -> None:
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, task, "CART-01", tote)
    pick(terminal.ctx, alice, Pick(task, 1, RESERVE, SHIRT_EAN, 1))


def _session(ctx: Context, tmp_path: Path, booking: HubBooking | None = None) -> Session:
    printer = FilePrinterSettings(name="p", transport="file", path=tmp_path / "labels.zpl")
    labels = Labeller(LabelSettings(default_printer="p", printers=(printer,)), tmp_path / "c")
    session = Session(ctx, default_menu(labels=LabellerPort(labels), booking=booking))
    feed(session, "OP0001")
    return session


@pytest.fixture
def floor(hub_engine: Engine) -> None:
    """The hub's demo carriers (with number ranges), SSCCs, cartons and shirts in stock."""
    with hub_engine.begin() as conn:
        load_demo_shipping(conn)
    put_stock(hub_engine, SHIRT, RESERVE, 20)


@pytest.mark.usefixtures("floor")
def test_only_a_packing_terminal_gets_number_blocks_and_for_its_current_stream(
    make_terminal: Callable[[], Terminal],
) -> None:
    picker, packer = make_terminal(), make_terminal()
    picker.client().sync()
    mark_packing_terminal(packer.ctx)
    packer.client().sync()
    assert numbers_left(picker.ctx) == []  # a handheld never hoards a carrier's numbers
    left = {(n.kind, n.carrier): n.left for n in numbers_left(packer.ctx)}
    assert left == {("sscc", None): 100, ("waybill", "EMS"): 100, ("waybill", "SF"): 100} | {
        ("waybill", "YTO"): 100
    }
    with packer.ctx.engine.connect() as conn:
        streams = conn.execute(text("SELECT DISTINCT stream FROM numberblock")).scalars().all()
    assert streams == [outbox.identity(packer.ctx.engine)[0]]


@pytest.mark.usefixtures("floor")
def test_a_store_restored_from_a_backup_never_hands_out_a_number_twice(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine, tmp_path: Path
) -> None:
    terminal = make_terminal()
    mark_packing_terminal(terminal.ctx)
    first, second = _order(hub, hub_engine, "SO-R1"), _order(hub, hub_engine, "SO-R2")
    terminal.client().sync()
    store = Path(str(terminal.ctx.engine.url.database))
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(backup_of(store), backup)  # taken with SQLite's backup API
    _picked(terminal, first, "TOTE0001")
    s = _session(terminal.ctx, tmp_path)
    view = run_ok(s, "start pack", "PACK-01", "TOTE0001", SHIRT_EAN, "BOX-S", "type 400")
    after_backup = view.result.split()[1]  # "Parcel 000011 closed …": handed out after it
    terminal.client().sync()

    # The disk dies; the store comes back from the backup, and a new epoch starts first.
    terminal.ctx.engine.dispose()
    shutil.copyfile(backup, store)
    restored = Terminal(Context(open_store(store)), terminal.http, terminal.device)
    restored.client().sync(new_epoch=True)
    _picked(restored, second, "TOTE0002")
    s = _session(restored.ctx, tmp_path)
    view = run_ok(s, "start pack", "PACK-01", "TOTE0002", SHIRT_EAN, "BOX-S", "type 400")
    assert view.result.split()[1] != after_backup
    restored.client().sync()
    with hub_engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind FROM hub_exception")).scalars().all()
        ssccs = conn.execute(text("SELECT COUNT(DISTINCT sscc) FROM parcel")).scalar_one()
    assert "duplicate_sscc" not in kinds
    assert "duplicate_waybill" not in kinds
    assert ssccs == 2
    restored.ctx.engine.dispose()


@pytest.fixture
def api_carrier(
    monkeypatch: pytest.MonkeyPatch, hub_engine: Engine, floor: None
) -> Iterator[CarrierState]:
    """DHLX, booked online through a fake EasyPost-style API on 127.0.0.1."""
    monkeypatch.setenv("FAKE_CARRIER_KEY", API_KEY)
    with fake_carrier() as fake:
        api = {"url": f"{fake.base}/v2", "key_env": "FAKE_CARRIER_KEY", "timeout_s": 1}
        with hub_engine.begin() as conn:
            add_carrier(
                conn,
                "DEMO",
                "DHLX",
                name="DHL via EasyPost",
                kind="api",
                services=["express"],
                api=api | {"shipper": SHIPPER},
            )
        yield fake


def test_an_api_carrier_is_booked_online_and_its_own_label_printed(
    make_terminal: Callable[[], Terminal],
    hub: TestClient,
    hub_engine: Engine,
    api_carrier: CarrierState,
    tmp_path: Path,
) -> None:
    terminal = make_terminal()
    mark_packing_terminal(terminal.ctx)
    task = _order(hub, hub_engine, "SO-API", carrier="DHLX")
    terminal.client().sync()
    _picked(terminal, task, "TOTE0001")
    s = _session(terminal.ctx, tmp_path, HubBooking(terminal.ctx.engine, lambda: nullcontext(hub)))
    view = run_ok(s, "start pack", "PACK-01", "TOTE0001", SHIRT_EAN, "BOX-S", "type 400")
    assert view.result == "Parcel 000011 closed 0.400 kg · SO-API packed"  # no waybill yet
    [job] = s.take_jobs()
    assert job.description.startswith("booking of")
    job.send()
    with terminal.ctx.engine.connect() as conn:
        waybill = conn.execute(text("SELECT waybill FROM parcel WHERE packed_here")).scalar_one()
    assert waybill.startswith("JD")
    assert len(api_carrier.bought) == 1
    assert LABEL in (tmp_path / "labels.zpl").read_text(encoding="utf-8")  # the carrier's own
    terminal.client().sync()
    with hub_engine.connect() as conn:
        hub_waybill = conn.execute(text("SELECT waybill, booking FROM parcel")).one()
    assert tuple(hub_waybill) == (waybill, "booked")  # the same booking, once


def _offline() -> httpx.Client:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("network down", request=request)

    return httpx.Client(transport=httpx.MockTransport(refuse))


def test_offline_the_parcel_closes_without_a_waybill_and_the_hub_books_it(
    make_terminal: Callable[[], Terminal],
    hub: TestClient,
    hub_engine: Engine,
    api_carrier: CarrierState,
    tmp_path: Path,
) -> None:
    terminal = make_terminal()
    mark_packing_terminal(terminal.ctx)
    task = _order(hub, hub_engine, "SO-OFF", carrier="DHLX")
    terminal.client().sync()
    _picked(terminal, task, "TOTE0001")
    s = _session(terminal.ctx, tmp_path, HubBooking(terminal.ctx.engine, _offline))
    run_ok(s, "start pack", "PACK-01", "TOTE0001", SHIRT_EAN, "BOX-S", "type 400")
    [job] = s.take_jobs()
    with pytest.raises(DomainError) as refused:
        job.send()
    assert (job.failure, refused.value.message) == (
        "Not booked online",
        "hub unreachable: the hub books it when this terminal syncs; reprint its label then",
    )
    label = "(00)995011010000000011"
    # Printing it again asks the hub again: still offline, still said so.
    assert run(s, "start pack", label, "#YES").result == "Label of 000011 printing again"
    [job] = s.take_jobs()
    with pytest.raises(DomainError, match="hub unreachable"):
        job.send()
    terminal.client().sync()  # the pack arrives without a waybill: the hub books it
    assert work_due(hub_engine) == ["995011010000000011"]
    terminal.client().sync()
    s = _session(terminal.ctx, tmp_path)
    run_ok(s, "start pack", label, "#YES")
    [job] = s.take_jobs()
    job.send()
    with terminal.ctx.engine.connect() as conn:
        waybill = conn.execute(text("SELECT waybill FROM parcel")).scalar_one()
    assert waybill.startswith("JD")
    assert waybill in (tmp_path / "labels.zpl").read_text(encoding="utf-8")
    assert len(api_carrier.bought) == 1
