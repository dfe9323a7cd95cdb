"""Dispatch at the outbound dock: scan the load (a new load's number, or one being made up),
the dock for a new load, then each parcel; a parcel that may not go is refused in the loader's
words (not packed, opened again, already loaded, another carrier's, held by customs, order
cancelled). F4 closes the load: after #YES every parcel on it ships, and its stock leaves.
"""

from __future__ import annotations

from typing import ClassVar

from wms.domain.errors import DomainError
from wms.domain.packing import how_many
from wms.domain.scan import Scan
from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.services.dispatch import (
    LoadView,
    close_load,
    dock,
    load_parcel,
    load_view,
    loadable,
    open_loads,
)
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.steps import Accepts, Steps, Takes


class DispatchWorkflow(Workflow):
    """Make up one load after the other."""

    name = "dispatch"
    title = "Dispatch"
    commands = ((Command.DONE, "close the load (asks #YES first)"),)
    steps: ClassVar[Steps] = {
        "load": Accepts("Scan the load", Takes.LOAD),
        "dock": Accepts("Scan the dock", Takes.BIN),
        "parcels": Accepts("Scan each parcel", Takes.PARCEL, Takes.LOAD),
        "close": Accepts("#YES ships the load, #NO goes on loading"),
    }

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "load"
        self.number: str | None = None
        self.dock: str | None = None
        self.load: LoadView | None = None
        self.last = ""

    def prompt(self) -> str:
        """What to scan now."""
        return {
            "load": "Scan the load",
            "dock": f"New load {self.number}: scan the dock",
            "parcels": "Scan each parcel · F4 closes the load",
            "close": f"Ship {how_many(self._count(), 'parcel')} now? #YES / #NO",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """The load, its carrier and dock, how many parcels are on it."""
        if self.number is None:
            return ()
        carrier = self.load.carrier if self.load and self.load.carrier else "1st parcel's carrier"
        lines = [f"Load {self.number}", f"{carrier} · {self.dock or 'dock?'}"]
        lines.append(f"{how_many(self._count(), 'parcel')} on it")
        if self.last:
            lines.append(f"Last {self.last}")
        return tuple(lines)

    def _count(self) -> int:
        return len(self.load.parcels) if self.load else 0

    def on_scan(self, scan: Scan) -> None:
        """The load, the dock of a new one, then its parcels."""
        if scan.code and (self.step == "load" or (self.step == "parcels" and scan.sscc is None)):
            self._load(scan.code)
        elif self.step == "dock" and scan.code:
            self.dock, self.step = dock(self.ctx, scan.code), "parcels"
            self.note(f"Load {self.number} at {self.dock}")
        elif self.step == "parcels" and scan.sscc:
            assert self.number is not None
            assert self.dock is not None
            done = load_parcel(self.ctx, self.actor, self.number, self.dock, scan.sscc)
            self.load, self.last = done.load, f"{scan.sscc[-6:]} {done.order}"
            self.ok(f"Loaded {scan.sscc[-6:]} ({done.order}): {self._count()} on {self.number}")

    def _load(self, number: str) -> None:
        found = load_view(self.ctx, number)
        if found is not None and found.closed:
            raise DomainError(f"Load {number} is closed: scan a new load")
        self.number, self.load, self.last = number, found, ""
        if found is None:
            self.dock, self.step = None, "dock"
            self.note(f"New load {number}")
        else:
            self.dock, self.step = found.dock, "parcels"
            self.note(f"Load {number}: {how_many(len(found.parcels), 'parcel')} on it")

    def on_command(self, command: Command) -> None:
        """F4 asks to close the load; #YES ships it, #NO goes on; F3 back to the load."""
        if command is Command.DONE and self.step == "parcels":
            if not self._count():
                raise DomainError("No parcel on this load yet")
            self.step = "close"
        elif command is Command.YES and self.step == "close" and self.number:
            shipped = close_load(self.ctx, self.actor, self.number)
            self.ok(
                f"Load {self.number} shipped: {how_many(shipped.parcels, 'parcel')},"
                f" {how_many(shipped.units, 'unit')}"
            )
            self.number, self.load, self.dock, self.step = None, None, None, "load"
        elif command in (Command.NO, Command.BACK) and self.step == "close":
            self.step = "parcels"
            self.note("Go on loading")
        elif command is Command.BACK and self.step in ("dock", "parcels"):
            self.number, self.load, self.dock, self.step = None, None, None, "load"
        else:
            super().on_command(command)

    def hints(self) -> list[Hint]:
        """Loads, the dock, the parcels waiting (each with why it would be refused)."""
        if self.step == "load":
            new = "LD-20261123-01"
            return [Hint(f"load {n}", hints.label(n)) for n in open_loads(self.ctx)] + [
                Hint(f"new load {new}", hints.label(new))
            ]
        if self.step == "dock":
            return [Hint("dock ODOCK-01", hints.label("ODOCK-01"))]
        if self.step == "close":
            return [hints.command(Command.YES, "ship it"), hints.command(Command.NO, "not yet")]
        out = [
            Hint(f"parcel {p.sscc[-6:]} {p.order_number} {p.carrier}", hints.sscc(p.sscc))
            for p in loadable(self.ctx)
        ]
        return [*out[:8], hints.command(Command.DONE, "close the load")]
