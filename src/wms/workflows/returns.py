"""Returns: scan the customer's order, then the product; grade it (#YES resaleable, #DAMAGED
damaged, or type expired/scrap), then scan the returns bin it goes to."""

from __future__ import annotations

from wms.domain.errors import DomainError
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.services.returns import Grade, receive_return
from wms.services.views import product_info
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow, parse_qty

_GRADES = {Command.YES: Grade.RESALEABLE, Command.DAMAGED: Grade.DAMAGED}


class ReturnsWorkflow(Workflow):
    """Receive customer returns against their order."""

    name = "returns"
    title = "Returns"
    commands = (
        (Command.YES, "grade: resaleable"),
        (Command.DAMAGED, "grade: damaged"),
    )

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "order"
        self.order: str | None = None
        self.code: str | None = None
        self.sku = ""
        self.lot: str | None = None
        self.qty = 1
        self.grade: Grade | None = None

    def prompt(self) -> str:
        """What to scan next."""
        return {
            "order": "Scan the customer order",
            "product": "Scan the returned product",
            "grade": "#YES resaleable, #DAMAGED, or type expired/scrap",
            "bin": "Scan the returns bin",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """Order, product and grade."""
        lines = [f"Order {self.order}"] if self.order else []
        if self.code:
            lines.append(f"{self.sku} {self.lot or ''} × {self.qty}".replace("  ", " "))
        if self.grade:
            lines.append(f"Grade {self.grade.value}")
        return tuple(lines)

    @property
    def dirty(self) -> bool:
        """A product scanned, not yet booked."""
        return self.code is not None

    def on_scan(self, scan: Scan) -> None:
        """Order, product, then the returns bin."""
        if self.step == "order" and scan.kind is ScanKind.DOCUMENT:
            self.order, self.step = scan.code, "product"
        elif self.step == "product" and scan.kind in (ScanKind.PRODUCT, ScanKind.GS1):
            assert scan.gtin is not None
            self.sku = product_info(self.ctx, scan.gtin).sku
            self.code, self.lot, self.step = scan.gtin, scan.lot, "grade"
        elif self.step == "bin" and scan.kind is ScanKind.LOCATION and scan.code:
            self._book(scan.code)
        else:
            raise DomainError(self.prompt())

    def on_command(self, command: Command) -> None:
        """The grade by command barcode."""
        if command in _GRADES and self.step == "grade":
            self._graded(_GRADES[command])
        else:
            super().on_command(command)

    def on_text(self, text: str) -> None:
        """A quantity before the product scan, or a typed grade."""
        if self.step == "product":
            self.qty = parse_qty(text)
        elif self.step == "grade" and text.lower() in {g.value for g in Grade}:
            self._graded(Grade(text.lower()))
        elif self.step == "grade":
            raise DomainError("Grades: resaleable, damaged, expired, scrap")
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
        done = receive_return(
            self.ctx,
            self.actor,
            self.order,
            self.code,
            grade=self.grade,
            location=location,
            qty=self.qty,
            lot=self.lot,
        )
        where = f"to {location} ({done.status})" if done.status else "scrapped"
        self.ok(f"Returned {done.units} {self.sku} {where}")
        self.code, self.lot, self.grade, self.qty, self.step = None, None, None, 1, "product"

    def hints(self) -> list[Hint]:
        """The demo's order, a product, grades, the returns bin."""
        return {
            "order": [Hint("SO-2026-0001", hints.label("SO-2026-0001"))],
            "product": [Hint("SKU-01401 EAN", hints.ean("02000000014012"))],
            "grade": [
                hints.command(Command.YES, "resaleable"),
                hints.command(Command.DAMAGED, "damaged"),
            ],
            "bin": [
                Hint("RET-01", hints.label("RET-01")),
                Hint("A-01-01-A-1", hints.label("A-01-01-A-1")),
            ],
        }[self.step]
