"""Read-only screens as workflows: Messages (exceptions raised here) and Sync (state and "run
now"). Settings has its own module (wms.workflows.settings)."""

from __future__ import annotations

from collections.abc import Callable

from wms.domain.errors import DomainError
from wms.domain.scan import Scan
from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.services.picking import first_stops
from wms.services.sync_status import sync_status
from wms.services.views import open_count_tasks, open_move_tasks, open_pick_tasks, recent_exceptions
from wms.workflows.base import Workflow

SyncProgress = Callable[[str, int, int | None], None]
"""(stage, done, total or None), as the sync client reports it (wms.sync.client.Progress)."""
SyncRunner = Callable[[SyncProgress | None], str]
"""Runs one sync with the hub, reporting to the progress callback when given one, and returns
a line saying how it went (raises on failure)."""


class ReadOnlyWorkflow(Workflow):
    """A screen of lines; F3 or F4 leaves it, scans are refused."""

    def on_scan(self, scan: Scan) -> None:
        """Nothing to scan here."""
        raise DomainError("Nothing to scan here: F3 to go back")

    def on_command(self, command: Command) -> None:
        """DONE leaves like BACK."""
        super().on_command(Command.BACK if command is Command.DONE else command)


class MessagesWorkflow(ReadOnlyWorkflow):
    """The operator's open tasks (recalled stock to move to quarantine, picks, counts), then
    the exceptions raised on this terminal (short picks, …), newest first."""

    name = "messages"
    title = "Messages"

    def prompt(self) -> str:
        """Read (the arrows scroll), then F3."""
        return "Tasks and exceptions · F3 back"

    def context(self) -> tuple[str, ...]:
        """One line per task, then one per exception."""
        # Recalled stock to move first: until it is moved it sits among pickable stock.
        tasks = [*open_move_tasks(self.ctx), *self._pick_tasks(), *self._count_tasks()]
        exceptions = recent_exceptions(self.ctx)
        return (
            f"Tasks: {len(tasks)}" if tasks else "Tasks: none open",
            *tasks,
            f"Exceptions: {len(exceptions)}" if exceptions else "Exceptions: none",
            *exceptions,
        )

    def _pick_tasks(self) -> list[str]:
        stops = first_stops(self.ctx, open_pick_tasks(self.ctx, self.actor.operator_id))
        return [f"PICK {s.task} {s.total_lines - s.done_lines} line(s) {s.location}" for s in stops]

    def _count_tasks(self) -> list[str]:
        return [
            f"COUNT {t.number} {t.location}" + (f" {t.sku}" if t.sku else "")
            for t in open_count_tasks(self.ctx, self.actor.operator_id)
        ]


class SyncWorkflow(ReadOnlyWorkflow):
    """Sync state; F4 asks for a sync now, which the terminal runs in the background."""

    name = "sync"
    title = "Sync"
    commands = ((Command.DONE, "sync now (F4)"),)

    def __init__(self, ctx: Context, actor: Actor, runner: SyncRunner | None = None) -> None:
        super().__init__(ctx, actor)
        self.runner = runner
        self.step = "idle"

    def prompt(self) -> str:
        """Whether a sync is running."""
        return "Syncing…" if self.step in ("requested", "running") else "F4 sync now · F3 back"

    def context(self) -> tuple[str, ...]:
        """Unsynced operations and the last sync."""
        status = sync_status(self.ctx)
        last = f"{status.last_sync:%Y-%m-%d %H:%M}" if status.last_sync else "never"
        return (f"Unsynced operations: {status.unsynced}", f"Last sync: {last}")

    def on_command(self, command: Command) -> None:
        """DONE starts a sync (the caller runs `run` off the UI thread); BACK leaves."""
        if command is Command.DONE:
            if self.runner is None:
                self.fail("Sync is not set up on this terminal")
                return
            self.step = "requested"
            self.note("Sync started")
        else:
            super().on_command(command)

    def take_request(self) -> bool:
        """True once after F4 asked for a sync: the caller then runs `run` in the background."""
        if self.step != "requested":
            return False
        self.step = "running"
        return True

    def run(self, progress: SyncProgress | None = None) -> str:
        """Run the sync, reporting to ``progress``; call from a worker thread, then hand the
        outcome to `finish`."""
        assert self.runner is not None
        return self.runner(progress)

    def finish(self, outcome: str, *, failed: bool) -> None:
        """Record how the sync went."""
        self.step = "idle"
        if failed:
            self.fail(f"Sync failed: {outcome}")
        else:
            self.ok(outcome)
