"""From an imported order to a shipped parcel, end to end at the hub: the order imported, a
wave released, the floor's pick, pack, load and ship ops pushed over HTTP with numbers from the
blocks its pull brought; the order shipped with its waybill; parcels, loads, the label (decoded)
and the manifest (PDF and CSV) read back through the API and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.planning_helpers import RESERVE, SHIRT, order_body, put_stock, take
from tests.hub.shipping_helpers import CART, DOCK, PACK, Station, held, pack, set_up_carriers
from tests.hub.supervisor_helpers import supervisor_headers
from tests.hub.wire_helpers import device_headers, new_stream, push, wire_op
from tests.unit.test_labels_decode import gs1_elements, scan, zpl_labels
from wms.cli import app
from wms.domain.gtin import sscc as make_sscc
from wms.domain.waybills import waybill_number

runner = CliRunner()
CONSIGNEE = '=HYPERLINK("http://evil")'  # a shop's text reaching a spreadsheet


def _delta(sku: str, location: str, units: int, container: str = "") -> dict[str, Any]:
    return {"sku": sku, "location": location, "delta": units, "status": "available"} | {
        "container": container
    }


def _blocks(hub: TestClient, headers: dict[str, str], stream: str) -> list[dict[str, Any]]:
    cursor, found = "", []
    while True:
        page = hub.get(
            "/v1/pull", params={"cursor": cursor, "numbers_for": stream}, headers=headers
        ).json()
        found += [c["body"] for c in page["changes"] if c["kind"] == "number_block"]
        cursor = page["cursor"]
        if not page["more"]:
            return found


def _floor(stream: str, task: str, box: str, waybill: str) -> list[dict[str, Any]]:
    """The floor's ops for SO-E2E: picked into a tote, packed, loaded, shipped, load closed."""
    tote = "TOTE0009"
    pick = {"task": task, "line": 1, "order": "SO-E2E", "sku": SHIRT, "lot": "", "units": 2}
    pick |= {"location": RESERVE, "to_location": CART, "tote": tote, "slot": 1}
    packed = {"parcel": box, "order": "SO-E2E", "carrier": "EMS", "service": "standard"}
    packed |= {"waybill": waybill, "carton": "BOX-S", "weight_g": 640, "expected_g": 600}
    packed |= {"weight_source": "scale", "station": PACK}
    packed["lines"] = [
        {"sku": SHIRT, "lot": "", "units": 2, "from_location": CART, "from_container": tote}
    ]
    load = {"load": "LD-0007", "parcel": box, "carrier": "EMS", "dock": DOCK}
    ship = {"load": "LD-0007", "parcel": box, "order": "SO-E2E", "carrier": "EMS"}
    moved = [
        [_delta(SHIRT, RESERVE, -2), _delta(SHIRT, CART, 2, tote)],
        [_delta(SHIRT, CART, -2, tote), _delta(SHIRT, PACK, 2, box)],
        [_delta(SHIRT, PACK, -2, box), _delta(SHIRT, DOCK, 2, box)],
        [_delta(SHIRT, DOCK, -2, box)],
    ]
    return [
        wire_op(stream, 1, "pick", pick, moved[0]),
        wire_op(stream, 2, "pack", packed, moved[1]),
        wire_op(stream, 3, "load", load, moved[2]),
        wire_op(stream, 4, "ship", ship | {"waybill": waybill}, moved[3]),
        wire_op(stream, 5, "close_load", {"load": "LD-0007", "carrier": "EMS", "parcels": 1}),
    ]


def _label_scans(hub: TestClient, terminal: dict[str, str], box: str, waybill: str) -> None:
    """The pack station's reprint decodes to the waybill and the SSCC."""
    label = hub.get(f"/v1/parcels/{box}/reprint", params={"format": "zpl"}, headers=terminal)
    assert label.status_code == 200
    [printed] = zpl_labels(label.text)
    found = scan(printed)
    assert ("]C0", waybill) in found
    gs1 = next((s, t) for s, t in found if s == "]C1")
    assert gs1_elements(*gs1) == [("00", box)]


def _timeline_follows_the_parcel(order: dict[str, Any], box: str, waybill: str) -> None:
    """The order's timeline follows the parcel from the pack station to the truck."""
    shipping = [
        (e["event"], e["location"], e["facts"]["parcel"])
        for e in order["timeline"]
        if e["event"] in ("packed", "loaded", "shipped")
    ]
    assert shipping == [("packed", PACK, box), ("loaded", DOCK, box), ("shipped", DOCK, box)]
    packed = next(e for e in order["timeline"] if e["event"] == "packed")
    assert packed["facts"]["waybill"] == waybill
    assert packed["facts"]["lines"] == [{"sku": SHIRT, "lot": "", "units": 2}]


def _manifest_by_cli(env: dict[str, str], day: str, tmp_path: Path) -> tuple[str, Path, Path]:
    pdf, csv = tmp_path / "m.pdf", tmp_path / "m.csv"
    args = ["hub", "manifest", "--warehouse", "DEMO", "--carrier", "EMS", "--day", day]
    made = runner.invoke(
        app, [*args, "--by", "maria", "--pdf", str(pdf), "--csv", str(csv)], env=env
    )
    assert made.exit_code == 0, made.output
    return made.output, pdf, csv


def test_imported_order_to_shipped_parcel_with_label_and_manifest(
    hub: TestClient, hub_db: str, hub_engine: Engine, tmp_path: Path
) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "number,channel,shop,trade_mode,carrier,service,currency,consignee_name,"
        "consignee_phone,consignee_address,consignee_city,consignee_country,sku,qty,unit_price\n"
        f"SO-E2E,tmall,Tmall Global,domestic,EMS,standard,CNY,Li Wei,+86 138 0013 8000,"
        f"88 Century Avenue,Shanghai,CN,{SHIRT},2,59.90\n",
        encoding="utf-8",
    )
    assert (
        runner.invoke(
            app, ["hub", "import", "orders", str(orders), "--warehouse", "DEMO"], env=env
        ).exit_code
        == 0
    )
    boss = supervisor_headers(hub_engine)
    wave = hub.post("/v1/waves", json={"warehouse": "DEMO"}, headers=boss)
    assert wave.status_code == 201, wave.text
    (task,) = wave.json()["tasks"]

    terminal, stream = device_headers(hub, hub_engine), new_stream()
    blocks = _blocks(hub, terminal, stream)
    assert {(b["kind"], b["carrier"]) for b in blocks} == {("sscc", None), ("waybill", "EMS")}
    other = _blocks(hub, device_headers(hub, hub_engine), new_stream())
    assert {b["id"] for b in other}.isdisjoint({b["id"] for b in blocks})  # each its own
    sscc_block = next(b for b in blocks if b["kind"] == "sscc")
    ems = next(b for b in blocks if b["kind"] == "waybill")
    box = make_sscc(sscc_block["extension"], sscc_block["company_prefix"], sscc_block["first"])
    waybill = waybill_number(ems, ems["first"])

    ops = _floor(stream, task, box, waybill)
    pushed = push(hub, terminal, *ops)
    assert pushed.status_code == 200, pushed.text
    reply = pushed.json()
    assert reply["rejected"] == []
    assert reply["exceptions"] == 0

    order = hub.get("/v1/orders/SO-E2E", params={"warehouse": "DEMO"}, headers=boss).json()
    assert order["status"] == "shipped"
    assert [(p["sscc"], p["waybill"], p["status"]) for p in order["parcels"]] == [
        (box, waybill, "shipped")
    ]
    _timeline_follows_the_parcel(order, box, waybill)
    listed = hub.get("/v1/parcels", params={"warehouse": "DEMO"}, headers=boss).json()
    assert [p["sscc"] for p in listed] == [box]
    one = hub.get(f"/v1/parcels/{box}", params={"warehouse": "DEMO"}, headers=boss).json()
    assert one["lines"] == [{"sku": SHIRT, "lot": "", "units": 2, "from_container": "TOTE0009"}]
    loads = hub.get("/v1/loads", params={"warehouse": "DEMO"}, headers=boss).json()
    assert [(ld["number"], ld["status"], ld["members"]) for ld in loads] == [
        ("LD-0007", "closed", [box])
    ]

    _label_scans(hub, terminal, box, waybill)
    day = one["shipped_at"][:10]
    manifest = hub.get(
        "/v1/manifests/EMS", params={"warehouse": "DEMO", "day": day}, headers=boss
    ).json()
    assert (manifest["parcels"], manifest["weight_g"]) == (1, 640)
    assert manifest["lines"][0]["waybill"] == waybill
    said, pdf, csv = _manifest_by_cli(env, day, tmp_path)
    assert "1 parcel, 0.640 kg" in said
    assert pdf.read_bytes().startswith(b"%PDF")
    assert csv.read_text().splitlines()[1].startswith(f"{waybill},{box},SO-E2E,0.640,")
    shown = runner.invoke(app, ["hub", "parcels", "list", "--warehouse", "DEMO"], env=env)
    assert box in shown.output
    assert "shipped" in shown.output
    with hub_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM manifest")).scalar_one() == 1


def test_manifest_csv_cells_never_run_as_formulas(hub_engine: Engine) -> None:
    from datetime import UTC, date, datetime

    from wms.hub.shipping.manifest import Manifest, ManifestLine, manifest_csv

    line = ManifestLine(
        "=1+1",
        "195011010000000428",
        CONSIGNEE,
        100,
        "@SUM(A1)",
        "-2",
        datetime(2026, 11, 30, tzinfo=UTC),
    )
    made = manifest_csv(Manifest("DEMO", "EMS", "EMS", date(2026, 11, 30), [line]))
    row = made.splitlines()[1]
    assert row.startswith("'=1+1,195011010000000428,")
    assert "'@SUM(A1)" in row
    assert ",'-2," in row


def test_supervisors_only_and_clean_refusals(hub: TestClient, hub_engine: Engine) -> None:
    set_up_carriers(hub_engine)
    terminal = device_headers(hub, hub_engine)
    boss = supervisor_headers(hub_engine)
    assert hub.get("/v1/parcels", params={"warehouse": "DEMO"}, headers=terminal).status_code == 401
    missing = hub.get("/v1/parcels/195011010000000428", params={"warehouse": "DEMO"}, headers=boss)
    assert (missing.status_code, missing.json()["code"]) == (404, "unknown_parcel")
    bad = hub.get("/v1/parcels/12345", params={"warehouse": "DEMO"}, headers=boss)
    assert bad.status_code == 422
    overlap = hub.post(
        "/v1/carriers/EMS/ranges",
        json={"warehouse": "DEMO", "first": 10_000_500, "last": 10_002_000, "prefix": "EA"}
        | {"suffix": "CN", "digits": 8, "check": "s10"},
        headers=boss,
    )
    assert (overlap.status_code, overlap.json()["code"]) == (409, "overlapping_range")
    unknown = hub.get(
        "/v1/manifests/NOPE", params={"warehouse": "DEMO", "day": "2026-11-30"}, headers=boss
    )
    assert unknown.status_code == 404
    carriers = hub.get("/v1/carriers", params={"warehouse": "DEMO"}, headers=boss).json()
    assert {c["code"] for c in carriers} == {"EMS", "SF"}


def test_a_nul_anywhere_a_client_can_put_one_is_refused_as_invalid(
    hub: TestClient, hub_engine: Engine
) -> None:
    """PostgreSQL text cannot hold a NUL: the hub refuses it up front, never with a 500."""
    set_up_carriers(hub_engine)
    terminal, boss = device_headers(hub, hub_engine), supervisor_headers(hub_engine)
    book = {"order": "\x00", "carrier": "EMS", "weight_g": 1}
    answers = [
        hub.post("/v1/parcels/195011010000000428/book", json=book, headers=terminal),
        hub.post("/v1/parcels/195011010000000428/void", json={"why": "\x00"}, headers=boss),
        hub.get("/v1/orders/SO%00", params={"warehouse": "DEMO"}, headers=boss),
        hub.get("/v1/parcels", params={"warehouse": "DEMO\x00"}, headers=boss),
        hub.post(
            "/v1/carriers/EMS/ranges", json={"first": 1, "last": 2, "prefix": "\x00"}, headers=boss
        ),
    ]
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(422, "invalid")] * 5


def test_carriers_and_pools_from_the_cli(hub_db: str, hub_engine: Engine, tmp_path: Path) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    hub = ["hub", "carriers"]
    add = [*hub, "add", "EMS", "--warehouse", "DEMO", "--name", "China Post EMS"]
    assert runner.invoke(app, [*add, "--service", "standard"], env=env).exit_code == 0
    pool = [*hub, "pool", "add", "EMS", "--warehouse", "DEMO", "--from", "1", "--to", "500"]
    s10 = ["--prefix", "EA", "--suffix", "CN", "--digits", "8", "--check", "s10"]
    added = runner.invoke(app, [*pool, *s10], env=env)
    assert added.output.strip() == "Added 500 EMS waybill numbers"
    again = runner.invoke(app, [*pool, *s10], env=env)
    assert again.exit_code == 1
    assert "Not added: EA000000014CN is in a range held already" in again.output
    numbers = tmp_path / "sf.txt"
    numbers.write_text("SF100000000001\nSF100000000002\n", encoding="utf-8")
    sf = [*hub, "add", "SF", "--warehouse", "DEMO", "--name", "SF Express"]
    assert runner.invoke(app, sf, env=env).exit_code == 0
    listed = [*hub, "pool", "add", "SF", "--warehouse", "DEMO", "--file", str(numbers)]
    assert "Added 2 SF" in runner.invoke(app, listed, env=env).output
    shown = runner.invoke(app, [*hub, "list", "--warehouse", "DEMO"], env=env).output
    assert "500 numbers left" in shown
    assert "2 numbers left" in shown
    bad = runner.invoke(app, [*hub, "add", "ems!", "--warehouse", "DEMO", "--name", "x"], env=env)
    assert bad.exit_code == 1
    assert "Not a carrier code" in bad.output


def test_a_voided_parcel_stays_promised_and_cannot_be_voided_twice(
    hub: TestClient, hub_engine: Engine
) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, CART, 2, container="TOTE0004")
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-V1", (SHIRT, 2), carrier="EMS"))
    station = Station(hub_engine)
    box, waybill = station.next_number("sscc"), station.next_number("waybill", "EMS")
    station.push(pack(station, box, "SO-V1", [(SHIRT, 2, "TOTE0004")], waybill=waybill))
    boss = supervisor_headers(hub_engine)
    url = f"/v1/parcels/{box}/void"
    voided = hub.post(url, params={"warehouse": "DEMO"}, json={"why": "box torn"}, headers=boss)
    assert voided.status_code == 200, voided.text
    assert (voided.json()["status"], voided.json()["waybill"]) == ("void", waybill)
    assert held(hub_engine, "SO-V1") == [("picked", SHIRT, PACK, box, 2)]  # still the order's
    twice = hub.post(url, params={"warehouse": "DEMO"}, json={"why": "again"}, headers=boss)
    assert (twice.status_code, twice.json()["code"]) == (409, "too_late")
    with hub_engine.connect() as conn:
        why = conn.execute(text("SELECT action, who, why FROM decision")).one()
    assert tuple(why) == ("void_parcel", "maria", "box torn")
