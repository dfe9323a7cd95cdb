"""Imports from CSV or JSON: every row validated first, errors by line, all or nothing.

Receipts and orders come one row per line; rows with the same number form one document.
Orders go through the same intake as ``POST /v1/orders`` (allocated, idempotent).
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, BaseModel, Field, ValidationError, field_validator
from sqlalchemy import Connection, text

from wms.domain.gtin import is_valid_gtin, normalize_gtin
from wms.domain.kinds import LocationType, OrderKind, Role, Tracking
from wms.hub.customs.codes import ProductCustomsIn, UnknownProducts, save_products
from wms.hub.documents import save
from wms.hub.master import upsert
from wms.hub.planning.intake import OrderConflict, OrderRefused, take_orders
from wms.hub.planning.orders import OrderIn, OrderLineIn
from wms.hub.planning.replenishment import BadLimits, LimitIn, set_limits
from wms.services.auth import hash_pin


class ProductRow(BaseModel):
    """A product; ``barcodes`` lists its GTINs or supplier codes, ';'-separated in CSV."""

    sku: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    tracking: Tracking = Tracking.NONE
    shelf_life_days: int | None = Field(default=None, ge=1)
    min_remaining_days: int = Field(default=0, ge=0)
    short_shelf_life_action: str = Field(default="refuse", pattern="^(refuse|quarantine)$")
    removal_margin_days: int = Field(default=0, ge=0)
    customs_controlled: bool = False
    supplier: str | None = Field(default=None, max_length=100)
    barcodes: list[str] = Field(default_factory=list)
    # Grams and millimetres per unit, where known: the pack station checks a parcel's weight
    # and suggests its carton with them (hardware/SHIPPING.md).
    weight_g: int | None = Field(default=None, ge=1, le=1_000_000)
    length_mm: int | None = Field(default=None, ge=1, le=10_000)
    width_mm: int | None = Field(default=None, ge=1, le=10_000)
    height_mm: int | None = Field(default=None, ge=1, le=10_000)

    @field_validator("barcodes", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return [v for v in value.split(";") if v] if isinstance(value, str) else value

    @field_validator("barcodes")
    @classmethod
    def _gtins(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if code.isdigit() and len(code) in (8, 12, 13, 14) and not is_valid_gtin(code):
                raise ValueError(f"{code} looks like a GTIN but its check digit is wrong")
        return codes


class LocationRow(BaseModel):
    """A bin or area of the warehouse the import is for."""

    code: str = Field(min_length=1, max_length=30)
    zone: str = Field(min_length=1, max_length=5)
    aisle: str = Field(min_length=1, max_length=2)
    bay: str | None = Field(default=None, max_length=2)
    level: str | None = Field(default=None, max_length=1)
    position: str | None = Field(default=None, max_length=1)
    type: LocationType
    capacity: int | None = Field(default=None, ge=1)
    pick_sequence: int = Field(default=0, ge=0)
    blocked: bool = False


class OperatorRow(BaseModel):
    """An operator; the PIN is hashed on import and never stored as given."""

    code: str = Field(min_length=1, max_length=20)
    badge: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    role: Role = Role.OPERATOR
    pin: str | None = Field(default=None, min_length=4, max_length=12, pattern=r"^\d+$")
    active: bool = True


class ReceiptRow(BaseModel):
    """One line of a purchase order or ASN."""

    number: str = Field(min_length=1, max_length=40)
    kind: str = Field(default="po", pattern="^(po|asn)$")
    supplier: str = Field(min_length=1, max_length=100)
    expected_date: date | None = None
    dock: str = Field(min_length=1, max_length=30)
    customs_declaration: str | None = Field(default=None, max_length=40)
    sku: str = Field(min_length=1, max_length=40)
    qty: int = Field(ge=1)


class OrderRow(BaseModel):
    """One line of a customer order; the order's header fields repeat on each of its lines
    (``kind`` and ``customer`` are accepted for ``trade_mode`` and ``shop``)."""

    number: str = Field(min_length=1, max_length=40)
    channel: str = Field(default="import", min_length=1, max_length=40)
    shop: str | None = Field(
        default=None, max_length=100, validation_alias=AliasChoices("shop", "customer")
    )
    trade_mode: OrderKind = Field(
        default=OrderKind.DOMESTIC, validation_alias=AliasChoices("trade_mode", "kind")
    )
    priority: int = 0
    carrier: str | None = None
    service: str | None = None
    ship_by: datetime | None = None
    currency: str
    consignee_name: str
    consignee_phone: str
    consignee_address: str
    consignee_city: str | None = None
    consignee_province: str | None = None
    consignee_postcode: str | None = None
    consignee_country: str
    consignee_id_number: str | None = None
    sku: str = Field(min_length=1, max_length=40)
    qty: int = Field(ge=1)
    unit_price: Decimal
    lot: str = ""
    min_shelf_days: int | None = None

    def header(self) -> dict[str, Any]:
        """The order's fields (all but the line's), as :class:`OrderIn` takes them."""
        consignee = {
            k.removeprefix("consignee_"): v
            for k, v in self.model_dump().items()
            if k.startswith("consignee_")
        }
        fields = ("number", "shop", "trade_mode", "priority", "carrier", "service", "ship_by")
        return {**{k: getattr(self, k) for k in fields}, "currency": self.currency,
                "consignee": consignee}  # fmt: skip

    def line(self) -> OrderLineIn:
        """The order line this row carries."""
        return OrderLineIn(
            sku=self.sku,
            qty=self.qty,
            unit_price=self.unit_price,
            lot=self.lot,
            min_shelf_days=self.min_shelf_days,
        )


class CartonRow(BaseModel):
    """A carton the pack stations pack parcels in: inner size, the most it carries, its tare."""

    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: str = Field(min_length=1, max_length=100)
    length_mm: int = Field(ge=1, le=5000)
    width_mm: int = Field(ge=1, le=5000)
    height_mm: int = Field(ge=1, le=5000)
    max_weight_g: int = Field(ge=1, le=1_000_000)
    tare_g: int = Field(default=0, ge=0, le=100_000)


MODELS: dict[str, type[BaseModel]] = {
    "products": ProductRow,
    "locations": LocationRow,
    "operators": OperatorRow,
    "receipts": ReceiptRow,
    "orders": OrderRow,
    "face_limits": LimitIn,
    "cartons": CartonRow,
    "customs_products": ProductCustomsIn,
}
# Kinds that are master data for every warehouse; every other kind belongs to one.
SHARED = {"products"}


class ImportFailed(Exception):
    """The file has errors; nothing was imported. ``errors`` are 'line N: message'."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s), nothing imported")
        self.errors = errors


# Where a record stands ("line 4" of a CSV, "item 2" of a JSON list), and the record or why
# it cannot be read.
Record = tuple[str, dict[str, Any] | str]


def _encoding(path: Path) -> str:
    """UTF-8 (with or without a BOM), or UTF-16 when the file starts with its BOM (what
    spreadsheets call "Unicode text")."""
    with path.open("rb") as f:
        start = f.read(2)
    return "utf-16" if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"


_NOT_TEXT = "not UTF-8 text: save the file as CSV UTF-8 (or JSON in UTF-8)"


def _json_records(path: Path, encoding: str) -> Iterator[Record]:
    try:
        items = json.loads(path.read_text(encoding=encoding))
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        yield f"line {line}", _NOT_TEXT
        return
    except json.JSONDecodeError as e:
        yield f"line {e.lineno}", f"not valid JSON: {e.msg} (column {e.colno})"
        return
    if not isinstance(items, list):
        yield "line 1", "a JSON import is a list of objects"
        return
    for n, item in enumerate(items, start=1):
        yield f"item {n}", item if isinstance(item, dict) else "not an object"


def _csv_records(path: Path, encoding: str) -> Iterator[Record]:
    with path.open(newline="", encoding=encoding) as f:
        reader = csv.reader(f, strict=True)
        last = 0
        try:
            header = next(reader, [])
            last = reader.line_num
            for fields in reader:
                first, last = last + 1, reader.line_num
                if not fields:
                    continue
                where = f"line {first}"
                if last > first:  # no field of an import holds a line break
                    yield where, f"a quote opened here is not closed before line {last}"
                elif len(fields) != len(header):
                    yield where, f"{len(fields)} fields, the header has {len(header)}"
                else:
                    # Empty CSV cells mean "not given", so defaults apply.
                    yield where, {k: v for k, v in zip(header, fields, strict=True) if k and v}
        except UnicodeDecodeError:
            yield f"line {_undecodable_line(path, encoding)}", _NOT_TEXT
        except csv.Error as e:
            if "unexpected end of data" in str(e):  # a quote left open runs to the end
                yield f"line {last + 1}", "a quote opened here is never closed"
            else:
                yield f"line {reader.line_num}", f"not valid CSV: {e}"


def _undecodable_line(path: Path, encoding: str) -> int:
    """The line holding the first byte ``encoding`` cannot decode (files are decoded by the
    block, so the reader cannot say)."""
    raw = path.read_bytes()
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as e:
        return raw[: e.start].count(b"\n") + 1
    return 1


def _records(path: Path) -> Iterator[Record]:
    encoding = _encoding(path)
    if path.suffix.lower() == ".json":
        return _json_records(path, encoding)
    return _csv_records(path, encoding)


def _identity(kind: str, row: dict[str, Any]) -> str:
    if kind == "orders":
        return f"{row['number']} {row['sku']} {row['lot']}".rstrip()
    if kind == "receipts":
        return f"{row['number']} {row['sku']}"
    return str(
        row[
            "sku"
            if kind in ("products", "customs_products")
            else "location"
            if kind == "face_limits"
            else "code"
        ]
    )


def _also_unique(kind: str, row: dict[str, Any]) -> list[str]:
    """What else one line of ``kind`` takes for itself: a product's barcodes, a badge."""
    if kind == "products":
        return [f"barcode {_barcode(c)}" for c in row["barcodes"]]
    if kind == "operators":
        return [f"badge {row['badge']}"]
    return []


def _barcode(code: str) -> str:
    return normalize_gtin(code) if is_valid_gtin(code) else code


def parse(kind: str, path: Path) -> list[tuple[str, BaseModel]]:
    """Every row of ``path`` validated as ``kind``; ImportFailed lists every bad line."""
    model = MODELS[kind]
    rows: list[tuple[str, BaseModel]] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for where, record in _records(path):
        if isinstance(record, str):
            errors.append(f"{where}: {record}")
            continue
        try:
            row = model.model_validate(record)
        except ValidationError as e:
            errors += [f"{where}: {_field(x['loc'])}{x['msg']}" for x in e.errors()]
            continue
        dumped = row.model_dump()
        for key in (_identity(kind, dumped), *_also_unique(kind, dumped)):
            if key in seen:
                errors.append(f"{where}: {key} already on {seen[key]}")
            seen.setdefault(key, where)
        rows.append((where, row))
    if errors:
        raise ImportFailed(errors)
    return rows


def _field(loc: tuple[str | int, ...]) -> str:
    return f"{'.'.join(map(str, loc))}: " if loc else ""


def load(conn: Connection, kind: str, rows: list[tuple[str, BaseModel]], warehouse: str) -> int:
    """Write validated rows in the caller's transaction; terminals get them on their next pull."""
    if kind == "receipts":
        return _load_receipts(conn, rows, warehouse)
    if kind == "orders":
        return _load_orders(conn, rows, warehouse)
    if kind == "face_limits":
        try:
            return set_limits(conn, warehouse, [r for _, r in rows if isinstance(r, LimitIn)])
        except BadLimits as e:
            raise ImportFailed(e.errors) from None
    if kind == "customs_products":
        try:
            return save_products(
                conn, warehouse, [r for _, r in rows if isinstance(r, ProductCustomsIn)]
            )
        except UnknownProducts as e:
            raise ImportFailed([str(e)]) from None
    data = [r.model_dump(mode="json") for _, r in rows]
    if kind == "products":
        codes = [{"code": _barcode(c), "sku": d["sku"]} for d in data for c in d.pop("barcodes")]
        upsert(conn, "product", data, warehouse)
        upsert(conn, "barcode", codes, warehouse)
    elif kind == "locations":
        upsert(conn, "location", data, warehouse)
    elif kind == "cartons":
        upsert(conn, "carton", data, warehouse)
    else:
        _badges_free(conn, rows, warehouse)
        for d in data:
            pin = d.pop("pin")
            d["pin_hash"] = hash_pin(pin) if pin else None
        upsert(conn, "operator", data, warehouse)
    return len(data)


def _badges_free(conn: Connection, rows: list[tuple[str, BaseModel]], warehouse: str) -> None:
    """ImportFailed when a badge is another operator's in this warehouse already."""
    wanted = {r.badge: (line, r.code) for line, r in rows if isinstance(r, OperatorRow)}
    held = conn.execute(
        text("SELECT code, badge FROM operator WHERE warehouse = :w AND badge = ANY(:b)"),
        {"w": warehouse, "b": list(wanted)},
    )
    errors = [
        f"{wanted[r.badge][0]}: badge {r.badge} belongs to operator {r.code} already"
        for r in held
        if wanted[r.badge][1] != r.code
    ]
    if errors:
        raise ImportFailed(errors)


def _load_receipts(conn: Connection, rows: list[tuple[str, BaseModel]], wh: str) -> int:
    """Group lines into receipts; every product and dock must exist at the hub."""
    data = [r.model_dump(mode="json") for _, r in rows]
    lines = [line for line, _ in rows]
    known = set(
        conn.scalars(
            text("SELECT sku FROM product WHERE sku = ANY(:s)"),
            {"s": sorted({d["sku"] for d in data})},
        )
    )
    bins = set(conn.scalars(text("SELECT code FROM location WHERE warehouse = :w"), {"w": wh}))
    errors = [
        f"{n}: unknown product {d['sku']}"
        for n, d in zip(lines, data, strict=True)
        if d["sku"] not in known
    ]
    errors += [
        f"{n}: unknown dock {d['dock']}"
        for n, d in zip(lines, data, strict=True)
        if d["dock"] not in bins
    ]
    if errors:
        raise ImportFailed(errors)
    docs: dict[str, dict[str, Any]] = {}
    for d in data:
        header = {k: v for k, v in d.items() if k not in ("sku", "qty")}
        doc = docs.setdefault(d["number"], {**header, "lines": []})
        doc["lines"].append(
            {"line_no": len(doc["lines"]) + 1, "sku": d["sku"], "expected_qty": d["qty"]}
        )
    for body in docs.values():
        save(conn, wh, "receipt", body)
    return len(docs)


def _load_orders(conn: Connection, rows: list[tuple[str, BaseModel]], wh: str) -> int:
    """Group lines into orders and take them as the API does: validated, idempotent (an
    order imported again is skipped; changed, it is refused), allocated, published."""
    heads: dict[str, tuple[str, str, dict[str, Any]]] = {}
    lines: dict[str, list[OrderLineIn]] = {}
    errors = []
    for n, row in rows:
        assert isinstance(row, OrderRow)
        first = heads.setdefault(row.number, (n, row.channel, row.header()))
        if (row.channel, row.header()) != first[1:]:
            errors.append(f"{n}: order {row.number}'s fields differ from {first[0]}")
        lines.setdefault(row.number, []).append(row.line())
    by_channel: dict[str, list[OrderIn]] = {}
    for number, (n, channel, header) in heads.items():
        try:
            order = OrderIn.model_validate({**header, "warehouse": wh, "lines": lines[number]})
        except ValidationError as e:
            errors += [f"{n}: {_field(x['loc'])}{x['msg']}" for x in e.errors()]
            continue
        by_channel.setdefault(channel, []).append(order)
    if errors:
        raise ImportFailed(errors)
    taken = 0
    try:
        for channel, orders in by_channel.items():
            taken += sum(t.created for t in take_orders(conn, wh, channel, orders))
    except OrderRefused as e:
        raise ImportFailed(e.errors) from None
    except OrderConflict as e:
        raise ImportFailed(
            [
                f"order {o}: imported before with other content: {'; '.join(d)}"
                for o, d in e.conflicts.items()
            ]
        ) from None
    return taken
