"""Handing messages to the customs client, and reading its receipts: background work any hub
process may do, claimed row by row (``FOR UPDATE SKIP LOCKED``) so several processes share it.

- **Outbox** (a warehouse's ``outbox`` code): a **folder** the customs client reads, each
  message written as ``<kind>_<guid>.xml`` atomically (a hidden temporary file, synced, then
  linked under its name, which fails if that name exists): a message is never written twice
  under one guid, even when a process dies between writing it and recording it. Or an
  **HTTP endpoint**: the message is POSTed (``application/xml``) with its guid as the
  ``Idempotency-Key``, until it is answered 2xx; a failure is tried again later (1, 2, 4 …
  minutes, at most an hour), never dropped. A message stays queued while its warehouse names
  no outbox.
- **Inbox** (a warehouse's ``inbox`` code): a folder of receipts; each file is kept and
  applied (:func:`wms.hub.customs.receipts.receive`), then moved to ``done/`` or, set aside,
  to ``set-aside/`` with a ``.why.txt`` beside it. The same file read by two processes is one
  receipt (kept once by its digest).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, Engine, text

from wms.hub.customs.codes import codes_of
from wms.hub.customs.receipts import MAX_RECEIPT_BYTES, receive

log = logging.getLogger("wms.hub.customs")

_DUE = text(
    "SELECT guid, warehouse, kind, body, tries FROM customs_message WHERE state = 'queued'"
    " AND send_after <= :now ORDER BY send_after, guid FOR UPDATE SKIP LOCKED LIMIT 1"
)
_SENT = text(
    "UPDATE customs_message SET state = 'sent', sent_at = now(), error = NULL WHERE guid = :g"
)
_LATER = text(
    "UPDATE customs_message SET send_after = :at, tries = tries + :t, error = :e WHERE guid = :g"
)
NO_OUTBOX_WAIT = timedelta(minutes=1)
TIMEOUT_SECONDS = 10.0


class HandoverFailed(Exception):
    """The customs client could not take the message now."""


def file_name(kind: str, guid: str) -> str:
    """The name a message is handed over under."""
    return f"{kind}_{guid}.xml"


def write_once(folder: Path, name: str, body: bytes) -> bool:
    """Write ``body`` as ``folder/name`` atomically, unless that name exists; True when it was
    written now."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / name
    if final.exists():
        return False
    tmp = folder / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        with tmp.open("wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, final)  # unlike a rename, never replaces a file of that name
        except FileExistsError:
            return False
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _post(url: str, token_env: str | None, guid: str, body: bytes) -> None:
    headers = {"Content-Type": "application/xml", "Idempotency-Key": guid}
    if token_env and os.environ.get(token_env):
        headers["Authorization"] = f"Bearer {os.environ[token_env]}"
    try:
        answer = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as e:
        raise HandoverFailed(f"{type(e).__name__}: {str(e)[:200]}") from None
    if not answer.is_success:
        raise HandoverFailed(f"HTTP {answer.status_code}: {answer.text[:200]}")


def _hand_over(conn: Connection, msg: Any, at: datetime) -> str:
    codes = codes_of(conn, msg.warehouse)
    target = codes.outbox if codes else None
    if not target:
        conn.execute(_LATER, {"g": msg.guid, "at": at + NO_OUTBOX_WAIT, "t": 0, "e": "no outbox"})
        return "waiting"
    body = str(msg.body).encode()
    try:
        if target.startswith(("http://", "https://")):
            _post(target, codes.outbox_token_env if codes else None, msg.guid, body)
        else:
            write_once(Path(target), file_name(msg.kind, msg.guid), body)
    except (HandoverFailed, OSError) as e:
        tries = int(msg.tries) + 1
        later = at + timedelta(minutes=min(2 ** (tries - 1), 60))
        conn.execute(_LATER, {"g": msg.guid, "at": later, "t": 1, "e": str(e)[:500]})
        log.warning("customs handover failed", extra={"guid": msg.guid, "error": str(e)[:200]})
        return "failed"
    conn.execute(_SENT, {"g": msg.guid})
    return "sent"


def send_one(engine: Engine, now: datetime | None = None) -> tuple[str, str] | None:
    """Hand over one due message, claimed so no other process takes it; (guid, outcome:
    sent, failed or waiting), or None when nothing is due."""
    at = now or datetime.now(UTC)
    with engine.begin() as conn:
        msg = conn.execute(_DUE, {"now": at}).first()
        if msg is None:
            return None
        return str(msg.guid), _hand_over(conn, msg, at)


def send_due(engine: Engine, now: datetime | None = None, limit: int = 10_000) -> list[str]:
    """Hand over every due message (at most ``limit``); the guids sent."""
    sent: list[str] = []
    tried: set[str] = set()
    while len(tried) < limit and (done := send_one(engine, now)) is not None:
        if done[0] in tried:
            break  # a message put back as due now (a warehouse without an outbox): stop
        tried.add(done[0])
        if done[1] == "sent":
            sent.append(done[0])
    return sent


# --- the inbox -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """One inbox file read: its receipt id and what became of it."""

    file: str
    receipt: int
    state: str


def _inboxes(engine: Engine) -> list[tuple[str, Path]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT warehouse, codes->>'inbox' AS inbox FROM customs_warehouse"
                " WHERE COALESCE(codes->>'inbox', '') <> '' ORDER BY warehouse"
            )
        ).all()
    return [(r.warehouse, Path(r.inbox)) for r in rows]


def _file_away(path: Path, state: str, reason: str | None) -> None:
    """Move a read file out of the inbox: done/, or set-aside/ with why beside it."""
    where = path.parent / ("set-aside" if state == "set_aside" else "done")
    where.mkdir(exist_ok=True)
    if state == "set_aside" and reason:
        (where / f"{path.name}.why.txt").write_text(reason + "\n", encoding="utf-8")
    with contextlib.suppress(FileNotFoundError):  # another process moved it first
        path.replace(where / path.name)


def read_inbox(engine: Engine, warehouse: str, folder: Path) -> list[Read]:
    """Keep and apply every receipt file in ``folder`` for ``warehouse``, one transaction each,
    oldest name first."""
    if not folder.is_dir():
        return []
    out: list[Read] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            with path.open("rb") as f:
                raw = f.read(MAX_RECEIPT_BYTES + 1)
        except FileNotFoundError:
            continue  # another process took it
        with engine.begin() as conn:
            got = receive(conn, warehouse, raw, path.name)
        _file_away(path, got.state, got.reason)
        out.append(Read(path.name, got.id, got.state))
    return out


def read_inboxes(engine: Engine) -> list[Read]:
    """Read every warehouse's inbox."""
    return [r for wh, folder in _inboxes(engine) for r in read_inbox(engine, wh, folder)]


def customs_loop(engine: Engine, every_seconds: float, stop: threading.Event) -> None:
    """Hand over due messages and read inboxes every ``every_seconds`` until ``stop`` (a hub
    process's background thread)."""
    while not stop.wait(every_seconds):
        try:
            from wms.hub.customs.declare import declare_waiting

            declare_waiting(engine)
            send_due(engine)
            read_inboxes(engine)
        except Exception:  # a database or disk hiccup must not end the loop
            log.exception("customs work failed")
