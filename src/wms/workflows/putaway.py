"""Putaway: scan a product or case label (the terminal finds the dock it waits at; where it
waits at several, it asks for the dock), or the dock then the product, or a pallet. The terminal
suggests a bin; scanning that bin puts the stock away (a case label: one case; a product barcode:
all of it at the dock). Another bin needs a typed reason, which is recorded. A typed number
before the bin scan puts away only that many. A lot-tracked product waiting in several lots asks
which lot.
"""

from __future__ import annotations

from typing import ClassVar

from wms.domain.errors import DomainError
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.domain.scan_words import product_code
from wms.services.context import Actor, Context
from wms.services.moving import (
    Move,
    move_container,
    putaway,
    suggest_container_putaway,
    suggest_putaway,
)
from wms.services.views import LooseStock, loose_stock, product_info, waiting_at_docks
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.steps import LOT, QUANTITY, WORDS, Accepts, Steps, Takes, parse_qty


class PutawayWorkflow(Workflow):
    """Put loose stock or a pallet away from the dock."""

    name = "putaway"
    title = "Putaway"
    steps: ClassVar[Steps] = {
        "source": Accepts(
            "Scan a product, the dock or a pallet", Takes.PRODUCT, Takes.BIN, Takes.PALLET
        ),
        "product": Accepts("Scan a product or a pallet", Takes.PRODUCT, Takes.PALLET),
        "lot": Accepts("Scan or type the lot", Takes.LOT, text=LOT),
        "target": Accepts("Scan the target bin", Takes.BIN, text=QUANTITY),
        "reason": Accepts("Type a reason", text=WORDS),
    }

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "source"
        self.source: str | None = None
        self.sku = ""
        self.lot: str | None = None
        self.qty = 0
        self.case = 1  # units one scan of the label stands for (a case: its pack)
        self.chosen = False  # a product chosen (waiting for its lot or its bin)
        self.container: str | None = None
        self.suggested: str | None = None
        self.target: str | None = None

    def prompt(self) -> str:
        """What to scan next."""
        if self.step == "target" and self.suggested:
            return f"Put away to {self.suggested}: scan it"
        return {
            "source": "Scan a product, the dock, or a pallet",
            "product": f"Scan a product at {self.source}",
            "lot": f"{self.sku} in several lots: scan the lot",
            "target": "Scan the target bin",
            "reason": f"Not {self.suggested}: type a reason",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """Where from, what, and how many."""
        lines = [f"From {self.source}"] if self.source else []
        if self.container:
            lines.append(f"Pallet {self.container}")
        if self.chosen:
            lines.append(f"{self.sku} {self.lot or ''}".rstrip() + f" × {self.qty}")
        return tuple(lines)

    @property
    def dirty(self) -> bool:
        """A product or pallet chosen but not yet put away."""
        return self.chosen or self.container is not None

    def unsaved(self) -> str:
        """What was chosen and not put away."""
        if self.container:
            return f"pallet {self.container} not put away"
        return f"{self.sku} × {self.qty} not put away" if self.chosen else ""

    def on_scan(self, scan: Scan) -> None:
        """A product (its dock found), the dock then a product, or a pallet; then the bin."""
        if scan.kind is ScanKind.CONTAINER:
            code = scan.sscc or scan.code or ""
            self.suggested = suggest_container_putaway(self.ctx, code)
            self.container, self.step = code, "target"
        elif self.step == "source" and scan.kind is ScanKind.LOCATION and scan.code:
            loose_stock(self.ctx, scan.code)  # refuses an unknown bin now
            self.source, self.step = scan.code, "product"
        elif self.step == "source":
            self._from_dock(scan)
        elif self.step == "lot":
            self._product_lot(scan.lot or "")
        elif self.step == "target":
            assert scan.code is not None
            self._target(scan.code)
        else:
            self._product(scan)

    def _from_dock(self, scan: Scan) -> None:
        """A product scanned first: it must wait at exactly one dock to need no dock scan."""
        code = product_code(scan)
        assert code is not None
        info = product_info(self.ctx, code)
        docks = waiting_at_docks(self.ctx, info.sku, scan.lot)
        if not docks:
            raise DomainError(f"No {info.sku} waiting at a dock")
        if len(docks) > 1:
            raise DomainError(f"{info.sku} at {', '.join(docks[:3])}: scan the dock first")
        self.source = docks[0]
        self._product(scan)

    def _product(self, scan: Scan) -> None:
        assert self.source is not None
        code = product_code(scan)
        assert code is not None
        info = product_info(self.ctx, code)
        rows = self._rows(info.sku, scan.lot)
        if not rows:
            raise DomainError(f"None of {info.sku} at {self.source}")
        self.sku, self.case, self.chosen = info.sku, info.pack, True
        lots = {r.lot for r in rows}
        if len(lots) > 1:
            self.step = "lot"
            self.note(f"Lots here: {', '.join(sorted(str(lot) for lot in lots))}")
            return
        self._choose(rows)

    def _rows(self, sku: str, lot: str | None) -> list[LooseStock]:
        assert self.source is not None
        return [
            r
            for r in loose_stock(self.ctx, self.source)
            if r.product.sku == sku and (lot is None or r.lot == lot)
        ]

    def _product_lot(self, lot: str) -> None:
        rows = self._rows(self.sku, lot)
        if not rows:
            raise DomainError(f"No lot {lot} of {self.sku} at {self.source}")
        self._choose(rows)

    def _choose(self, rows: list[LooseStock]) -> None:
        assert self.source is not None
        here = sum(r.qty for r in rows)
        self.lot = rows[0].lot
        self.qty = min(self.case, here) if self.case > 1 else here  # a case label: one case
        self.suggested = suggest_putaway(self.ctx, self.sku, self.source, self.lot)
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
        assert self.source is not None
        cmd = Move(
            self.sku,  # the SKU, so the quantity is in units whatever label was scanned
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
        self.container = self.suggested = self.target = self.lot = None
        self.chosen, self.case = False, 1
        self.step = "product" if self.source else "source"
        self.ok(result)

    def on_text(self, text: str) -> None:
        """A quantity before the bin scan, the lot asked for, or the reason for another bin."""
        if self.step == "target" and self.chosen:
            self.qty = parse_qty(text)
            self.note(f"Quantity {self.qty}")
        elif self.step == "lot":
            self._product_lot(text)
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
            waiting = [
                Hint(f"{r.product.sku} {r.lot or ''} ×{r.qty} (its dock found)", _code(r))
                for dock in ("DOCK-01", "DOCK-02")
                for r in loose_stock(self.ctx, dock)
                if r.product.gtin
            ]
            return [
                *waiting[:4],
                Hint("DOCK-01", hints.label("DOCK-01")),
                Hint("DOCK-02", hints.label("DOCK-02")),
            ]
        if self.step in ("product", "lot") and self.source:
            return [
                Hint(f"{r.product.sku} {r.lot or ''} ×{r.qty}", _code(r))
                for r in loose_stock(self.ctx, self.source)
                if r.product.gtin and (self.step == "product" or r.product.sku == self.sku)
            ]
        if self.step == "target":
            out = (
                [Hint(f"suggested {self.suggested}", hints.label(self.suggested))]
                if self.suggested
                else []
            )
            return [*out, Hint("other bin C-04-05-C-2", hints.label("C-04-05-C-2"))]
        return [Hint("reason: bin full", hints.label("bin full"))]


def _code(row: LooseStock) -> str:
    gtin = row.product.gtin or ""
    return hints.gs1(gtin, lot=row.lot, expiry=row.expiry) if row.lot else hints.ean(gtin)
