"""The scale reader on real pyserial over a pty, against the simulated MT-SICS scale: it asks
for every reading, reports each change once, says garbage once, and reports a scale pulled
out mid-weigh, then looks for it again."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from tests.integration.scanner_fixtures import WAIT_SECONDS
from wms.domain.packing import Weighing
from wms.scanner.scale import (
    SCALE_PROFILES,
    ScaleConnected,
    ScaleDisconnected,
    ScaleEvent,
    ScaleProblem,
    ScaleReader,
    ScaleReconnecting,
    ScaleWeight,
)
from wms.scanner.scale_simulator import PtyScale


class Seen:
    """The reader's events, to wait for."""

    def __init__(self) -> None:
        self.events: list[ScaleEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: ScaleEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait(self, what: str, condition: Callable[[list[ScaleEvent]], bool]) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: condition(self.events), WAIT_SECONDS):
                raise AssertionError(f"gave up waiting for {what}: {self.events[-8:]}")

    def weights(self) -> list[Weighing]:
        return [e.weighing for e in self.events if isinstance(e, ScaleWeight)]


@contextmanager
def reading(scale: PtyScale) -> Iterator[Seen]:
    seen = Seen()
    profile = replace(SCALE_PROFILES["mt-sics"], name="test", port=scale.port, usb_ids=())
    reader = ScaleReader(profile, seen, read_timeout=0.02, retry_interval=0.02)
    reader.start()
    try:
        seen.wait("the connection", lambda ev: any(isinstance(e, ScaleConnected) for e in ev))
        yield seen
    finally:
        reader.stop()
        assert not [t for t in threading.enumerate() if t.name == "scale-test"]


def test_the_reader_asks_for_every_reading_and_reports_each_change_once() -> None:
    with PtyScale(interval=0.01) as scale, reading(scale) as seen:
        seen.wait("an empty platter", lambda ev: Weighing(0, stable=True) in seen.weights())
        assert scale.commands[:2] == ["@", "SIR"]
        scale.place(1250)
        seen.wait("the parcel", lambda ev: Weighing(1250, stable=True) in seen.weights())
        scale.place(1250)  # put down again: it moves, then settles at the same weight
        seen.wait("twice", lambda ev: seen.weights().count(Weighing(1250, stable=True)) == 2)
    weights = seen.weights()
    assert weights[0] == Weighing(0, stable=True)
    assert [w for w in weights if not w.stable]  # it was seen moving
    # The scale repeats its reading many times a second: each change arrives once.
    assert all(a != b for a, b in itertools.pairwise(weights))


def test_garbage_is_reported_once_and_the_next_good_reading_comes_through() -> None:
    with PtyScale(interval=0.01) as scale, reading(scale) as seen:
        scale.place(800)
        seen.wait("the parcel", lambda ev: Weighing(800, stable=True) in seen.weights())
        for _ in range(3):
            scale.garbage()
        scale.garbage(b"S X what\r\n")
        seen.wait("the garbage", lambda ev: any(isinstance(e, ScaleProblem) for e in ev))
        again = Weighing(800, stable=True)
        seen.wait("the weight again", lambda ev: seen.weights().count(again) == 2)
        problems = [e for e in seen.events if isinstance(e, ScaleProblem)]
    assert len(problems) == 1
    assert problems[0].message.startswith("scale sent garbage")
    assert problems[0].raw_hex.startswith("07 fe ff")
    assert seen.weights().count(Weighing(800, stable=True)) == 2  # again, after the trouble


def test_a_scale_pulled_out_mid_weigh_is_reported_and_looked_for_again() -> None:
    scale = PtyScale(interval=0.01)
    with reading(scale) as seen:
        scale.place(2000)
        seen.wait("moving", lambda ev: any(not w.stable for w in seen.weights()))
        scale.unplug()
        seen.wait("the loss", lambda ev: any(isinstance(e, ScaleDisconnected) for e in ev))
        seen.wait("a retry", lambda ev: any(isinstance(e, ScaleReconnecting) for e in ev))
