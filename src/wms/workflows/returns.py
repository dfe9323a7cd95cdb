"""Returns: scan the customer's order (refused at once when it shipped nothing), then the
product (a typed number first for several: no more than the order shipped); the lot or serial
of tracked goods is asked for; grade it (#YES resaleable, #DAMAGED damaged, or type
expired/scrap), then scan the returns bin it goes to. A product the order did not have is taken
into quarantine, with the reason shown and recorded."""

from __future__ import annotations

from typing import ClassVar

from wms.domain.errors import DomainError, InvalidQuantity
from wms.domain.kinds import Tracking
from wms.domain.scan import Scan
from wms.domain.scan_schemes import Command, DocumentType
from wms.domain.scan_words import product_code
from wms.services.context import Actor, Context
from wms.services.returns import Grade, Returnable, receive_return, returnable
from wms.services.views import ProductInfo, product_info
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.steps import LOT, QUANTITY, SERIAL, Accepts, Steps, Takes, choice, parse_qty

_GRADES = {Command.YES: Grade.RESALEABLE, Command.DAMAGED: Grade.DAMAGED}
_ORDERS = (DocumentType.SALES_ORDER, DocumentType.REEXPORT_ORDER)


class ReturnsWorkflow(Workflow):
    """Receive customer returns against their order."""

    name = "returns"
    title = "Returns"
    commands = (
        (Command.YES, "grade: resaleable"),
        (Command.DAMAGED, "grade: damaged"),
    )
    steps: ClassVar[Steps] = {
        "order": Accepts("Scan the customer order", Takes.DOCUMENT, documents=_ORDERS),
        "product": Accepts("Scan the returned product", Takes.PRODUCT, text=QUANTITY),
        "lot": Accepts("Scan or type the lot", Takes.LOT, text=LOT),
        "serial": Accepts("Scan or type the serial", Takes.SERIAL, text=SERIAL),
        "grade": Accepts("#YES, #DAMAGED or type a grade", text=choice(*(g.value for g in Grade))),
        "bin": Accepts("Scan the returns bin", Takes.BIN),
    }

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "order"
        self.order: str | None = None
        self.shipped: dict[str, Returnable] = {}
        self.code: str | None = None
        self.product: ProductInfo | None = None
        self.lot: str | None = None
        self.serial: str | None = None
        self.qty = 1
        self.grade: Grade | None = None

    def prompt(self) -> str:
        """What to scan next."""
        return {
            "order": "Scan the customer order",
            "product": "Scan the returned product" + (f" (qty {self.qty})" if self.qty > 1 else ""),
            "lot": "Scan or type the lot",
            "serial": "Scan or type the serial number",
            "grade": "#YES resaleable, #DAMAGED, or type expired/scrap",
            "bin": "Scan the returns bin",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """Order, what it shipped, the product and its grade."""
        lines = [f"Order {self.order}"] if self.order else []
        if self.product is None:
            lines += [f"{r.sku}: {r.left} of {r.shipped} may return" for r in self.shipped.values()]
            return tuple(lines)
        what = f"{self.product.sku} {self.lot or self.serial or ''}".rstrip()
        lines.append(f"{what} × {self.qty * self.product.pack}")
        if self.product.sku not in self.shipped:
            lines.append(f"Not on {self.order}: to quarantine")
        if self.grade:
            lines.append(f"Grade {self.grade.value}")
        return tuple(lines)

    @property
    def dirty(self) -> bool:
        """A product scanned, not yet booked."""
        return self.code is not None

    def unsaved(self) -> str:
        """The product scanned and not booked."""
        return f"return of {self.product.sku} not booked" if self.product else ""

    def on_scan(self, scan: Scan) -> None:
        """Order, product (its lot or serial), then the returns bin."""
        if self.step == "order" and scan.code:
            self._order(scan.code)
        elif self.step == "product":
            self._product(scan)
        elif self.step in ("lot", "serial"):
            self._tracked(scan.lot or scan.serial or "")
        else:
            assert scan.code is not None
            self._book(scan.code)

    def _order(self, number: str) -> None:
        shipped = {r.sku: r for r in returnable(self.ctx, number)}
        if not any(r.shipped for r in shipped.values()):
            raise DomainError(f"Nothing shipped on {number} yet")
        self.order, self.shipped, self.step = number, shipped, "product"
        self.note(f"Returns for {number}")

    def _product(self, scan: Scan) -> None:
        code = product_code(scan)
        assert code is not None
        info = product_info(self.ctx, code)
        if scan.count:
            self.qty = scan.count
        units = self.qty * info.pack
        back = self.shipped.get(info.sku)
        if back is not None and units > back.left:
            raise InvalidQuantity(
                f"{self.order} shipped {back.shipped} {info.sku}, {back.left} left to return"
            )
        self.code, self.product, self.lot, self.serial = code, info, scan.lot, scan.serial
        if info.tracking == Tracking.LOT and not self.lot:
            self.step = "lot"
        elif info.tracking == Tracking.SERIAL and not self.serial:
            self.step = "serial"
        else:
            self.step = "grade"

    def _tracked(self, text: str) -> None:
        if self.step == "lot":
            self.lot = text
        else:
            self.serial = text
        self.step = "grade"

    def on_command(self, command: Command) -> None:
        """The grade by command barcode; BACK drops the product scanned."""
        if command in _GRADES and self.step == "grade":
            self._graded(_GRADES[command])
        elif command is Command.BACK and self.dirty:
            self._reset()
            self.note("Dropped")
        else:
            super().on_command(command)

    def on_text(self, text: str) -> None:
        """A quantity before the product scan, the lot or serial, or a typed grade."""
        if self.step == "product":
            self.qty = parse_qty(text)
            self.note(f"Quantity {self.qty} for the next scan")
        elif self.step in ("lot", "serial"):
            self._tracked(text)
        elif self.step == "grade":
            self._graded(Grade(text.lower()))
        else:
            super().on_text(text)

    def _graded(self, grade: Grade) -> None:
        self.grade = grade
        if grade is Grade.SCRAP:
            self._book("RET-01")  # scrap books no stock; the op still records the return
        else:
            self.step = "bin"

    def _book(self, location: str) -> None:
        assert self.order
        assert self.code
        assert self.grade
        assert self.product
        done = receive_return(
            self.ctx,
            self.actor,
            self.order,
            self.code,
            grade=self.grade,
            location=location,
            qty=self.qty,
            lot=self.lot,
            serial=self.serial,
        )
        where = f"to {location} ({done.status})" if done.status else "scrapped"
        why = f" · {done.reason}" if done.reason else ""
        self.ok(f"Returned {done.units} {self.product.sku} {where}{why}")
        self.shipped = {r.sku: r for r in returnable(self.ctx, self.order)}
        self._reset()

    def _reset(self) -> None:
        self.code = self.lot = self.serial = self.grade = None
        self.product, self.qty, self.step = None, 1, "product"

    def hints(self) -> list[Hint]:
        """The demo's shipped order, a product, grades, the returns bin."""
        return {
            "order": [
                Hint("SO-2026-0000 (shipped)", hints.label("SO-2026-0000")),
                Hint("SO-2026-0001 (not picked yet)", hints.label("SO-2026-0001")),
            ],
            "product": [
                Hint("SKU-01401 EAN", hints.ean("02000000014012")),
                Hint("SKU-00001 lot L2601", hints.gs1("02000000000015", lot="L2601")),
                Hint("SKU-00002 EAN (not on it)", hints.ean("02000000000022")),
            ],
            "lot": [Hint("lot L2601", hints.label("L2601"))],
            "serial": [Hint("serial SN-DEMO-1", hints.label("SN-DEMO-1"))],
            "grade": [
                hints.command(Command.YES, "resaleable"),
                hints.command(Command.DAMAGED, "damaged"),
            ],
            "bin": [
                Hint("RET-01", hints.label("RET-01")),
                Hint("A-01-01-A-1", hints.label("A-01-01-A-1")),
            ],
        }[self.step]
