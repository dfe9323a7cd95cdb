"""Arbitrary bytes through a real pty: the reader never crashes and invents nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.scanner_fixtures import Events, running_reader
from wms.domain.scan import decode
from wms.scanner import ScannerConnected, ScannerError, ScannerProfile, ScanReceived
from wms.scanner.framing import FrameError, Framer
from wms.scanner.simulator import PtyScanner

END = b"\r#DONE\r"  # completes any partial line, so that every byte sent ends up in a frame


def pure_pipeline(data: bytes, max_length: int) -> list[object]:
    """The same bytes framed and decoded in one go, without a port or a thread."""
    return [
        (frame.message, frame.raw_hex) if isinstance(frame, FrameError) else decode(frame)
        for frame in Framer(b"\r", max_length).feed(data)
    ]


def delivered(events: Events) -> list[object]:
    return [
        event.scan if isinstance(event, ScanReceived) else (event.message, event.raw_hex)
        for event in events.all
        if isinstance(event, ScanReceived | ScannerError)
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chunks=st.lists(
        st.binary(max_size=120) | st.sampled_from([b"\r", b"\x1d", b"]C101095011015300", b"\xff"]),
        max_size=12,
    )
)
def test_arbitrary_bytes_read_from_a_pty_match_the_pure_pipeline(chunks: list[bytes]) -> None:
    expected = pure_pipeline(b"".join(chunks) + END, max_length=64)
    events = Events()
    with PtyScanner() as scanner:
        profile = ScannerProfile(port=scanner.port, max_length=64)
        with running_reader(profile, events):
            events.wait_for(ScannerConnected)
            for chunk in [*chunks, END]:
                scanner.write(chunk)
            events.wait_until(lambda e: len(delivered(e)) >= len(expected), "every frame")
    assert delivered(events) == expected
