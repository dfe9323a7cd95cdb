"""How a wave's reserved lines become pick tasks, pure (no database).

A single-order task walks one order's lines. A cluster task puts several orders on one cart,
one tote per order, within the cart's limits (totes, lines, weight), and walks every line of
the cart in one pass, in walking sequence across all its orders. A cart that ends up holding
one order is a single-order task: any terminal can pick it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PickLine:
    """Reserved units of one order line in one bin (lot, pallet, status) to pick; ``ref``
    names the reservation and is opaque here."""

    order: str
    line_no: int
    sku: str
    location: str
    lot: str
    container: str
    status: str
    qty: int
    walk: int
    weight_g: int = 0  # of all ``qty`` units; 0 when the product's weight is unknown
    ref: int = 0


@dataclass(frozen=True)
class CartLimits:
    """What one cart takes: totes (one order each), and at most so many lines and grams."""

    totes: int
    max_lines: int | None = None
    max_weight_g: int | None = None


@dataclass(frozen=True)
class PlannedTask:
    """A task to publish: its orders (tote ``n`` holds ``orders[n - 1]``) and its lines in
    walking order."""

    orders: tuple[str, ...]
    lines: tuple[PickLine, ...]

    @property
    def cluster(self) -> bool:
        """Several orders on one cart: each line says which tote its units go into."""
        return len(self.orders) > 1

    def tote(self, line: PickLine) -> int | None:
        """The tote slot (1-based) ``line``'s units go into; None on a single-order task."""
        return self.orders.index(line.order) + 1 if self.cluster else None


def walk_order(lines: Iterable[PickLine]) -> list[PickLine]:
    """Lines in the order a picker meets them: by walking sequence, then bin, then order."""
    return sorted(
        lines, key=lambda ln: (ln.walk, ln.location, ln.order, ln.line_no, ln.lot, ln.container)
    )


def _by_order(lines: Sequence[PickLine]) -> list[list[PickLine]]:
    """Each order's lines, orders by where their walk starts."""
    groups: dict[str, list[PickLine]] = {}
    for ln in walk_order(lines):
        groups.setdefault(ln.order, []).append(ln)
    return list(groups.values())


def single_tasks(lines: Sequence[PickLine]) -> list[PlannedTask]:
    """One task per order."""
    return [PlannedTask((group[0].order,), tuple(group)) for group in _by_order(lines)]


def cluster_tasks(lines: Sequence[PickLine], limits: CartLimits) -> list[PlannedTask]:
    """Orders packed onto carts in walking order, each cart within ``limits``; an order that
    alone exceeds a cart's lines or weight still gets a cart of its own."""
    if limits.totes < 1:
        raise ValueError("a cart needs at least one tote")
    carts: list[list[list[PickLine]]] = []
    lines_on = weight_on = 0
    for group in _by_order(lines):
        n, w = len(group), sum(ln.weight_g for ln in group)
        full = bool(carts) and (
            len(carts[-1]) >= limits.totes
            or (limits.max_lines is not None and lines_on + n > limits.max_lines)
            or (limits.max_weight_g is not None and weight_on + w > limits.max_weight_g)
        )
        if not carts or full:
            carts.append([])
            lines_on = weight_on = 0
        carts[-1].append(group)
        lines_on += n
        weight_on += w
    return [
        PlannedTask(
            tuple(group[0].order for group in cart),
            tuple(walk_order(ln for group in cart for ln in group)),
        )
        for cart in carts
    ]
