"""Putaway: scan the dock (or a pallet), then the product; the terminal suggests a bin; scanning
that bin puts the stock away. Another bin needs a typed reason, which is recorded. A typed number
before the bin scan puts away only that many.
"""

from __future__ import annotations

from wms.domain.errors import DomainError
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.services.moving import (
    Move,
    move_container,
    putaway,
    suggest_container_putaway,
    suggest_putaway,
)
from wms.services.views import loose_stock
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow, parse_qty, scanned_text


class PutawayWorkflow(Workflow):
    """Put loose stock or a pallet away from the dock."""

    name = "putaway"
    title = "Putaway"

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "source"
        self.source: str | None = None
        self.code: str | None = None
        self.sku = ""
        self.lot: str | None = None
        self.qty = 0
        self.container: str | None = None
        self.suggested: str | None = None
        self.target: str | None = None

    def prompt(self) -> str:
        """What to scan next."""
        if self.step == "target" and self.suggested:
            return f"Put away to {self.suggested}: scan it"
        return {
            "source": "Scan the dock bin or a pallet",
            "product": f"Scan a product at {self.source}",
            "target": "Scan the target bin",
            "reason": f"Not {self.suggested}: type a reason",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """Where from, what, and how many."""
        lines = [f"From {self.source}"] if self.source else []
        if self.container:
            lines.append(f"Pallet {self.container}")
        if self.code:
            lines.append(f"{self.sku} {self.lot or ''}".rstrip() + f" × {self.qty}")
        return tuple(lines)

    def wants_text(self) -> bool:
        """A reason for another bin is free text."""
        return self.step == "reason"

    @property
    def dirty(self) -> bool:
        """A product or pallet chosen but not yet put away."""
        return self.code is not None or self.container is not None

    def on_scan(self, scan: Scan) -> None:
        """Source bin or pallet, product, then the target bin."""
        if scan.kind is ScanKind.CONTAINER and self.step in ("source", "product"):
            code = scan.sscc or scan.code or ""
            self.suggested = suggest_container_putaway(self.ctx, code)
            self.container, self.step = code, "target"
        elif self.step == "source":
            if scan.kind is not ScanKind.LOCATION or scan.code is None:
                raise DomainError("Scan the dock bin or a pallet")
            loose_stock(self.ctx, scan.code)  # refuses an unknown bin now
            self.source, self.step = scan.code, "product"
        elif self.step == "product":
            self._product(scan)
        elif self.step == "target":
            if scan.kind is not ScanKind.LOCATION or scan.code is None:
                raise DomainError("Scan the target bin")
            self._target(scan.code)
        else:
            self.on_text(scanned_text(scan))

    def _product(self, scan: Scan) -> None:
        if scan.kind not in (ScanKind.PRODUCT, ScanKind.GS1) or scan.gtin is None:
            raise DomainError("Scan a product")
        assert self.source is not None
        rows = [
            r
            for r in loose_stock(self.ctx, self.source)
            if r.product.gtin == scan.gtin and (scan.lot is None or r.lot == scan.lot)
        ]
        if not rows:
            raise DomainError(f"None of that at {self.source}")
        self.suggested = suggest_putaway(self.ctx, scan.gtin, self.source, scan.lot)
        self.code, self.sku, self.lot = scan.gtin, rows[0].product.sku, scan.lot or rows[0].lot
        self.qty = sum(r.qty for r in rows)
        self.step = "target"

    def _target(self, target: str) -> None:
        if self.suggested and target != self.suggested:
            self.target, self.step = target, "reason"
        else:
            self._put(target, None)

    def _put(self, target: str, reason: str | None) -> None:
        if self.container:
            pallet = move_container(
                self.ctx,
                self.actor,
                self.container,
                target,
                suggested=self.suggested,
                reason=reason,
            )
            self._finish(f"Pallet {pallet.sku} to {pallet.target}")
            return
        assert self.code is not None
        assert self.source is not None
        cmd = Move(
            self.code,
            self.qty,
            self.source,
            target,
            self.lot,
            suggested=self.suggested,
            reason=reason,
        )
        try:
            done = putaway(self.ctx, self.actor, cmd)
        except DomainError:
            self.step = "target"
            raise
        self._finish(f"{done.units} {done.sku} to {done.target}")

    def _finish(self, result: str) -> None:
        self.code = self.container = self.suggested = self.target = self.lot = None
        self.step = "product" if self.source else "source"
        self.ok(result)

    def on_text(self, text: str) -> None:
        """A quantity before the bin scan, or the reason for another bin."""
        if self.step == "target" and self.code:
            self.qty = parse_qty(text)
            self.note(f"Quantity {self.qty}")
        elif self.step == "reason" and self.target:
            self._put(self.target, text)
        else:
            super().on_text(text)

    def on_command(self, command: Command) -> None:
        """BACK drops the product or pallet chosen; DONE ends putaway."""
        if command is Command.BACK and self.dirty:
            self._finish("")
            self.note("Dropped")
        elif command is Command.DONE and not self.dirty:
            self.finished = True
            self.note("Putaway done")
        else:
            super().on_command(command)

    def hints(self) -> list[Hint]:
        """The dock, what lies on it, the suggested bin and another one."""
        if self.step == "source":
            return [
                Hint("DOCK-01", hints.label("DOCK-01")),
                Hint("DOCK-02", hints.label("DOCK-02")),
            ]
        if self.step == "product" and self.source:
            out = []
            for r in loose_stock(self.ctx, self.source):
                if r.product.gtin:
                    code = (
                        hints.gs1(r.product.gtin, lot=r.lot, expiry=r.expiry)
                        if r.lot
                        else hints.ean(r.product.gtin)
                    )
                    out.append(Hint(f"{r.product.sku} {r.lot or ''} ×{r.qty}", code))
            return out
        if self.step == "target":
            out = (
                [Hint(f"suggested {self.suggested}", hints.label(self.suggested))]
                if self.suggested
                else []
            )
            return [*out, Hint("other bin C-04-05-C-2", hints.label("C-04-05-C-2"))]
        return [Hint("reason: bin full", hints.label("bin full"))]
