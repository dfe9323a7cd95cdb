"""Supervisors at the hub: named bearer tokens (stored as SHA-256, like device tokens) and the
audit trail of their decisions, which is only ever appended to."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.auth import AuthError


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_supervisor(conn: Connection, name: str) -> str:
    """Create supervisor ``name`` (or give them a new token); the token is shown once."""
    token = "sv-" + secrets.token_urlsafe(32)
    conn.execute(
        text(
            "INSERT INTO supervisor (name, token_hash) VALUES (:n, :h) ON CONFLICT (name)"
            " DO UPDATE SET token_hash = EXCLUDED.token_hash, revoked = false"
        ),
        {"n": name, "h": _digest(token)},
    )
    return token


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
    """Append one decision to the audit trail; its id ties ledger rows and exceptions to it."""
    if not why.strip():
        raise ValueError("a decision needs a reason")
    return int(
        conn.execute(
            text(
                "INSERT INTO decision (warehouse, action, who, why, details)"
                " VALUES (:w, :a, :who, :why, CAST(:d AS jsonb)) RETURNING id"
            ),
            {"w": warehouse, "a": action, "who": who, "why": why, "d": json.dumps(details)},
        ).scalar_one()
    )
