"""The keyboard line: the one line the keyboard (or a keyboard-wedge scanner) types into.

The app owns it, not a widget on one screen: every key goes into it the moment the app reads
the key, and Enter takes the whole line and empties it at once, before the next key is read.
Two scans typed a millisecond apart are therefore two lines, never one merged line, and a burst
that crosses a change of screen is not split between two screens' inputs.
"""

from __future__ import annotations

from wms.scanner import key_text

MAX_LINE = 400  # longer than any label; a stuck key is cut here, not buffered for ever


class KeyboardLine:
    """What has been typed since the last Enter."""

    def __init__(self) -> None:
        self.text = ""

    @staticmethod
    def types(key: str, character: str | None) -> bool:
        """True for a key that edits the line: a character, GS, Backspace or Enter."""
        return key in ("enter", "backspace") or key_text(key, character) is not None

    def press(self, key: str, character: str | None) -> str | None:
        """Apply one key; Enter returns the line (possibly empty) and starts a new one."""
        if key == "enter":
            line, self.text = self.text, ""
            return line
        if key == "backspace":
            self.text = self.text[:-1]
        elif (added := key_text(key, character)) is not None and len(self.text) < MAX_LINE:
            self.text += added
        return None
