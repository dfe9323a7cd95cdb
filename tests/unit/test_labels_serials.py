"""SSCC and LPN numbers: valid, in this terminal's block, and never handed out twice."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from wms.domain.gtin import is_valid_sscc
from wms.domain.scan_schemes import LPN_PATTERN
from wms.labels import LabelError
from wms.labels.serials import FileSerialCounter, LpnAllocator, SsccAllocator


def test_counter_continues_where_it_stopped_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "counters" / "sscc"
    assert FileSerialCounter(path).next_block(3) == range(1, 4)
    # A new process (a new object on the same file) carries on, it never starts over.
    assert FileSerialCounter(path).next_block(2) == range(4, 6)


def _take(path: Path) -> list[int]:
    counter = FileSerialCounter(path)
    return [n for _ in range(20) for n in counter.next_block(5)]


def test_concurrent_processes_never_get_the_same_number(tmp_path: Path) -> None:
    path = tmp_path / "lpn"
    with ProcessPoolExecutor(max_workers=3) as pool:
        taken = [n for batch in pool.map(_take, [path] * 3) for n in batch]
    assert sorted(taken) == list(range(1, 301))


def test_a_damaged_counter_is_refused_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "sscc"
    path.write_text("12x\n")
    with pytest.raises(LabelError, match="damaged"):
        FileSerialCounter(path).next_block(1)


def test_ssccs_carry_prefix_block_and_check_digit(tmp_path: Path) -> None:
    allocator = SsccAllocator(FileSerialCounter(tmp_path / "sscc"), "9501101", 3, "07")
    first, second = allocator.allocate(2)
    assert first == "3" + "9501101" + "07" + "0000001" + first[-1]
    assert second[10:17] == "0000002"
    assert is_valid_sscc(first)
    assert is_valid_sscc(second)


def test_sscc_serial_references_running_out_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "sscc"
    path.write_text("9999998\n")
    allocator = SsccAllocator(FileSerialCounter(path), "9501101", 0, "07")
    assert allocator.allocate(1)[0][10:17] == "9999999"
    with pytest.raises(LabelError, match="used up"):
        allocator.allocate(1)


def test_lpns_match_the_scanner_scheme(tmp_path: Path) -> None:
    codes = LpnAllocator(FileSerialCounter(tmp_path / "lpn"), "07").allocate(2)
    assert codes == ["LPN07000001", "LPN07000002"]
    assert all(LPN_PATTERN.fullmatch(code) for code in codes)
