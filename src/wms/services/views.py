"""Read-only views the terminal's workflows need beside the use cases: what is on a receipt, what
lies loose in a bin, which tasks are open. Selects only, never a write (a small CQRS split)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from wms.domain.errors import DocumentClosed, UnknownCode
from wms.services.context import Context
from wms.store.catalog import Location, Lot, Product
from wms.store.documents import CountTask, InboundDocument, InboundLine, MoveTask
from wms.store.journal import cursor
from wms.store.people import ExceptionRecord
from wms.store.queries import location_by_code, product_by_code, stock_rows


@dataclass(frozen=True)
class ProductInfo:
    """A product as the terminal names it: SKU, name, tracking, and its each GTIN-14."""

    sku: str
    name: str
    tracking: str
    gtin: str | None
    pack: int = 1


@dataclass(frozen=True)
class ReceiptLine:
    """One line of an inbound document and how far it has been received."""

    line_no: int
    product: ProductInfo
    expected: int
    received: int


@dataclass(frozen=True)
class LooseStock:
    """Loose stock (not on a pallet) of one product, lot and status in a bin."""

    product: ProductInfo
    lot: str | None
    expiry: date | None
    status: str
    qty: int


@dataclass(frozen=True)
class CountTaskView:
    """Where a count task is and, for a product count, which product. Never a quantity."""

    number: str
    location: str
    sku: str | None


# Fixed SQL on the unit of work's cursor: these run for every scan (see wms.store.journal).
_EACH_GTIN = (
    "SELECT code FROM productbarcode WHERE product_id = ? AND pack_qty = 1 ORDER BY code LIMIT 1"
)
_RECEIPT_PROGRESS = (
    "SELECT coalesce(sum(l.received_qty), 0), coalesce(sum(l.expected_qty), 0)"
    " FROM inboundline l JOIN inbounddocument d ON d.id = l.document_id WHERE d.number = ?"
)


def _each_gtin(s: Session, product_id: int) -> str | None:
    row = cursor(s).execute(_EACH_GTIN, (product_id,)).fetchone()
    return None if row is None else str(row[0])


def _info(s: Session, product: Product, pack: int = 1) -> ProductInfo:
    assert product.id is not None
    return ProductInfo(product.sku, product.name, product.tracking, _each_gtin(s, product.id), pack)


def product_info(ctx: Context, code: str) -> ProductInfo:
    """The product a scanned code or typed SKU names; UnknownCode when none."""
    with ctx.uow(write=False) as uow:
        product, pack = product_by_code(uow.session, code)
        return _info(uow.session, product, pack)


def receipt_lines(ctx: Context, number: str) -> list[ReceiptLine]:
    """The lines of an open inbound document, in line order; UnknownCode when there is none,
    DocumentClosed when it is closed (it cannot be received against any more)."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        doc = s.exec(select(InboundDocument).where(col(InboundDocument.number) == number)).first()
        if doc is None:
            raise UnknownCode(f"No document {number}")
        if doc.status != "open":
            raise DocumentClosed(f"{number} is closed")
        lines = s.exec(
            select(InboundLine)
            .where(col(InboundLine.document_id) == doc.id)
            .order_by(col(InboundLine.line_no))
        ).all()
        return [
            ReceiptLine(
                ln.line_no,
                _info(s, s.get_one(Product, ln.product_id)),
                ln.expected_qty,
                ln.received_qty,
            )
            for ln in lines
        ]


def case_barcode(ctx: Context, sku: str) -> tuple[str, int] | None:
    """A case GTIN of the product ``sku`` and how many eaches the case holds, if it has one."""
    with ctx.uow(write=False) as uow:
        row = (
            cursor(uow.session)
            .execute(
                "SELECT b.code, b.pack_qty FROM productbarcode b JOIN product p"
                " ON p.id = b.product_id WHERE p.sku = ? AND b.pack_qty > 1 ORDER BY b.code",
                (sku,),
            )
            .fetchone()
        )
    return None if row is None else (str(row[0]), int(row[1]))


def receipt_progress(ctx: Context, number: str) -> tuple[int, int]:
    """Units received and units expected on an inbound document (one query: shown per scan)."""
    with ctx.uow(write=False) as uow:
        received, expected = cursor(uow.session).execute(_RECEIPT_PROGRESS, (number,)).fetchone()
    return int(received), int(expected)


def loose_stock(ctx: Context, location: str) -> list[LooseStock]:
    """Loose stock in a bin, earliest expiry first; UnknownCode when the bin does not exist."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        bin_ = location_by_code(s, location)
        out = []
        for r in stock_rows(s, location_id=bin_.id):
            if r.container_id is not None:
                continue
            lot = s.get_one(Lot, r.lot_id) if r.lot_id else None
            out.append(
                LooseStock(
                    _info(s, s.get_one(Product, r.product_id)),
                    lot.code if lot else None,
                    lot.expiry if lot else None,
                    r.status,
                    r.qty,
                )
            )
    return sorted(out, key=lambda x: (x.product.sku, x.expiry or date.max, x.lot or ""))


_PICK_TASKS = (
    "SELECT number FROM picktask WHERE status NOT IN ('done', 'cancelled') ORDER BY number"
)
# Theirs first (started by them), then the open ones nobody has started.
_MY_PICK_TASKS = (
    "SELECT number FROM picktask WHERE status IN ('open', 'in_progress')"
    " AND (operator_id IS NULL OR operator_id = ?)"
    " ORDER BY operator_id IS NULL, number"
)


def open_pick_tasks(ctx: Context, operator_id: int | None = None) -> list[str]:
    """Numbers of pick tasks not yet done (nor withdrawn by the hub); with ``operator_id``,
    those this operator may work: theirs first, then open ones (not those another operator or
    another terminal is picking)."""
    with ctx.uow(write=False) as uow:
        cur = cursor(uow.session)
        found = (
            cur.execute(_MY_PICK_TASKS, (operator_id,)) if operator_id else cur.execute(_PICK_TASKS)
        )
        return [str(r[0]) for r in found.fetchall()]


_FREE_TOTES = (
    "SELECT c.code FROM container c WHERE c.kind = 'tote'"
    " AND NOT EXISTS (SELECT 1 FROM onhand o WHERE o.container_id = c.id)"
    " AND NOT EXISTS (SELECT 1 FROM picktaskslot sl JOIN picktask t ON t.id = sl.task_id"
    " WHERE sl.container_id = c.id AND t.status IN ('open', 'in_progress'))"
    " ORDER BY c.code LIMIT ?"
)


def free_totes(ctx: Context, limit: int) -> list[str]:
    """Totes holding nothing and on no open task's cart: ones a picker may take."""
    with ctx.uow(write=False) as uow:
        return [str(r[0]) for r in cursor(uow.session).execute(_FREE_TOTES, (limit,))]


def open_count_tasks(ctx: Context, operator_id: int | None = None) -> list[CountTaskView]:
    """Count tasks not yet done, with their bin; with ``operator_id``, those this operator may
    work: theirs first, then the open ones nobody started."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        tasks = s.exec(
            select(CountTask)
            .where(col(CountTask.status) != "done")
            .order_by(col(CountTask.operator_id).is_(None), col(CountTask.number))
        ).all()
        mine = [t for t in tasks if operator_id is None or t.operator_id in (None, operator_id)]
        return [_count_view(s, t) for t in mine]


def count_task(ctx: Context, number: str) -> CountTaskView:
    """One count task's bin and product; UnknownCode when there is none, DocumentClosed when
    it is done."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        task = s.exec(select(CountTask).where(col(CountTask.number) == number)).first()
        if task is None:
            raise UnknownCode(f"No count task {number}")
        if task.status == "done":
            raise DocumentClosed(f"Count {number} is done")
        return _count_view(s, task)


def _count_view(s: Session, task: CountTask) -> CountTaskView:
    sku = s.get_one(Product, task.product_id).sku if task.product_id else None
    return CountTaskView(task.number, s.get_one(Location, task.location_id).code, sku)


def recent_exceptions(ctx: Context, limit: int = 20) -> list[str]:
    """The latest exceptions about this terminal's work, newest first, one line each, with a
    supervisor's resolution once the hub has sent it."""
    with ctx.uow(write=False) as uow:
        rows = uow.session.exec(
            select(ExceptionRecord).order_by(col(ExceptionRecord.id).desc()).limit(limit)
        ).all()
        return [_exception_line(r) for r in rows]


def _exception_line(r: ExceptionRecord) -> str:
    line = f"{r.created_at:%H:%M} {r.message}"
    if r.resolution:
        by = f" by {r.resolved_by}" if r.resolved_by else ""
        why = f": {r.resolved_why}" if r.resolved_why else ""
        line += f" — {r.resolution.upper().replace('_', ' ')}{by}{why}"
    return line


_WAITING = (
    "SELECT DISTINCT loc.code FROM onhand o JOIN location loc ON loc.id = o.location_id"
    " JOIN product p ON p.id = o.product_id LEFT JOIN lot ON lot.id = o.lot_id"
    " WHERE p.sku = ? AND o.container_id IS NULL AND o.qty > 0"
    " AND loc.type IN ('dock', 'bonded', 'staging', 'returns') AND loc.bay IS NULL"
    " AND (? IS NULL OR lot.code = ?) ORDER BY loc.pick_sequence, loc.code"
)


def waiting_at_docks(ctx: Context, sku: str, lot: str | None = None) -> list[str]:
    """The receiving areas (docks, staging, returns: short codes, no bay) where loose stock of
    ``sku`` (and ``lot``) waits to be put away."""
    with ctx.uow(write=False) as uow:
        rows = cursor(uow.session).execute(_WAITING, (sku, lot, lot)).fetchall()
    return [str(r[0]) for r in rows]


def open_move_tasks(ctx: Context) -> list[str]:
    """Stock the hub asked to move (recalled goods to quarantine, pick-face replenishments,
    put-backs of cancelled orders' goods), one line each."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        lines = []
        tasks = s.exec(select(MoveTask).where(col(MoveTask.status) == "open")).all()
        for t in sorted(tasks, key=lambda t: t.number):
            where = s.get_one(Location, t.location_id).code
            sku = s.get_one(Product, t.product_id).sku
            lot = f" lot {s.get_one(Lot, t.lot_id).code}" if t.lot_id else ""
            to = f" to {s.get_one(Location, t.to_location_id).code}" if t.to_location_id else ""
            # A reference in words (a put-back, a replenishment) says why; a recall's number not.
            why = f" ({t.reference})" if t.reference and not t.reference.isdigit() else ""
            lines.append(f"MOVE {t.qty} {sku}{lot} from {where}{to}{why}")
        return lines
