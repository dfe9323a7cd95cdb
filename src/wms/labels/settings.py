"""Label and printer settings, read from a TOML file.

Example ``labels.toml``::

    company_prefix = "9501101"      # GS1 company prefix, needed for SSCCs
    serial_prefix = "01"            # this terminal's block of SSCC and LPN numbers
    default_printer = "dock1"

    [[printers]]
    name = "dock1"
    transport = "tcp9100"
    host = "10.0.0.21"
    stock = "thermal-100x150"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wms.labels.errors import LabelError
from wms.labels.model import STOCKS

CONFIG_ENV = "WMS_LABELS_CONFIG"
DATA_ENV = "WMS_DATA_DIR"


class _Printer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    language: Literal["zpl", "pdf"] = "zpl"
    stock: str = "thermal-100x150"
    dpi: int = Field(default=203, ge=100, le=1200)

    @field_validator("stock")
    @classmethod
    def _known_stock(cls, stock: str) -> str:
        if stock not in STOCKS:
            raise ValueError(f"unknown stock {stock!r}; known: {', '.join(STOCKS)}")
        return stock


class TcpPrinterSettings(_Printer):
    """A network printer taking raw jobs on TCP port 9100 (Zebra and most label printers)."""

    transport: Literal["tcp9100"]
    host: str
    port: int = Field(default=9100, ge=1, le=65535)
    timeout_s: float = Field(default=5.0, gt=0)


class CupsPrinterSettings(_Printer):
    """A CUPS queue, printed to with ``lp`` (raw for ZPL; PDF goes through the driver)."""

    transport: Literal["cups"]
    queue: str
    lp_command: str = "lp"


class FilePrinterSettings(_Printer):
    """A file or a device node, e.g. ``/dev/usb/lp0`` for a USB printer; jobs are appended."""

    transport: Literal["file"]
    path: Path


PrinterSettings = TcpPrinterSettings | CupsPrinterSettings | FilePrinterSettings


class LabelSettings(BaseModel):
    """Everything the labels need to know about this terminal."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    company_prefix: str | None = Field(default=None, pattern=r"^\d{6,12}$")
    sscc_extension: int = Field(default=0, ge=0, le=9)
    # Digits put before every SSCC serial reference and LPN number this terminal issues, so
    # two terminals (each with its own counter) never issue the same number.
    serial_prefix: str = Field(default="", pattern=r"^\d{0,2}$")
    default_printer: str | None = None
    printers: tuple[Annotated[PrinterSettings, Field(discriminator="transport")], ...] = ()

    def printer(self, name: str | None) -> PrinterSettings:
        """The printer called ``name`` (or the default one), with a clear error if unknown."""
        wanted = name or self.default_printer
        if wanted is None:
            raise LabelError("no printer given and no default_printer in the label settings")
        for printer in self.printers:
            if printer.name == wanted:
                return printer
        known = ", ".join(p.name for p in self.printers) or "none configured"
        raise LabelError(f"unknown printer {wanted!r} (known: {known})")


def config_path() -> Path:
    """Where the label settings live: $WMS_LABELS_CONFIG, else the user config directory."""
    env = os.environ.get(CONFIG_ENV)
    return (
        Path(env) if env else platformdirs.user_config_path("wms", appauthor=False) / "labels.toml"
    )


def data_dir() -> Path:
    """Where counters and the print spool live: $WMS_DATA_DIR, else the user data directory."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else platformdirs.user_data_path("wms", appauthor=False)


def load_settings(path: Path | None = None) -> LabelSettings:
    """Read the settings; a missing file means defaults (no printers, no SSCCs)."""
    path = path or config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return LabelSettings()
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LabelError(f"cannot read {path}: {exc}") from exc
    try:
        return LabelSettings.model_validate(raw)
    except ValidationError as exc:
        raise LabelError(f"{path}: {exc}") from exc
