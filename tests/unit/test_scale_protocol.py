"""MT-SICS answers as the scale reader reads them: weights in any unit the scale shows, whether
they have settled, the scale's own troubles, and garbage."""

from __future__ import annotations

import pytest

from wms.domain.packing import Weighing, WeightTolerance, parse_weight
from wms.scanner.scale import SicsProblem, load_scale_profile, parse_sics
from wms.workflows.scale import ScaleState


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("S S      1.250 kg", Weighing(1250, stable=True)),
        ("S D      1.180 kg", Weighing(1180, stable=False)),
        ("S S    812.5 g", Weighing(812, stable=True)),  # half a gram rounds to even
        ("S S      2.000 lb", Weighing(907, stable=True)),
        ("SI S     0.000 kg", Weighing(0, stable=True)),
        ("S S     -0.012 kg", Weighing(-12, stable=True)),
    ],
)
def test_a_weight_in_any_unit_becomes_grams(line: str, read: Weighing) -> None:
    assert parse_sics(line) == read


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("S +", "scale: overload: too heavy for the scale"),
        ("S -", "scale: underload: check the scale's platter"),
        ("S I", "scale: cannot weigh now (busy)"),
        ("ES", "scale: syntax error"),
        ("EL", "scale: logical error"),
    ],
)
def test_the_scales_own_troubles_are_said_not_taken_for_garbage(line: str, message: str) -> None:
    assert parse_sics(line) == SicsProblem(message)


@pytest.mark.parametrize(
    "line", ["", "hello", "S X 1.0 kg", "S S 1.0 furlong", "S S NaN kg", "S S 9e99 kg", "S S"]
)
def test_garbage_is_garbage(line: str) -> None:
    found = parse_sics(line)
    assert isinstance(found, SicsProblem)
    assert found.garbage


def test_the_identity_answer_says_nothing_about_the_weight() -> None:
    assert parse_sics('I4 A "0123456789"') is None


def test_a_scale_profile_from_a_file_and_a_bad_one(tmp_path: object) -> None:
    from pathlib import Path

    good = Path(str(tmp_path)) / "bench.toml"
    good.write_text('port = "/dev/ttyUSB3"\nbaudrate = 4800\n', encoding="utf-8")
    assert (load_scale_profile(str(good)).port, load_scale_profile(str(good)).baudrate) == (
        "/dev/ttyUSB3",
        4800,
    )
    bad = Path(str(tmp_path)) / "odd.toml"
    bad.write_text('protocol = "toledo-8142"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="protocol 'toledo-8142' must be one of mt-sics"):
        load_scale_profile(str(bad))
    with pytest.raises(ValueError, match="no scale profile 'x'"):
        load_scale_profile("x")


def test_a_parcel_is_weighed_once_per_placement() -> None:
    scale = ScaleState("ok")
    scale.update(Weighing(0, stable=True))
    assert scale.take() is None  # nothing on the platter
    scale.update(Weighing(1190, stable=False))
    assert scale.take() is None  # still moving
    scale.update(Weighing(1250, stable=True))
    assert scale.take() == 1250
    assert scale.take() is None  # the same parcel, still there
    scale.update(Weighing(1250, stable=True))
    assert scale.take() is None  # a repeated reading is no new parcel
    scale.update(Weighing(0, stable=True))
    scale.update(Weighing(1250, stable=True))
    assert scale.take() == 1250  # taken off, and another of the same weight put down
    scale.lost("LOST")
    assert (scale.state, scale.last, scale.take()) == ("LOST", None, None)


@pytest.mark.parametrize(
    ("typed", "grams"), [("1250", 1250), ("1.25", 1250), ("1,250", 1250), ("2kg", 2000)]
)
def test_a_typed_weight(typed: str, grams: int) -> None:
    assert parse_weight(typed) == grams


@pytest.mark.parametrize("typed", ["", "abc", "1.2.3", "0", "-5", "2000000", "1e3"])
def test_a_typed_weight_that_is_none(typed: str) -> None:
    with pytest.raises(ValueError, match="weight"):
        parse_weight(typed)


def test_the_tolerance_is_grams_or_a_share_whichever_is_more() -> None:
    tol = WeightTolerance(grams=50, percent=10)
    assert tol.problem(330, 300) is None
    assert tol.problem(351, 300) == "0.351 kg is 51 g too heavy: expected 0.300 kg ± 50 g"
    assert tol.problem(2700, 3000) is None
    assert tol.problem(2699, 3000) == "2.699 kg is 301 g too light: expected 3.000 kg ± 300 g"
    assert tol.problem(5000, None) is None  # a product of unknown weight: nothing to check
