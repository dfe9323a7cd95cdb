"""The pack station in the app, with a simulated MT-SICS scale on a real pty: a parcel put on
the scale closes the parcel, garbage from the scale or the scale pulled out mid-weigh is said
in the packer's words, and the weight can always be typed instead."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from tests.store_helpers import qty_at
from tests.tui.conftest import logged_on, scan, shown, type_line, until
from wms.scanner.scale import SCALE_PROFILES
from wms.scanner.scale_simulator import PtyScale
from wms.seed.floor import stage_demo_floor
from wms.services.context import Context
from wms.services.packing import LabelFacts
from wms.tui.app import WmsApp
from wms.tui.feedback import RecordingFeedback

LOT = "(01)02000000000015(10)L2601"
SHIRT = "2000000014012"


@pytest.fixture
def scale(ctx: Context) -> Iterator[PtyScale]:
    """The demo's floor staged, and a scale on a pty."""
    stage_demo_floor(ctx.engine)
    with PtyScale(interval=0.02) as pty_scale:
        yield pty_scale


class Printed:
    """A label printer that keeps what it was asked to print (on the job's worker thread)."""

    def __init__(self) -> None:
        self.waybills: list[str] = []

    def print_shipping(self, facts: LabelFacts) -> None:
        self.waybills.append(facts.waybill)


def _app(make_app: Callable[..., WmsApp], scale: PtyScale, labels: object = None) -> WmsApp:
    profile = replace(SCALE_PROFILES["mt-sics"], name="test", port=scale.port, usb_ids=())
    return make_app(scale=profile, labels=labels or Printed())


async def _at_the_scale(pilot: object) -> None:
    await logged_on(pilot)  # type: ignore[arg-type]
    for line in ("#MENU9", "PACK-01", "TOTE0010", LOT, LOT, SHIRT):
        await scan(pilot, line)  # type: ignore[arg-type]
    await pilot.press("f4")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_parcel_put_on_the_scale_closes_it(
    make_app: Callable[..., WmsApp], scale: PtyScale, ctx: Context, feedback: RecordingFeedback
) -> None:
    labels = Printed()
    app = _app(make_app, scale, labels)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.session is not None and app.session.scale.state == "ok")
        await _at_the_scale(pilot)
        assert shown(pilot, "prompt") == "Weigh it ~2.270 kg or type the weight"
        assert shown(pilot, "scale") == "Scale 0.000 kg"
        scale.place(2281)
        await until(pilot, lambda: "closed" in shown(pilot, "result"))
        assert shown(pilot, "result") == (
            "OK: Parcel 000011 closed 2.281 kg · SF100000000001 · SO-2026-0004 packed"
        )
        assert shown(pilot, "scale") == "Scale 2.281 kg"
        assert feedback.events[-1] == "success"
        await app.workers.wait_for_complete()
        assert labels.waybills == ["SF100000000001"]  # printed off the UI thread
    assert qty_at(ctx, "PACK-01", "SKU-00001", lot="L2601") == 2


async def test_garbage_from_the_scale_is_an_error_and_the_weight_can_be_typed(
    make_app: Callable[..., WmsApp], scale: PtyScale, ctx: Context
) -> None:
    app = _app(make_app, scale)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.session is not None and app.session.scale.state == "ok")
        await _at_the_scale(pilot)
        scale.garbage()
        await until(pilot, lambda: "garbage" in shown(pilot, "result"))
        assert shown(pilot, "result").startswith("ERROR: Scale: scale sent garbage")
        await pilot.press("enter")
        await type_line(pilot, "2270")
        assert "closed 2.270 kg" in shown(pilot, "result")
    assert qty_at(ctx, "CART-04", "SKU-00001", container="TOTE0010") == 0


async def test_a_scale_pulled_out_mid_weigh_is_said_and_nothing_is_taken_from_it(
    make_app: Callable[..., WmsApp], scale: PtyScale, ctx: Context
) -> None:
    app = _app(make_app, scale)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.session is not None and app.session.scale.state == "ok")
        await _at_the_scale(pilot)
        scale.unplug()
        await until(pilot, lambda: "disconnected" in shown(pilot, "result"))
        assert shown(pilot, "result") == (
            "ERROR: Scale disconnected: plug it back in, or type the weight"
        )
        await pilot.press("enter")
        await pilot.pause()
        assert shown(pilot, "scale").endswith(": type the weight")
        assert shown(pilot, "prompt") == "Weigh it ~2.270 kg or type the weight"
        await type_line(pilot, "2.25")
        assert "closed 2.250 kg" in shown(pilot, "result")
    assert qty_at(ctx, "PACK-01", "SKU-01401") == 1


async def test_away_from_the_weight_step_the_scale_interrupts_nobody(
    make_app: Callable[..., WmsApp], scale: PtyScale
) -> None:
    app = _app(make_app, scale)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.session is not None and app.session.scale.state == "ok")
        await logged_on(pilot)
        await scan(pilot, "#MENU9")
        scale.garbage()
        scale.place(900)
        await until(pilot, lambda: shown(pilot, "scale") == "Scale 0.900 kg")
        assert "ERROR" not in shown(pilot, "result")
