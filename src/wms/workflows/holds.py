"""Holds (supervisor): scan a bin (optional) and a product or lot; #YES holds it in quarantine,
#NO releases it to available (customs clearance, QC passed); then type the reason."""

from __future__ import annotations

from typing import ClassVar

from wms.domain.errors import NotPermitted
from wms.domain.kinds import Role, StockStatus
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.domain.scan_words import product_code
from wms.services.context import Actor, Context
from wms.services.stock_control import change_status
from wms.services.views import product_info
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.steps import WORDS, Accepts, Steps, Takes

_ACTIONS = {Command.YES: StockStatus.QUARANTINE, Command.NO: StockStatus.AVAILABLE}


class HoldsWorkflow(Workflow):
    """Place and release holds on stock."""

    name = "holds"
    title = "Holds"
    commands = (
        (Command.YES, "hold in quarantine"),
        (Command.NO, "release to available"),
    )
    steps: ClassVar[Steps] = {
        "what": Accepts("Scan a bin or a product/lot", Takes.BIN, Takes.PRODUCT),
        "action": Accepts("#YES hold or #NO release"),
        "reason": Accepts("Type the reason", text=WORDS),
    }

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "what"
        self.location: str | None = None
        self.code: str | None = None
        self.sku = ""
        self.lot: str | None = None
        self.to: StockStatus | None = None

    def prompt(self) -> str:
        """What to scan or type next."""
        return {
            "what": "Scan a bin (optional), then a product/lot",
            "action": "#YES hold · #NO release",
            "reason": "Type the reason",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """Bin, product, lot and the chosen action."""
        lines = [f"Bin {self.location}" if self.location else "All bins"]
        if self.code:
            lines.append(f"{self.sku} " + (f"lot {self.lot}" if self.lot else "all lots"))
        if self.to:
            lines.append("Release" if self.to is StockStatus.AVAILABLE else "Hold: quarantine")
        return tuple(lines)

    @property
    def dirty(self) -> bool:
        """A product chosen, not yet held or released."""
        return self.code is not None

    def on_scan(self, scan: Scan) -> None:
        """A bin narrows the hold; a product (GS1: with its lot) says what to hold."""
        if self.actor.role is not Role.SUPERVISOR:
            raise NotPermitted("Holds need a supervisor")
        code = product_code(scan)
        if scan.kind is ScanKind.LOCATION:
            self.location = scan.code
        elif code is not None:
            self.code, self.lot = code, scan.lot
            self.sku = product_info(self.ctx, code).sku
            self.step = "action"

    def on_command(self, command: Command) -> None:
        """#YES or #NO choose the action."""
        if command in _ACTIONS and self.step == "action":
            self.to, self.step = _ACTIONS[command], "reason"
        else:
            super().on_command(command)

    def on_text(self, text: str) -> None:
        """The reason: hold or release now."""
        if self.step != "reason" or self.code is None or self.to is None:
            super().on_text(text)
            return
        done = change_status(
            self.ctx, self.actor, self.code, self.to, text, lot=self.lot, location=self.location
        )
        verb = "Released" if self.to is StockStatus.AVAILABLE else "Held"
        self.ok(f"{verb} {done.units} {self.sku}")
        self.code = self.lot = self.location = self.to = None
        self.step = "what"

    def hints(self) -> list[Hint]:
        """The bonded lot to release, the recalled lot, the actions, a reason."""
        if self.step == "what":
            return [
                Hint("bin BND-01-01-A-1", hints.label("BND-01-01-A-1")),
                Hint("SKU-00002 lot L2610 (customs)", hints.gs1("02000000000022", lot="L2610")),
                Hint("SKU-00001 lot L2602", hints.gs1("02000000000015", lot="L2602")),
            ]
        if self.step == "action":
            return [hints.command(Command.YES, "hold"), hints.command(Command.NO, "release")]
        return [Hint("reason: customs cleared", hints.label("customs cleared"))]
