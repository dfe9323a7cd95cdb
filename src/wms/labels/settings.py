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

import ipaddress
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

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


# One hostname label, or an IPv4 address (it matches too).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_IPV6 = re.compile(r"\[([0-9A-Fa-f:.]+)\](?::(.*))?")
_QUEUE = re.compile(r"[^\s/#\\]{1,127}")  # what CUPS allows in a queue name
PRINTER_FORMS = "host:port, cups:QUEUE or /path"


def parse_printer(spec: str, like: PrinterSettings | None = None) -> PrinterSettings:
    """The printer one typed line names: ``host`` or ``host:port`` (raw TCP, port 9100 unless
    given), ``cups:QUEUE``, or an absolute path (a file or a device such as /dev/usb/lp0).

    Name, language, stock and resolution are kept from ``like`` (the printer it replaces).
    Raises LabelError saying what is wrong and which forms are accepted.
    """
    keep: dict[str, Any] = {"name": "terminal"}
    if like is not None:
        keep = {"name": like.name, "language": like.language, "stock": like.stock, "dpi": like.dpi}
    if spec.startswith("cups:"):
        queue = spec.removeprefix("cups:")
        if not _QUEUE.fullmatch(queue):
            raise LabelError(f"Bad CUPS queue {queue[:20]!r}: no spaces, / or #")
        return CupsPrinterSettings(transport="cups", queue=queue, **keep)
    if spec.startswith("/"):
        return FilePrinterSettings(transport="file", path=Path(spec), **keep)
    host, port = _host_port(spec)
    return TcpPrinterSettings(transport="tcp9100", host=host, port=port, **keep)


def _host_port(spec: str) -> tuple[str, int]:
    if ipv6 := _IPV6.fullmatch(spec):
        host, port_text = ipv6.group(1), ipv6.group(2)
    else:
        host, _, port_text = spec.partition(":")
        if not _HOST.fullmatch(host) or len(host) > 253:
            raise LabelError(f"Bad printer {spec[:24]!r}: use {PRINTER_FORMS}")
        if host.replace(".", "").isdigit():  # "3" is a menu choice typed at the wrong prompt
            try:
                ipaddress.IPv4Address(host)
            except ValueError:
                raise LabelError(f"Bad IP address {host[:24]!r}: e.g. 10.0.0.20") from None
    if port_text is None or port_text == "":
        if spec.endswith(":"):
            raise LabelError(f"No port after {host[:24]}: (1-65535)")
        return host, 9100
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        raise LabelError(f"Bad port {port_text[:8]!r}: 1-65535")
    return host, int(port_text)


def describe_printer(printer: PrinterSettings) -> str:
    """One short line for a person: where the printer's jobs go."""
    if isinstance(printer, TcpPrinterSettings):
        host = f"[{printer.host}]" if ":" in printer.host else printer.host
        return f"{host}:{printer.port}"
    if isinstance(printer, CupsPrinterSettings):
        return f"cups:{printer.queue}"
    return str(printer.path)


def with_default_printer(settings: LabelSettings, printer: PrinterSettings) -> LabelSettings:
    """``settings`` with ``printer`` as the default, replacing any printer of the same name."""
    others = tuple(p for p in settings.printers if p.name != printer.name)
    return settings.model_copy(
        update={"default_printer": printer.name, "printers": (*others, printer)}
    )


def save_settings(settings: LabelSettings, path: Path | None = None) -> None:
    """Write the settings where `load_settings` reads them. The file is replaced in one step
    (write, then rename) so a power cut leaves the old settings or the new, never half."""
    path = path or config_path()
    data = settings.model_dump(mode="json", exclude_none=True)
    printers = data.pop("printers")
    lines = [f"{key} = {_toml(value)}" for key, value in data.items()]
    for printer in printers:
        lines += ["", "[[printers]]", *(f"{k} = {_toml(v)}" for k, v in printer.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    try:
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise LabelError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _toml(value: object) -> str:
    # A JSON string, number or boolean is also a valid TOML value (JSON escapes are TOML's).
    return json.dumps(value)
