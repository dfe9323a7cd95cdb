"""Supervisors at the hub: named bearer tokens (stored as SHA-256, like device tokens) and the
audit trail of their decisions, which is only ever appended to."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.sync.devices import AuthError


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OutOfScope(Exception):
    """The supervisor decides for one warehouse and this is another."""


def new_supervisor(conn: Connection, name: str, warehouse: str | None = None) -> str:
    """Create supervisor ``name`` (or give them a new token) for ``warehouse`` (None: every
    warehouse); the token is shown once. OutOfScope when the hub has no such warehouse."""
    if (
        warehouse is not None
        and not conn.execute(
            text("SELECT 1 FROM warehouse WHERE code = :w"), {"w": warehouse}
        ).first()
    ):
        raise OutOfScope(f"no warehouse {warehouse} at this hub")
    token = "sv-" + secrets.token_urlsafe(32)
    conn.execute(
        text(
            "INSERT INTO supervisor (name, token_hash, warehouse) VALUES (:n, :h, :w)"
            " ON CONFLICT (name) DO UPDATE SET token_hash = EXCLUDED.token_hash,"
            " warehouse = EXCLUDED.warehouse, revoked = false"
        ),
        {"n": name, "h": _digest(token), "w": warehouse},
    )
    return token


def scope_of(conn: Connection, name: str) -> str | None:
    """The one warehouse ``name`` supervises, or None for every warehouse."""
    found = conn.execute(
        text("SELECT warehouse FROM supervisor WHERE name = :n"), {"n": name}
    ).scalar()
    return None if found is None else str(found)


def check_scope(conn: Connection, name: str, warehouse: str | None) -> None:
    """OutOfScope unless ``name`` may see or decide for ``warehouse`` (None: all of them)."""
    mine = scope_of(conn, name)
    if mine is not None and warehouse != mine:
        raise OutOfScope(f"{name} supervises {mine} only, not {warehouse or 'every warehouse'}")


def supervisor_of(conn: Connection, token: str) -> str:
    """The name of the supervisor holding ``token``; AuthError when unknown or revoked."""
    wanted = _digest(token)
    row = conn.execute(
        text("SELECT name, token_hash, revoked FROM supervisor WHERE token_hash = :h"),
        {"h": wanted},
    ).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        raise AuthError(401, "unknown supervisor token", "unauthorized")
    if row.revoked:
        raise AuthError(403, "this supervisor token has been revoked", "revoked")
    return str(row.name)


def record(
    conn: Connection, warehouse: str, action: str, who: str, why: str, **details: Any
) -> int:
    """Append one decision to the audit trail; its id ties ledger rows and exceptions to it.

    Every decision passes here, so this is where a supervisor is kept to their warehouse
    (OutOfScope, rolling the whole decision back).
    """
    if not why.strip():
        raise ValueError("a decision needs a reason")
    check_scope(conn, who, warehouse)
    return int(
        conn.execute(
            text(
                "INSERT INTO decision (warehouse, action, who, why, details)"
                " VALUES (:w, :a, :who, :why, CAST(:d AS jsonb)) RETURNING id"
            ),
            {"w": warehouse, "a": action, "who": who, "why": why, "d": json.dumps(details)},
        ).scalar_one()
    )
