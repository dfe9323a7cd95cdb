"""``wms labels …`` on a seeded demo store: the right labels come out, refusals are clear."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from wms.cli import app
from wms.domain.gtin import is_valid_sscc
from wms.store.catalog import Location
from wms.store.engine import make_engine

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def env(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private demo store, data directory and label settings; returns the output folder."""
    store = tmp_path / "store.sqlite"
    shutil.copyfile(demo_template, store)
    config = tmp_path / "labels.toml"
    config.write_text(
        'company_prefix = "9501101"\nserial_prefix = "03"\ndefault_printer = "usb"\n'
        f'[[printers]]\nname = "usb"\ntransport = "file"\npath = "{tmp_path}/usb/lp0"\n'
    )
    monkeypatch.setenv("WMS_DB", str(store))
    monkeypatch.setenv("WMS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WMS_LABELS_CONFIG", str(config))
    out = tmp_path / "out"
    out.mkdir()
    return out


def wms(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["labels", *args])
    return result.exit_code, result.output


def test_location_sheet_holds_every_bin_of_the_aisle(env: Path) -> None:
    code, output = wms("locations", "--zone", "A", "--aisle", "01", "--out", str(env / "a.svg"))
    assert code == 0, output
    printed = {
        t.text
        for page in sorted(env.glob("a*.svg"))
        for t in ET.parse(page).getroot().iter(f"{SVG}text")
    }
    engine = make_engine(env.parent / "store.sqlite")
    with Session(engine) as s:
        query = select(Location.code).where(col(Location.zone) == "A", col(Location.aisle) == "01")
        expected = set(s.exec(query).all())
    engine.dispose()
    assert expected
    assert printed == expected


def test_product_label_in_zpl_with_copies(env: Path) -> None:
    code, output = wms("product", "SKU-00001", "--copies", "2", "--out", str(env / "p.zpl"))
    assert code == 0, output
    zpl = (env / "p.zpl").read_text()
    assert "^FD2000000000015^FS" in zpl  # the each's GTIN-13, as EAN-13 text
    assert "^PQ2" in zpl


def test_case_gtin_prints_as_itf14(env: Path) -> None:
    out = env / "case.zpl"
    args = ("product", "SKU-00001", "--gtin", "12000000000012", "--stock", "thermal-100x150")
    code, output = wms(*args, "--out", str(out))
    assert code == 0, output
    assert "^FD12000000000012^FS" in out.read_text()


def test_sscc_numbers_are_new_every_time(env: Path) -> None:
    code, first = wms("sscc", "--count", "3", "--out", str(env / "s1.pdf"))
    assert code == 0, first
    code, second = wms("sscc", "--count", "2", "--out", str(env / "s2.pdf"))
    assert code == 0, second
    issued = re.findall(r"^\d{18}$", first + second, re.M)
    assert len(issued) == 5
    assert len(set(issued)) == 5
    assert all(is_valid_sscc(s) and s[1:10] == "950110103" for s in issued)


def test_lot_label_to_the_default_printer(env: Path) -> None:
    code, output = wms("lot", "SKU-00001", "L-2027", "2027-01-31")
    assert code == 1
    assert "offline" in output  # /usb does not exist yet: the job is kept
    (env.parent / "usb").mkdir()
    code, output = wms("retry")
    assert code == 0, output
    assert "(17)270131(10)L-2027" in (env.parent / "usb" / "lp0").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("product", "NOPE"), "Unknown SKU NOPE"),
        (("product", "SKU-00001", "--gtin", "5901234123458"), "check digit"),
        (("locations", "--zone", "Z"), "No locations in zone Z"),
        (("sscc", "--printer", "nope"), "unknown printer 'nope'"),
        (("lot", "SKU-00001", "LOT 1", "2027-01-31", "--out", "x.pdf"), "lot 'LOT 1'"),
    ],
)
def test_refusals_say_why(env: Path, args: tuple[str, ...], message: str) -> None:
    code, output = wms(*args)
    assert code == 1
    assert message in output


def test_png_out_writes_images_that_scan_back(env: Path) -> None:
    code, output = wms("lpn", "--count", "2", "--out", str(env / "lpn.png"))
    assert code == 0, output
    images = sorted(env.glob("lpn-*.png"))
    assert len(images) == 2
    issued = re.findall(r"^LPN\d{8}$", output, re.M)
    found = [zxingcpp.read_barcodes(Image.open(p))[0].text for p in images]
    assert found == issued


def test_an_unknown_output_suffix_is_refused_and_uses_no_number(env: Path) -> None:
    code, first = wms("sscc", "--out", str(env / "a.pdf"))
    assert code == 0, first
    code, output = wms("sscc", "--out", str(env / "b.txt"))
    assert code == 1
    assert "name a .pdf, .svg, .png, .zpl file" in output
    code, output = wms("sscc", "--format", "pdf", "--out", str(env / "c.png"))
    assert code == 1
    assert "is not pdf" in output
    code, last = wms("sscc", "--out", str(env / "d.pdf"))
    assert code == 0, last
    [before], [after] = (re.findall(r"^\d{18}$", out, re.M) for out in (first, last))
    assert int(after[:-1]) == int(before[:-1]) + 1  # the refused jobs took no number
    assert not (env / "b.txt").exists()


def test_an_sscc_job_too_narrow_for_its_label_uses_no_number(env: Path) -> None:
    code, first = wms("sscc", "--out", str(env / "a.zpl"))
    assert code == 0, first
    code, output = wms(
        "sscc", "--count", "5", "--out", str(env / "b.zpl"), "--stock", "thermal-50x25"
    )
    assert code == 1
    assert "needs" in output
    assert re.findall(r"^\d{18}$", output, re.M) == []
    code, last = wms("sscc", "--out", str(env / "c.zpl"))
    [before], [after] = (re.findall(r"^\d{18}$", out, re.M) for out in (first, last))
    assert int(after[:-1]) == int(before[:-1]) + 1


def test_label_text_is_set_in_the_font_it_was_measured_with(env: Path) -> None:
    code, output = wms("product", "SKU-00001", "--out", str(env / "p.svg"))
    assert code == 0, output
    root = ET.parse(env / "p.svg").getroot()
    width = float(root.get("viewBox", "0 0 0 0").split()[2])
    texts = list(root.iter(f"{SVG}text"))
    assert texts
    fonts = {g.get("font-family") for g in root.iter(f"{SVG}g") if g.get("font-family")}
    assert fonts == {"DejaVu Sans Mono, monospace"}
    for text in texts:
        assert float(text.get("textLength", "inf")) <= width  # pinned: never past the edge
    code, output = wms("product", "SKU-00001", "--out", str(env / "p.pdf"))
    assert code == 0, output
    pdf = (env / "p.pdf").read_bytes()
    assert b"/FontFile2" in pdf  # the TrueType font is embedded
    assert b"DejaVuSansMono" in pdf
