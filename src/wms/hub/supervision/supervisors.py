"""Supervisors at the hub: named bearer tokens (stored as SHA-256, like device tokens) and the
audit trail of their decisions, which is only ever appended to."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.sync.devices import AuthError


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DecisionRefused(Exception):
    """The hub will not take this decision (or act for this supervisor): the message says why.

    Every refusal of a supervisor's request derives from it, so each interface (API, CLI,
    console) answers them all with the message, never a traceback."""


class OutOfScope(DecisionRefused):
    """The supervisor decides for one warehouse and this is another."""


class NoReason(DecisionRefused):
    """A decision without a reason (blank, or longer than the audit trail keeps)."""


_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,40}")


def _token() -> tuple[str, str]:
    token = "sv-" + secrets.token_urlsafe(32)
    return token, _digest(token)


def new_supervisor(conn: Connection, name: str, warehouse: str | None = None) -> str:
    """Create supervisor ``name`` for ``warehouse`` (None: every warehouse); the token is
    shown once. An existing supervisor is never changed here: their scope only changes by
    revoking them and adding them again, so nobody is widened to every warehouse by a
    forgotten ``--warehouse``."""
    if not _NAME.fullmatch(name) or name != name.strip():
        raise DecisionRefused(f"Not a supervisor name: {name!r} (1-40 printable characters)")
    if (
        warehouse is not None
        and not conn.execute(
            text("SELECT 1 FROM warehouse WHERE code = :w"), {"w": warehouse}
        ).first()
    ):
        raise OutOfScope(f"no warehouse {warehouse} at this hub")
    row = conn.execute(
        text("SELECT warehouse, revoked FROM supervisor WHERE name = :n FOR UPDATE"), {"n": name}
    ).first()
    if row is not None and not row.revoked:
        scope = f"for {row.warehouse}" if row.warehouse else "for every warehouse"
        raise DecisionRefused(
            f"Supervisor {name} exists ({scope}): `wms hub supervisor token {name}` gives them a"
            f" new token; to change their warehouse, `wms hub supervisor revoke {name}`, then"
            " add them again"
        )
    token, digest = _token()
    conn.execute(
        text(
            "INSERT INTO supervisor (name, token_hash, warehouse) VALUES (:n, :h, :w)"
            " ON CONFLICT (name) DO UPDATE SET token_hash = EXCLUDED.token_hash,"
            " warehouse = EXCLUDED.warehouse, revoked = false"
        ),
        {"n": name, "h": digest, "w": warehouse},
    )
    return token


def renew_token(conn: Connection, name: str) -> str:
    """A new token for active supervisor ``name`` (same warehouse); the old one stops working."""
    token, digest = _token()
    done = conn.execute(
        text("UPDATE supervisor SET token_hash = :h WHERE name = :n AND NOT revoked"),
        {"h": digest, "n": name},
    )
    if done.rowcount != 1:
        raise DecisionRefused(f"No active supervisor {name}: `wms hub supervisor add {name}`")
    return token


def revoke_supervisor(conn: Connection, name: str) -> bool:
    """Revoke ``name``: their token stops working at once, their decisions stay audited.
    False when there is no such active supervisor."""
    done = conn.execute(
        text("UPDATE supervisor SET revoked = true WHERE name = :n AND NOT revoked"), {"n": name}
    )
    return done.rowcount == 1


def supervisors(conn: Connection) -> list[dict[str, Any]]:
    """Every supervisor: name, warehouse (None: every one), revoked, since when."""
    rows = conn.execute(
        text("SELECT name, warehouse, revoked, created_at FROM supervisor ORDER BY name")
    )
    return [dict(r._mapping) for r in rows]


def scope_of(conn: Connection, name: str) -> str | None:
    """The one warehouse active supervisor ``name`` supervises, or None for every warehouse;
    DecisionRefused for a name that is no active supervisor."""
    row = conn.execute(
        text("SELECT warehouse, revoked FROM supervisor WHERE name = :n"), {"n": name}
    ).first()
    if row is None or row.revoked:
        raise DecisionRefused(f"No active supervisor {name}: `wms hub supervisor add {name}`")
    return None if row.warehouse is None else str(row.warehouse)


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
        raise NoReason("A decision needs a reason")
    if len(why) > 500 or "\x00" in why:
        raise NoReason("A reason is at most 500 characters, of text")
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
