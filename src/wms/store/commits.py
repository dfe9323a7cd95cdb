"""Counting the store's commits per thread, so the session can tell an operator whether the
input a bug interrupted had already recorded its operation (see wms.workflows.session)."""

from __future__ import annotations

import threading

from sqlalchemy import Connection, Engine, event

_commits = threading.local()  # per thread: a background sync's commits are not the operator's


def _count(_connection: Connection) -> None:
    _commits.n = commits_so_far() + 1


def commits_so_far() -> int:
    """Commits made on this thread so far."""
    n: int = getattr(_commits, "n", 0)
    return n


def watch_commits(engine: Engine) -> None:
    """Count ``engine``'s commits from now on (once, however often asked)."""
    if not event.contains(engine, "commit", _count):
        event.listen(engine, "commit", _count)
