"""One line saying how far a background job (a sync, a batch of labels) has got. A text line,
not an animated bar: the sync knows counts, rarely totals, and a Linux console shows text best."""

from __future__ import annotations

from textual.widgets import Static

_STAGES = {"push": "Sending: {done} ops", "pull": "Receiving: {done} changes"}
BAR_WIDTH = 10


def progress_text(stage: str, done: int, total: int | None) -> str:
    """``push 1000`` → "Sending: 1000 ops"; with a total, a bar of ``#`` and ``.`` after it."""
    text = _STAGES.get(stage, stage + ": {done}").format(done=done)
    if total:
        filled = min(BAR_WIDTH, BAR_WIDTH * done // total)
        text += f"/{total} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}]"
    return text


class ProgressLine(Static):
    """Empty while nothing runs. Its methods run on the app's thread only."""

    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
        padding: 0 1;
        color: ansi_bright_yellow;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reported = False

    def started(self, text: str) -> None:
        """Show ``text`` ("Connecting…") until the first report arrives."""
        if not self.reported:
            self.update(text)

    def show(self, stage: str, done: int, total: int | None) -> None:
        """Show the latest progress report."""
        self.reported = True
        self.update(progress_text(stage, done, total))

    def clear(self) -> None:
        """Nothing running any more."""
        self.reported = False
        self.update("")
