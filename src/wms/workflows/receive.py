"""Receiving: scan the PO/ASN, then products. One GS1 scan carries GTIN, lot and expiry (a case
label its pack quantity too); after a plain EAN the lot and expiry are asked for. A typed number
sets the quantity of the next scan; #DAMAGED sends the next scan to quarantine; F4/#DONE closes
the receipt with its discrepancies, asking first when units are still missing. An over-receipt
waits for a supervisor's badge; an unknown code at a blind receipt is captured with a typed
description into quarantine (never turned away).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import ClassVar

from wms.domain.errors import (
    DomainError,
    NotPermitted,
    OverReceipt,
    ShortShelfLife,
    UnknownCode,
)
from wms.domain.kinds import Tracking
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command, DocumentType
from wms.domain.scan_words import product_code, scan_count
from wms.services.context import Actor, Context
from wms.services.receipt_closing import close_receipt
from wms.services.receiving import Receive, receive
from wms.services.unknown_goods import ReceiveUnknown, receive_unknown
from wms.services.views import (
    ProductInfo,
    case_barcode,
    loose_stock,
    product_info,
    receipt_lines,
    receipt_progress,
)
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.jobs import Job
from wms.workflows.printing import LabelPort
from wms.workflows.steps import (
    EXPIRY_DATE,
    LOT,
    QUANTITY,
    SERIAL,
    WORDS,
    Accepts,
    Steps,
    Takes,
    parse_expiry,
    parse_qty,
)

_RECEIPTS = (DocumentType.PURCHASE_ORDER, DocumentType.ASN)


class ReceiveWorkflow(Workflow):
    """Receive goods against an inbound document."""

    name = "receive"
    title = "Receive"
    commands = (
        (Command.DAMAGED, "next scan is damaged: to quarantine"),
        (Command.NEXT, "new pallet: issue an LPN, print its label"),
        (Command.DONE, "close the receipt (F4)"),
        (Command.YES, "quarantine a short-life lot / close short"),
        (Command.NO, "refuse a short-life lot / go on receiving"),
    )
    steps: ClassVar[Steps] = {
        "document": Accepts(
            "Scan the PO or ASN (or a dock)", Takes.DOCUMENT, Takes.BIN, documents=_RECEIPTS
        ),
        "product": Accepts("Scan a product", Takes.PRODUCT, text=QUANTITY),
        "lot": Accepts("Scan or type the lot", Takes.LOT, text=LOT),
        "serial": Accepts("Scan or type the serial", Takes.SERIAL, text=SERIAL),
        "expiry": Accepts("Type the expiry (YYMMDD)", Takes.EXPIRY, text=EXPIRY_DATE),
        "quarantine": Accepts("#YES quarantine or #NO refuse"),
        "approve": Accepts("Supervisor: scan your badge", Takes.BADGE),
        "describe": Accepts("Type what the goods are", text=WORDS),
        "close": Accepts("#YES close short or #NO"),
    }

    def __init__(self, ctx: Context, actor: Actor, labels: LabelPort | None = None) -> None:
        super().__init__(ctx, actor)
        self.labels = labels
        self.pallet: str | None = None
        self.step = "document"
        self.document: str | None = None
        self.dock: str | None = None  # a blind receipt: no document, the dock scanned
        self.qty = 1
        self.damaged = False
        self.pending: Receive | None = None
        self.product: ProductInfo | None = None
        self.unknown: str | None = None  # a code the catalogue does not know, being described
        self.document_skus: frozenset[str] = frozenset()
        self.blind_units = 0  # received at this dock since the blind receipt began

    def prompt(self) -> str:
        """What to scan next."""
        if self.step == "close":
            received, expected = receipt_progress(self.ctx, self.document or "")
            return f"{expected - received} missing: close short? #YES/#NO"
        return {
            "document": "Scan the PO or ASN (or a dock: blind)",
            "product": "Scan a product" + (f" (qty {self.qty})" if self.qty > 1 else ""),
            "lot": "Scan or type the lot",
            "serial": "Scan or type the serial number",
            "expiry": "Type the expiry (YYMMDD)",
            "quarantine": "Short shelf life: #YES quarantine, #NO refuse",
            "approve": "Over receipt: supervisor scans badge (#NO cancels)",
            "describe": "Unknown code: type what the goods are",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """The document and the product being received."""
        lines = []
        if self.document:
            lines.append(f"Doc {self.document}")
        if self.dock:
            lines.append(f"Blind receipt at {self.dock}")
        if self.product and self.step in ("lot", "serial", "expiry", "quarantine", "approve"):
            lines.append(f"{self.product.sku} {self.product.name}")
        if self.pending and self.pending.lot:
            lines.append(f"Lot {self.pending.lot}")
        if self.damaged:
            lines.append("Next scan: DAMAGED")
        if self.pallet:
            lines.append(f"Onto pallet {self.pallet}")
        return tuple(lines)

    def progress(self) -> str:
        """Units received over units expected on the document; at a blind receipt, the units
        received so far."""
        if self.dock:
            return f"{self.blind_units} received"
        if not self.document:
            return ""
        received, expected = receipt_progress(self.ctx, self.document)
        return f"{received}/{expected}"

    @property
    def dirty(self) -> bool:
        """A product scanned whose lot, expiry, approval or description is still missing."""
        return self.pending is not None or self.unknown is not None

    def unsaved(self) -> str:
        """The product waiting for its lot, expiry, approval or description."""
        if self.unknown:
            return f"new code {self.unknown} not described"
        if self.pending and self.product:
            return f"{self.product.sku} × {self.pending.qty} not received"
        return ""

    def on_scan(self, scan: Scan) -> None:
        """Take the document, then products (GS1 or plain), then lot and expiry when asked."""
        if self.step == "document" and scan.kind is ScanKind.LOCATION and scan.code:
            loose_stock(self.ctx, scan.code)  # refuses an unknown bin now, not later
            self.dock, self.step = scan.code, "product"
            self.note(f"Blind receipt at {scan.code}")
        elif self.step == "document" and scan.code:
            # Refuses an unknown or closed document now, not at its first item; its products
            # do not change while receiving, so "is this on the document" needs no query.
            lines = receipt_lines(self.ctx, scan.code)
            self.document_skus = frozenset(ln.product.sku for ln in lines)
            self.document, self.step = scan.code, "product"
            self.note(f"Receiving {scan.code}")
        elif self.step == "approve" and self.pending:
            self._commit(replace(self.pending, over_receipt_approved_by=scan.code))
        elif self.step in ("lot", "serial", "expiry") and self.pending:
            self._completed_by(scan)
        else:
            self._product(scan)

    def _product(self, scan: Scan) -> None:
        code = product_code(scan)
        assert code is not None  # the step takes product scans only
        try:
            self.product = product_info(self.ctx, code)
        except UnknownCode:
            if self.dock is None:  # against a document the code must be on it
                raise
            self.unknown, self.step = code, "describe"
            self.note(f"New code {code}")
            return
        # Say so now, not after asking for lot and expiry.
        if self.document is not None and self.product.sku not in self.document_skus:
            raise DomainError(f"{self.product.sku} is not on {self.document}")
        cmd = Receive(
            code=code,
            qty=scan_count(scan) or self.qty,
            document=self.document,
            location=self.dock,
            lot=scan.lot,
            expiry=scan.expiry,
            serial=scan.serial,
            damaged=self.damaged,
            container=self.pallet,
        )
        self.pending = cmd
        self._ask_or_commit(cmd)

    def _ask_or_commit(self, cmd: Receive) -> None:
        assert self.product is not None
        if self.product.tracking == Tracking.LOT and not cmd.lot:
            self.step = "lot"
        elif self.product.tracking == Tracking.LOT and cmd.expiry is None:
            self.step = "expiry"
        elif self.product.tracking == Tracking.SERIAL and not cmd.serial:
            self.step = "serial"
        else:
            self._commit(cmd)

    def _completed_by(self, scan: Scan) -> None:
        """A GS1 label scanned for the lot, serial or expiry: it must be the same product's."""
        assert self.pending is not None
        assert self.product is not None
        self.require_label_of(self.product.sku, scan)
        cmd = replace(
            self.pending,
            lot=self.pending.lot or scan.lot,
            expiry=self.pending.expiry or scan.expiry,
            serial=self.pending.serial or scan.serial,
        )
        self.pending = cmd
        self._ask_or_commit(cmd)

    def on_text(self, text: str) -> None:
        """A quantity at the product step; the lot or the expiry when asked for."""
        if self.step == "product":
            self.qty = parse_qty(text)
            self.note(f"Quantity {self.qty} for the next scan")
        elif self.step == "lot" and self.pending:
            self.pending = replace(self.pending, lot=text)
            self._ask_or_commit(self.pending)
        elif self.step == "serial" and self.pending:
            self._commit(replace(self.pending, serial=text))
        elif self.step == "expiry" and self.pending:
            self.pending = replace(self.pending, expiry=parse_expiry(text))
            self._commit(self.pending)
        elif self.step == "describe" and self.unknown and self.dock:
            cmd = ReceiveUnknown(self.unknown, self.qty, text, self.dock)
            done = receive_unknown(self.ctx, self.actor, cmd)
            self.blind_units += done.units
            self._reset("")
            self.ok(f"+{done.units} {done.sku} to quarantine; hub told")
        else:
            super().on_text(text)

    def on_command(self, command: Command) -> None:
        """#DAMAGED, #DONE (close), #YES/#NO on a short shelf life or a short close, BACK out
        of a lot entry."""
        if command is Command.DAMAGED and self.step == "product":
            self.damaged = True
            self.note("Next scan goes to quarantine as damaged")
        elif command is Command.NEXT and self.step == "product":
            self._new_pallet()
        elif command is Command.DONE and self.step == "product" and self.dock:
            self.finished = True
            self.note(f"Blind receipt at {self.dock} done: {self.blind_units} received")
        elif command is Command.DONE and self.step == "product" and self.document:
            received, expected = receipt_progress(self.ctx, self.document)
            if received < expected:
                self.step = "close"  # one key must not close a short receipt: ask
                self.note(f"{expected - received} of {expected} not received")
            else:
                self._close()
        elif command is Command.YES and self.step == "close":
            self._close()
        elif command in (Command.NO, Command.BACK) and self.step == "close":
            self.step = "product"
            self.note("Receipt stays open")
        elif command is Command.YES and self.step == "quarantine" and self.pending:
            self._commit(replace(self.pending, quarantine_short_life=True))
        elif command in (Command.NO, Command.BACK) and (self.pending or self.unknown):
            self._reset("Not received")
        else:
            super().on_command(command)

    def _close(self) -> None:
        assert self.document is not None
        closed = close_receipt(self.ctx, self.actor, self.document)
        gaps = ", ".join(f"{d.sku} {d.kind} {d.qty}" for d in closed.discrepancies)
        self.ok(f"{self.document} closed" + (f": {gaps}" if gaps else ", no discrepancy"))
        self.finished = True

    def _new_pallet(self) -> None:
        if self.labels is None:
            raise DomainError("No label printer on this terminal")
        labels, code = self.labels, self.labels.new_lpn()
        self.pallet = code
        self.jobs.append(Job(f"pallet label {code}", lambda: labels.print_lpn(code)))
        self.note(f"New pallet {code}: label printing")

    def _commit(self, cmd: Receive) -> None:
        try:
            done = receive(self.ctx, self.actor, cmd)
        except OverReceipt:
            self.pending, self.step = cmd, "approve"
            raise
        except NotPermitted:
            if cmd.over_receipt_approved_by is None:
                self._reset("")
                raise
            # Not a supervisor's badge: keep waiting for one.
            self.pending = replace(cmd, over_receipt_approved_by=None)
            self.step = "approve"
            raise
        except ShortShelfLife as refusal:
            if not refusal.quarantine_allowed:
                self._reset("")
                raise
            self.pending, self.step = cmd, "quarantine"
            raise
        except DomainError:
            self._reset("")
            raise
        line = f" ({done.line_received}/{done.line_expected})" if done.line_expected else ""
        status = "" if done.status == "available" else f" · {done.status.replace('_', ' ')}"
        self.blind_units += done.units
        self._reset("")
        self.ok(f"+{done.units} {done.sku}{line}{status}")

    def _reset(self, result: str) -> None:
        self.pending, self.unknown, self.qty, self.damaged = None, None, 1, False
        self.step = "product"
        if result:
            self.note(result)

    def hints(self) -> list[Hint]:
        """The demo's PO, its products as GS1 and plain EAN, a lot and expiry to type."""
        if self.step == "document":
            return [
                Hint("PO-2026-0001 (3 lines)", hints.label("PO-2026-0001")),
                Hint("ASN-2026-0002 (bonded dock)", hints.label("ASN-2026-0002")),
                Hint("DOCK-02: blind receipt", hints.label("DOCK-02")),
            ]
        if self.step == "serial":
            return [Hint("serial SN-DEMO-1", hints.label("SN-DEMO-1"))]
        if self.step in ("lot", "expiry"):
            expiry = self.ctx.today() + timedelta(days=500)
            return [
                Hint("lot L2699", hints.label("L2699")),
                Hint(f"expiry {expiry:%y%m%d}", hints.label(f"{expiry:%y%m%d}")),
            ]
        if self.step == "quarantine":
            return [hints.command(Command.YES, "quarantine"), hints.command(Command.NO, "refuse")]
        if self.step == "close":
            return [hints.command(Command.YES, "close short"), hints.command(Command.NO, "go on")]
        if self.step == "approve":
            return [Hint("badge OP0009 Sam (supervisor)", hints.label("OP0009"))]
        if self.step == "describe":
            return [Hint("Blue gift box, 6 pcs", hints.label("Blue gift box, 6 pcs"))]
        return [
            *self._product_hints(),
            hints.command(Command.DAMAGED, "damaged"),
            hints.command(Command.NEXT, "new pallet + label"),
        ]

    def _product_hints(self) -> list[Hint]:
        if not self.document:
            return [
                Hint("SKU-01401 EAN", hints.ean("02000000014012")),
                Hint("unknown EAN 2000000777771", hints.ean("02000000777771")),
            ]
        good = self.ctx.today() + timedelta(days=500)
        short = self.ctx.today() + timedelta(days=30)
        out = []
        for ln in receipt_lines(self.ctx, self.document):
            p = ln.product
            if p.gtin is None:
                continue
            if p.tracking == Tracking.LOT:
                out.append(
                    Hint(f"{p.sku} GS1 lot L2611", hints.gs1(p.gtin, lot="L2611", expiry=good))
                )
                case = case_barcode(self.ctx, p.sku)
                if case is not None:
                    label = f"{p.sku} GS1 case of {case[1]} lot L2611"
                    out.append(Hint(label, hints.gs1(case[0], lot="L2611", expiry=good)))
                out.append(
                    Hint(f"{p.sku} GS1 short life", hints.gs1(p.gtin, lot="L2690", expiry=short))
                )
            out.append(Hint(f"{p.sku} EAN", hints.ean(p.gtin)))
        return out
