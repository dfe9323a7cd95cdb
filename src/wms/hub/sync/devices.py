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


def new_enrolment(
    conn: Connection, warehouse: str, minutes: int, replaces: int | None = None
) -> tuple[int, str]:
    """Create a device slot with a one-time code; returns (device id, code to show once).

    ``replaces``: a device of the same warehouse that this one succeeds (a terminal enrolled
    again after a revocation). It is revoked now, and its op streams and pick task leases pass
    to the new device when the terminal enrols, so its queued ops are accepted as its own.
    """
    if replaces is not None:
        old = conn.execute(
            text("SELECT warehouse FROM device WHERE id = :id FOR UPDATE"), {"id": replaces}
        ).first()
        if old is None or old.warehouse != warehouse:
            raise LookupError(f"no device {replaces} in warehouse {warehouse}")
        revoke(conn, replaces)
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    device = conn.execute(
        text(
            "INSERT INTO device (warehouse, enrol_code_hash, enrol_expires, replaces)"
            " VALUES (:w, :h, :x, :r) RETURNING id"
        ),
        {
            "w": warehouse,
            "h": digest(code),
            "x": datetime.now(UTC) + timedelta(minutes=minutes),
            "r": replaces,
        },
    ).scalar_one()
    return int(device), code


_CLAIM = text(
    "SELECT id, warehouse, enrol_code_hash, enrol_nonce_hash, replaces FROM device"
    " WHERE enrol_code_hash = :h AND enrol_expires > now() AND NOT revoked FOR UPDATE"
)
# The successor takes over what the terminal did as the device it replaces.
_SUCCEED = (
    text("UPDATE op_stream SET device = :new WHERE device = :old"),
    text("UPDATE document SET leased_to = :new WHERE leased_to = :old"),
)


def enrol(conn: Connection, code: str, nonce: str | None = None) -> tuple[DeviceRow, str]:
    """Trade a valid, unexpired code for a token.

    With a ``nonce`` the code stays good for that nonce alone until the device first uses a
    token (:func:`authenticate` spends it): a terminal whose reply was lost asks again and gets
    the same device with a new token, while any other terminal is refused. Without one (an
    older terminal) the code is spent at once.
    """
    wanted = digest(code)
    row = conn.execute(_CLAIM, {"h": wanted}).first()
    if row is None or not hmac.compare_digest(row.enrol_code_hash, wanted):
        raise AuthError(401, "unknown or expired enrolment code", "bad_code")
    nonce_hash = None if nonce is None else _token_digest(nonce)
    if row.enrol_nonce_hash is not None and not (
        nonce_hash and hmac.compare_digest(row.enrol_nonce_hash, nonce_hash)
    ):
        raise AuthError(401, "this code is being used by another terminal", "bad_code")
    token = secrets.token_urlsafe(32)
    conn.execute(
        text(
            "UPDATE device SET token_hash = :t, enrol_nonce_hash = :n, enrolled_at = now(),"
            " enrol_code_hash = CASE WHEN :keep THEN enrol_code_hash END WHERE id = :id"
        ),
        {"t": _token_digest(token), "n": nonce_hash, "keep": nonce is not None, "id": row.id},
    )
    if row.replaces is not None:
        for statement in _SUCCEED:
            conn.execute(statement, {"new": row.id, "old": row.replaces})
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
        raise AuthError(
            403,
            f"this device ({row.id}) has been revoked at the hub; to sync this terminal again,"
            f" enrol it with a code from `wms hub enroll --warehouse {row.warehouse}"
            f" --replaces {row.id}`",
            "revoked",
        )
    # The terminal holds its token: its enrolment code is spent from now on.
    conn.execute(
        text(
            "UPDATE device SET last_seen = now(), enrol_code_hash = NULL, enrol_nonce_hash = NULL"
            " WHERE id = :id"
        ),
        {"id": row.id},
    )
    return DeviceRow(int(row.id), str(row.warehouse))


def revoke(conn: Connection, device: int) -> bool:
    """Revoke a device's token for good; returns False when there is no such device."""
    done = conn.execute(text("UPDATE device SET revoked = true WHERE id = :id"), {"id": device})
    return done.rowcount == 1
