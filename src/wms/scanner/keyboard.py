"""The keyboard path: typed text and keyboard-wedge scanners, into the same `decode`.

A terminal hands a wedge scanner's GS (0x1d) over as the key Ctrl+] — Textual names it
``ctrl+right_square_bracket`` and a text input drops it, which would glue GS1 fields together.
The TUI asks `key_text` what each key adds to the scan being typed, and on Enter passes the
text to `wms.domain.scan.decode` as it is (no ``strip()``: that would eat a trailing GS).
"""

from __future__ import annotations

# Key names a terminal may report for the GS byte (Textual's name for Ctrl+]).
_GS_KEYS = frozenset({"ctrl+right_square_bracket"})


def key_text(key: str, character: str | None) -> str | None:
    """The text a key press adds to a typed scan, or None for keys that add nothing (Enter, F3).

    ``key`` and ``character`` are a key event's name and character, e.g. from Textual's
    ``events.Key``; GS, however it arrives, comes back as the GS separator.
    """
    # Imported here: the decoder's module loads biip, which the first screen can do without.
    from wms.domain.scan import GS

    if key in _GS_KEYS or character == GS:
        return GS
    if character is not None and len(character) == 1 and character.isprintable():
        return character
    return None
