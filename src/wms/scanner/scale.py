"""Serial scales at the pack station: MT-SICS, Mettler Toledo's Standard Interface Command Set
(hardware/SCALES.md), read by the same line reader as the scanners (`wms.scanner.lines`).

On connect the reader resets the scale's interface (``@``) and asks for every weight as it
changes (``SIR``: send immediately and repeat). Each answer is a line such as ``S S
1.250 kg`` (stable) or ``S D      1.180 kg`` (still moving); ``S +`` and ``S -`` say the load is
over or under the scale's range, ``S I`` that it cannot weigh now, ``ES``/``ET``/``EL`` that it
did not take a command. The reader reports a weight only when it changes (a scale repeats its
reading several times a second) and garbage once until a good reading comes again, so the
terminal hears of a placed parcel, not of every repetition.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import serial

from wms.domain.packing import Weighing
from wms.scanner.framing import FrameError, hex_preview
from wms.scanner.lines import LineReader, SerialLine
from wms.scanner.ports import parse_usb_id

DEFAULT_SCALE_PORT = "/dev/wms-scale"
PROTOCOLS = ("mt-sics",)
_GRAMS = {
    "g": Decimal(1),
    "kg": Decimal(1000),
    "lb": Decimal("453.59237"),
    "oz": Decimal("28.349523125"),
}
_STATUS = {
    "+": "overload: too heavy for the scale",
    "-": "underload: check the scale's platter",
    "I": "cannot weigh now (busy)",
}
_ERRORS = {"ES": "syntax error", "ET": "transmission error", "EL": "logical error"}


@dataclass(frozen=True)
class ScaleProfile:
    """How to reach one scale: its port (a path, a by-id name or ``VID:PID``), the serial
    line's settings and the protocol it speaks (``mt-sics``, the only one so far)."""

    name: str = "mt-sics"
    port: str = DEFAULT_SCALE_PORT
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    protocol: str = "mt-sics"
    usb_ids: tuple[str, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        problems = []
        if self.protocol not in PROTOCOLS:
            problems.append(f"protocol {self.protocol!r} must be one of {', '.join(PROTOCOLS)}")
        if self.baudrate <= 0:
            problems.append(f"baudrate {self.baudrate} must be positive")
        if self.parity not in ("N", "E", "O", "M", "S") or self.bytesize not in (7, 8):
            problems.append("parity N, E, O, M or S; bytesize 7 or 8")
        problems += [
            f"usb_ids entry {u!r} must look like 0eb8:*"
            for u in self.usb_ids
            if parse_usb_id(u) is None
        ]
        if problems:
            raise ValueError(f"scale profile {self.name!r}: " + "; ".join(problems))

    def line(self) -> SerialLine:
        """The serial line a reader opens (MT-SICS answers end in CR LF)."""
        return SerialLine(
            f"scale-{self.name}",
            self.port,
            self.baudrate,
            self.bytesize,
            self.parity,
            self.stopbits,
            b"\r\n",
            120,
            self.usb_ids,
        )


SCALE_PROFILES: dict[str, ScaleProfile] = {
    p.name: p
    for p in (
        ScaleProfile(
            description="Mettler Toledo (and MT-SICS compatible) scales: 9600 8N1, MT-SICS",
            usb_ids=("0eb8:*",),
        ),
    )
}


def load_scale_profile(name_or_path: str) -> ScaleProfile:
    """A built-in scale profile by name, or one read from a TOML file (ValueError if neither)."""
    if name_or_path in SCALE_PROFILES:
        return SCALE_PROFILES[name_or_path]
    path = Path(name_or_path)
    if not path.is_file():
        known = ", ".join(SCALE_PROFILES)
        raise ValueError(f"no scale profile {name_or_path!r}: use {known} or a .toml file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        data.setdefault("name", path.stem)
        data["usb_ids"] = tuple(data.get("usb_ids", ()))
        return ScaleProfile(**data)
    except (tomllib.TOMLDecodeError, TypeError) as exc:
        raise ValueError(f"scale profile {path.stem!r}: {exc}") from None


# --- MT-SICS -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SicsProblem:
    """A line that carried no weight: the scale's own status, or garbage."""

    message: str
    garbage: bool = False


def parse_sics(line: str) -> Weighing | SicsProblem | None:
    """One MT-SICS answer: a weighing, a problem, or None for a line that says nothing about
    the weight (the serial number answering ``@``, an acknowledged command)."""
    parts = line.split()
    if not parts:
        return SicsProblem("empty line from the scale", garbage=True)
    head = parts[0]
    if head in _ERRORS:
        return SicsProblem(f"scale: {_ERRORS[head]}")
    if head in ("I4", "Z", "T", "@"):  # identity (the answer to @), zero, tare done
        return None
    if head not in ("S", "SI", "SIR") or len(parts) < 2:
        return SicsProblem(f"not MT-SICS: {line[:24]}", garbage=True)
    status = parts[1]
    if status in _STATUS:
        return SicsProblem(f"scale: {_STATUS[status]}")
    if status not in ("S", "D") or len(parts) != 4 or parts[3].lower() not in _GRAMS:
        return SicsProblem(f"not MT-SICS: {line[:24]}", garbage=True)
    try:
        value = Decimal(parts[2]) * _GRAMS[parts[3].lower()]
    except InvalidOperation:
        return SicsProblem(f"not a weight: {parts[2][:12]}", garbage=True)
    if not value.is_finite() or abs(value) > 10_000_000:
        return SicsProblem(f"not a weight: {parts[2][:12]}", garbage=True)
    return Weighing(int(value.to_integral_value()), stable=status == "S")


# --- what the reader reports ------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleConnected:
    """The scale's port is open."""

    port: str


@dataclass(frozen=True)
class ScaleDisconnected:
    """The reader has no open port: lost, not found, or stopped."""

    port: str
    reason: str


@dataclass(frozen=True)
class ScaleReconnecting:
    """The reader is about to try the port again."""

    port: str
    attempt: int


@dataclass(frozen=True)
class ScaleWeight:
    """The scale's reading changed."""

    weighing: Weighing


@dataclass(frozen=True)
class ScaleProblem:
    """The scale said it cannot weigh, or sent something that is no weight (hex of it)."""

    message: str
    raw_hex: str = ""


ScaleEvent = ScaleConnected | ScaleDisconnected | ScaleReconnecting | ScaleWeight | ScaleProblem

# Reset the interface, then have every reading sent as it comes.
START_COMMANDS = b"@\r\nSIR\r\n"


@dataclass
class _Seen:
    last: Weighing | None = None
    troubled: bool = False  # a problem was reported since the last good reading


class ScaleReader(LineReader[ScaleEvent]):
    """Reads one MT-SICS scale on a daemon thread, reporting its reading as it changes."""

    def __init__(
        self,
        profile: ScaleProfile,
        on_event: Callable[[ScaleEvent], object],
        *,
        read_timeout: float = 0.1,
        retry_interval: float = 1.0,
    ) -> None:
        super().__init__(
            profile.line(), on_event, read_timeout=read_timeout, retry_interval=retry_interval
        )
        self.profile = profile
        self._seen = _Seen()

    def __enter__(self) -> ScaleReader:
        self.start()
        return self

    def opened(self, port: serial.Serial) -> None:
        """Reset the scale's interface and ask for every reading."""
        self._seen = _Seen()  # a reconnected scale's first reading is news
        port.write(START_COMMANDS)
        port.flush()

    def connected(self, port: str) -> ScaleEvent:
        """The scale's port is open."""
        return ScaleConnected(port)

    def disconnected(self, port: str, reason: str) -> ScaleEvent:
        """The scale's port is lost."""
        return ScaleDisconnected(port, reason)

    def reconnecting(self, port: str, attempt: int) -> ScaleEvent:
        """Trying the scale's port again."""
        return ScaleReconnecting(port, attempt)

    def received(self, text: str) -> list[ScaleEvent]:
        """A reading when it differs from the last; a problem once until a good reading."""
        found = parse_sics(text)
        if found is None:
            return []
        if isinstance(found, SicsProblem):
            return self._trouble(found.message, hex_preview(text.encode()) if found.garbage else "")
        troubled, self._seen.troubled = self._seen.troubled, False
        if found == self._seen.last and not troubled:
            return []
        self._seen.last = found
        return [ScaleWeight(found)]

    def garbled(self, problem: FrameError) -> list[ScaleEvent]:
        """Bytes that made no line: garbage (check the baud rate)."""
        return self._trouble(f"scale sent garbage ({problem.message})", problem.raw_hex)

    def cut_off(self, raw_hex: str) -> list[ScaleEvent]:
        """A reading cut off by the port's loss: the disconnect says it all."""
        return []

    def _trouble(self, message: str, raw_hex: str) -> list[ScaleEvent]:
        if self._seen.troubled:
            return []
        self._seen.troubled = True
        self._seen.last = None
        return [ScaleProblem(message, raw_hex)]
