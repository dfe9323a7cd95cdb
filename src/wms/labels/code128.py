"""Code 128 / GS1-128 through python-barcode, guarded against its known encoding bugs.

python-barcode 0.16.1 (python-barcode #251, fixed in 0.16.2) drops a leading "99": it starts
every symbol in subset C and then merges ``[START C, x]`` into one start code when ``x`` is a
"switch to subset" value, but in subset C the value 99 is the digit pair "99", not a switch.
It also keeps the current subset on the object, so building the same object twice can change
the start code. We fix both in a subclass, and then decode the symbol values back to text and
refuse to print anything that does not read back as the data we were given.
"""

from __future__ import annotations

from barcode.charsets import code128 as charset
from barcode.codex import Code128, Gs1_128

from wms.labels.errors import LabelError

START_A, START_B, START_C = 103, 104, 105
CODE_C, CODE_B, CODE_A, FNC1_VALUE = 99, 100, 101, 102
FNC1 = "\xf1"
# value -> character, for subsets A and B (python-barcode's maps are character -> value;
# its FNC2-4 are characters above 0x7f, which never appear in our data).
_SUBSET = {
    name: {v: k for k, v in table.items() if len(k) == 1 and k < "\x80"}
    for name, table in (("A", charset.A), ("B", charset.B))
}
# Subset switches; the same values mean FNC4 in the subset they name (A 101, B 100).
_SWITCH = {
    "A": {CODE_C: "C", CODE_B: "B"},
    "B": {CODE_C: "C", CODE_A: "A"},
    "C": {CODE_B: "B", CODE_A: "A"},
}


class _Guarded:
    """Mixin over python-barcode's Code128: fresh state per build, no "99" merge."""

    _charset: str
    _buffer: str

    def _build(self) -> list[int]:
        self._charset = "C"
        self._buffer = ""
        values: list[int] = super()._build()  # type: ignore[misc]
        return values

    def _try_to_optimize(self, encoded: list[int]) -> list[int]:
        # Only a real switch (to B or A) may be folded into the start code; see module doc.
        if encoded[0] == START_C and encoded[1] in (CODE_B, CODE_A):
            encoded[:2] = [START_B if encoded[1] == CODE_B else START_A]
        return encoded


class SafeCode128(_Guarded, Code128):  # type: ignore[misc]
    """python-barcode's Code 128 with the fixes above."""


class SafeGs1128(_Guarded, Gs1_128):  # type: ignore[misc]
    """python-barcode's GS1-128 (leading FNC1) with the fixes above."""


def decode_values(values: list[int]) -> str:
    """Read Code 128 symbol values (start code first, no check value) back to text."""
    starts = {START_A: "A", START_B: "B", START_C: "C"}
    if not values or values[0] not in starts:
        raise LabelError("Code 128 symbol without a start code")
    subset = starts[values[0]]
    out: list[str] = []
    for value in values[1:]:
        if value == FNC1_VALUE:
            out.append(FNC1)
        elif subset == "C" and value <= 99:
            out.append(f"{value:02d}")
        elif value in _SWITCH[subset]:
            subset = _SWITCH[subset][value]
        elif subset != "C" and value in _SUBSET[subset]:
            out.append(_SUBSET[subset][value])
        else:
            raise LabelError(f"Code 128 value {value} is not valid in subset {subset}")
    return "".join(out)


def encode(data: str, *, gs1: bool) -> str:
    """The module pattern ("1" bar, "0" space) for ``data`` in Code 128 or GS1-128.

    Raises LabelError when python-barcode's symbol would not read back as ``data``.
    """
    symbol = SafeGs1128(data) if gs1 else SafeCode128(data)
    expected = FNC1 + data if gs1 else data
    got = decode_values(symbol._build())
    if got != expected:
        raise LabelError(f"python-barcode encoded {expected!r} as {got!r}: not printed")
    pattern: str = symbol.build()[0]
    return pattern
