"""One sync per store at a time, across processes: an advisory lock on a file beside the store.

The systemd timer's ``wms sync`` and the app's background sync work on the same store; run
together, one's pull could apply the hub's figures while the other's push is in flight. The lock
is ``flock`` on ``<store>.sync-lock``: the kernel releases it when its holder exits, even killed,
so a crashed sync never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

# How often a waiting sync tries again: a sync takes seconds, so a fraction of one is plenty.
_POLL_SECONDS = 0.2


def lock_path(engine: Engine) -> Path | None:
    """The lock file of the store behind ``engine``; None for an in-memory store."""
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(f"{database}.sync-lock")


class LockUnavailable(Exception):
    """The lock file cannot be opened (its directory or the file is not this user's)."""


@contextmanager
def sync_lock(
    engine: Engine, wait: float = 0, on_wait: Callable[[], None] | None = None
) -> Iterator[bool]:
    """Hold the store's sync lock for the block; yields False when another process (or another
    sync in this one) still held it after ``wait`` seconds. ``on_wait`` is called once, when
    the lock is found taken and the wait begins. LockUnavailable when the file cannot be
    opened."""
    path = lock_path(engine)
    if path is None:
        yield True
        return
    try:
        # Read-only is enough for flock: a lock file left by another user (an admin's sync
        # as root) still works for the terminal's own user.
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as e:
        raise LockUnavailable(f"cannot open the sync lock {path}: {e.strerror}") from None
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                if on_wait is not None and not told:
                    on_wait()
                    told = True
                time.sleep(_POLL_SECONDS)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
