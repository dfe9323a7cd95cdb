"""The keyboard path: a wedge scanner's keys, GS included, decode like a serial scan."""

from __future__ import annotations

import pytest

from wms.domain.scan import GS, ScanKind, decode
from wms.scanner.keyboard import key_text


@pytest.mark.parametrize(
    ("key", "character", "text"),
    [
        ("ctrl+right_square_bracket", "\x1d", GS),  # how Textual reports the GS byte
        ("ctrl+right_square_bracket", None, GS),  # the same key from the kitty protocol
        ("a", "a", "a"),
        ("full_stop", ".", "."),
        ("space", " ", " "),
        ("enter", "\r", None),
        ("tab", "\t", None),
        ("f3", None, None),
        ("ctrl+c", "\x03", None),
    ],
)
def test_what_each_key_adds_to_a_typed_scan(
    key: str, character: str | None, text: str | None
) -> None:
    assert key_text(key, character) == text


def test_a_wedge_scan_with_gs_as_ctrl_key_decodes_like_the_serial_one() -> None:
    serial_scan = "]C10109501101530003" + "10LOT42" + GS + "21SER9"
    keys = [(c, c) for c in "]C1010950110153000310LOT42"]
    keys += [("ctrl+right_square_bracket", "\x1d")] + [(c, c) for c in "21SER9"]
    typed = "".join(text for key, character in keys if (text := key_text(key, character)))
    assert typed == serial_scan
    scan = decode(typed)
    assert (scan.kind, scan.lot, scan.serial) == (ScanKind.GS1, "LOT42", "SER9")
