"""Inquiry: scan anything (bin, product, lot label, pallet, document), or type a code or SKU,
and see what it is and what it holds: one line per lot with its expiry and status, then the
units per status apart. The arrow keys scroll a long answer."""

from __future__ import annotations

from typing import ClassVar

from wms.domain.errors import DomainError
from wms.domain.scan import Scan
from wms.domain.scan_schemes import Command
from wms.domain.scan_words import product_code
from wms.services.context import Actor, Context
from wms.services.inquiry import Inquiry, StockLine, inquire, inquire_lot
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.jobs import Job
from wms.workflows.printing import LabelPort
from wms.workflows.steps import ANY_TEXT, Accepts, Steps, Takes


class InquiryWorkflow(Workflow):
    """Look anything up; read-only."""

    name = "inquiry"
    title = "Inquiry"

    commands = ((Command.YES, "reprint the label of the bin shown"),)
    steps: ClassVar[Steps] = {
        "scan": Accepts(
            "Scan a bin, product, lot, pallet or document",
            Takes.BIN,
            Takes.PRODUCT,
            Takes.PALLET,
            Takes.DOCUMENT,
            text=ANY_TEXT,
        ),
    }

    def __init__(self, ctx: Context, actor: Actor, labels: LabelPort | None = None) -> None:
        super().__init__(ctx, actor)
        self.labels = labels
        self.step = "scan"
        self.answer: Inquiry | None = None
        self.code = ""

    def context(self) -> tuple[str, ...]:
        """The answer: a title, one line per stock row, then the units per status."""
        if self.answer is None:
            return ()
        rows = [_line(self.answer.kind, ln) for ln in self.answer.lines]
        totals = " · ".join(
            f"{status.replace('_', ' ')} {qty}" for status, qty in self.answer.by_status().items()
        )
        return (self.answer.title, *rows, *([totals.capitalize()] if totals else []))

    def on_scan(self, scan: Scan) -> None:
        """Look the code up; a label carrying a lot shows that lot."""
        code = product_code(scan)
        if code is not None and scan.lot:
            self._show(inquire_lot(self.ctx, code, scan.lot), code)
            return
        looked_up = code or scan.sscc or scan.code
        assert looked_up is not None  # every kind the step takes names a code
        self._show(inquire(self.ctx, looked_up), looked_up)

    def on_text(self, text: str) -> None:
        """A typed code or SKU."""
        self._show(inquire(self.ctx, text), text)

    def _show(self, answer: Inquiry, code: str) -> None:
        self.answer, self.code = answer, code
        self.note(f"{len(answer.lines)} stock line(s)" if answer.lines else "No stock")

    def on_command(self, command: Command) -> None:
        """DONE leaves the inquiry."""
        if command is Command.DONE:
            self.finished = True
        elif command is Command.YES and self.answer and self.answer.kind == "location":
            self._reprint(self.code)
        else:
            super().on_command(command)

    def _reprint(self, code: str) -> None:
        if self.labels is None:
            raise DomainError("No label printer on this terminal")
        labels = self.labels
        self.jobs.append(Job(f"bin label {code}", lambda: labels.print_location(code)))
        self.note(f"Label for {code} printing")

    def prompt(self) -> str:
        """Scan something; on a bin, #YES reprints its label."""
        if self.answer is not None and self.answer.kind == "location":
            return "Scan anything · #YES reprint bin label"
        return "Scan a bin, product, lot, pallet or document"

    def hints(self) -> list[Hint]:
        """A bin, a product, a lot, a document."""
        return [
            Hint("bin A-01-02-A-1", hints.label("A-01-02-A-1")),
            Hint("product SKU-00001 EAN", "]E02000000000015"),
            Hint("lot C-RC1 of SKU-00301", hints.gs1("02000000003016", lot="C-RC1")),
            Hint("PO-2026-0001", hints.label("PO-2026-0001")),
            hints.command(Command.YES, "reprint bin label"),
        ]


def _line(kind: str, ln: StockLine) -> str:
    """One stock row; what the title already names (the bin, the product, the lot) is left
    out so the line fits 40 columns."""
    parts = [ln.location] if kind != "location" else []
    if kind not in ("product", "lot"):
        parts.append(ln.sku)
    if ln.lot and kind != "lot":
        parts.append(ln.lot)
    if ln.expiry and kind != "lot":
        parts.append(f"{ln.expiry:%Y-%m-%d}")
    if ln.container and kind != "container":
        parts.append(f"on {ln.container}")
    status = "" if ln.status == "available" else f" {ln.status.replace('_', ' ')}"
    return f"{' '.join(parts)}: {ln.qty}{status}"
