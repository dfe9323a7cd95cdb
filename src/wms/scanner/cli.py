"""``wms scanner …``: find a scanner, watch what it sends, or simulate one on a pty."""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wms.scanner.events import ScannerEvent, event_record
from wms.scanner.ports import list_candidates
from wms.scanner.profile import PROFILES, Suffix, load_profile

if TYPE_CHECKING:
    from wms.scanner.simulator import PtyScanner

app = typer.Typer(help="Serial barcode scanners: list ports, watch scans, simulate a scanner.")

# pyserial flushes the input queue just after it opens a port: give it that moment before typing.
_SETTLE_SECONDS = 0.25


@app.command()
def ports() -> None:
    """List serial devices a scanner could be on, with USB VID:PID, serial number and by-id path."""
    candidates = list_candidates()
    if not candidates:
        typer.echo("No serial ports found. Is the scanner in USB serial (CDC) mode?")
        typer.echo("See hardware/SCANNERS.md.")
        return
    for port in candidates:
        typer.echo(
            f"{port.device}  usb={port.usb_id or '-'}  serial={port.serial_number or '-'}"
            f"  by-id={port.by_id or '-'}  {port.description}"
        )


@app.command()
def listen(
    port: Annotated[str | None, typer.Option(help="Device path, by-id name or VID:PID.")] = None,
    profile: Annotated[
        str, typer.Option(help=f"Built-in profile ({', '.join(PROFILES)}) or a .toml file.")
    ] = "wms",
    json_lines: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Print each scan and scanner event as it arrives, until Ctrl-C (for installers)."""
    from wms.scanner.reader import ScannerReader  # lazily: `wms --help` must not load pyserial

    try:
        chosen = load_profile(profile)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--profile") from None
    if port:
        chosen = replace(chosen, port=port)
    show = _json_line if json_lines else _text_line
    reader = ScannerReader(chosen, lambda event: typer.echo(show(event)))
    with reader, contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


@app.command()
def simulate(
    file: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Scans, one a line.")
    ] = None,
    baud: Annotated[int, typer.Option(min=1, help="Pace bytes like a serial line.")] = 9600,
    aim: Annotated[bool, typer.Option("--aim", help="Put AIM symbology ids in front.")] = False,
    suffix: Annotated[str, typer.Option(help="CR, LF or CRLF after each scan.")] = "CR",
    interval: Annotated[
        float, typer.Option(min=0, help="Seconds between scans from --file.")
    ] = 0.3,
) -> None:
    """Open a pty, print its path, and type scans into it (from --file or stdin) like a scanner.

    One scan a line. HRI lines such as (01)09501101530003(10)LOT42 become GS1 element strings;
    <GS> stands for the separator. Typing starts once a reader opens the port; Ctrl-C unplugs.
    """
    from wms.scanner.simulator import PtyScanner  # lazily: `wms --help` must not load biip

    if suffix.upper() not in Suffix.__members__:
        raise typer.BadParameter("use CR, LF or CRLF", param_hint="--suffix")
    with PtyScanner(suffix=Suffix[suffix.upper()].value, baudrate=baud) as scanner:
        typer.echo(scanner.port)
        typer.echo(f"waiting for a reader on {scanner.port} …", err=True)
        try:
            scanner.wait_for_reader()
            time.sleep(_SETTLE_SECONDS)
            lines = file.open(encoding="utf-8") if file else sys.stdin
            with lines:
                for number, line in enumerate(lines):
                    _type_line(scanner, line, aim=aim, pause=interval if file and number else 0)
            typer.echo("all scans typed; Ctrl-C unplugs the scanner", err=True)
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


def _type_line(scanner: PtyScanner, line: str, *, aim: bool, pause: float) -> None:
    from biip import ParseError

    from wms.scanner.simulator import scanner_output

    text = line.removesuffix("\n").removesuffix("\r")
    if not text:
        return
    try:
        output = scanner_output(text, aim_ids=aim)
    except ParseError as exc:
        typer.echo(f"skipped {text!r}: {exc}", err=True)
        return
    time.sleep(pause)
    scanner.type(output)


def _json_line(event: ScannerEvent) -> str:
    return json.dumps(event_record(event), ensure_ascii=False)


def _text_line(event: ScannerEvent) -> str:
    record = event_record(event)
    name = str(record.pop("event"))
    record.pop("received_at", None)
    if name == "scan":
        name = str(record.pop("kind")).lower()
        record["raw"] = repr(record["raw"])  # shows GS as \x1d
    return f"{name:<12} " + "  ".join(f"{key}={value}" for key, value in record.items())
