"""Operator log-on by badge or by ID + PIN.

PINs are stored as scrypt hashes (the standard library's KDF) at OWASP's scrypt minimum, and a
terminal locks an ID after repeated wrong PINs. Both matter because a PIN is short: its hash
travels to every terminal of the operator's warehouse (terminals log on offline), so whoever
copies a store can guess offline, where only the KDF's cost per guess stands in the way; at
the terminal itself, the lock caps the guesses.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, timedelta

from sqlmodel import col, select

from wms.domain.errors import LogonFailed
from wms.domain.kinds import Role
from wms.services.context import Actor, Context
from wms.store.people import Operator, PinLockout

# scrypt cost for new hashes: OWASP's minimum (N=2^17, r=8, p=1: 128 MiB, ~0.4 s a guess on
# one core here), memory-hard so a GPU gains little.
_N, _R, _P = 2**17, 8, 1
# Verification refuses parameters beyond these: a hash is data from the hub's feed.
_MAX_N, _MAX_R, _MAX_P = 2**20, 16, 4
_MAXMEM = 1024 * 1024 * 1024

WRONG_PINS_BEFORE_LOCK = 5
LOCKED_FOR = timedelta(minutes=15)


def _scrypt(secret: bytes, salt: bytes, n: int, r: int, p: int, *, length: int = 64) -> bytes:
    if not (1 < n <= _MAX_N and 0 < r <= _MAX_R and 0 < p <= _MAX_P):
        raise ValueError("scrypt parameters out of range")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=length)


def hash_pin(pin: str) -> str:
    """Hash a PIN with a fresh salt; the result records its own parameters."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin.encode(), salt, _N, _R, _P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def needs_strengthening(stored: str) -> bool:
    """Whether ``stored`` was hashed more cheaply than new hashes are."""
    parts = stored.split("$")
    return parts[0] == "scrypt" and len(parts) == 6 and parts[1].isdigit() and int(parts[1]) < _N


def strengthen(stored: str) -> str:
    """A cheaper hash wrapped in one at today's cost, without knowing the PIN: the old digest
    is hashed again. Verifying it costs both; guessing it costs at least today's cost."""
    _, n, r, p, salt, digest = stored.split("$")
    outer_salt = secrets.token_bytes(16)
    outer = _scrypt(bytes.fromhex(digest), outer_salt, _N, _R, _P, length=32)
    inner = f"{n}${r}${p}${salt}"
    return f"scrypt-wrapped${inner}${_N}${_R}${_P}${outer_salt.hex()}${outer.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Check a PIN against its stored hash (plain or wrapped) in constant time."""
    try:
        kind, *fields = stored.split("$")
        if kind == "scrypt" and len(fields) == 5:
            n, r, p, salt, digest = fields
            candidate = _scrypt(pin.encode(), bytes.fromhex(salt), int(n), int(r), int(p))
        elif kind == "scrypt-wrapped" and len(fields) == 9:
            n, r, p, salt, n2, r2, p2, salt2, digest = fields
            inner = _scrypt(pin.encode(), bytes.fromhex(salt), int(n), int(r), int(p))
            candidate = _scrypt(inner, bytes.fromhex(salt2), int(n2), int(r2), int(p2), length=32)
        else:
            return False
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
    """Log on with operator ID and PIN; the message never says which of the two was wrong.

    After ``WRONG_PINS_BEFORE_LOCK`` wrong PINs in a row the ID is locked for ``LOCKED_FOR``,
    even to the right PIN (the same for an ID nobody has, so a lock tells nothing).
    """
    key, now = code[:40], ctx.clock()
    with ctx.uow(write=False) as uow:
        lock = uow.session.get(PinLockout, key)
        op = uow.session.exec(select(Operator).where(col(Operator.code) == code)).first()
    if lock is not None and lock.locked_until is not None and lock.locked_until > now:
        until = lock.locked_until.astimezone(UTC)
        raise LogonFailed(
            f"ID locked after {WRONG_PINS_BEFORE_LOCK} wrong PINs until {until:%H:%M} UTC:"
            " log on with your badge, or ask a supervisor"
        )
    # Checked outside any write transaction: the KDF takes a good part of a second.
    right = op is not None and op.active and op.pin_hash and verify_pin(pin, op.pin_hash)
    failures = 0 if right or lock is None or lock.locked_until else lock.failures + 1
    with ctx.uow() as uow:
        if right:
            if lock is not None:
                uow.session.delete(uow.session.merge(lock))
        else:
            failures = max(failures, 1)
            locked = now + LOCKED_FOR if failures >= WRONG_PINS_BEFORE_LOCK else None
            uow.session.merge(PinLockout(code=key, failures=failures, locked_until=locked))
        uow.commit()
    if right and op is not None:
        return _actor(op)
    left = WRONG_PINS_BEFORE_LOCK - failures
    if left <= 0:
        raise LogonFailed(f"Wrong ID or PIN: ID locked for {LOCKED_FOR.seconds // 60} minutes")
    raise LogonFailed(f"Wrong ID or PIN ({left} tries left)" if left < 3 else "Wrong ID or PIN")
