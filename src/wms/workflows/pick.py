"""Picking to totes: the terminal offers the operator's next task; scanning a cart starts it
(or scan another task). The cart and its totes are scanned once: one tote per order, in slot
order. For each stop in walking sequence scan the bin, then the product: the screen names the
lot FEFO takes first and its expiry; a typed number before the product scan picks that many. On
a cluster task (several orders on the cart) the tote the units go into is scanned last, and a
wrong tote is refused naming the right one. #SHORT, #EMPTY and #DAMAGED record a short pick with
that reason, one scan away.
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
from wms.services.carts import CartSetup, cart_setup, load_cart, put_tote
from wms.services.context import Actor, Context
from wms.services.picking import Pick, PickStop, first_stops, next_stop, pick, short_pick
from wms.services.views import free_totes, loose_stock, open_pick_tasks, product_info
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
            "Scan your cart or the pick task",
            Takes.DOCUMENT,
            Takes.BIN,
            documents=(DocumentType.PICK_TASK,),
        ),
        "cart": Accepts("Scan your cart", Takes.BIN),
        "tote": Accepts("Scan an empty tote", Takes.TOTE),
        "bin": Accepts("Scan the bin", Takes.BIN),
        "product": Accepts("Scan the product", Takes.PRODUCT, text=QUANTITY),
        "lot": Accepts("Scan or type the lot", Takes.LOT, text=LOT),
        "serial": Accepts("Scan or type the serial", Takes.SERIAL, text=SERIAL),
        "into": Accepts("Scan the tote it goes into", Takes.TOTE),
        "reason": Accepts("Type why, or #EMPTY / #DAMAGED", text=WORDS),
    }

    def __init__(self, ctx: Context, actor: Actor, claims: TaskClaims | None = None) -> None:
        super().__init__(ctx, actor)
        self.claims = claims
        self.step = "task"
        self.task: str | None = None
        self.setup: CartSetup | None = None
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
            return f"Take a cart for {self.offered.task}: scan it"
        if self.step == "task":
            return "Scan the pick task"
        if self.step == "cart":
            return f"Take a cart for {self.task}: scan it"
        if self.step == "tote":
            empty = self.setup.next_empty if self.setup else None
            where = f" for {empty.order} (slot {empty.slot})" if empty else ""
            return f"Put an empty tote on the cart{where}: scan it"
        if stop is None:
            return "Scan the pick task"
        return {
            "bin": f"Go to {stop.location}, scan the bin",
            "product": f"Pick {stop.qty} × {stop.sku}: scan it"
            + (f" (qty {self.qty})" if self.qty > 1 else ""),
            "lot": "Scan or type the lot",
            "serial": "Scan or type the serial number",
            "into": f"Into tote {stop.tote} (slot {stop.slot}): scan it",
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
        if self.step in ("cart", "tote") and self.setup is not None:
            cart = self.setup.cart or "-"
            totes = [f"{sl.slot}:{sl.tote or '?'} {sl.order}" for sl in self.setup.slots]
            return (f"Task {self.task} · cart {cart}", *totes)
        if self.stop is None:
            return (f"Task {self.task}",) if self.task else ("No open pick task",)
        s = self.stop
        lines = [f"Task {s.task} · bin {s.location}", f"{s.sku} {s.name}", f"Left {s.qty}"]
        if s.lot:
            lines.append(f"Take lot {s.lot} exp {s.expiry or '-'}")
        if s.cluster:
            lines.append(f"Into {s.tote} (slot {s.slot}) {s.order}")
        return tuple(lines)

    def progress(self) -> str:
        """Lines done over lines on the task."""
        if self.stop is None:
            return ""
        return f"{self.stop.done_lines + 1}/{self.stop.total_lines}"

    @property
    def dirty(self) -> bool:
        """A product scanned but not yet picked (its lot or its tote is being asked for)."""
        return self.pending is not None

    def unsaved(self) -> str:
        """The product waiting for its lot, serial or tote."""
        if self.pending and self.stop:
            return f"{self.stop.sku} × {self.pending.qty} not picked"
        return ""

    def on_scan(self, scan: Scan) -> None:
        """Cart (starts the offered task) or task, then the totes, then per stop the bin, the
        product (its lot or serial when the scan carried none) and, on a cluster, the tote."""
        if self.step == "task" and scan.kind is ScanKind.LOCATION and scan.code:
            self._offered_at(scan.code)
        elif self.step == "task" and scan.code:
            self._start(scan.code)
            self.note(f"Task {scan.code}")
        elif self.step == "cart" and scan.code:
            assert self.task is not None
            self.setup = load_cart(self.ctx, self.actor, self.task, scan.code)
            self.note(f"Cart {scan.code}")
            self._ready()
        elif self.step == "tote" and scan.code:
            assert self.task is not None
            self.setup = put_tote(self.ctx, self.actor, self.task, scan.code)
            self.note(f"Tote {scan.code} on the cart")
            self._ready()
        elif self.step == "into" and self.pending and scan.code:
            self._commit(replace(self.pending, tote=scan.code))
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

    def _offered_at(self, code: str) -> None:
        """A location at the task step: a cart takes the offered task; the offered task's first
        bin resumes it once its cart is loaded."""
        offered = self.offered
        if offered is None:
            raise WrongLocation("No task to pick: scan a pick task")
        setup = cart_setup(self.ctx, offered.task)
        if code == offered.location and setup.ready:
            self._start(offered.task)
            self.step = "product"
            self.note(f"Task {offered.task} at {offered.location}")
            return
        if setup.cart is not None and code != setup.cart:
            raise WrongLocation(f"{offered.task} is on cart {setup.cart}: scan it")
        self._start(offered.task)
        self.setup = load_cart(self.ctx, self.actor, offered.task, code)
        self.note(f"Task {offered.task} on cart {code}")
        self._ready()

    def _start(self, number: str) -> None:
        stop = next_stop(self.ctx, number)  # refuses a done or leased task now
        if stop is None:
            raise DomainError(f"Task {number} has nothing left to pick")
        self.task, self.stop, self.offered = number, stop, None
        self.setup = cart_setup(self.ctx, number)
        self._ready()
        if self.claims is not None:  # asked beside the work: picking never waits for the hub
            claim = partial(self.claims.claim, number)
            self.jobs.append(Job(f"lease of {number}", claim, "Task not yours"))

    def _ready(self) -> None:
        """On to the cart, the next tote, or (all on the cart) the first stop's bin."""
        assert self.setup is not None
        if self.setup.cart is None:
            self.step = "cart"
        elif self.setup.next_empty is not None:
            self.step = "tote"
        else:
            assert self.task is not None
            self.stop, self.step = next_stop(self.ctx, self.task), "bin"

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
            self._complete(cmd)

    def _completed_by(self, scan: Scan) -> None:
        assert self.pending is not None
        assert self.stop is not None
        self.require_label_of(self.stop.sku, scan)
        self._complete(
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
            self._complete(replace(self.pending, lot=text))
        elif self.step == "serial" and self.pending:
            self._complete(replace(self.pending, serial=text))
        elif self.step == "reason":
            self._short(text)
        else:
            super().on_text(text)

    def on_command(self, command: Command) -> None:
        """Short-pick commands at the product step (or on the reason prompt); BACK to the bin."""
        at_stop = self.step in ("bin", "product", "lot", "serial", "into", "reason")
        if command in _SHORT_REASONS and at_stop:
            self._short(_SHORT_REASONS[command])
        elif command is Command.SHORT and at_stop:
            self.step = "reason"
            self.note("Short pick")
        elif command is Command.BACK and self.step not in ("task", "cart", "tote"):
            self.pending, self.step = None, "bin"
        else:
            super().on_command(command)

    def _complete(self, cmd: Pick) -> None:
        """Bin, product and lot are known: pick now, or on a cluster check it all and ask for
        the tote the units go into."""
        if self.stop is None or not self.stop.cluster:
            self._commit(cmd)
            return
        self._checked(cmd)
        self.pending, self.step = cmd, "into"
        self.note(f"{cmd.qty} × {self.stop.sku}: into {self.stop.tote}")

    def _checked(self, cmd: Pick) -> None:
        try:
            pick(self.ctx, self.actor, cmd, check_only=True)
        except LotRefused:
            self._ask_again(cmd)
            raise

    def _ask_again(self, cmd: Pick) -> None:
        """The lot (not FEFO, not here, held) or serial was wrong: ask for it again, the
        product stays scanned, so the lot the refusal named can be typed at once."""
        if cmd.lot is None and cmd.serial is None:
            return
        self.pending = replace(cmd, lot=None, serial=None, tote=None)
        self.step = "lot" if cmd.lot else "serial"

    def _commit(self, cmd: Pick) -> None:
        try:
            done = pick(self.ctx, self.actor, cmd)
        except LotRefused:
            self._ask_again(cmd)
            raise
        self.pending, self.qty, self.step = None, 1, "product"
        into = f" into {cmd.tote}" if cmd.tote else ""
        self.ok(f"Picked {done.units} {self.stop.sku if self.stop else ''}{into}".rstrip())
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
        here = self.stop.location if self.stop else None
        self.stop = None if task_done else next_stop(self.ctx, self.task)
        if self.stop is None:
            self.finished = True
            self.result = f"{result} · task {self.task} done"
        else:
            # The next stop in the same bin (another order's units on a cluster): still there.
            self.step = "product" if self.stop.location == here else "bin"
            self.result = result

    def hints(self) -> list[Hint]:
        """Carts and tasks; empty totes; the bin and a wrong one; the product with the right and
        a wrong lot; the right and a wrong tote."""
        carts = [Hint(f"cart CART-0{n}", hints.label(f"CART-0{n}")) for n in (1, 2)]
        if self.step == "task":
            tasks = open_pick_tasks(self.ctx, self.actor.operator_id)
            return [*carts, *(Hint(t, hints.label(t)) for t in tasks)]
        if self.step == "cart":
            return [*carts, Hint("a bin, not a cart", hints.label("A-01-01-A-1"))]
        if self.step == "tote":
            return [Hint(f"empty tote {t}", hints.label(t)) for t in free_totes(self.ctx, 4)]
        stop = self.stop
        assert stop is not None
        if self.step == "into":
            others = [sl.tote for sl in (self.setup.slots if self.setup else ()) if sl.tote]
            wrong = next((t for t in others if t != stop.tote), None)
            right = [Hint(f"tote {stop.tote} (slot {stop.slot})", hints.label(stop.tote or ""))]
            return right + ([Hint(f"wrong tote {wrong}", hints.label(wrong))] if wrong else [])
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
