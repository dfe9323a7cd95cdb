"""Who is calling the back-office endpoints: a supervisor (``sv-`` tokens) or a sales channel
(``ch-`` tokens), and which warehouses they may touch.

Supervisors decide (waves, replenishment, counts, clearances) and may also post and cancel
orders; channels only post, read and cancel their own orders and read what is available to
sell. Either is kept to its warehouses: anything else is ``403 not_your_warehouse``.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Header
from sqlalchemy import Connection, Engine, text

from wms.hub.api.guards import Refusal
from wms.hub.planning.channels import TOKEN_PREFIX, ChannelRefused, channel_of
from wms.hub.supervision.supervisors import scope_of, supervisor_of
from wms.hub.sync.devices import AuthError

# A code a warehouse can have (what `wms hub warehouse add` takes, and printable at least).
_WAREHOUSE = re.compile(r"[^\x00-\x1f\x7f]{1,20}")


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: ``channel`` is set for a sales channel (None: a supervisor);
    ``warehouses`` None means every warehouse (a head-office supervisor)."""

    name: str
    channel: str | None
    warehouses: tuple[str, ...] | None

    def warehouse(self, conn: Connection, asked: str | None) -> str:
        """The warehouse a request is for: the one asked, if served, or the only one served."""
        if asked is not None and not _WAREHOUSE.fullmatch(asked):
            raise Refusal(422, "invalid", f"not a warehouse code: {asked[:20]!r}")
        if asked is None:
            if self.warehouses is not None and len(self.warehouses) == 1:
                return self.warehouses[0]
            raise Refusal(422, "warehouse_needed", "say which warehouse (?warehouse=CODE)")
        if self.warehouses is not None and asked not in self.warehouses:
            served = ", ".join(self.warehouses)
            raise Refusal(
                403, "not_your_warehouse", f"{self.name} serves {served} only, not {asked}"
            )
        found = conn.execute(text("SELECT 1 FROM warehouse WHERE code = :w"), {"w": asked})
        if found.first() is None:
            raise Refusal(404, "unknown_warehouse", f"no warehouse {asked} at this hub")
        return asked


def _token(authorization: str, hint: str) -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Refusal(401, "unauthorized", hint)
    return token


def _supervisor(conn: Connection, token: str) -> Caller:
    try:
        name = supervisor_of(conn, token)
    except AuthError as e:
        raise Refusal(e.status, e.code, e.detail) from None
    scope = scope_of(conn, name)
    return Caller(name, None, None if scope is None else (scope,))


def caller_dependencies(
    engine: Engine,
) -> tuple[Callable[..., Caller], Callable[..., Caller]]:
    """The two dependencies: any back-office caller (channel or supervisor), and supervisors
    only."""

    def anyone(authorization: Annotated[str, Header(max_length=200)] = "") -> Caller:
        token = _token(authorization, "no token: a channel's (`wms hub channel add`) or a"
                       " supervisor's (`wms hub supervisor add`)")  # fmt: skip
        with engine.begin() as conn:
            if not token.startswith(TOKEN_PREFIX):
                return _supervisor(conn, token)
            try:
                found = channel_of(conn, token)
            except ChannelRefused as e:
                raise Refusal(e.status, e.code, e.detail) from None
        return Caller(found.name, found.name, found.warehouses)

    def supervisor(authorization: Annotated[str, Header(max_length=200)] = "") -> Caller:
        token = _token(authorization, "no supervisor token: `wms hub supervisor add`")
        if token.startswith(TOKEN_PREFIX):
            raise Refusal(403, "supervisors_only", "a channel cannot take this decision")
        with engine.begin() as conn:
            return _supervisor(conn, token)

    return anyone, supervisor
