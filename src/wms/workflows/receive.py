"""Receiving: scan the PO/ASN, then products. One GS1 scan carries GTIN, lot and expiry; after a
plain EAN the lot and expiry are asked for. A typed number sets the quantity of the next scan;
#DAMAGED sends the next scan to quarantine; F4/#DONE closes the receipt with its discrepancies.
An over-receipt waits for a supervisor's badge; an unknown code at a blind receipt is captured
with a typed description into quarantine (never turned away).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from wms.domain.errors import (
    DomainError,
    NotPermitted,
    OverReceipt,
    ShortShelfLife,
    UnknownCode,
)
from wms.domain.kinds import Tracking
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.services.receipt_closing import close_receipt
from wms.services.receiving import Receive, receive
from wms.services.unknown_goods import ReceiveUnknown, receive_unknown
from wms.services.views import (
    ProductInfo,
    loose_stock,
    product_info,
    receipt_lines,
    receipt_progress,
)
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow, parse_expiry, parse_qty, scanned_text
from wms.workflows.jobs import Job
from wms.workflows.printing import LabelPort


class ReceiveWorkflow(Workflow):
    """Receive goods against an inbound document."""

    name = "receive"
    title = "Receive"
    commands = (
        (Command.DAMAGED, "next scan is damaged: to quarantine"),
        (Command.NEXT, "new pallet: issue an LPN, print its label"),
        (Command.DONE, "close the receipt (F4)"),
        (Command.YES, "quarantine a short-life lot"),
        (Command.NO, "refuse a short-life lot"),
    )

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

    def prompt(self) -> str:
        """What to scan next."""
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
        if self.product and self.step in ("lot", "serial", "expiry", "quarantine"):
            lines.append(f"{self.product.sku} {self.product.name}")
        if self.pending and self.pending.lot:
            lines.append(f"Lot {self.pending.lot}")
        if self.damaged:
            lines.append("Next scan: DAMAGED")
        if self.pallet:
            lines.append(f"Onto pallet {self.pallet}")
        return tuple(lines)

    def progress(self) -> str:
        """Units received over units expected on the document."""
        if not self.document:
            return ""
        received, expected = receipt_progress(self.ctx, self.document)
        return f"{received}/{expected}"

    def wants_text(self) -> bool:
        """Lots, serials and expiry dates come as free text."""
        return self.step in ("lot", "serial", "expiry", "describe")

    @property
    def dirty(self) -> bool:
        """A product scanned whose lot, expiry, approval or description is still missing."""
        return self.pending is not None or self.unknown is not None

    def on_scan(self, scan: Scan) -> None:
        """Take the document, then products (GS1 or plain), then lot and expiry when asked."""
        if self.step == "document" and scan.kind is ScanKind.LOCATION and scan.code:
            loose_stock(self.ctx, scan.code)  # refuses an unknown bin now, not later
            self.dock, self.step = scan.code, "product"
            self.note(f"Blind receipt at {scan.code}")
        elif self.step == "document":
            if scan.kind is not ScanKind.DOCUMENT or scan.code is None:
                raise DomainError("Scan the PO or ASN (or a dock: blind)")
            # Refuses an unknown document now, not later; its products do not change while
            # receiving, so the check "is this on the document" needs no query per scan.
            lines = receipt_lines(self.ctx, scan.code)
            self.document_skus = frozenset(ln.product.sku for ln in lines)
            self.document, self.step = scan.code, "product"
            self.note(f"Receiving {scan.code}")
        elif self.step == "approve" and self.pending:
            if scan.kind is not ScanKind.BADGE or not scan.code:
                raise DomainError("Supervisor: scan your badge")
            self._commit(replace(self.pending, over_receipt_approved_by=scan.code))
        elif self.wants_text():
            self.on_text(scanned_text(scan))
        elif self.step == "product":
            self._product(scan)
        else:
            raise DomainError("Scan #YES or #NO")

    def _product(self, scan: Scan) -> None:
        if scan.kind not in (ScanKind.PRODUCT, ScanKind.GS1) or scan.gtin is None:
            raise DomainError("Scan a product barcode")
        try:
            self.product = product_info(self.ctx, scan.gtin)
        except UnknownCode:
            if self.dock is None:  # against a document the code must be on it
                raise
            self.unknown, self.step = scan.gtin, "describe"
            self.note(f"New code {scan.gtin}")
            return
        # Say so now, not after asking for lot and expiry.
        if self.document is not None and self.product.sku not in self.document_skus:
            raise DomainError(f"{self.product.sku} is not on {self.document}")
        cmd = Receive(
            code=scan.gtin,
            qty=scan.count or self.qty,
            document=self.document,
            location=self.dock,
            lot=scan.lot,
            expiry=scan.expiry,
            serial=scan.serial,
            damaged=self.damaged,
            container=self.pallet,
        )
        self.pending = cmd
        if self.product.tracking == Tracking.LOT and not cmd.lot:
            self.step = "lot"
        elif self.product.tracking == Tracking.LOT and cmd.expiry is None:
            self.step = "expiry"
        elif self.product.tracking == Tracking.SERIAL and not cmd.serial:
            self.step = "serial"
        else:
            self._commit(cmd)

    def on_text(self, text: str) -> None:
        """A quantity at the product step; the lot or the expiry when asked for."""
        if self.step == "product":
            self.qty = parse_qty(text)
            self.note(f"Quantity {self.qty} for the next scan")
        elif self.step == "lot" and self.pending:
            self.pending = replace(self.pending, lot=text)
            self.step = "expiry"
        elif self.step == "serial" and self.pending:
            self._commit(replace(self.pending, serial=text))
        elif self.step == "expiry" and self.pending:
            self.pending = replace(self.pending, expiry=parse_expiry(text))
            self._commit(self.pending)
        elif self.step == "describe" and self.unknown and self.dock:
            cmd = ReceiveUnknown(self.unknown, self.qty, text, self.dock)
            done = receive_unknown(self.ctx, self.actor, cmd)
            self._reset("")
            self.ok(f"+{done.units} {done.sku} to quarantine; hub told")
        else:
            super().on_text(text)

    def on_command(self, command: Command) -> None:
        """#DAMAGED, #DONE (close), #YES/#NO on a short shelf life, BACK out of a lot entry."""
        if command is Command.DAMAGED and self.step == "product":
            self.damaged = True
            self.note("Next scan goes to quarantine as damaged")
        elif command is Command.NEXT and self.step == "product":
            self._new_pallet()
        elif command is Command.DONE and self.step == "product" and self.dock:
            self.finished = True
            self.note(f"Blind receipt at {self.dock} done")
        elif command is Command.DONE and self.step == "product" and self.document:
            closed = close_receipt(self.ctx, self.actor, self.document)
            gaps = ", ".join(f"{d.sku} {d.kind} {d.qty}" for d in closed.discrepancies)
            self.ok(f"{self.document} closed" + (f": {gaps}" if gaps else ", no discrepancy"))
            self.finished = True
        elif command is Command.YES and self.step == "quarantine" and self.pending:
            self._commit(replace(self.pending, quarantine_short_life=True))
        elif command in (Command.NO, Command.BACK) and (self.pending or self.unknown):
            self._reset("Not received")
        else:
            super().on_command(command)

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
                out.append(
                    Hint(f"{p.sku} GS1 short life", hints.gs1(p.gtin, lot="L2690", expiry=short))
                )
            out.append(Hint(f"{p.sku} EAN", hints.ean(p.gtin)))
        return out
