"""Picking: scan the task, then for each stop in walking sequence scan the bin, the product (its
lot must follow FEFO) and pick; a typed number before the product scan picks that many.
#SHORT, #EMPTY and #DAMAGED record a short pick with that reason, one scan away.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from wms.domain.errors import DomainError, WrongLocation
from wms.domain.kinds import Tracking
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.services.picking import Pick, PickStop, next_stop, pick, short_pick
from wms.services.views import loose_stock, open_pick_tasks, product_info
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow, parse_qty, scanned_text
from wms.workflows.claims import TaskClaims
from wms.workflows.jobs import Job

_SHORT_REASONS = {Command.EMPTY: "bin empty", Command.DAMAGED: "damaged"}


class PickWorkflow(Workflow):
    """Pick one task, stop by stop."""

    name = "pick"
    title = "Pick"
    commands = (
        (Command.SHORT, "short pick: type the reason"),
        (Command.EMPTY, "short pick: bin empty"),
        (Command.DAMAGED, "short pick: damaged"),
    )

    def __init__(self, ctx: Context, actor: Actor, claims: TaskClaims | None = None) -> None:
        super().__init__(ctx, actor)
        self.claims = claims
        self.step = "task"
        self.task: str | None = None
        self.stop: PickStop | None = None
        self.pending: Pick | None = None
        self.qty = 1

    def prompt(self) -> str:
        """Where to go and what to scan."""
        stop = self.stop
        if self.step == "task" or stop is None:
            return "Scan the pick task"
        return {
            "bin": f"Go to {stop.location}, scan the bin",
            "product": f"Pick {stop.qty} × {stop.sku}: scan it"
            + (f" (qty {self.qty})" if self.qty > 1 else ""),
            "lot": "Scan or type the lot",
            "serial": "Scan or type the serial number",
            "reason": "Why short? Type it, or #EMPTY / #DAMAGED",
        }[self.step]

    def context(self) -> tuple[str, ...]:
        """Task, bin and product of the current stop."""
        if self.stop is None:
            return (f"Task {self.task}",) if self.task else ()
        s = self.stop
        return (f"Task {s.task}", f"Bin {s.location}", f"{s.sku} {s.name}", f"Left {s.qty}")

    def progress(self) -> str:
        """Lines done over lines on the task."""
        if self.stop is None:
            return ""
        return f"{self.stop.done_lines + 1}/{self.stop.total_lines}"

    def wants_text(self) -> bool:
        """Lots, serials and short-pick reasons come as free text."""
        return self.step in ("lot", "serial", "reason")

    @property
    def dirty(self) -> bool:
        """A product scanned but not yet picked (its lot is being asked for)."""
        return self.pending is not None

    def on_scan(self, scan: Scan) -> None:
        """Task, then bin, then product; lot or serial when the scan carried none."""
        if self.step == "task":
            if scan.kind is not ScanKind.DOCUMENT or scan.code is None:
                raise DomainError("Scan the pick task (PT-…)")
            self.task = scan.code
            self._next("Task started")
            if self.claims is not None:  # asked beside the work: picking never waits for the hub
                claim = partial(self.claims.claim, scan.code)
                self.jobs.append(Job(f"lease of {scan.code}", claim, "Task not yours"))
        elif self.step == "bin":
            assert self.stop is not None
            if scan.code != self.stop.location:
                raise WrongLocation(f"Wrong bin: go to {self.stop.location}")
            self.step = "product"
            self.note(f"At {self.stop.location}")
        elif self.wants_text():
            self.on_text(scanned_text(scan))
        else:
            self._product(scan)

    def _product(self, scan: Scan) -> None:
        assert self.stop is not None
        if scan.kind not in (ScanKind.PRODUCT, ScanKind.GS1) or scan.gtin is None:
            raise DomainError(f"Scan {self.stop.sku}")
        info = product_info(self.ctx, scan.gtin)
        cmd = Pick(
            self.stop.task,
            self.stop.seq,
            self.stop.location,
            scan.gtin,
            self.qty,
            lot=scan.lot,
            serial=scan.serial,
        )
        if info.tracking == Tracking.LOT and not cmd.lot:
            self.pending, self.step = cmd, "lot"
        elif info.tracking == Tracking.SERIAL and not cmd.serial:
            self.pending, self.step = cmd, "serial"
        else:
            self._commit(cmd)

    def on_text(self, text: str) -> None:
        """A quantity for the next product scan, the lot or serial, or a short-pick reason."""
        if self.step == "product":
            self.qty = parse_qty(text)
            self.note(f"Quantity {self.qty} for the next scan")
        elif self.step == "lot" and self.pending:
            self._commit(replace(self.pending, lot=text))
        elif self.step == "serial" and self.pending:
            self._commit(replace(self.pending, serial=text))
        elif self.step == "reason":
            self._short(text)
        else:
            super().on_text(text)

    def on_command(self, command: Command) -> None:
        """Short-pick commands at the product step (or on the reason prompt); BACK to the bin."""
        at_stop = self.step in ("bin", "product", "lot", "serial", "reason")
        if command in _SHORT_REASONS and at_stop:
            self._short(_SHORT_REASONS[command])
        elif command is Command.SHORT and at_stop:
            self.step = "reason"
            self.note("Short pick")
        elif command is Command.BACK and self.step != "task":
            self.pending, self.step = None, "bin"
        else:
            super().on_command(command)

    def _commit(self, cmd: Pick) -> None:
        self.pending, self.qty, self.step = None, 1, "product"
        done = pick(self.ctx, self.actor, cmd)
        self.ok(f"Picked {done.units} {self.stop.sku if self.stop else ''}".rstrip())
        if done.line_done:
            self._next(self.result, task_done=done.task_done)
        else:  # the same line, with less left to pick
            self.stop = next_stop(self.ctx, cmd.task)

    def _short(self, reason: str) -> None:
        assert self.stop is not None
        done = short_pick(self.ctx, self.actor, self.stop.task, self.stop.seq, reason)
        self.pending = None
        self.ok(f"Short {done.short_qty} {self.stop.sku}: count {done.count_task} raised")
        self._next(self.result, task_done=done.task_done)

    def _next(self, result: str, *, task_done: bool = False) -> None:
        assert self.task is not None
        self.stop = None if task_done else next_stop(self.ctx, self.task)
        if self.stop is None:
            self.finished = True
            self.result = f"{result} · task {self.task} done"
        else:
            self.step = "bin"
            self.result = result

    def hints(self) -> list[Hint]:
        """Open tasks; the bin and a wrong one; the product with the right and a wrong lot."""
        if self.step == "task":
            return [Hint(t, hints.label(t)) for t in open_pick_tasks(self.ctx)]
        stop = self.stop
        assert stop is not None
        if self.step == "bin":
            return [
                Hint(f"bin {stop.location}", hints.label(stop.location)),
                Hint("wrong bin A-04-05-C-2", hints.label("A-04-05-C-2")),
            ]
        shorts = [
            hints.command(Command.SHORT, "short pick"),
            hints.command(Command.EMPTY, "bin empty"),
        ]
        return [*self._stock_hints(stop), *shorts]

    def _stock_hints(self, stop: PickStop) -> list[Hint]:
        rows = [r for r in loose_stock(self.ctx, stop.location) if r.product.sku == stop.sku]
        out = []
        for r in rows:
            gtin = r.product.gtin
            if gtin is None:
                continue
            if r.lot and self.step == "lot":
                out.append(Hint(f"lot {r.lot} exp {r.expiry} {r.status}", hints.label(r.lot)))
            elif r.lot:
                code = hints.gs1(gtin, lot=r.lot, expiry=r.expiry)
                out.append(Hint(f"{stop.sku} lot {r.lot} exp {r.expiry} {r.status}", code))
        if rows and rows[0].product.gtin and self.step == "product":
            out.append(Hint(f"{stop.sku} EAN", hints.ean(rows[0].product.gtin)))
        return out
