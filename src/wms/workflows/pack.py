"""The pack station: scan a tote (or the order, or its pick task); the order's lines come up;
scan each item into the parcel (a case counts its pack, a GS1 label its lot); a wrong item, a
surplus or a lot other than the one picked is refused at once, and the screen keeps saying what
is still missing. F4 when the parcel is full: scan the carton (F4 takes the one suggested), then
the weight comes from the scale (or is typed) and is checked against what the parcel should
weigh. The parcel closes with its SSCC and waybill number, and its label prints in the
background. What is left of the order goes into the next parcel; orders are never mixed.

A parcel's label scanned at the start: #YES prints its label again, #NO opens it again (void:
its goods go back on the bench, still the order's, to be packed again).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import ClassVar

from wms.domain.errors import DomainError, NoNumbers, NotPermitted, WrongLocation
from wms.domain.kinds import LocationType, Role
from wms.domain.packing import CartonType, WeightTolerance, kg, parse_weight
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import Command, DocumentType
from wms.domain.scan_words import product_code, scan_count
from wms.services.auth import logon_badge
from wms.services.context import Actor, Context
from wms.services.numbers import mark_packing_terminal
from wms.services.packing import (
    Boxed,
    Draft,
    Item,
    LotNeeded,
    PackOrder,
    Take,
    carton,
    check_item,
    close_parcel,
    expected_g,
    label_facts,
    last_station,
    lots_of,
    missing,
    open_order,
    order_for,
    packed_here,
    parcel_at,
    record_booking,
    scanned_item,
    station_type,
    suggestion,
    unpack,
    waiting_totes,
)
from wms.services.views import case_barcode, free_totes, product_info
from wms.workflows import hints
from wms.workflows.base import Hint, StepView, Workflow
from wms.workflows.booking import ParcelBooking, ParcelFacts
from wms.workflows.jobs import Job
from wms.workflows.printing import LabelPort
from wms.workflows.scale import ScaleState
from wms.workflows.steps import LOT, QUANTITY, WORDS, Accepts, Steps, Takes, TextFormat, parse_qty


def _weight(text: str) -> str | None:
    try:
        parse_weight(text)
    except ValueError as e:
        return str(e)
    return None


def _carton_code(text: str) -> str | None:
    ok = 0 < len(text) <= 20 and all("!" <= ch <= "~" for ch in text)
    return None if ok else "Scan the carton's barcode"


WEIGHT = TextFormat("a weight", _weight)
CARTON = TextFormat("a carton", _carton_code)
_ORDERS = (DocumentType.SALES_ORDER, DocumentType.REEXPORT_ORDER, DocumentType.PICK_TASK)
TOLERANCE = WeightTolerance()


class PackWorkflow(Workflow):
    """Pack one order after the other, parcel by parcel."""

    name = "pack"
    title = "Pack"
    commands = (
        (Command.DONE, "parcel full: on to the carton (at the carton: the one suggested)"),
        (Command.YES, "at a parcel: print its label again"),
        (Command.NO, "at a parcel: open it again (void)"),
    )
    steps: ClassVar[Steps] = {
        "station": Accepts("Scan the pack station", Takes.BIN),
        "start": Accepts(
            "Scan a tote, the order or a parcel",
            Takes.TOTE,
            Takes.DOCUMENT,
            Takes.PARCEL,
            Takes.BIN,
            documents=_ORDERS,
        ),
        "items": Accepts("Scan the items", Takes.PRODUCT, text=QUANTITY),
        "lot": Accepts("Scan or type the lot", Takes.LOT, text=LOT),
        "carton": Accepts("Scan the carton", text=CARTON),
        "weight": Accepts("Weigh the parcel or type its weight", Takes.BADGE, text=WEIGHT),
        "parcel": Accepts("#YES reprints the label, #NO opens the parcel"),
        "reason": Accepts("Why open it? Type it", text=WORDS),
    }

    def __init__(
        self,
        ctx: Context,
        actor: Actor,
        labels: LabelPort | None = None,
        booking: ParcelBooking | None = None,
    ) -> None:
        super().__init__(ctx, actor)
        self.labels, self.booking = labels, booking
        self.wants_sync = mark_packing_terminal(ctx)
        self.station = last_station(ctx)
        self.step = "start" if self.station else "station"
        self.order: PackOrder | None = None
        self.draft = Draft()
        self.qty = 1
        self.pending: Item | None = None
        self.box: CartonType | None = None
        self.suggested: CartonType | None = None
        self.refused_g: int | None = None  # a weight out of tolerance, for a supervisor to accept
        self.refused_source = ""
        self.parcel: str | None = None  # the parcel scanned at the start

    # -- what the screen shows --------------------------------------------------------------------

    def prompt(self) -> str:
        """What to scan now."""
        order = self.order
        if self.step == "station":
            return "Scan your pack station"
        if self.step == "parcel":
            return "#YES reprint · #NO open it again"
        if self.step == "reason":
            return "Why open it? Type it (or #DAMAGED)"
        if self.step == "start" or order is None:
            return "Scan a tote, the order or a parcel"
        if self.step == "items":
            left = sum(m.to_scan for m in missing(order, self.draft))
            qty = f" (qty {self.qty})" if self.qty > 1 else ""
            return f"Scan the items: {left} to go{qty}" if left else "All in: F4, carton"
        if self.step == "lot":
            return "Scan or type the lot"
        if self.step == "carton":
            hint = f" (F4: {self.suggested.code})" if self.suggested else ""
            return f"Scan the carton{hint}"
        if self.step == "weight":
            if self.refused_g is not None:
                return f"Weigh again, or supervisor badge keeps {kg(self.refused_g)}"
            expect = self._expected()
            shown = f" ~{kg(expect)}" if expect else ""
            return f"Weigh it{shown} or type the weight"
        return "Scan a tote, the order or a parcel"

    def context(self) -> tuple[str, ...]:
        """The order, its lines (scanned here / wanted), and the parcel so far."""
        if self.step == "parcel" and self.parcel:
            p = parcel_at(self.ctx, self.parcel)
            return (
                f"Parcel {p.sscc}",
                f"{p.order_number} {p.carrier} {p.waybill or 'no waybill'}",
                p.status,
            )
        order = self.order
        if order is None:
            return (f"Station {self.station}",) if self.station else ()
        head = f"{order.number} {order.carrier or '?'}"
        totes = " ".join(order.totes)
        lines = [head + (f" · {totes}" if totes else "")]
        for ln in order.lines:
            here = self.draft.units(order, ln.sku)
            want = ln.ordered - ln.packed
            mark = "ok" if here >= want else f"{here}/{want}"
            lines.append(f"{ln.sku} {mark}")
        if self.step in ("carton", "weight"):
            box = self.box.code if self.box else "-"
            lines.append(f"Parcel {self.draft.units(order)} units · {box}")
        return tuple(lines)

    def progress(self) -> str:
        """Parcel number within the order."""
        return f"parcel {self.order.parcels_before + 1}" if self.order else ""

    @property
    def dirty(self) -> bool:
        """Items scanned into a parcel not closed yet."""
        return bool(self.draft.takes)

    def unsaved(self) -> str:
        """The parcel being filled."""
        if self.order and self.draft.takes:
            return f"{self.order.number} parcel of {self.draft.units(self.order)} units not closed"
        return ""

    # -- inputs -----------------------------------------------------------------------------------

    def on_scan(self, scan: Scan) -> None:
        """Station, tote/order/parcel, items and their lots, a supervisor's badge at the scale."""
        if self.step in ("station", "start") and scan.kind is ScanKind.LOCATION and scan.code:
            self._station(scan.code)
        elif self.step == "start" and scan.kind is ScanKind.CONTAINER and scan.sscc:
            parcel = parcel_at(self.ctx, scan.sscc)
            self.parcel, self.step = parcel.sscc, "parcel"
            self.note(f"Parcel of {parcel.order_number}: {parcel.status}")
        elif self.step == "start" and scan.code:
            self._open(scan.code)
        elif self.step == "items":
            self._item(scan)
        elif self.step == "lot" and self.pending is not None:
            self.require_label_of(self.pending.sku, scan)
            self._add(replace(self.pending, lot=scan.lot))
        elif self.step == "weight" and scan.code:
            self._supervisor_keeps(scan.code)

    def on_text(self, text: str) -> None:
        """A quantity before an item, a lot, a carton's code, a weight, a reason."""
        if self.step == "items":
            self.qty = parse_qty(text)
            self.note(f"Quantity {self.qty} for the next scan")
        elif self.step == "lot" and self.pending is not None:
            self._add(replace(self.pending, lot=text))
        elif self.step == "carton":
            self._boxed(carton(self.ctx, text))
        elif self.step == "weight":
            self._weighed(parse_weight(text), "typed")
        elif self.step == "reason":
            self._void(text)
        else:
            super().on_text(text)

    def on_command(self, command: Command) -> None:
        """F4: parcel full, or the suggested carton; #YES/#NO at a parcel; F3 back a step."""
        if command is Command.DONE and self.step in ("items", "lot"):
            self._full()
        elif command is Command.DONE and self.step == "carton":
            if self.suggested is None:
                raise DomainError("No carton to suggest: scan the carton")
            self._boxed(self.suggested)
        elif command is Command.YES and self.step == "parcel" and self.parcel:
            self._reprint(self.parcel)
            self.step, self.parcel = "start", None
        elif command is Command.NO and self.step == "parcel":
            self.step = "reason"
            self.note("Open the parcel again")
        elif command is Command.DAMAGED and self.step == "reason":
            self._void("damaged")
        elif command is Command.BACK:
            self._back()
        else:
            super().on_command(command)

    def _back(self) -> None:
        back = {"lot": "items", "carton": "items", "weight": "carton", "reason": "parcel"}
        if self.step in back:
            self.pending, self.refused_g = None, None
            self.step = back[self.step]
            self.note("Back")
        elif self.step == "parcel":
            self.step, self.parcel = "start", None
        elif self.step == "items" and not self.draft.takes:
            self.order, self.step = None, "start"
        elif self.step == "items":
            raise DomainError("Items are in the parcel: Esc drops them, F4 goes on")
        else:
            self.finished = True

    # -- the steps --------------------------------------------------------------------------------

    def _station(self, code: str) -> None:
        if station_type(self.ctx, code) != LocationType.PACK:
            raise WrongLocation(f"{code} is not a pack station")
        if self.draft.takes:
            raise DomainError("Close the parcel first")
        self.station, self.order, self.step = code, None, "start"
        self.note(f"Pack station {code}")

    def _open(self, code: str) -> None:
        assert self.station is not None
        number = order_for(self.ctx, code)
        self.order = open_order(self.ctx, number, self.station)
        self.draft, self.qty, self.step = Draft(), 1, "items"
        self.note(f"Order {number}: {len(self.order.lines)} line(s)")

    def _item(self, scan: Scan) -> None:
        code = product_code(scan)
        assert code is not None  # the step takes product scans only
        item = scanned_item(self.ctx, code, self.qty, scan.lot, scan_count(scan))
        try:
            self._add(item)
        except LotNeeded:
            self.pending, self.step = item, "lot"
            raise

    def _add(self, item: Item) -> None:
        assert self.order is not None
        takes: list[Take] = check_item(self.order, self.draft, item)
        self.draft.takes += takes
        self.pending, self.qty, self.step = None, 1, "items"
        here = self.draft.units(self.order, item.sku)
        line = self.order.line(item.sku)
        want = line.ordered - line.packed if line else here
        self.note(f"{item.sku} × {item.units} in ({here}/{want})")
        if not any(m.to_scan for m in missing(self.order, self.draft)):
            self._full()

    def _full(self) -> None:
        if self.order is None or not self.draft.takes:
            raise DomainError("Scan the items first")
        self.pending = None
        self.suggested = suggestion(self.ctx, self.order, self.draft)
        self.step = "carton"
        left = sum(m.to_scan for m in missing(self.order, self.draft))
        more = f"; {left} more for the next parcel" if left else ""
        self.note(f"Parcel full{more}")

    def _boxed(self, box: CartonType) -> None:
        self.box, self.refused_g, self.step = box, None, "weight"
        self.note(f"Carton {box.code}")  # a parcel on the scale already is weighed next

    def _expected(self) -> int | None:
        return expected_g(self.order, self.draft, self.box) if self.order else None

    def _weighed(self, grams: int, source: str) -> None:
        problem = TOLERANCE.problem(grams, self._expected())
        if problem is not None:
            self.refused_g, self.refused_source = grams, source
            raise DomainError(f"{problem}: check the parcel")
        self._close(grams, source)

    def _supervisor_keeps(self, badge: str) -> None:
        if self.refused_g is None:
            raise DomainError("Weigh the parcel or type its weight")
        if logon_badge(self.ctx, badge).role != Role.SUPERVISOR:
            raise NotPermitted("Only a supervisor may keep a weight out of tolerance")
        self._close(self.refused_g, self.refused_source)

    def _close(self, grams: int, source: str) -> None:
        assert self.order is not None
        assert self.box is not None
        try:
            closed = close_parcel(
                self.ctx, self.actor, self.order, self.draft, Boxed(self.box, grams, source)
            )
        except NoNumbers:
            self.wants_sync = True  # the parcel waits at the scale; the sync brings numbers
            raise
        order = self.order
        self._after_close(closed.sscc, order, grams, closed.carrier_kind)
        self.refused_g = None
        number = f" · {closed.waybill}" if closed.waybill else ""
        self.ok(f"Parcel {closed.sscc[-6:]} closed {kg(grams)}{number}")
        if closed.complete:
            self.order, self.draft, self.step = None, Draft(), "start"
            self.result += f" · {order.number} packed"
            return
        try:  # the rest of the order: into the next parcel
            self.order = open_order(self.ctx, order.number, order.station)
        except DomainError:
            self.order, self.step = None, "start"
        else:
            self.step = "items"
        self.draft = Draft()

    def _after_close(self, sscc: str, order: PackOrder, grams: int, kind: str) -> None:
        """The label in the background: ours for a pool carrier; an API carrier's parcel is
        booked online first (the hub's answer carries the carrier's label)."""
        if kind == "api":
            facts = ParcelFacts(
                sscc,
                order.number,
                order.carrier or "",
                order.service,
                grams,
                self.box.code if self.box else None,
            )
            self.jobs.append(
                Job(f"booking of {sscc}", partial(self._book_and_print, facts), "Not booked online")
            )
        else:
            self.jobs.append(
                Job(f"shipping label {sscc}", partial(self._print, sscc), "Label not printed")
            )

    def _print(self, sscc: str) -> None:
        if self.labels is None:
            raise DomainError("no label printer on this terminal")
        self.labels.print_shipping(label_facts(self.ctx, sscc))

    def _book_and_print(self, facts: ParcelFacts) -> None:
        if self.booking is None:
            raise DomainError("no hub to book with: the hub books it when this terminal syncs")
        booked = self.booking.book(facts)
        record_booking(self.ctx, facts.sscc, booked.waybill)
        if self.labels is None:
            raise DomainError("no label printer on this terminal")
        if booked.label_zpl and self.labels.print_carrier_label(booked.label_zpl, facts.sscc):
            return
        self.labels.print_shipping(label_facts(self.ctx, facts.sscc))

    def _reprint(self, sscc: str) -> None:
        parcel = parcel_at(self.ctx, sscc)
        if parcel.status == "void":
            raise DomainError(f"Parcel {sscc} is void: it has no label")
        if parcel.waybill is None and parcel.packed_here and self.booking is not None:
            facts = ParcelFacts(
                sscc,
                parcel.order_number,
                parcel.carrier,
                parcel.service,
                parcel.weight_g,
                parcel.carton,
            )
            self.jobs.append(
                Job(f"booking of {sscc}", partial(self._book_and_print, facts), "Not booked online")
            )
        else:
            label_facts(self.ctx, sscc)  # refuses now what the job could not print
            self.jobs.append(
                Job(f"shipping label {sscc}", partial(self._print, sscc), "Label not printed")
            )
        self.note(f"Label of {sscc[-6:]} printing again")

    def _void(self, reason: str) -> None:
        assert self.parcel is not None
        assert self.station is not None
        opened = unpack(self.ctx, self.actor, self.parcel, self.station, reason)
        self.ok(f"Parcel {self.parcel[-6:]} opened: {opened.units} units on the bench")
        self.step, self.parcel = "start", None

    # -- the scale --------------------------------------------------------------------------------

    def weighs(self) -> bool:
        """The weight step takes the scale's readings."""
        return self.step == "weight"

    def weighed(self, scale: ScaleState) -> StepView | None:
        """A newly placed parcel's settled weight: checked, and the parcel closed."""
        grams = scale.take()
        if grams is None:
            return None
        return self._run(partial(self._weighed, source="scale"), grams)

    # -- the demo scanner -------------------------------------------------------------------------

    def hints(self) -> list[Hint]:
        """Totes and orders waiting; the items, a wrong one and a wrong lot; cartons; a parcel
        on the scale (right and too heavy); a supervisor's badge."""
        if self.step == "station":
            return [
                Hint("pack station PACK-01", hints.label("PACK-01")),
                Hint("a bin, not a station", hints.label("A-01-01-A-1")),
            ]
        if self.step == "weight":
            expect = self._expected() or 1000
            out = [
                Hint(f"scale: the parcel ({kg(expect + 12)})", str(expect + 12), "scale"),
                Hint(f"scale: too heavy ({kg(expect + 600)})", str(expect + 600), "scale"),
            ]
            if self.refused_g is not None:
                out.append(Hint("badge OP0009 Sam (supervisor)", hints.label("OP0009")))
            return out
        if self.step == "carton":
            found = [Hint(f"carton {c}", hints.label(c)) for c in ("BOX-S", "BOX-M", "BAG-P")]
            return [hints.command(Command.DONE, "the suggested carton"), *found]
        if self.step == "parcel":
            return [
                hints.command(Command.YES, "reprint"),
                hints.command(Command.NO, "open it again"),
            ]
        if self.step == "reason":
            return [hints.command(Command.DAMAGED, "damaged")]
        if self.order is None:
            return self._start_hints()
        return self._item_hints(self.order)

    def _start_hints(self) -> list[Hint]:
        out = [Hint(f"tote {t} ({o})", hints.label(t)) for t, o in waiting_totes(self.ctx)[:4]]
        out += [Hint(f"empty tote {t}", hints.label(t)) for t in free_totes(self.ctx, 1)]
        for p in packed_here(self.ctx, 2):
            out.append(Hint(f"parcel {p.sscc[-6:]} ({p.order_number})", hints.sscc(p.sscc)))
        return out

    def _item_hints(self, order: PackOrder) -> list[Hint]:
        out: list[Hint] = []
        seen: set[tuple[str, str | None]] = set()
        for src in order.sources:
            if (src.sku, src.lot) in seen:
                continue
            seen.add((src.sku, src.lot))
            gtin = product_info(self.ctx, src.sku).gtin
            if gtin is None:
                continue
            if self.step == "lot" and src.lot:
                out.append(Hint(f"lot {src.lot}", hints.label(src.lot)))
            elif src.lot:
                out.append(Hint(f"{src.sku} lot {src.lot}", hints.gs1(gtin, lot=src.lot)))
                wrong = next((lot for lot in lots_of(self.ctx, src.sku) if lot != src.lot), None)
                if wrong:
                    out.append(Hint(f"{src.sku} wrong lot {wrong}", hints.gs1(gtin, lot=wrong)))
            else:
                out.append(Hint(f"{src.sku} EAN", hints.ean(gtin)))
        first = order.sources[0].sku if order.sources else None
        case = case_barcode(self.ctx, first) if first else None
        if case is not None and self.step == "items":
            out.append(Hint(f"{first} case of {case[1]} (surplus)", hints.gs1(case[0])))
        stranger = "SKU-01000" if all(s.sku != "SKU-01000" for s in order.sources) else "SKU-01001"
        other = product_info(self.ctx, stranger).gtin
        if other and self.step == "items":
            out.append(Hint(f"{stranger}: not in the order", hints.ean(other)))
        if self.step == "items" and self.draft.takes:
            out.append(hints.command(Command.DONE, "parcel full"))
        return out
