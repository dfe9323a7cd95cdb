"""Task claims as workflows see them: a port that asks the hub for a pick task's lease."""

from __future__ import annotations

from typing import Protocol


class TaskClaims(Protocol):
    """Claiming a pick task for this terminal; runs off the UI thread (network I/O)."""

    def claim(self, task: str) -> None:
        """Take ``task``'s lease; raise a DomainError when another terminal has it. When the
        hub cannot be asked, return: the operator works on offline."""
