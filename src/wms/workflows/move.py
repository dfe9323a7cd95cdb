"""Moves: scan the source bin, then a product (each scan one more, or type the quantity) or a
pallet, then the target bin.
"""

from __future__ import annotations

from typing import ClassVar

from wms.domain.errors import DomainError
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.domain.scan_words import product_code
from wms.services.context import Actor, Context
from wms.services.moving import Move, move, move_container
from wms.services.views import loose_stock, product_info
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.steps import QUANTITY, Accepts, Steps, Takes, parse_qty


class MoveWorkflow(Workflow):
    """Move loose stock or a whole pallet from bin to bin."""

    name = "move"
    title = "Move"
    steps: ClassVar[Steps] = {
        "source": Accepts("Scan the bin to move from, or a pallet", Takes.BIN, Takes.PALLET),
        "product": Accepts("Scan the product or a pallet", Takes.PRODUCT, Takes.PALLET),
        "target": Accepts("Scan more, or the target bin", Takes.BIN, Takes.PRODUCT, text=QUANTITY),
    }

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "source"
        self.source: str | None = None
        self.code: str | None = None
        self.lot: str | None = None
        self.qty = 0
        self.container: str | None = None
        self.sku = ""
        self.pack = 1  # units one scan of the code stands for

    def prompt(self) -> str:
        """What to scan next."""
        return {
            "source": "Scan the bin to move from, or a pallet",
            "product": "Scan the product (or a pallet)",
            "target": "Scan more, type qty, or scan target bin",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """From where, what, how many."""
        lines = [f"From {self.source}"] if self.source else []
        if self.container:
            lines.append(f"Pallet {self.container}")
        if self.code:
            lines.append(f"{self.sku} {self.lot or ''}".rstrip() + f" × {self.qty * self.pack}")
        return tuple(lines)

    @property
    def dirty(self) -> bool:
        """Something chosen but not yet moved."""
        return self.code is not None or self.container is not None

    def unsaved(self) -> str:
        """What was chosen and not moved."""
        if self.container:
            return f"pallet {self.container} not moved"
        return f"{self.sku} × {self.qty * self.pack} not moved" if self.code else ""

    def on_scan(self, scan: Scan) -> None:
        """Source, product or pallet, more of the same product, then the target."""
        code = product_code(scan)
        if scan.kind is ScanKind.CONTAINER:
            self.container, self.step = scan.sscc or scan.code, "target"
        elif scan.kind is ScanKind.LOCATION and scan.code and self.step == "source":
            loose_stock(self.ctx, scan.code)  # refuses an unknown bin now
            self.source, self.step = scan.code, "product"
        elif scan.kind is ScanKind.LOCATION and scan.code:
            self._move(scan.code)
        elif code is not None and self.container:
            raise DomainError("A pallet moves whole: scan the target bin")
        elif code is not None:
            if self.code not in (None, code) or (self.code and scan.lot != self.lot):
                raise DomainError("One product and lot per move: scan the target bin")
            info = product_info(self.ctx, code)
            self.sku, self.pack = info.sku, info.pack
            self.code, self.lot, self.qty, self.step = code, scan.lot, self.qty + 1, "target"

    def _move(self, target: str) -> None:
        if self.container:
            done = move_container(self.ctx, self.actor, self.container, target)
        else:
            assert self.code is not None
            assert self.source is not None
            done = move(
                self.ctx, self.actor, Move(self.code, self.qty, self.source, target, self.lot)
            )
        self.code = self.container = self.lot = None
        self.qty, self.pack = 0, 1
        self.step = "source"
        self.source = None
        self.ok(f"Moved {done.units} {done.sku} to {done.target}")

    def on_text(self, text: str) -> None:
        """A typed quantity for the product scanned."""
        if self.step == "target" and self.code:
            self.qty = parse_qty(text)
            self.note(f"Quantity {self.qty}")
        else:
            super().on_text(text)

    def on_command(self, command: Command) -> None:
        """BACK drops what was chosen; DONE ends moving."""
        if command is Command.BACK and self.dirty:
            self.code = self.container = self.lot = None
            self.qty, self.step = 0, "product" if self.source else "source"
            self.note("Dropped")
        elif command is Command.DONE and not self.dirty:
            self.finished = True
            self.note("Moves done")
        else:
            super().on_command(command)

    def hints(self) -> list[Hint]:
        """A bin with stock, what is in it, and a target."""
        if self.step == "source":
            return [Hint("bin A-01-03-A-1", hints.label("A-01-03-A-1"))]
        if self.step == "product" and self.source:
            out = []
            for r in loose_stock(self.ctx, self.source):
                if r.product.gtin:
                    code = (
                        hints.gs1(r.product.gtin, lot=r.lot, expiry=r.expiry)
                        if r.lot
                        else hints.ean(r.product.gtin)
                    )
                    out.append(Hint(f"{r.product.sku} {r.lot or ''} ×{r.qty}".rstrip(), code))
            return out
        return [
            Hint("target C-04-05-C-2", hints.label("C-04-05-C-2")),
            Hint("quarantine QA-01", hints.label("QA-01")),
        ]
