"""Counting, blind: the terminal offers the operator's next count; scanning its bin starts it
(or scan another task, then its bin). Then scan every item (a typed number replaces the last
item's count: scan once and type the quantity); the tally is in units, a case counting its pack.
F4/#DONE records the pass; beyond tolerance the terminal asks for a recount; #EMPTY confirms an
empty bin. Expected quantities never show.
"""

from __future__ import annotations

from typing import ClassVar

from wms.domain.counting import CountOutcome
from wms.domain.errors import DomainError, WrongLocation
from wms.domain.kinds import Tracking
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command, DocumentType
from wms.domain.scan_words import product_code, scan_count
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
from wms.workflows.base import Hint, Workflow
from wms.workflows.steps import LOT, QUANTITY, Accepts, Steps, Takes, parse_qty


class CountWorkflow(Workflow):
    """Count one bin blind, with a recount pass when the first is beyond tolerance."""

    name = "count"
    title = "Count"
    commands = (
        (Command.DONE, "bin done: record the count (F4)"),
        (Command.EMPTY, "the bin is empty"),
    )
    steps: ClassVar[Steps] = {
        "task": Accepts(
            "Scan the count task or its bin",
            Takes.DOCUMENT,
            Takes.BIN,
            documents=(DocumentType.COUNT_TASK,),
        ),
        "bin": Accepts("Scan the bin", Takes.BIN),
        "items": Accepts("Scan an item in the bin", Takes.PRODUCT, text=QUANTITY),
        "lot": Accepts("Scan or type the lot", Takes.LOT, text=LOT),
    }

    def __init__(self, ctx: Context, actor: Actor) -> None:
        super().__init__(ctx, actor)
        self.step = "task"
        self.task: CountTaskView | None = None
        self.pass_no = 0
        self.found: list[Counted] = []
        self.lot_for: tuple[str, int] | None = None  # the code (and count) waiting for a lot
        self.names: dict[str, str] = {}  # scanned code → "SKU" (or "SKU case of 12")
        self.packs: dict[str, int] = {}  # scanned code → units one scan of it stands for
        offered = open_count_tasks(ctx, actor.operator_id)
        self.offered: CountTaskView | None = offered[0] if offered else None

    def prompt(self) -> str:
        """What to scan next."""
        if self.task is None and self.offered is not None:
            return f"Count bin {self.offered.location}: scan it (or a task)"
        if self.task is None:
            return "Scan the count task"
        return {
            "bin": f"Scan bin {self.task.location}",
            "items": "Scan each item; F4 when done",
            "lot": "Scan or type the lot",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """The task and bin, and what was counted so far (never what was expected)."""
        task = self.task or self.offered
        if task is None:
            return ("No open count task",)
        head = f"{task.number} · bin {task.location}"
        if self.pass_no > 1:
            head += f" · recount {self.pass_no}"
        lines = [head if self.task else f"Next: {head}"]
        if task.sku:
            lines.append(f"Count only {task.sku}")
        lines += [self._line(c) for c in self.found[-4:]]
        return tuple(lines)

    def progress(self) -> str:
        """Units counted in this pass (a case counts its pack)."""
        if self.step != "items":
            return ""
        return f"{sum(self._units(c) for c in self.found)} counted"

    @property
    def dirty(self) -> bool:
        """Items counted in this pass but not yet recorded."""
        return bool(self.found) or self.lot_for is not None

    def unsaved(self) -> str:
        """The units counted in this pass, not recorded."""
        if not self.dirty or self.task is None:
            return ""
        units = sum(self._units(c) for c in self.found)
        return f"{units} units counted in {self.task.location}, not recorded"

    def on_scan(self, scan: Scan) -> None:
        """Task (or the offered task's bin), then bin (the count's moment starts here), then
        items."""
        if self.step == "task" and scan.kind is ScanKind.LOCATION:
            offered = self.offered
            if offered is None or scan.code != offered.location:
                where = f" ({offered.number}: {offered.location})" if offered else ""
                raise WrongLocation(f"Scan the count task or its bin{where}")
            self.task = offered
            self._start(offered.location)
        elif self.step == "task" and scan.code:
            self.task, self.step = count_task(self.ctx, scan.code), "bin"
            self.note(f"Count {scan.code}")
        elif self.step == "bin":
            assert self.task is not None
            if scan.code != self.task.location:
                raise WrongLocation(f"Wrong bin: count {self.task.location}")
            self._start(scan.code)
        elif self.step == "lot" and self.lot_for:
            self._lot_scanned(scan)
        else:
            self._item(scan)

    def _start(self, location: str) -> None:
        assert self.task is not None
        started = start_count(self.ctx, self.actor, self.task.number, location)
        self.pass_no, self.step, self.found, self.offered = started.pass_no, "items", [], None
        self.note(f"Counting {location}")

    def _item(self, scan: Scan) -> None:
        code = product_code(scan)
        assert code is not None  # the step takes product scans only
        info = product_info(self.ctx, code)
        self.names[code] = info.sku + (f" case of {info.pack}" if info.pack > 1 else "")
        self.packs[code] = info.pack
        qty = scan_count(scan) or 1
        if info.tracking == Tracking.LOT and not scan.lot:
            self.lot_for, self.step = (code, qty), "lot"
            return
        self._add(Counted(code, qty, scan.lot))

    def _lot_scanned(self, scan: Scan) -> None:
        assert self.lot_for is not None
        self.require_label_of(self.names[self.lot_for[0]].split(" ")[0], scan)
        self._add(Counted(self.lot_for[0], self.lot_for[1], scan.lot))
        self.lot_for, self.step = None, "items"

    def _add(self, item: Counted) -> None:
        self.found.append(item)
        self.note(f"{self._line(item)} (+{self._units(item)})")

    def _units(self, item: Counted) -> int:
        return item.qty * self.packs.get(item.code, 1)

    def _line(self, item: Counted) -> str:
        name = self.names.get(item.code, item.code).split(" ")[0]
        lot = f" {item.lot}" if item.lot else ""
        return f"{name}{lot}: {self._units(item)}"

    def on_text(self, text: str) -> None:
        """The lot asked for, or a quantity replacing the last item's count."""
        if self.step == "lot" and self.lot_for:
            self._add(Counted(self.lot_for[0], self.lot_for[1], text))
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
        elif command is Command.BACK and self.step == "lot":
            self.lot_for, self.step = None, "items"
            self.note("Item not counted")
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
            offered = (
                [Hint(f"bin {self.offered.location} ({self.offered.number})",
                      hints.label(self.offered.location))]
                if self.offered
                else []
            )  # fmt: skip
            tasks = open_count_tasks(self.ctx, self.actor.operator_id)
            return [
                *offered,
                *(Hint(f"{t.number} {t.location}", hints.label(t.number)) for t in tasks),
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
