"""PINs at the terminal: hashed at OWASP's scrypt cost (older hashes wrapped without the PIN),
and an ID locked after five wrong PINs, even to the right one, until the lock lapses."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pytest

from tests.conftest import NOW
from wms.domain.errors import LogonFailed
from wms.services.auth import (
    LOCKED_FOR,
    hash_pin,
    logon_badge,
    logon_pin,
    needs_strengthening,
    strengthen,
    verify_pin,
)
from wms.services.context import Context


def _cheap_hash(pin: str) -> str:
    """A hash as wms stored them before: scrypt at N=2^14, guessed by one core in minutes."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt$16384$8$1${salt.hex()}${digest.hex()}"


def test_a_pin_is_hashed_at_owasps_scrypt_cost() -> None:
    stored = hash_pin("482913")
    assert stored.split("$")[:4] == ["scrypt", str(2**17), "8", "1"]
    assert verify_pin("482913", stored)
    assert not verify_pin("482914", stored)
    assert not needs_strengthening(stored)


def test_an_older_cheaper_hash_is_strengthened_without_the_pin() -> None:
    old = _cheap_hash("1234")
    assert needs_strengthening(old)
    wrapped = strengthen(old)
    assert wrapped.startswith("scrypt-wrapped$16384$8$1$")
    assert f"${2**17}$8$1$" in wrapped
    assert len(wrapped) <= 200  # the column holding it
    assert verify_pin("1234", wrapped)
    assert not verify_pin("1235", wrapped)
    assert not needs_strengthening(wrapped)


def test_a_hash_asking_for_absurd_memory_is_refused_not_run() -> None:
    stored = hash_pin("1234").replace(f"scrypt${2**17}$", f"scrypt${2**30}$")
    assert not verify_pin("1234", stored)


def _tries(ctx: Context, code: str, pin: str, times: int) -> list[str]:
    said = []
    for _ in range(times):
        with pytest.raises(LogonFailed) as refused:
            logon_pin(ctx, code, pin)
        said.append(refused.value.message)
    return said


def test_five_wrong_pins_lock_the_id_even_to_the_right_pin(ctx: Context) -> None:
    said = _tries(ctx, "1001", "0000", 5)
    assert said[:2] == ["Wrong ID or PIN"] * 2
    assert said[2:] == [
        "Wrong ID or PIN (2 tries left)",
        "Wrong ID or PIN (1 tries left)",
        "Wrong ID or PIN: ID locked for 15 minutes",
    ]
    [locked] = _tries(ctx, "1001", "1234", 1)  # the right PIN, too late
    assert locked.startswith("ID locked after 5 wrong PINs until 10:15 UTC")
    assert logon_badge(ctx, "OP0001").name == "Alice Chen"  # a badge still works
    later = Context(ctx.engine, clock=lambda: NOW + LOCKED_FOR + timedelta(seconds=1))
    assert logon_pin(later, "1001", "1234").name == "Alice Chen"
    assert _tries(later, "1001", "0000", 1) == ["Wrong ID or PIN"]  # counting starts afresh


def test_an_id_nobody_has_locks_the_same_way(ctx: Context) -> None:
    assert _tries(ctx, "7777", "0000", 5)[-1] == "Wrong ID or PIN: ID locked for 15 minutes"
    assert _tries(ctx, "7777", "0000", 1)[0].startswith("ID locked after 5 wrong PINs")
