"""CSV meant for spreadsheets: a cell a spreadsheet would run as a formula is written as text.

Supplier names and other imported text reach exports verbatim; ``=HYPERLINK(…)`` or ``@SUM(…)``
in a cell would run when the file is opened (OWASP: CSV injection). Such a cell gets a leading
apostrophe, which spreadsheets show as text and do not display.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from typing import TextIO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet should see it: numbers as they are, formula-like text quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(out: TextIO, rows: Sequence[Mapping[str, object]]) -> None:
    """``rows`` as CSV with a header line (the first row's keys), every cell made safe."""
    if not rows:
        return
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
