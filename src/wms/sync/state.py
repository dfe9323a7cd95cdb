"""The terminal's sync state row: hub URL, device token, warehouse, pull cursor, last sync."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text

from wms.store.uow import UnitOfWork


@dataclass(frozen=True)
class Enrolment:
    """How this terminal reaches its hub. ``token`` is a secret: never print or log it."""

    hub_url: str
    token: str
    warehouse: str
    pull_cursor: str | None


def load(engine: Engine) -> Enrolment | None:
    """The enrolment, or None before ``wms enroll``."""
    with UnitOfWork(engine, write=False) as uow:
        row = (
            uow.session.connection()
            .execute(text("SELECT hub_url, token, warehouse, pull_cursor FROM syncstate"))
            .first()
        )
    return None if row is None else Enrolment(*row)


def save_enrolment(engine: Engine, hub_url: str, token: str, warehouse: str) -> None:
    """Remember the hub and token; a new enrolment pulls everything again."""
    with UnitOfWork(engine) as uow:
        conn = uow.session.connection()
        conn.execute(text("DELETE FROM syncstate"))
        conn.execute(
            text("INSERT INTO syncstate (hub_url, token, warehouse) VALUES (:u, :t, :w)"),
            {"u": hub_url.rstrip("/"), "t": token, "w": warehouse},
        )
        uow.commit()


def save_pull(engine: Engine, cursor: str, finished: datetime | None) -> None:
    """Store the cursor after each applied page; ``finished`` stamps a completed sync."""
    with UnitOfWork(engine) as uow:
        conn = uow.session.connection()
        conn.execute(text("UPDATE syncstate SET pull_cursor = :c"), {"c": cursor})
        if finished is not None:
            conn.execute(
                text("UPDATE syncstate SET last_sync = :at"),
                {"at": finished.strftime("%Y-%m-%d %H:%M:%S.%f")},
            )
        uow.commit()
