"""Supervisor decisions taken from the console: the same hub services as ``wms hub …``.

Each runs in one transaction on the hub's database, checks the supervisor is still active, and
returns a line to show; a refusal raises :class:`Refused` with the service's own message.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from wms.console.queries import active_supervisor
from wms.hub.db import in_transaction
from wms.hub.planning.waves import NothingToRelease, Released, WaveRule, release
from wms.hub.supervision.choices import Resolution
from wms.hub.supervision.clearance import Clearance, NothingToClear, clear
from wms.hub.supervision.recalls import BadRecall, recall
from wms.hub.supervision.resolutions import CannotResolve, resolve
from wms.hub.supervision.supervisors import OutOfScope, check_scope


class Refused(Exception):
    """The hub refused the decision; the message says why."""


@dataclass(frozen=True)
class Supervisor:
    """Who takes the console's decisions, on which hub database."""

    engine: Engine
    name: str

    def _active(self, conn: Connection) -> None:
        if not active_supervisor(conn, self.name):
            raise Refused(f"No active supervisor {self.name}: `wms hub supervisor add {self.name}`")

    def _check(self, conn: Connection, why: str) -> None:
        self._active(conn)
        if not why.strip():
            raise Refused("A decision needs a reason")

    def resolve(self, exception: int, action: Resolution, why: str, delta: int = 0) -> str:
        """Resolve one exception (``delta`` for an adjustment)."""
        try:
            with self.engine.begin() as conn:
                self._check(conn, why)
                decision = resolve(conn, exception, self.name, why, action, delta=delta)
        except (CannotResolve, OutOfScope) as e:
            raise Refused(str(e)) from None
        return f"Exception {exception}: {action} (decision {decision})"

    def clear(self, warehouse: str, why: str, clearance: Clearance) -> str:
        """Release bonded stock under a customs declaration."""
        try:
            with self.engine.begin() as conn:
                self._check(conn, why)
                done = clear(conn, warehouse, self.name, why, clearance)
        except (NothingToClear, OutOfScope) as e:
            raise Refused(str(e)) from None
        return (
            f"Cleared {done.units} units under {clearance.declaration} (decision {done.decision})"
        )

    def recall(self, warehouse: str, why: str, sku: str, lot: str) -> str:
        """Recall one lot of a product everywhere."""
        try:
            with self.engine.begin() as conn:
                self._check(conn, why)
                done = recall(conn, warehouse, self.name, why, sku, lot=lot)
        except (BadRecall, OutOfScope) as e:
            raise Refused(str(e)) from None
        units = sum(m.qty for m in done.moved)
        return f"Recalled {units} units of {sku} lot {lot} (decision {done.decision})"

    def release(
        self,
        warehouse: str,
        *,
        carrier: str | None = None,
        trade_mode: str | None = None,
        max_orders: int = 200,
        totes: int | None = None,
    ) -> str:
        """Release a wave of open orders matching the rule (``totes``: cluster carts)."""
        try:
            rule = WaveRule(
                carrier=carrier,
                trade_mode=trade_mode,
                max_orders=max_orders,
                cluster_totes=totes,
            )
        except ValidationError as e:
            raise Refused("; ".join(f"{x['loc'][0]}: {x['msg']}" for x in e.errors())) from None

        def work(conn: Connection) -> Released:
            self._active(conn)
            check_scope(conn, self.name, warehouse)
            return release(conn, warehouse, self.name, rule)

        try:
            done = in_transaction(self.engine, work)
        except (NothingToRelease, OutOfScope) as e:
            raise Refused(str(e)) from None
        counts = f"{len(done.orders)} orders, {done.lines} lines, {len(done.tasks)} tasks"
        return f"Wave {done.wave}: {counts}" + (
            f"; {len(done.held_back)} held back, short of stock" if done.held_back else ""
        )
