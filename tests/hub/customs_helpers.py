"""Customs for the hub tests: DEMO's customs codes and its bonded products' customs data, a
bonded-retail order taken to a packed parcel, receipts shaped like the official CEB622/4/6
samples, and what an auditor reads back (lists, the bonded ledger)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import Connection, Engine, text

from tests.hub.planning_helpers import CONSIGNEE, order_body, put_stock, take
from tests.hub.shipping_helpers import EMS, Station, pack, pick_to_tote
from wms.domain.kinds import StockStatus
from wms.hub.customs.codes import ProductCustomsIn, WarehouseCodes, save_codes, save_products
from wms.hub.customs.xsd import NS, problems, read
from wms.hub.planning.waves import WaveRule, release
from wms.hub.supervision.supervisors import new_supervisor

SAMPLES = Path(__file__).parent / "customs_samples"
CREAM, SERUM, MILK = "SKU-00303", "SKU-00304", "SKU-00003"
BONDED_BIN = "BND-01-02-A-1"
AGENT = "4403960ABC"
BUYER = {**CONSIGNEE, "id_number": "310101199001011234"}


def codes(outbox: Path | str | None = None, inbox: Path | None = None) -> WarehouseCodes:
    """DEMO's customs identity (Qianhai, Shenzhen: customs office 5349)."""
    return WarehouseCodes(
        ebp_code="4403960PLT",
        ebp_name="Tmall Global",
        ebc_code="4403960EBC",
        ebc_name="Demo Cross-border Trading Co.",
        logistics_code="4403960LGS",
        logistics_name="China Post EMS Shenzhen",
        agent_code=AGENT,
        agent_name="Qianhai Bonded Warehouse Co.",
        area_code="4403960ARE",
        area_name="Qianhai Bonded Warehouse Co.",
        customs_code="5349",
        port_code="5349",
        ems_no="T5349W000001",
        dxp_id="DXPENT0000012345",
        outbox=None if outbox is None else str(outbox),
        inbox=inbox and str(inbox),
    )


def product(sku: str, item: str, **fields: Any) -> ProductCustomsIn:
    """A bonded product's customs data (face cream from Japan by default)."""
    data = {
        "sku": sku,
        "hs_code": "3304990099",
        "name": "面霜",
        "spec": "50 ml jar, brand Demo",
        "unit": "007",
        "legal_unit": "035",
        "legal_qty": "0.05",
        "origin": "116",
        "item_record_no": item,
    } | fields
    return ProductCustomsIn.model_validate(data)


def set_up_customs(
    engine: Engine,
    outbox: Path | None = None,
    inbox: Path | None = None,
    *,
    skus: tuple[str, ...] = (CREAM, SERUM),
) -> None:
    """DEMO's codes (its bonded ledger opened) and customs data of ``skus``; products under
    customs control; the supervisor maria."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE product SET customs_controlled = true WHERE sku = ANY(:s)"),
            {"s": [CREAM, SERUM, MILK]},
        )
        found = conn.execute(text("SELECT 1 FROM supervisor WHERE name = 'maria'")).first()
        if found is None:
            new_supervisor(conn, "maria")
        save_codes(conn, "DEMO", codes(outbox, inbox), "maria")
        save_products(
            conn, "DEMO", [product(s, f"ITEM-{n:03d}") for n, s in enumerate(skus, start=1)]
        )


@dataclass
class Packed:
    """A bonded-retail parcel packed at the hub."""

    order: str
    sscc: str
    station: Station
    units: list[tuple[str, int]]


def bonded_order(number: str, *lines: tuple[str, int], **header: Any) -> dict[str, Any]:
    """A bonded-retail order for DEMO with the buyer's ID number, prices in CNY."""
    body = order_body(number, *lines, carrier="EMS", trade_mode="bonded_retail", consignee=BUYER)
    return body | header


def bonded_stock(engine: Engine, sku: str, qty: int, location: str = BONDED_BIN) -> None:
    """Bonded stock (customs hold) of ``sku``."""
    put_stock(engine, sku, location, qty, status="customs_hold")


def pack_bonded(
    engine: Engine,
    station: Station,
    number: str,
    *lines: tuple[str, int],
    serial: int,
    tote: str = "TOTE0001",
    **header: Any,
) -> Packed:
    """Take a bonded-retail order, release it, pick it into a tote and pack it as one parcel
    (its waybill from EMS' range); the order's pick and pack ops pushed in one push."""
    with engine.begin() as conn:
        take(conn, bonded_order(number, *lines, **header))
        release(conn, "DEMO", "maria", WaveRule())
        picks = conn.execute(
            text(
                "SELECT * FROM pick_line WHERE warehouse = 'DEMO' AND order_number = :o"
                " ORDER BY seq"
            ),
            {"o": number},
        ).all()
    ops = []
    for line in picks:
        op = pick_to_tote(station, line, line.qty, tote)
        for d in op.deltas:
            d.status = StockStatus.CUSTOMS_HOLD
        ops.append(op)
    sscc = station.next_number("sscc")
    contents = [(line.sku, int(line.qty), tote) for line in picks]
    packed = pack(station, sscc, number, contents, waybill=EMS.number(10_000_000 + serial))
    for d in packed.deltas:
        d.status = StockStatus.CUSTOMS_HOLD
    station.push(*ops, packed)
    return Packed(number, sscc, station, [(s, n) for s, n, _ in contents])


def lists(conn: Connection, order: str | None = None, kind: str = "CEB621") -> list[Any]:
    """The messages of a kind (of one order), oldest first."""
    return conn.execute(
        text(
            "SELECT * FROM customs_message WHERE warehouse = 'DEMO' AND kind = :k"
            " AND (CAST(:o AS text) IS NULL OR order_number = :o) ORDER BY created_at, guid"
        ),
        {"k": kind, "o": order},
    ).all()


def the_list(engine: Engine, order: str, kind: str = "CEB621") -> Any:
    """The order's latest message of ``kind``."""
    with engine.connect() as conn:
        return lists(conn, order, kind)[-1]


def valid(body: str | bytes) -> etree._ElementTree:
    """A message as handed over, asserted valid against the official schema."""
    tree = read(body.encode() if isinstance(body, str) else body)
    assert problems(tree) == []
    return tree


def field(tree: etree._ElementTree, name: str) -> list[str]:
    """Every ``ceb:name`` text of a message."""
    return [el.text or "" for el in tree.getroot().iter(f"{{{NS}}}{name}")]


_RETURNS = {"CEB622": "InventoryReturn", "CEB624": "InvtCancelReturn", "CEB626": "InvtRefundReturn"}


def receipt(
    kind: str,
    answers: list[dict[str, str | None]],
    *,
    guid: str = "4CDE1CFD-EDED-46B1-946C-B8022E42FC94",
) -> bytes:
    """A receipt built from the official sample of ``kind``: its first answer as the pattern,
    one answer per dict (fields set to the dict's values; None removes a field)."""
    tree = etree.parse(str(SAMPLES / f"{kind}Message.xml"))
    root = tree.getroot()
    root.set("guid", guid)
    returns = root.findall(f"{{{NS}}}{_RETURNS[kind]}")
    pattern = returns[0]
    for r in returns:
        root.remove(r)
    for values in answers:
        el = etree.fromstring(etree.tostring(pattern))
        for name, value in values.items():
            found = el.find(f"{{{NS}}}{name}")
            if value is None:
                if found is not None:
                    el.remove(found)
                continue
            if found is None:  # the sample leaves the list number out: it goes after preNo
                found = etree.Element(f"{{{NS}}}{name}")
                pre = el.find(f"{{{NS}}}preNo")
                assert pre is not None, name
                assert name == "invtNo", name
                pre.addnext(found)
            found.text = value
        root.append(el)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def answer(
    cop_no: str,
    status: str,
    info: str = "",
    *,
    invt_no: str | None = "534920260000000001",
    at: str = "20261130100000000",
) -> dict[str, str | None]:
    """One answer of customs about our message ``cop_no`` (as DEMO's agent)."""
    return {
        "copNo": cop_no,
        "agentCode": AGENT,
        "ebpCode": "4403960PLT",
        "ebcCode": "4403960EBC",
        "customsCode": "5349",
        "preNo": "B20261130000000001",
        "invtNo": invt_no,
        "returnStatus": status,
        "returnTime": at,
        "returnInfo": info or f"status {status}",
    }


def bonded_entries(engine: Engine) -> list[tuple[str, str, int, str | None]]:
    """The bonded ledger: (kind, sku, units, parcel), oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT kind, sku, units, sscc FROM bonded_ledger WHERE warehouse = 'DEMO'"
                " ORDER BY id"
            )
        )
        return [(r.kind, r.sku, int(r.units), r.sscc) for r in rows]


@pytest.fixture(autouse=True)
def every_message_valid(hub_engine: Engine) -> Iterator[None]:
    """After each test of a module importing this: every message the hub built (lists, cancel
    and return requests) validates against customs' official schema."""
    yield
    with hub_engine.connect() as conn:
        bodies = conn.execute(
            text("SELECT kind, guid, body FROM customs_message WHERE body IS NOT NULL")
        ).all()
    for kind, guid, body in bodies:
        tree = valid(body)
        assert tree.getroot().get("guid") == guid
        assert etree.QName(tree.getroot()).localname == f"{kind}Message"
