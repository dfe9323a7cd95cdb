"""Inquiry: scan anything (bin, product, pallet, document) and see what it is and what it holds."""

from __future__ import annotations

from wms.domain.errors import DomainError
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.services.inquiry import Inquiry, inquire
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.jobs import Job
from wms.workflows.printing import LabelPort


class InquiryWorkflow(Workflow):
    """Look anything up; read-only."""

    name = "inquiry"
    title = "Inquiry"

    commands = ((Command.YES, "reprint the label of the bin shown"),)

    def __init__(self, ctx: Context, actor: Actor, labels: LabelPort | None = None) -> None:
        super().__init__(ctx, actor)
        self.labels = labels
        self.step = "scan"
        self.answer: Inquiry | None = None
        self.code = ""

    def context(self) -> tuple[str, ...]:
        """The answer: a title and one line per stock row."""
        if self.answer is None:
            return ()
        rows = [
            f"{ln.location} {ln.sku} {ln.lot or ''} {_status(ln.status)}{ln.qty}".replace("  ", " ")
            for ln in self.answer.lines
        ]
        total = [f"Total {self.answer.total}"] if self.answer.lines else []
        return (self.answer.title, *rows, *total)

    def on_scan(self, scan: Scan) -> None:
        """Look the code up."""
        code = scan.gtin or scan.sscc or scan.code
        if code is None or scan.kind is ScanKind.BADGE:
            raise DomainError("Nothing to look up in that scan")
        self.answer, self.code = inquire(self.ctx, code), code
        self.note(f"{len(self.answer.lines)} stock line(s)" if self.answer.lines else "No stock")

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
        return "Scan a bin, product, pallet or document"

    def hints(self) -> list[Hint]:
        """A bin, a product, a document."""
        return [
            Hint("bin A-01-01-A-1", hints.label("A-01-01-A-1")),
            Hint("product SKU-00001 EAN", "]E02000000000015"),
            Hint("PO-2026-0001", hints.label("PO-2026-0001")),
            hints.command(Command.YES, "reprint bin label"),
        ]


def _status(status: str) -> str:
    return "" if status == "available" else status.replace("_", " ")[:8] + " "
