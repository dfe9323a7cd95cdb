"""Operator log-on by badge or by ID + PIN. PINs are stored as scrypt hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlmodel import col, select

from wms.domain.errors import LogonFailed
from wms.domain.kinds import Role
from wms.services.context import Actor, Context
from wms.store.people import Operator

# scrypt cost: ~50 ms per attempt here, slow enough to make guessing 4-6 digit PINs from a
# stolen store file expensive, fast enough not to be noticed at log-on.
_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    """Hash a PIN with a fresh salt; the result records its own parameters."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Check a PIN against its stored hash in constant time."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        return False
    return hmac.compare_digest(candidate, bytes.fromhex(digest))


def _actor(op: Operator) -> Actor:
    assert op.id is not None
    return Actor(operator_id=op.id, code=op.code, name=op.name, role=Role(op.role))


def logon_badge(ctx: Context, badge: str) -> Actor:
    """Log on by scanning a badge."""
    with ctx.uow(write=False) as uow:
        op = uow.session.exec(select(Operator).where(col(Operator.badge) == badge)).first()
    if op is None or not op.active:
        raise LogonFailed(f"Badge {badge} is not known here")
    return _actor(op)


def logon_pin(ctx: Context, code: str, pin: str) -> Actor:
    """Log on with operator ID and PIN; the message never says which of the two was wrong."""
    with ctx.uow(write=False) as uow:
        op = uow.session.exec(select(Operator).where(col(Operator.code) == code)).first()
    if op is None or not op.active or op.pin_hash is None or not verify_pin(pin, op.pin_hash):
        raise LogonFailed("Wrong ID or PIN")
    return _actor(op)
