"""Devices: one-time enrolment codes, bearer tokens stored as hashes, revocation.

Tokens and codes are random (≥ 60 bits), so a plain SHA-256 is enough to store them: there is
nothing to brute-force that a slow hash would protect.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, text

# No 0/O, 1/I/L: codes are read off a supervisor's screen and typed on a terminal.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class DeviceRow:
    """An enrolled device: who it is and the one warehouse it works in."""

    id: int
    warehouse: str


class AuthError(Exception):
    """Refused: ``status`` 401 (unknown token or code) or 403 (revoked)."""

    def __init__(self, status: int, detail: str, code: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.code = status, detail, code


def digest(secret: str) -> str:
    """The stored form of an enrolment code (dashes and case do not matter when typed)."""
    return hashlib.sha256(secret.strip().upper().replace("-", "").encode()).hexdigest()


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_enrolment(conn: Connection, warehouse: str, minutes: int) -> tuple[int, str]:
    """Create a device slot with a one-time code; returns (device id, code to show once)."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    device = conn.execute(
        text(
            "INSERT INTO device (warehouse, enrol_code_hash, enrol_expires)"
            " VALUES (:w, :h, :x) RETURNING id"
        ),
        {"w": warehouse, "h": digest(code), "x": datetime.now(UTC) + timedelta(minutes=minutes)},
    ).scalar_one()
    return int(device), code


def enrol(conn: Connection, code: str) -> tuple[DeviceRow, str]:
    """Trade a valid, unused, unexpired code for a token; the code stops working."""
    wanted = digest(code)
    row = conn.execute(
        text(
            "SELECT id, warehouse, enrol_code_hash FROM device WHERE enrol_code_hash = :h"
            " AND enrol_expires > now() AND NOT revoked FOR UPDATE"
        ),
        {"h": wanted},
    ).first()
    if row is None or not hmac.compare_digest(row.enrol_code_hash, wanted):
        raise AuthError(401, "unknown or expired enrolment code", "bad_code")
    token = secrets.token_urlsafe(32)
    conn.execute(
        text(
            "UPDATE device SET token_hash = :t, enrol_code_hash = NULL, enrolled_at = now()"
            " WHERE id = :id"
        ),
        {"t": _token_digest(token), "id": row.id},
    )
    return DeviceRow(int(row.id), str(row.warehouse)), token


def authenticate(conn: Connection, token: str) -> DeviceRow:
    """The device holding ``token``; a revoked device is told so, distinctly from a bad token."""
    wanted = _token_digest(token)
    row = conn.execute(
        text("SELECT id, warehouse, token_hash, revoked FROM device WHERE token_hash = :h"),
        {"h": wanted},
    ).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        raise AuthError(401, "unknown device token: enrol this terminal again", "unauthorized")
    if row.revoked:
        raise AuthError(403, "this device has been revoked at the hub", "revoked")
    conn.execute(text("UPDATE device SET last_seen = now() WHERE id = :id"), {"id": row.id})
    return DeviceRow(int(row.id), str(row.warehouse))


def revoke(conn: Connection, device: int) -> bool:
    """Revoke a device's token for good; returns False when there is no such device."""
    done = conn.execute(text("UPDATE device SET revoked = true WHERE id = :id"), {"id": device})
    return done.rowcount == 1
