"""The messages the hub sends customs, built as the official 2022-05 schema has them: the import
list (CEB621) of one parcel, the cancel request (CEB623) and the return request (CEB625) of a
list. Pure: facts in, an lxml tree out (no database); :func:`wms.hub.customs.xsd.problems`
checks a tree before anything is handed over.

**The signature.** Declarations carry an XML signature made with the company's customs key
(an SM2 key on a UKey or in a signing service), which the hub never holds. Each message
therefore ends with a *placeholder* ``ds:Signature`` (the schema requires the element): the
SM2-SM3 method and an enveloped reference to the whole document (``URI=""``), with an empty
``DigestValue`` and ``SignatureValue``. The signing step (the customs client, or a signing
service in front of it) computes the SM3 digest of the document without that element, signs
``SignedInfo``, fills in both values and adds its ``KeyInfo`` (certificate): being enveloped,
the placeholder itself never enters the digest, so the hub's message is signed as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from lxml import etree

from wms.hub.customs.xsd import DS, NS

# Customs reads times as Beijing time (no daylight saving).
CHINA = timezone(timedelta(hours=8), "CST")
VERSION = "1.0"
TRADE_MODE = "1210"  # bonded stocking (保税备货)
RMB = "142"  # customs' currency code for the renminbi; also the country code of China
_SM2_SM3 = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3"
_SM3 = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"
_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_NSMAP = {"ceb": NS}


@dataclass(frozen=True)
class Party:
    """A company as customs knows it: its customs code and registered name."""

    code: str
    name: str


@dataclass(frozen=True)
class Buyer:
    """Who bought (the order's consignee): personal data, read only to build a message."""

    id_number: str
    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class Sender:
    """Who hands the message over (``BaseTransfer``): the declaring agent and its exchange id."""

    code: str
    name: str
    dxp_id: str


@dataclass(frozen=True)
class Head:
    """What every message of one list repeats: its order, companies, waybill and buyer."""

    order_no: str
    ebp: Party
    ebc: Party
    logistics: Party
    logistics_no: str
    agent: Party
    customs_code: str
    buyer: Buyer
    sender: Sender


@dataclass(frozen=True)
class ListLine:
    """One goods line of an import list: an order line, in trade and legal units."""

    gnum: int
    item_record_no: str
    sku: str
    item_name: str
    hs_code: str
    goods_name: str
    spec: str
    barcode: str
    origin: str
    qty: Decimal
    unit: str
    legal_qty: Decimal
    legal_unit: str
    second_qty: Decimal | None
    second_unit: str | None
    price: Decimal
    note: str = ""


@dataclass(frozen=True)
class ImportList:
    """One parcel's import list (CEB621)."""

    guid: str
    at: datetime
    cop_no: str
    head: Head
    assure_code: str
    ems_no: str
    port_code: str
    area: Party
    traf_mode: str
    gross_kg: Decimal
    net_kg: Decimal
    lines: Sequence[ListLine]


@dataclass(frozen=True)
class CancelRequest:
    """A cancel request (CEB623) of a list customs numbered ``invt_no``."""

    guid: str
    at: datetime
    cop_no: str
    head: Head
    pre_no: str | None
    invt_no: str
    reason: str


@dataclass(frozen=True)
class RefundLine:
    """Units of one line of the original list coming back."""

    gnum: int
    hs_code: str
    goods_name: str
    qty: Decimal
    unit: str


@dataclass(frozen=True)
class ReturnRequest:
    """A return (refund) request (CEB625) against the list customs numbered ``invt_no``."""

    guid: str
    at: datetime
    cop_no: str
    head: Head
    pre_no: str | None
    invt_no: str
    reason: str
    lines: Sequence[RefundLine]


def amount(value: Decimal) -> str:
    """A decimal as customs reads it: plain digits, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".") or "0"


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


_TAGS: dict[str, str] = {}


def _add(parent: etree._Element, name: str, value: str | None) -> None:
    """Append ``<ceb:name>value</ceb:name>``; None leaves an optional field out."""
    if value is None:
        return
    tag = _TAGS.get(name) or _TAGS.setdefault(name, _q(name))
    etree.SubElement(parent, tag).text = value


def _root(kind: str, guid: str) -> etree._Element:
    return etree.Element(_q(f"{kind}Message"), {"guid": guid, "version": VERSION}, nsmap=_NSMAP)


def _stamp(at: datetime) -> str:
    return at.astimezone(CHINA).strftime("%Y%m%d%H%M%S")


def _companies(el: etree._Element, head: Head) -> None:
    _add(el, "ebpCode", head.ebp.code)
    _add(el, "ebpName", head.ebp.name)
    _add(el, "ebcCode", head.ebc.code)
    _add(el, "ebcName", head.ebc.name)
    _add(el, "logisticsNo", head.logistics_no)
    _add(el, "logisticsCode", head.logistics.code)
    _add(el, "logisticsName", head.logistics.name)


def _buyer(el: etree._Element, buyer: Buyer) -> None:
    _add(el, "buyerIdType", "1")  # the identity card: the only kind customs takes
    _add(el, "buyerIdNumber", buyer.id_number)
    _add(el, "buyerName", buyer.name)
    _add(el, "buyerTelephone", buyer.phone)


def _tail(root: etree._Element, sender: Sender) -> None:
    """``BaseTransfer`` and the signature placeholder the signing step fills in."""
    transfer = etree.SubElement(root, _q("BaseTransfer"))
    _add(transfer, "copCode", sender.code)
    _add(transfer, "copName", sender.name)
    _add(transfer, "dxpMode", "DXP")
    _add(transfer, "dxpId", sender.dxp_id)
    signature = etree.SubElement(root, f"{{{DS}}}Signature", nsmap={"ds": DS})
    info = etree.SubElement(signature, f"{{{DS}}}SignedInfo")
    etree.SubElement(info, f"{{{DS}}}CanonicalizationMethod", Algorithm=_C14N)
    etree.SubElement(info, f"{{{DS}}}SignatureMethod", Algorithm=_SM2_SM3)
    reference = etree.SubElement(info, f"{{{DS}}}Reference", URI="")
    transforms = etree.SubElement(reference, f"{{{DS}}}Transforms")
    etree.SubElement(transforms, f"{{{DS}}}Transform", Algorithm=_ENVELOPED)
    etree.SubElement(reference, f"{{{DS}}}DigestMethod", Algorithm=_SM3)
    etree.SubElement(reference, f"{{{DS}}}DigestValue").text = ""
    etree.SubElement(signature, f"{{{DS}}}SignatureValue").text = ""


def _inventory_head(inventory: etree._Element, lst: ImportList) -> None:
    head = etree.SubElement(inventory, _q("InventoryHead"))
    h = lst.head
    stamp = _stamp(lst.at)
    for name, value in (
        ("guid", lst.guid),
        ("appType", "1"),
        ("appTime", stamp),
        ("appStatus", "2"),
        ("orderNo", h.order_no),
    ):
        _add(head, name, value)
    _companies(head, h)
    _add(head, "copNo", lst.cop_no)
    _add(head, "assureCode", lst.assure_code)
    _add(head, "emsNo", lst.ems_no)
    _add(head, "ieFlag", "I")
    _add(head, "declTime", stamp[:8])
    _add(head, "customsCode", h.customs_code)
    _add(head, "portCode", lst.port_code)
    _buyer(head, h.buyer)
    _add(head, "consigneeAddress", h.buyer.address)
    _add(head, "agentCode", h.agent.code)
    _add(head, "agentName", h.agent.name)
    _add(head, "areaCode", lst.area.code)
    _add(head, "areaName", lst.area.name)
    _add(head, "tradeMode", TRADE_MODE)
    _add(head, "trafMode", lst.traf_mode)
    _add(head, "country", RMB)  # bonded stocking: the goods come from inside China's zone
    _add(head, "freight", "0")
    _add(head, "insuredFee", "0")
    _add(head, "currency", RMB)
    _add(head, "packNo", "1")
    _add(head, "grossWeight", amount(lst.gross_kg))
    _add(head, "netWeight", amount(lst.net_kg))


def import_list(lst: ImportList) -> etree._ElementTree:
    """The CEB621 message of one parcel (one ``Inventory``, declared: ``appStatus`` 2)."""
    root = _root("CEB621", lst.guid)
    inventory = etree.SubElement(root, _q("Inventory"))
    _inventory_head(inventory, lst)
    for ln in lst.lines:
        el = etree.SubElement(inventory, _q("InventoryList"))
        _add(el, "gnum", str(ln.gnum))
        _add(el, "itemRecordNo", ln.item_record_no)
        _add(el, "itemNo", ln.sku)
        _add(el, "itemName", ln.item_name)
        _add(el, "gcode", ln.hs_code)
        _add(el, "gname", ln.goods_name)
        _add(el, "gmodel", ln.spec)
        _add(el, "barCode", ln.barcode)
        _add(el, "country", ln.origin)
        _add(el, "currency", RMB)
        _add(el, "qty", amount(ln.qty))
        _add(el, "unit", ln.unit)
        _add(el, "qty1", amount(ln.legal_qty))
        _add(el, "unit1", ln.legal_unit)
        if ln.second_qty is not None and ln.second_unit:
            _add(el, "qty2", amount(ln.second_qty))
            _add(el, "unit2", ln.second_unit)
        _add(el, "price", amount(ln.price))
        _add(el, "totalPrice", amount(ln.price * ln.qty))
        _add(el, "note", ln.note or None)
    _tail(root, lst.head.sender)
    return etree.ElementTree(root)


def _request(el: etree._Element, req: CancelRequest | ReturnRequest) -> None:
    """A cancel or return request's head: the list it is about, the buyer, the reason."""
    h = req.head
    for name, value in (
        ("guid", req.guid),
        ("appType", "1"),
        ("appTime", _stamp(req.at)),
        ("appStatus", "2"),
        ("customsCode", h.customs_code),
        ("orderNo", h.order_no),
    ):
        _add(el, name, value)
    _companies(el, h)
    _add(el, "copNo", req.cop_no)
    _add(el, "preNo", req.pre_no)
    _add(el, "invtNo", req.invt_no)
    _buyer(el, h.buyer)
    _add(el, "agentCode", h.agent.code)
    _add(el, "agentName", h.agent.name)
    _add(el, "reason", req.reason)


def cancel_request(req: CancelRequest) -> etree._ElementTree:
    """The CEB623 message asking customs to cancel a list."""
    root = _root("CEB623", req.guid)
    _request(etree.SubElement(root, _q("InvtCancel")), req)
    _tail(root, req.head.sender)
    return etree.ElementTree(root)


def return_request(req: ReturnRequest) -> etree._ElementTree:
    """The CEB625 message declaring goods of a released list coming back into the zone."""
    root = _root("CEB625", req.guid)
    refund = etree.SubElement(root, _q("InvtRefund"))
    _request(etree.SubElement(refund, _q("InvtRefundHead")), req)
    for ln in req.lines:
        line = etree.SubElement(refund, _q("InvtRefundList"))
        _add(line, "gnum", str(ln.gnum))
        _add(line, "gcode", ln.hs_code)
        _add(line, "gname", ln.goods_name)
        _add(line, "qty", amount(ln.qty))
        _add(line, "unit", ln.unit)
    _tail(root, req.head.sender)
    return etree.ElementTree(root)


def serialise(tree: etree._ElementTree) -> bytes:
    """The message as handed over: UTF-8 with its XML declaration."""
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
