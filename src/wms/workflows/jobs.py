"""Work a workflow hands to its driver to do off the UI thread: network I/O such as printing a
label or asking the hub for a task's lease. The TUI runs each in a worker thread and shows a
refusal as an error; `wms replay` runs them inline and prints the outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """``send`` does the work and raises a DomainError when it cannot; the operator is then
    told ``failure``, then the refusal's message."""

    description: str
    send: Callable[[], None]
    failure: str = "Label not printed"
