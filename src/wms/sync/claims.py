"""Taking a pick task's lease at the hub when an operator starts it (the workflows' TaskClaims).

Offline-first: when the hub cannot be reached (or the terminal is not enrolled) the operator
picks on, and the hub leases the task to the first terminal whose picks arrive. Only a clear
"another terminal has it" stops the operator, and the task is set aside here at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wms.domain.errors import DocumentClosed
from wms.store.uow import UnitOfWork
from wms.sync.documents import set_aside

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    import httpx
    from sqlalchemy import Engine

# A claim runs beside the operator's work: short, so a dead network costs little (seconds).
CLAIM_TIMEOUT, CLAIM_CONNECT_TIMEOUT = 5.0, 2.0


class HubClaims:
    """Leases pick tasks for this terminal's store at its hub; ``connect`` opens the HTTP client
    (a test passes one over its in-process hub)."""

    def __init__(
        self,
        engine: Engine,
        connect: Callable[[], AbstractContextManager[httpx.Client]] | None = None,
    ) -> None:
        self.engine = engine
        self.connect = connect or _connect

    def claim(self, task: str) -> None:
        """Lease ``task``; DocumentClosed when another terminal has it or it is done."""
        from wms.sync.client import SyncClient, SyncFailed, TaskLeased

        try:
            with self.connect() as http:
                SyncClient(self.engine, http).lease(task)
        except TaskLeased as taken:
            with UnitOfWork(self.engine) as uow:
                set_aside(uow.session.connection(), task)
                uow.commit()
            raise DocumentClosed(f"{taken} · F3, take another task") from None
        except SyncFailed:  # not enrolled, hub unreachable or refusing: work on offline
            return


def _connect() -> httpx.Client:
    # Here, not at the top: the sync client (httpx) loads with the first claim or sync.
    import httpx

    return httpx.Client(timeout=httpx.Timeout(CLAIM_TIMEOUT, connect=CLAIM_CONNECT_TIMEOUT))
