"""Carts and totes: the cart a pick task is walked with, the tote in each of its slots (one
order each), and which order a tote holds on this terminal (hardware/SHIPPING.md).

A single-order task has one slot; a cluster task one per order. The picker scans the cart and
its totes once, at the start; picks then go into the tote of their line's slot. A tote holds one
order at a time: it is free again once it is empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session

from wms.domain.errors import DocumentClosed, UnknownCode, WrongContainer, WrongLocation
from wms.domain.kinds import LocationType
from wms.services.context import Actor, Context
from wms.services.stock_access import pid
from wms.store.catalog import Location
from wms.store.documents import OutboundOrder, PickTask, PickTaskSlot
from wms.store.journal import cursor
from wms.store.queries import snapshot, snapshots
from wms.store.shipping import ToteRecord
from wms.store.stock import Container

TOTE = "tote"  # the container kind of a tote


@dataclass(frozen=True)
class Slot:
    """One tote slot of a task: the order it takes, and the tote put there (None: not yet)."""

    slot: int
    order: str
    tote: str | None


@dataclass(frozen=True)
class CartSetup:
    """A task's cart and totes as they stand."""

    task: str
    cluster: bool
    cart: str | None
    slots: tuple[Slot, ...]

    @property
    def next_empty(self) -> Slot | None:
        """The first slot still waiting for its tote."""
        return next((s for s in self.slots if s.tote is None), None)

    @property
    def ready(self) -> bool:
        """Cart scanned and every slot holding its tote: picking may start."""
        return self.cart is not None and self.next_empty is None

    def slot(self, number: int) -> Slot:
        """Slot ``number`` of the task."""
        found = next((s for s in self.slots if s.slot == number), None)
        if found is None:
            raise UnknownCode(f"Task {self.task} has no tote slot {number}")
        return found


def workable_task(s: Session, number: str) -> PickTask:
    """Pick task ``number`` when it can be worked here (not done, leased away or withdrawn)."""
    task = snapshot(s, PickTask, number=number)
    if task is None:
        raise UnknownCode(f"No pick task {number}")
    if task.status == "done":
        raise DocumentClosed(f"Task {number} is done")
    if task.status == "leased":  # the hub gave it to another terminal (see wms.sync.documents)
        raise DocumentClosed(f"Task {number} is being picked on another terminal")
    if task.status == "cancelled":  # the hub withdrew every line: its order was cancelled
        raise DocumentClosed(f"Task {number} was withdrawn: its order was cancelled")
    return task


def _slots(s: Session, task: PickTask) -> list[PickTaskSlot]:
    rows = snapshots(s, PickTaskSlot, task_id=pid(task))
    if not rows and task.order_id is not None:  # a single-order task before its tote is put
        return [
            PickTaskSlot.model_construct(id=None, task_id=pid(task), slot=1, order_id=task.order_id)
        ]
    return sorted(rows, key=lambda r: r.slot)


def _code(s: Session, model: type[Location] | type[Container], row_id: int | None) -> str | None:
    if row_id is None:
        return None
    row = snapshot(s, model, id=row_id)
    return None if row is None else row.code


def setup_of(s: Session, task: PickTask) -> CartSetup:
    """The cart and totes of ``task`` (in the caller's unit of work)."""
    slots = []
    for r in _slots(s, task):
        order = snapshot(s, OutboundOrder, id=r.order_id)
        number = order.number if order else "?"
        slots.append(Slot(r.slot, number, _code(s, Container, r.container_id)))
    return CartSetup(
        task.number, task.format == "cluster", _code(s, Location, task.cart_id), tuple(slots)
    )


def cart_setup(ctx: Context, number: str) -> CartSetup:
    """The cart and totes of pick task ``number``."""
    with ctx.uow(write=False) as uow:
        return setup_of(uow.session, workable_task(uow.session, number))


def load_cart(ctx: Context, actor: Actor, number: str, cart: str) -> CartSetup:
    """Take pick task ``number`` onto ``cart`` (a location of type cart)."""
    with ctx.uow() as uow:
        s = uow.session
        task = workable_task(s, number)
        loc = snapshot(s, Location, code=cart)
        if loc is None:
            raise UnknownCode(f"No cart {cart}")
        if loc.type != LocationType.CART:
            raise WrongLocation(f"{cart} is not a cart: scan your cart's label")
        cursor(s).execute(
            "UPDATE picktask SET cart_id = ?, operator_id = ? WHERE id = ?",
            (pid(loc), actor.operator_id, pid(task)),
        )
        uow.commit()
        return setup_of(s, workable_task(s, number))


def put_tote(ctx: Context, actor: Actor, number: str, tote: str) -> CartSetup:
    """Put ``tote`` on task ``number``'s cart, in its first empty slot: the tote must be free
    (empty, and on no other open task's cart)."""
    with ctx.uow() as uow:
        s = uow.session
        task = workable_task(s, number)
        setup = setup_of(s, task)
        if setup.cart is None:
            raise WrongContainer("Scan your cart first")
        slot = setup.next_empty
        if slot is None:
            raise WrongContainer(f"Every tote of {number} is on the cart")
        if any(sl.tote == tote for sl in setup.slots):
            raise WrongContainer(f"{tote} is on this cart already: scan another tote")
        holds = tote_order(s, tote)
        if holds is not None and holds != slot.order:
            raise WrongContainer(f"{tote} still holds order {holds}: pack it first")
        container = _tote_container(s, tote, setup.cart)
        busy = _tote_on_open_task(s, pid(container), pid(task))
        if busy is not None:
            raise WrongContainer(f"{tote} is on the cart of task {busy}: take another")
        order = snapshot(s, OutboundOrder, number=slot.order)
        assert order is not None, "a slot names an order of this store"
        cursor(s).execute(
            "INSERT INTO picktaskslot (task_id, slot, order_id, container_id) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (task_id, slot) DO UPDATE SET container_id = excluded.container_id",
            (pid(task), slot.slot, pid(order), pid(container)),
        )
        uow.commit()
        return setup_of(s, task)


def _tote_container(s: Session, code: str, cart: str) -> Container:
    """The tote's container row, created on first use (totes are bought by the box: a label
    the hub has not published yet is still a tote), standing at ``cart``."""
    loc = snapshot(s, Location, code=cart)
    assert loc is not None
    cur = cursor(s)
    cur.execute(
        "INSERT INTO container (code, kind, location_id) VALUES (?, ?, ?)"
        " ON CONFLICT (code) DO UPDATE SET location_id = excluded.location_id",
        (code, TOTE, pid(loc)),
    )
    found = snapshot(s, Container, code=code)
    assert found is not None
    return found


_OPEN_TASK_WITH = (
    "SELECT t.number FROM picktaskslot sl JOIN picktask t ON t.id = sl.task_id"
    " WHERE sl.container_id = ? AND t.id <> ? AND t.status IN ('open', 'in_progress')"
    " AND EXISTS (SELECT 1 FROM picktaskline l WHERE l.task_id = t.id AND l.slot = sl.slot"
    " AND l.status = 'open') LIMIT 1"
)


def _tote_on_open_task(s: Session, container_id: int, task_id: int) -> str | None:
    row = cursor(s).execute(_OPEN_TASK_WITH, (container_id, task_id)).fetchone()
    return None if row is None else str(row[0])


_TOTE_STOCK = (
    "SELECT COALESCE(SUM(o.qty), 0) FROM onhand o JOIN container c ON c.id = o.container_id"
    " WHERE c.code = ?"
)
_UNSENT_PICK = (
    "SELECT payload FROM oplog WHERE acked = 0 AND type = 'pick'"
    " AND json_extract(payload, '$.tote') = ? ORDER BY seq DESC LIMIT 1"
)
_LAST_SLOT = (
    "SELECT o.number FROM picktaskslot sl JOIN container c ON c.id = sl.container_id"
    " JOIN outboundorder o ON o.id = sl.order_id WHERE c.code = ? ORDER BY sl.id DESC LIMIT 1"
)


def tote_order(s: Session, code: str) -> str | None:
    """The order tote ``code`` holds on this terminal, or None when it holds nothing here.

    This terminal's own picks into it that the hub has not heard of yet come first; then the
    hub's word (any terminal's picks); then the last slot it was put in here (a terminal that
    never synced, like the demo).
    """
    cur = cursor(s)
    if not cur.execute(_TOTE_STOCK, (code,)).fetchone()[0]:
        return None
    unsent = cur.execute(_UNSENT_PICK, (code,)).fetchone()
    if unsent is not None and json.loads(unsent[0]).get("order"):
        return str(json.loads(unsent[0])["order"])
    record = snapshot(s, ToteRecord, code=code)
    if record is not None:
        return record.order_number
    last = cur.execute(_LAST_SLOT, (code,)).fetchone()
    return None if last is None else str(last[0])
