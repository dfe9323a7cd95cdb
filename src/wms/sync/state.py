"""The terminal's sync state row: hub URL, device token, warehouse, pull cursor, last sync."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def save_enrolment(engine: Engine, hub_url: str, token: str, warehouse: str, device: int) -> None:
    """Remember the hub and token; a new enrolment pulls everything again."""
    with UnitOfWork(engine) as uow:
        conn = uow.session.connection()
        conn.execute(text("DELETE FROM syncstate"))
        conn.execute(
            text(
                "INSERT INTO syncstate (hub_url, token, warehouse, device) VALUES (:u, :t, :w, :d)"
            ),
            {"u": hub_url.rstrip("/"), "t": token, "w": warehouse, "d": device},
        )
        conn.execute(text("DELETE FROM enrolattempt"))
        uow.commit()


def save_hub_url(engine: Engine, hub_url: str, device: int) -> None:
    """Point this terminal at its hub's new address; token, cursor and queue stay as they are."""
    with UnitOfWork(engine) as uow:
        uow.session.connection().execute(
            text("UPDATE syncstate SET hub_url = :u, device = :d"),
            {"u": hub_url.rstrip("/"), "d": device},
        )
        uow.commit()


def save_push(engine: Engine, finished: datetime) -> None:
    """Stamp a push that emptied the queue."""
    with UnitOfWork(engine) as uow:
        uow.session.connection().execute(
            text("UPDATE syncstate SET last_push = :at"), {"at": _stamp(finished)}
        )
        uow.commit()


def save_pull(engine: Engine, cursor: str, finished: datetime | None) -> None:
    """Store the cursor after each applied page; ``finished`` stamps a completed sync."""
    with UnitOfWork(engine) as uow:
        conn = uow.session.connection()
        conn.execute(text("UPDATE syncstate SET pull_cursor = :c"), {"c": cursor})
        if finished is not None:
            conn.execute(
                text("UPDATE syncstate SET last_sync = :at, last_pull = :at"),
                {"at": _stamp(finished)},
            )
        uow.commit()


def _code_digest(code: str) -> str:
    # As the hub reads a code: dashes and case do not matter when it is typed.
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def enrol_nonce(engine: Engine, code: str) -> str:
    """The nonce this store sends with ``code``: the same on every retry with that code, so a
    lost reply does not cost the code; kept until the enrolment succeeds."""
    digest = _code_digest(code)
    with UnitOfWork(engine) as uow:
        conn = uow.session.connection()
        found = conn.execute(
            text("SELECT nonce FROM enrolattempt WHERE code_digest = :c"), {"c": digest}
        ).scalar()
        if found is None:
            found = secrets.token_urlsafe(32)
            conn.execute(
                text("INSERT INTO enrolattempt (code_digest, nonce) VALUES (:c, :n)"),
                {"c": digest, "n": found},
            )
            uow.commit()
    return str(found)


_STATUS = text(
    "SELECT s.hub_url, s.warehouse, s.device, s.pull_cursor, s.full_read, s.last_push,"
    " s.last_pull, s.last_sync FROM syncstate s"
)
_QUEUE = text("SELECT count(*), min(seq), min(occurred_at) FROM oplog WHERE acked = 0")
_IDENTITY = text("SELECT device_id, epoch, last_seq FROM deviceidentity")


def report(engine: Engine) -> dict[str, Any]:
    """Everything an operator asks about this terminal's sync, without its token: hub, device,
    stream, queue, cursor, whether a full read is pending, when a push and a pull last ended."""
    with UnitOfWork(engine, write=False) as uow:
        conn = uow.session.connection()
        state = conn.execute(_STATUS).first()
        queued, oldest, since = conn.execute(_QUEUE).one()
        identity = conn.execute(_IDENTITY).first()
    out: dict[str, Any] = {
        "enrolled": state is not None,
        "hub": None,
        "warehouse": None,
        "device": None,
        "cursor": None,
        "full_read_pending": False,
        "last_push": None,
        "last_pull": None,
        "last_sync": None,
    }
    if state is not None:
        out |= {
            "hub": state.hub_url,
            "warehouse": state.warehouse,
            "device": state.device,
            "cursor": state.pull_cursor,
            # A cursor not yet stored means the first pull, a full read, is still to come.
            "full_read_pending": bool(state.full_read) or not state.pull_cursor,
            "last_push": _when(state.last_push),
            "last_pull": _when(state.last_pull),
            "last_sync": _when(state.last_sync),
        }
    out |= {
        "stream": identity.device_id if identity else None,
        "epoch": identity.epoch if identity else None,
        "last_seq": identity.last_seq if identity else 0,
        "queued": int(queued),
        "oldest_queued_seq": oldest,
        "oldest_queued_at": _when(since),
    }
    return out


def _when(value: object) -> str | None:
    """A stored timestamp as ISO 8601 in UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
