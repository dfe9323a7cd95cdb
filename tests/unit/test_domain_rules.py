"""Pure rules, no store: check digits, shelf life, FEFO, putaway choice, count tolerance."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wms.domain.counting import CountOutcome, Tolerance, judge_count
from wms.domain.errors import InvalidBarcode, LotRefused, OverReceipt, ShortShelfLife, WrongLocation
from wms.domain.gtin import gs1_check_digit, is_valid_sscc, normalize_gtin, sscc
from wms.domain.kinds import LocationType, ShortShelfLifeAction, StockStatus
from wms.domain.locations import location_code, parse_location
from wms.domain.putaway import BinCandidate, suggest_bin
from wms.domain.receiving import check_over_receipt
from wms.domain.rules import may_take, require_accepts
from wms.domain.shelf_life import LotOption, ShelfLifePolicy, check_fefo, check_receipt

TODAY = date(2026, 11, 23)


def test_known_gtins_validate_and_normalise_to_14_digits() -> None:
    assert normalize_gtin("96385074") == "00000096385074"  # GTIN-8 from the GS1 examples
    assert normalize_gtin("4006381333931") == "04006381333931"


@pytest.mark.parametrize("bad", ["4006381333932", "40063813339", "400638133393X", ""])
def test_wrong_gtins_are_refused(bad: str) -> None:
    with pytest.raises(InvalidBarcode):
        normalize_gtin(bad)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_single_digit_error_is_caught(body: str) -> None:
    code = body + str(gs1_check_digit(body))
    normalize_gtin(code)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(InvalidBarcode):
        normalize_gtin(wrong)


def test_sscc_has_18_digits_and_a_valid_check_digit() -> None:
    code = sscc(1, "0614141", 123456789)
    assert code == "106141411234567897"  # GS1 General Specifications example
    assert is_valid_sscc(code)


def test_shelf_life_gate() -> None:
    policy = ShelfLifePolicy(min_remaining_days=360, on_short=ShortShelfLifeAction.QUARANTINE)
    check_receipt("L1", date(2028, 1, 1), TODAY, policy)
    with pytest.raises(ShortShelfLife, match="Quarantine") as err:
        check_receipt("L42", date(2027, 6, 1), TODAY, policy)
    assert err.value.quarantine_allowed
    with pytest.raises(LotRefused, match="expired"):
        check_receipt("L0", date(2026, 11, 22), TODAY, policy)


def test_fefo_uses_removal_date_and_skips_lots_past_it() -> None:
    lots = [LotOption("LATE", date(2027, 6, 1)), LotOption("SOON", date(2026, 12, 10))]
    with pytest.raises(LotRefused, match="past its removal date"):
        check_fefo("SOON", lots, 30, TODAY, None)
    check_fefo("LATE", lots, 30, TODAY, None)  # SOON cannot be sold: LATE is first
    with pytest.raises(LotRefused, match="pick lot SOON first"):
        check_fefo("LATE", lots, 0, TODAY, None)
    check_fefo("LATE", lots, 0, TODAY, "SOON is behind a pallet")


def _bin(code: str, kind: LocationType = LocationType.STORAGE, **kw: object) -> BinCandidate:
    base: dict[str, object] = {
        "code": code,
        "type": kind,
        "blocked": False,
        "capacity": 100,
        "occupied": 0,
        "pick_sequence": 0,
        "has_product": False,
        "has_lot": False,
    }
    base.update(kw)
    return BinCandidate(**base)  # type: ignore[arg-type]


def test_putaway_prefers_same_lot_then_same_product_then_empty() -> None:
    bins = [
        _bin("EMPTY", pick_sequence=1),
        _bin("PROD", occupied=10, has_product=True, pick_sequence=5),
        _bin("LOT", occupied=10, has_product=True, has_lot=True, pick_sequence=9),
    ]
    assert suggest_bin(bins, StockStatus.AVAILABLE, 5) == "LOT"
    assert suggest_bin(bins[:2], StockStatus.AVAILABLE, 5) == "PROD"
    assert suggest_bin(bins[:1], StockStatus.AVAILABLE, 5) == "EMPTY"


def test_putaway_never_suggests_a_forbidden_full_or_blocked_bin() -> None:
    bins = [
        _bin("Q", LocationType.QUARANTINE),
        _bin("FULL", occupied=98, has_product=True),
        _bin("BLOCKED", blocked=True, has_product=True),
        _bin("HERE", has_product=True),
    ]
    assert suggest_bin(bins, StockStatus.AVAILABLE, 5, source="HERE") is None
    assert suggest_bin(bins, StockStatus.QUARANTINE, 5) == "Q"


def test_location_rules() -> None:
    with pytest.raises(WrongLocation, match="blocked"):
        require_accepts("A-01", LocationType.STORAGE, True, StockStatus.AVAILABLE)
    with pytest.raises(WrongLocation, match="no customs hold stock"):
        require_accepts("A-01", LocationType.STORAGE, False, StockStatus.CUSTOMS_HOLD)
    assert may_take("re_export", StockStatus.CUSTOMS_HOLD)
    assert may_take("re_export", StockStatus.AVAILABLE)
    assert not may_take("domestic", StockStatus.CUSTOMS_HOLD)
    assert may_take("bonded_retail", StockStatus.CUSTOMS_HOLD)
    assert not may_take("bonded_retail", StockStatus.AVAILABLE)  # 1210 sells bonded goods only
    assert not may_take("re_export", StockStatus.RECALLED)
    assert not may_take("something else", StockStatus.CUSTOMS_HOLD)  # unknown: as domestic


def test_count_tolerance_and_recount() -> None:
    tol = Tolerance(units=1, percent=5)
    assert judge_count(100, 96, 1, tol) is CountOutcome.ACCEPTED
    assert judge_count(100, 90, 1, tol) is CountOutcome.RECOUNT
    assert judge_count(100, 90, 2, tol) is CountOutcome.ACCEPTED
    assert judge_count(0, 2, 1, tol) is CountOutcome.RECOUNT


def test_over_receipt_tolerance() -> None:
    check_over_receipt("S", 100, 95, 10, 10, approved=False)
    with pytest.raises(OverReceipt, match="max 110"):
        check_over_receipt("S", 100, 105, 10, 10, approved=False)
    check_over_receipt("S", 100, 105, 10, 10, approved=True)


def test_location_codes_round_trip() -> None:
    code = location_code("A", 1, 3, 1, 2)
    assert code == "A-01-03-B-2"
    assert str(parse_location(code)) == code
    assert str(parse_location("DOCK-01")) == "DOCK-01"
    with pytest.raises(InvalidBarcode):
        parse_location("a-1-3")
