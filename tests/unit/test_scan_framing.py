"""Cutting scanner bytes into scans (wms.scanner.framing), whatever the read chunks are."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wms.scanner.framing import FrameError, Framer, hex_preview

GS = b"\x1d"


def test_a_scan_is_complete_only_when_its_suffix_arrives() -> None:
    framer = Framer(b"\r", 100)
    assert framer.feed(b"]C1010950110153") == []  # a read timeout mid-scan
    assert framer.pending == b"]C1010950110153"
    assert framer.feed(b"0003\r#DO") == ["]C10109501101530003"]
    assert framer.feed(b"NE\r") == ["#DONE"]
    assert framer.pending == b""


def test_crlf_split_between_reads() -> None:
    framer = Framer(b"\r\n", 100)
    assert framer.feed(b"OP0001\r") == []
    assert framer.feed(b"\nA-01-03-B-2\r\n") == ["OP0001", "A-01-03-B-2"]


def test_gs_survives_framing_at_both_ends_and_inside() -> None:
    framer = Framer(b"\r", 100)
    line = GS + b"0109501101530003" + b"10LOT42" + GS + b"21SER9" + GS
    assert framer.feed(line + b"\r") == [line.decode()]


def test_an_overlong_line_is_one_error_and_the_next_scan_still_comes() -> None:
    framer = Framer(b"\r", 40)
    out = framer.feed(b"9" * 30) + framer.feed(b"9" * 30) + framer.feed(b"9" * 30 + b"\r#DONE\r")
    assert out == [FrameError("Scan over 40 bytes dropped", hex_preview(b"9" * 60)), "#DONE"]


def test_bytes_that_are_not_text_are_shown_in_hex() -> None:
    framer = Framer(b"\r", 100)
    assert framer.feed(b"\xff\xfe\x00A\rOP0001\r\x01\x02\r") == [
        FrameError("Unreadable bytes (check baud rate)", "ff fe 00 41"),
        "OP0001",
        FrameError("Control bytes in scan (check baud rate)", "01 02"),
    ]


def test_empty_lines_carry_nothing() -> None:
    assert Framer(b"\r", 100).feed(b"\r\r#DONE\r\r") == ["#DONE"]


def test_reset_forgets_the_partial_line() -> None:
    framer = Framer(b"\r", 100)
    framer.feed(b"01095011")
    framer.reset()
    assert framer.feed(b"#DONE\r") == ["#DONE"]


def reference(data: bytes, suffix: bytes, max_length: int) -> list[str | FrameError]:
    """What the framer must produce for ``data``, written the obvious (all-at-once) way."""
    *complete, partial = data.split(suffix)
    out: list[str | FrameError] = []
    for line in complete:
        if len(line) > max_length:
            out.append(FrameError(f"Scan over {max_length} bytes dropped", hex_preview(line)))
        elif line:
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                out.append(FrameError("Unreadable bytes (check baud rate)", hex_preview(line)))
                continue
            if all(c.isprintable() or c in "\x1d\x1e\x04" for c in text):
                out.append(text)
            else:
                out.append(FrameError("Control bytes in scan (check baud rate)", hex_preview(line)))
    if len(partial) > max_length + len(suffix) - 1:  # reported before its suffix arrives
        out.append(FrameError(f"Scan over {max_length} bytes dropped", hex_preview(partial)))
    return out


scanner_bytes = st.binary(max_size=40) | st.sampled_from(
    [b"\r", b"\n", b"\r\n", GS, b"0109501101530003", b"#DONE", "é".encode(), b"\xff"]
)


@given(
    chunks=st.lists(scanner_bytes, max_size=30),
    suffix=st.sampled_from([b"\r", b"\n", b"\r\n"]),
    max_length=st.integers(32, 80),  # >= 32: the hex preview of an overlong line is then fixed
)
def test_any_bytes_in_any_chunks_frame_like_the_whole_stream(
    chunks: list[bytes], suffix: bytes, max_length: int
) -> None:
    framer = Framer(suffix, max_length)
    out = [item for chunk in chunks for item in framer.feed(chunk)]
    data = b"".join(chunks)
    assert out == reference(data, suffix, max_length)
    # Never a scan from a partial line: what follows the last suffix is only held.
    partial = data.split(suffix)[-1]
    if len(partial) <= max_length + len(suffix) - 1:
        assert framer.pending == partial
