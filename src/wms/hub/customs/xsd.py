"""The customs' official schema (2022-05, ``schemas/``, copied unchanged) and safe XML reading.

Every message the hub hands to customs is validated against ``ceb-import-202205.xsd`` first:
the schema is the one statement of customs' field lengths and formats, so a list that breaks
one (an address over 200 characters, an SKU over 20) is stopped here, with the field named in
words, not at the customs desk. Receipts from outside are read with a parser that loads no DTD,
resolves no entity and reaches no network.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

from lxml import etree

NS = "http://www.chinaport.gov.cn/ceb"
DS = "http://www.w3.org/2000/09/xmldsig#"

# What a field is, for the people who fix it (the schema documents them in Chinese).
FIELDS = {
    "orderNo": "order number",
    "ebpCode": "platform code",
    "ebpName": "platform name",
    "ebcCode": "e-commerce company code",
    "ebcName": "e-commerce company name",
    "logisticsNo": "waybill number",
    "logisticsCode": "logistics company code",
    "logisticsName": "logistics company name",
    "copNo": "internal number",
    "assureCode": "guarantor code",
    "emsNo": "bonded ledger number",
    "customsCode": "customs office code",
    "portCode": "port code",
    "buyerIdNumber": "buyer's ID number",
    "buyerName": "buyer's name",
    "buyerTelephone": "buyer's phone",
    "consigneeAddress": "consignee's address",
    "agentCode": "declaring agent code",
    "agentName": "declaring agent name",
    "areaCode": "zone warehouse code",
    "areaName": "zone warehouse name",
    "trafMode": "transport mode",
    "grossWeight": "gross weight",
    "netWeight": "net weight",
    "itemRecordNo": "bonded-ledger item",
    "itemNo": "SKU",
    "itemName": "product name",
    "gcode": "HS code",
    "gname": "goods name",
    "gmodel": "goods specification",
    "barCode": "barcode",
    "country": "country of origin",
    "qty": "quantity",
    "unit": "trade unit",
    "qty1": "legal quantity",
    "unit1": "legal unit",
    "qty2": "second quantity",
    "unit2": "second unit",
    "price": "unit price",
    "totalPrice": "total price",
    "invtNo": "customs list number",
    "reason": "reason",
    "copCode": "sender code",
    "copName": "sender name",
    "dxpId": "data exchange id",
    "gnum": "line number",
}


@cache
def schema() -> etree.XMLSchema:
    """The import schema (it imports the XML signature schema beside it), loaded once."""
    path = files("wms.hub.customs") / "schemas" / "ceb-import-202205.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class NotWellFormed(ValueError):
    """The text is not XML at all."""


def read(raw: bytes) -> etree._ElementTree:
    """Parse ``raw`` without loading a DTD, resolving entities or reaching the network;
    NotWellFormed when it is not XML."""
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as e:
        raise NotWellFormed(f"not well-formed XML: {str(e)[:200]}") from None
    if root is None:
        raise NotWellFormed("not well-formed XML: empty")
    return etree.ElementTree(root)


_LENGTHS = re.compile(r"has a length of '(\d+)'; this .+? the allowed (?:(\w+) )?length of '(\d+)'")


def _field(path: str) -> tuple[str, str]:
    """(field, where) of an error's element path, e.g. ("consigneeAddress", " (line 2)")."""
    name = (
        path.rsplit("/", 1)[-1].rsplit(":", maxsplit=1)[-1].split("[", maxsplit=1)[0]
        if path
        else "?"
    )
    line = re.search(r"(?:InventoryList|InvtRefundList)\[(\d+)\]", path)
    return name, f" (line {line.group(1)})" if line else ""


def _sentence(name: str, where: str, message: str) -> str:
    what = FIELDS.get(name, name)
    lengths = _LENGTHS.search(message)
    if lengths is not None:
        has, bound, limit = lengths.groups()
        if has == "0":
            return f"{what}{where} is empty: customs needs it"
        takes = {"maximum": "at most ", "minimum": "at least "}.get(bound, "exactly ")
        return f"{what}{where} is {has} characters: customs takes {takes}{limit}"
    if "totalDigits" in message or "fractionDigits" in message:
        return f"{what}{where} has more digits than customs takes"
    return f"{what}{where}: {message.split(': ', 1)[-1][:200]}"


def problems(tree: etree._ElementTree) -> list[str]:
    """What in ``tree`` breaks the schema, one sentence per field for the people who fix the
    data; empty when it validates."""
    checker = schema()
    try:
        if checker.validate(tree):
            return []
    except etree.Error as e:  # e.g. an entity reference left unresolved on purpose
        return [f"cannot be checked against customs' schema: {str(e)[:200]}"]
    errors: list[Any] = list(checker.error_log)  # type: ignore[call-overload]  # the stubs lag
    said = [_sentence(*_field(e.path or ""), e.message) for e in errors]
    return list(dict.fromkeys(said))
