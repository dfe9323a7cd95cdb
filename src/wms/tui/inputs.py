"""The input queue: scans, typed lines, keys and the choices made on the demo panel, in the
order they arrived, each handled to the end before the next starts.

Inputs that come before the session exists (the store opens on a worker thread after the
log-on screen is up) wait here and run in order once it does; a store that fails to open drops
them, since none can work without it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

Input = Callable[[], None]


class InputQueue:
    """Holds inputs until `open`, then runs each as it is put, after those already waiting."""

    def __init__(self) -> None:
        self._waiting: deque[Input] = deque()
        self._open = False
        self._closed = False
        self._running = False

    @property
    def is_open(self) -> bool:
        """True once inputs run (the session exists)."""
        return self._open

    def put(self, action: Input) -> None:
        """Queue ``action``; it runs now when nothing is waiting or running."""
        if self._closed:
            return
        self._waiting.append(action)
        self._run()

    def open(self) -> None:
        """Start running inputs: those that waited first, in arrival order."""
        self._open = True
        self._run()

    def close(self) -> None:
        """Drop what waits and every later input (no session will ever take them)."""
        self._closed = True
        self._waiting.clear()

    def _run(self) -> None:
        # One at a time: an input that puts another (a typed line that ends in a scan) has it
        # run after itself, not inside it.
        if self._running or not self._open:
            return
        self._running = True
        try:
            while self._waiting:
                self._waiting.popleft()()
        finally:
            self._running = False
