"""Customs master data: a warehouse's customs codes, and products' customs data.

- **A warehouse's codes** (one JSON document per warehouse): the e-commerce platform and
  company, the logistics company (per carrier where they differ), the declaring agent, the
  zone warehouse (area), the customs office and port, its bonded ledger (``emsNo``), the data
  exchange id, and where messages go (``outbox``: a folder the customs client reads, or an
  HTTP endpoint) and receipts come from (``inbox``, a folder). Saving them the first time
  opens the warehouse's bonded ledger (:func:`wms.hub.customs.ledger.open_ledger`).
- **A product's customs data** (shared, like the product): HS code, the goods' name and
  specification, trade unit, legal unit(s) and how many legal units one trade unit is, the
  country of origin, its barcode; and per warehouse its bonded-ledger item (``itemRecordNo``).
  Published to the warehouse's terminals (feed kind ``customs_item``), so a pack station can
  refuse a product without it before it goes into a 1210 parcel.

Every limit below is the official schema's (``schemas/ceb-import-202205.xsd``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.customs import CustomsFacts
from wms.hub.feed import Emit, emit

Code = Annotated[str, StringConstraints(min_length=1, max_length=18, pattern=r"^[0-9A-Za-z]+$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")]
Office = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{4}$")]
UnitCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]


class CarrierCodes(BaseModel):
    """The logistics company customs knows a carrier by."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: Code
    name: Name


class WarehouseCodes(BaseModel):
    """A warehouse's customs identity and where its messages go."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    ebp_code: Code = Field(description="the e-commerce platform's customs code")
    ebp_name: Name
    ebc_code: Code = Field(description="the e-commerce company's customs code")
    ebc_name: Name
    logistics_code: Code = Field(description="the logistics company's code (every carrier's)")
    logistics_name: Name
    carriers: dict[str, CarrierCodes] = Field(
        default_factory=dict, description="a carrier's own logistics company, where it differs"
    )
    agent_code: Code = Field(description="the declaring agent's code: who sends the lists")
    agent_name: Name
    area_code: Code = Field(description="the zone warehouse enterprise's code")
    area_name: Name
    customs_code: Office = Field(description="the customs office taking the lists, e.g. 5349")
    port_code: Office
    ems_no: Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=r"^\w+$")] = (
        Field(description="the bonded ledger (账册) number")
    )
    assure_code: Code | None = Field(default=None, description="the guarantor; the company's")
    traf_mode: Annotated[str, StringConstraints(pattern=r"^[0-9]$")] = Field(
        default="4", description="transport mode leaving the zone (customs code, 4: road)"
    )
    dxp_id: Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=r"^\w+$")]
    outbox: str | None = Field(
        default=None, max_length=500, description="a folder, or an http(s) URL, lists go to"
    )
    outbox_token_env: str | None = Field(
        default=None,
        max_length=60,
        pattern=r"^[A-Z_][A-Z0-9_]*$",
        description="the hub's environment variable holding the endpoint's bearer token",
    )
    inbox: str | None = Field(default=None, max_length=500, description="a folder of receipts")

    def carrier(self, code: str) -> CarrierCodes:
        """The logistics company of carrier ``code``."""
        return self.carriers.get(code) or CarrierCodes(
            code=self.logistics_code, name=self.logistics_name
        )


class ProductCustomsIn(BaseModel):
    """A product's customs data, and its bonded-ledger item in the warehouse imported for."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=40)
    hs_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]
    name: str | None = Field(default=None, max_length=250, description="goods name for customs")
    spec: str | None = Field(default=None, max_length=510, description="brand, model, size…")
    unit: UnitCode = Field(description="trade unit, customs unit code (e.g. 007: piece)")
    legal_unit: UnitCode
    legal_qty: Decimal = Field(default=Decimal(1), gt=0, max_digits=19, decimal_places=5)
    second_unit: UnitCode | None = None
    second_qty: Decimal | None = Field(default=None, gt=0, max_digits=19, decimal_places=5)
    origin: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")] = Field(
        description="country of origin, customs code (e.g. 116 Japan, 502 USA)"
    )
    barcode: str | None = Field(default=None, max_length=50)
    item_record_no: str = Field(min_length=1, max_length=30, pattern=r"^[^\x00-\x1f]+$")


class UnknownProducts(ValueError):
    """Customs data for products the hub does not have."""


def codes_of(conn: Connection, warehouse: str) -> WarehouseCodes | None:
    """The warehouse's customs codes; None when it has none (it declares nothing)."""
    found = conn.execute(
        text("SELECT codes FROM customs_warehouse WHERE warehouse = :w"), {"w": warehouse}
    ).scalar()
    return None if found is None else WarehouseCodes.model_validate(found)


def save_codes(conn: Connection, warehouse: str, codes: WarehouseCodes, who: str) -> bool:
    """Set the warehouse's codes; the first time, its bonded ledger is opened with the bonded
    stock it holds now. Returns True when the ledger was opened."""
    from wms.hub.customs.ledger import open_ledger

    body = to_json(codes.model_dump(mode="json")).decode()
    updated = conn.execute(
        text(
            "UPDATE customs_warehouse SET codes = CAST(:c AS jsonb), updated_at = now()"
            " WHERE warehouse = :w"
        ),
        {"w": warehouse, "c": body},
    ).rowcount
    if updated:
        return False
    open_ledger(conn, warehouse, body, who)
    return True


_PRODUCTS = text(
    "INSERT INTO customs_product (sku, hs_code, name, spec, unit, legal_unit, legal_qty,"
    " second_unit, second_qty, origin, barcode) SELECT sku, hs_code, name, spec, unit,"
    " legal_unit, legal_qty, second_unit, second_qty, origin, barcode"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sku text, hs_code text, name text,"
    " spec text, unit text, legal_unit text, legal_qty numeric, second_unit text,"
    " second_qty numeric, origin text, barcode text) ON CONFLICT (sku) DO UPDATE SET"
    " hs_code = EXCLUDED.hs_code, name = EXCLUDED.name, spec = EXCLUDED.spec,"
    " unit = EXCLUDED.unit, legal_unit = EXCLUDED.legal_unit, legal_qty = EXCLUDED.legal_qty,"
    " second_unit = EXCLUDED.second_unit, second_qty = EXCLUDED.second_qty,"
    " origin = EXCLUDED.origin, barcode = EXCLUDED.barcode"
)
_ITEMS = text(
    "INSERT INTO customs_item (warehouse, sku, item_record_no) SELECT :w, sku, item_record_no"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sku text, item_record_no text)"
    " ON CONFLICT (warehouse, sku) DO UPDATE SET item_record_no = EXCLUDED.item_record_no"
)
_FACTS = text(
    "SELECT p.sku, c.hs_code, c.unit, c.legal_unit, c.origin, i.item_record_no, i.warehouse"
    " FROM product p LEFT JOIN customs_product c ON c.sku = p.sku"
    " LEFT JOIN customs_item i ON i.sku = p.sku AND i.warehouse = :w"
    " WHERE p.sku = ANY(CAST(:s AS text[]))"
)


def save_products(conn: Connection, warehouse: str, rows: Sequence[ProductCustomsIn]) -> int:
    """Write products' customs data and the warehouse's ledger items, and publish them to the
    warehouse's terminals; UnknownProducts (nothing written) names products the hub lacks."""
    skus = sorted({r.sku for r in rows})
    known = set(
        conn.scalars(
            text("SELECT sku FROM product WHERE sku = ANY(CAST(:s AS text[]))"), {"s": skus}
        )
    )
    unknown = [s for s in skus if s not in known]
    if unknown:
        raise UnknownProducts(f"unknown product(s): {', '.join(unknown[:20])}")
    data = [r.model_dump(mode="json") for r in rows]
    for start in range(0, len(data), 5000):
        chunk = to_json(data[start : start + 5000]).decode()
        conn.execute(_PRODUCTS, {"rows": chunk})
        conn.execute(_ITEMS, {"w": warehouse, "rows": chunk})
    publish_items(conn, warehouse, skus)
    return len(data)


def facts_of(conn: Connection, warehouse: str, skus: Sequence[str]) -> dict[str, CustomsFacts]:
    """Each product's customs data as ``warehouse`` declares it (products the hub lacks are
    left out)."""
    return {
        r.sku: CustomsFacts(r.hs_code, r.unit, r.legal_unit, r.origin, r.item_record_no)
        for r in conn.execute(_FACTS, {"w": warehouse, "s": sorted(set(skus))})
    }


def item_body(facts: CustomsFacts, sku: str) -> dict[str, Any]:
    """A product's customs data as terminals receive it (feed kind ``customs_item``)."""
    return {
        "sku": sku,
        "hs_code": facts.hs_code,
        "unit": facts.unit,
        "legal_unit": facts.legal_unit,
        "origin": facts.origin,
        "item_record_no": facts.item_record_no,
    }


def publish_items(conn: Connection, warehouse: str, skus: Sequence[str]) -> None:
    """Publish products' customs data to the warehouse's terminals."""
    facts = facts_of(conn, warehouse, skus)
    emit(conn, (Emit(warehouse, "customs_item", s, item_body(f, s)) for s, f in facts.items()))
