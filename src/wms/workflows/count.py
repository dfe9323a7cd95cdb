"""Counting, blind: scan the count task, the bin, then every item (a typed number replaces the
last item's count: scan once and type the quantity). F4/#DONE records the pass; beyond tolerance
the terminal asks for a recount; #EMPTY confirms an empty bin. Expected quantities never show.
"""

from __future__ import annotations

from wms.domain.counting import CountOutcome
from wms.domain.errors import DomainError, WrongLocation
from wms.domain.kinds import Tracking
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.services.counting import Counted, record_count, start_count
from wms.services.views import (
    CountTaskView,
    count_task,
    loose_stock,
    open_count_tasks,
    product_info,
)
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow, parse_qty, scanned_text


class CountWorkflow(Workflow):
    """Count one bin blind, with a recount pass when the first is beyond tolerance."""

    name = "count"
    title = "Count"
    commands = (
        (Command.DONE, "bin done: record the count (F4)"),
        (Command.EMPTY, "the bin is empty"),
    )

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "task"
        self.task: CountTaskView | None = None
        self.pass_no = 0
        self.found: list[Counted] = []
        self.lot_for: str | None = None  # the GTIN waiting for its lot
        self.names: dict[str, str] = {}  # scanned code → "SKU" (or "SKU case of 12")

    def prompt(self) -> str:
        """What to scan next."""
        if self.task is None:
            return "Scan the count task"
        return {
            "bin": f"Scan bin {self.task.location}",
            "items": "Scan each item; F4 when done",
            "lot": "Scan or type the lot",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """The task and bin, and what was counted so far (never what was expected)."""
        if self.task is None:
            return ()
        head = f"{self.task.number} · bin {self.task.location}"
        if self.pass_no > 1:
            head += f" · recount {self.pass_no}"
        lines = [head]
        if self.task.sku:
            lines.append(f"Count only {self.task.sku}")
        lines += [self._line(c) for c in self.found[-4:]]
        return tuple(lines)

    def progress(self) -> str:
        """Units counted in this pass."""
        return f"{sum(c.qty for c in self.found)} counted" if self.step == "items" else ""

    def wants_text(self) -> bool:
        """Lots come as free text."""
        return self.step == "lot"

    @property
    def dirty(self) -> bool:
        """Items counted in this pass but not yet recorded."""
        return bool(self.found) or self.lot_for is not None

    def on_scan(self, scan: Scan) -> None:
        """Task, then bin (the count's moment starts here), then items."""
        if self.step == "task":
            if scan.kind is not ScanKind.DOCUMENT or scan.code is None:
                raise DomainError("Scan the count task (CT-…)")
            self.task, self.step = count_task(self.ctx, scan.code), "bin"
            self.note(f"Count {scan.code}")
        elif self.step == "bin":
            assert self.task is not None
            if scan.code != self.task.location:
                raise WrongLocation(f"Wrong bin: count {self.task.location}")
            started = start_count(self.ctx, self.actor, self.task.number, scan.code)
            self.pass_no, self.step, self.found = started.pass_no, "items", []
            self.note(f"Counting {scan.code}")
        elif self.step == "lot":
            self.on_text(scanned_text(scan))
        else:
            self._item(scan)

    def _item(self, scan: Scan) -> None:
        if scan.kind not in (ScanKind.PRODUCT, ScanKind.GS1) or scan.gtin is None:
            raise DomainError("Scan an item in the bin")
        info = product_info(self.ctx, scan.gtin)
        self.names[scan.gtin] = info.sku + (f" case of {info.pack}" if info.pack > 1 else "")
        if info.tracking == Tracking.LOT and not scan.lot:
            self.lot_for, self.step = scan.gtin, "lot"
            return
        self._add(Counted(scan.gtin, 1, scan.lot))

    def _add(self, item: Counted) -> None:
        self.found.append(item)
        self.note(f"{self._line(item)} (+1)")

    def _line(self, item: Counted) -> str:
        name = self.names.get(item.code, item.code)
        return f"{name} {item.lot}: {item.qty}" if item.lot else f"{name}: {item.qty}"

    def on_text(self, text: str) -> None:
        """The lot asked for, or a quantity replacing the last item's +1."""
        if self.step == "lot" and self.lot_for:
            self._add(Counted(self.lot_for, 1, text))
            self.lot_for, self.step = None, "items"
        elif self.step == "items" and self.found:
            last = self.found.pop()
            self.found.append(Counted(last.code, parse_qty(text), last.lot))
            self.note(self._line(self.found[-1]))
        elif self.step == "items":
            raise DomainError("Scan the item first, then type how many")
        else:
            super().on_text(text)

    def on_command(self, command: Command) -> None:
        """#DONE records the pass; #EMPTY confirms an empty bin; BACK drops the last item."""
        if command is Command.DONE and self.step == "items":
            self._record(empty=False)
        elif command is Command.EMPTY and self.step == "items" and not self.found:
            self._record(empty=True)
        elif command is Command.EMPTY and self.step == "items":
            raise DomainError("Items counted: the bin is not empty")
        elif command is Command.BACK and self.step == "items" and self.found:
            self.note(f"Removed {self._line(self.found.pop())}")
        else:
            super().on_command(command)

    def _record(self, *, empty: bool) -> None:
        assert self.task is not None
        done = record_count(
            self.ctx, self.actor, self.task.number, self.found, empty_confirmed=empty
        )
        self.found = []
        if done.outcome is CountOutcome.RECOUNT:
            self.step = "bin"
            # Not a success beep: the operator must count again (the pass is recorded, blind).
            self.note(f"Recount needed: scan bin {self.task.location} again")
        else:
            self.finished = True
            self.ok(f"Count {self.task.number} recorded")

    def hints(self) -> list[Hint]:
        """Open count tasks, the bin, the items in it (from the demo's own knowledge)."""
        if self.task is None:
            return [
                Hint(f"{t.number} {t.location}", hints.label(t.number))
                for t in open_count_tasks(self.ctx)
            ]
        if self.step == "bin":
            return [Hint(f"bin {self.task.location}", hints.label(self.task.location))]
        if self.step == "lot":
            return []
        out = []
        for r in loose_stock(self.ctx, self.task.location):
            if r.product.gtin and (self.task.sku is None or r.product.sku == self.task.sku):
                code = (
                    hints.gs1(r.product.gtin, lot=r.lot, expiry=r.expiry)
                    if r.lot
                    else hints.ean(r.product.gtin)
                )
                out.append(Hint(f"{r.product.sku} {r.lot or ''}".rstrip(), code))
        return [
            *out,
            hints.command(Command.DONE, "bin done"),
            hints.command(Command.EMPTY, "bin empty"),
        ]
