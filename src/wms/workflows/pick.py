"""Picking: the terminal offers the operator's next task; scanning its first bin starts it (or
scan another task). For each stop in walking sequence scan the bin, then the product: the screen
names the lot FEFO takes first and its expiry; a typed number before the product scan picks that
many. #SHORT, #EMPTY and #DAMAGED record a short pick with that reason, one scan away.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import ClassVar

from wms.domain.errors import DomainError, LotRefused, WrongLocation
from wms.domain.kinds import Tracking
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command, DocumentType
from wms.domain.scan_words import product_code
from wms.services.context import Actor, Context
from wms.services.picking import Pick, PickStop, first_stops, next_stop, pick, short_pick
from wms.services.views import loose_stock, open_pick_tasks, product_info
from wms.workflows import hints
from wms.workflows.base import Hint, Workflow
from wms.workflows.claims import TaskClaims
from wms.workflows.jobs import Job
from wms.workflows.steps import LOT, QUANTITY, SERIAL, WORDS, Accepts, Steps, Takes, parse_qty

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
    steps: ClassVar[Steps] = {
        "task": Accepts(
            "Scan the pick task or its first bin",
            Takes.DOCUMENT,
            Takes.BIN,
            documents=(DocumentType.PICK_TASK,),
        ),
        "bin": Accepts("Scan the bin", Takes.BIN),
        "product": Accepts("Scan the product", Takes.PRODUCT, text=QUANTITY),
        "lot": Accepts("Scan or type the lot", Takes.LOT, text=LOT),
        "serial": Accepts("Scan or type the serial", Takes.SERIAL, text=SERIAL),
        "reason": Accepts("Type why, or #EMPTY / #DAMAGED", text=WORDS),
    }

    def __init__(self, ctx: Context, actor: Actor, claims: TaskClaims | None = None) -> None:
        super().__init__(ctx, actor)
        self.claims = claims
        self.step = "task"
        self.task: str | None = None
        self.stop: PickStop | None = None
        self.pending: Pick | None = None
        self.qty = 1
        self.offered: PickStop | None = self._offer()

    def _offer(self) -> PickStop | None:
        """The first stop of the operator's next open task, offered at the task step."""
        stops = first_stops(self.ctx, open_pick_tasks(self.ctx, self.actor.operator_id))
        return stops[0] if stops else None

    def prompt(self) -> str:
        """Where to go and what to scan."""
        stop = self.stop
        if self.step == "task" and self.offered:
            return f"Go to {self.offered.location}: scan it (or a task)"
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
        """Task, bin, product and lot to take of the current stop."""
        if self.stop is None and self.offered is not None:
            o = self.offered
            return (
                f"Next task {o.task}: {o.total_lines} line(s)",
                f"First {o.qty} × {o.sku} at {o.location}",
            )
        if self.stop is None:
            return (f"Task {self.task}",) if self.task else ("No open pick task",)
        s = self.stop
        lines = [f"Task {s.task} · bin {s.location}", f"{s.sku} {s.name}", f"Left {s.qty}"]
        if s.lot:
            lines.append(f"Take lot {s.lot} exp {s.expiry or '-'}")
        return tuple(lines)

    def progress(self) -> str:
        """Lines done over lines on the task."""
        if self.stop is None:
            return ""
        return f"{self.stop.done_lines + 1}/{self.stop.total_lines}"

    @property
    def dirty(self) -> bool:
        """A product scanned but not yet picked (its lot is being asked for)."""
        return self.pending is not None

    def unsaved(self) -> str:
        """The product waiting for its lot or serial."""
        if self.pending and self.stop:
            return f"{self.stop.sku} × {self.pending.qty} not picked"
        return ""

    def on_scan(self, scan: Scan) -> None:
        """Task (or the offered task's first bin), then bin, then product; lot or serial when
        the scan carried none."""
        if self.step == "task" and scan.kind is ScanKind.LOCATION:
            offered = self.offered
            if offered is None or scan.code != offered.location:
                where = f" ({offered.task}: {offered.location})" if offered else ""
                raise WrongLocation(f"Scan the pick task or its first bin{where}")
            self._start(offered.task)
            self.step = "product"
            self.note(f"Task {offered.task} at {offered.location}")
        elif self.step == "task" and scan.code:
            self._start(scan.code)
            self.note("Task started")
        elif self.step == "bin":
            assert self.stop is not None
            if scan.code != self.stop.location:
                raise WrongLocation(f"Wrong bin: go to {self.stop.location}")
            self.step = "product"
            self.note(f"At {self.stop.location}")
        elif self.step in ("lot", "serial") and self.pending:
            self._completed_by(scan)
        else:
            self._product(scan)

    def _start(self, number: str) -> None:
        stop = next_stop(self.ctx, number)  # refuses a done or leased task now
        if stop is None:
            raise DomainError(f"Task {number} has nothing left to pick")
        self.task, self.stop, self.offered, self.step = number, stop, None, "bin"
        if self.claims is not None:  # asked beside the work: picking never waits for the hub
            claim = partial(self.claims.claim, number)
            self.jobs.append(Job(f"lease of {number}", claim, "Task not yours"))

    def _product(self, scan: Scan) -> None:
        assert self.stop is not None
        code = product_code(scan)
        assert code is not None  # the step takes product scans only
        info = product_info(self.ctx, code)
        if info.sku != self.stop.sku:
            raise DomainError(f"That is {info.sku}: pick {self.stop.sku}")
        cmd = Pick(
            self.stop.task,
            self.stop.seq,
            self.stop.location,
            code,
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

    def _completed_by(self, scan: Scan) -> None:
        assert self.pending is not None
        assert self.stop is not None
        self.require_label_of(self.stop.sku, scan)
        self._commit(
            replace(
                self.pending,
                lot=scan.lot or self.pending.lot,
                serial=scan.serial or self.pending.serial,
            )
        )

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
        try:
            done = pick(self.ctx, self.actor, cmd)
        except LotRefused:
            if cmd.lot is None and cmd.serial is None:
                raise
            # The lot (not FEFO, not here, held) or serial was wrong: ask for it again, the
            # product stays scanned, so the lot the refusal named can be typed at once.
            self.pending = replace(cmd, lot=None, serial=None)
            self.step = "lot" if cmd.lot else "serial"
            raise
        self.pending, self.qty, self.step = None, 1, "product"
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
        """Tasks; the bin and a wrong one; the product with the right and a wrong lot."""
        if self.step == "task":
            offered = (
                [Hint(f"bin {self.offered.location} ({self.offered.task})",
                      hints.label(self.offered.location))]
                if self.offered
                else []
            )  # fmt: skip
            tasks = open_pick_tasks(self.ctx, self.actor.operator_id)
            return [*offered, *(Hint(t, hints.label(t)) for t in tasks)]
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
