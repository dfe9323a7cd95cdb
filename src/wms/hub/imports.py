"""Imports from CSV or JSON: every row validated first, errors by line, all or nothing.

Receipts and orders come one row per line; rows with the same number form one document.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import Connection, text

from wms.domain.gtin import is_valid_gtin, normalize_gtin
from wms.domain.kinds import LocationType, Role, Tracking
from wms.hub.documents import save
from wms.hub.master import upsert
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
    """One line of a customer order."""

    number: str = Field(min_length=1, max_length=40)
    kind: str = Field(default="domestic", pattern="^(domestic|re_export)$")
    customer: str = Field(min_length=1, max_length=100)
    sku: str = Field(min_length=1, max_length=40)
    qty: int = Field(ge=1)


MODELS: dict[str, type[BaseModel]] = {
    "products": ProductRow,
    "locations": LocationRow,
    "operators": OperatorRow,
    "receipts": ReceiptRow,
    "orders": OrderRow,
}
_DOCUMENTS = {"receipts", "orders"}
# Kinds that are master data for every warehouse; every other kind belongs to one.
SHARED = {"products"}


class ImportFailed(Exception):
    """The file has errors; nothing was imported. ``errors`` are 'line N: message'."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} error(s), nothing imported")
        self.errors = errors


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if path.suffix.lower() == ".json":
        items = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(items, list):
            raise ImportFailed(["line 1: a JSON import is a list of objects"])
        yield from enumerate(items, start=1)
        return
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        for row in reader:
            # Empty CSV cells mean "not given", so defaults apply.
            yield reader.line_num, {k: v for k, v in row.items() if k and v not in ("", None)}


def _identity(kind: str, row: dict[str, Any]) -> str:
    if kind in _DOCUMENTS:
        return f"{row['number']} {row['sku']}"
    return str(row["sku" if kind == "products" else "code"])


def parse(kind: str, path: Path) -> list[tuple[int, BaseModel]]:
    """Every row of ``path`` validated as ``kind``; ImportFailed lists every bad line."""
    model = MODELS[kind]
    rows: list[tuple[int, BaseModel]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, record in _records(path):
        try:
            row = model.model_validate(record)
        except ValidationError as e:
            errors += [
                f"line {line}: {'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors()
            ]
            continue
        key = _identity(kind, row.model_dump())
        if key in seen:
            errors.append(f"line {line}: {key} already on line {seen[key]}")
        seen[key] = line
        rows.append((line, row))
    if errors:
        raise ImportFailed(errors)
    return rows


def load(conn: Connection, kind: str, rows: list[tuple[int, BaseModel]], warehouse: str) -> int:
    """Write validated rows in the caller's transaction; terminals get them on their next pull."""
    if kind in _DOCUMENTS:
        return _load_documents(conn, kind, rows, warehouse)
    data = [r.model_dump(mode="json") for _, r in rows]
    if kind == "products":
        codes = [
            {"code": normalize_gtin(c) if is_valid_gtin(c) else c, "sku": d["sku"]}
            for d in data
            for c in d.pop("barcodes")
        ]
        upsert(conn, "product", data, warehouse)
        upsert(conn, "barcode", codes, warehouse)
    elif kind == "locations":
        upsert(conn, "location", data, warehouse)
    else:
        for d in data:
            pin = d.pop("pin")
            d["pin_hash"] = hash_pin(pin) if pin else None
        upsert(conn, "operator", data, warehouse)
    return len(data)


def _load_documents(conn: Connection, kind: str, rows: list[tuple[int, BaseModel]], wh: str) -> int:
    """Group lines into documents; every product (and dock) must exist at the hub."""
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
        f"line {n}: unknown product {d['sku']}"
        for n, d in zip(lines, data, strict=True)
        if d["sku"] not in known
    ]
    errors += [
        f"line {n}: unknown dock {d['dock']}"
        for n, d in zip(lines, data, strict=True)
        if kind == "receipts" and d["dock"] not in bins
    ]
    if errors:
        raise ImportFailed(errors)
    docs: dict[str, dict[str, Any]] = {}
    for d in data:
        header = {k: v for k, v in d.items() if k not in ("sku", "qty")}
        doc = docs.setdefault(d["number"], {**header, "lines": []})
        qty = "expected_qty" if kind == "receipts" else "qty"
        doc["lines"].append({"line_no": len(doc["lines"]) + 1, "sku": d["sku"], qty: d["qty"]})
    for body in docs.values():
        save(conn, wh, "receipt" if kind == "receipts" else "order", body)
    return len(docs)
