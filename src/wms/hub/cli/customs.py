"""``wms hub customs``: a warehouse's customs codes, its lists and receipts, handing messages
over, and the bonded ledger's daily reconciliation (hardware/CUSTOMS.md). Products' customs
data: ``wms hub import customs_products FILE --warehouse W``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wms.hub.cli.planning import Config, Json, Warehouse, _as_supervisor, _fail

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine

    Opener = Callable[[Path | None], tuple[Any, Engine]]

Csv = Annotated[bool, typer.Option("--csv", help="CSV with a header (formula-safe).")]


def _out(rows: list[dict[str, Any]], as_json: bool, as_csv: bool) -> None:
    if as_csv:
        from wms.hub.customs.views import rows_csv

        sys.stdout.write(rows_csv(rows))
        return
    for r in rows:
        line = json.dumps(r, default=str, ensure_ascii=False) if as_json else None
        typer.echo(line or "  ".join("" if v is None else str(v) for v in r.values()))


def register(app: typer.Typer, open_hub: Opener) -> None:  # noqa: PLR0915 (one closure per command)
    """Add ``wms hub customs`` to ``wms hub``."""
    group = typer.Typer(help="Customs: codes, lists, receipts, the bonded ledger.")
    app.add_typer(group, name="customs")

    @group.command("codes")
    def codes(
        *,
        warehouse: Warehouse,
        file: Annotated[
            Path | None,
            typer.Argument(exists=True, dir_okay=False, help="JSON: the codes (omit to show)."),
        ] = None,
        by: Annotated[str | None, typer.Option("--by", help="Supervisor name.")] = None,
        config: Config = None,
    ) -> None:
        """Show the warehouse's customs codes, or set them from FILE (the first time opens its
        bonded ledger with the bonded stock held then)."""
        from pydantic import ValidationError

        from wms.hub.customs.codes import WarehouseCodes, codes_of, save_codes

        _, engine = open_hub(config)
        if file is None:
            with engine.connect() as conn:
                found = codes_of(conn, warehouse)
            if found is None:
                raise _fail(f"{warehouse} has no customs codes yet")
            typer.echo(found.model_dump_json(indent=2))
            return
        if by is None:
            raise _fail("Setting codes is a supervisor's decision: add --by NAME", 2)
        try:
            wanted = WarehouseCodes.model_validate_json(file.read_bytes())
        except ValidationError as e:
            for x in e.errors(include_url=False, include_input=False):
                typer.echo(f"{file}: {'.'.join(map(str, x['loc']))}: {x['msg']}", err=True)
            raise typer.Exit(1) from None
        with engine.begin() as conn:
            _as_supervisor(conn, by, warehouse)
            opened = save_codes(conn, warehouse, wanted, by)
        said = "; its bonded ledger is opened with the bonded stock held now" if opened else ""
        typer.echo(f"Customs codes of {warehouse} saved{said}")

    @group.command("lists")
    def lists(
        *,
        warehouse: Warehouse,
        status: Annotated[str | None, typer.Option("--status", help="e.g. rejected")] = None,
        limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 200,
        config: Config = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        """Messages to customs, newest first: kind, parcel, order, state, customs' status."""
        from wms.hub.customs.views import messages

        _, engine = open_hub(config)
        with engine.connect() as conn:
            _out(messages(conn, warehouse, status=status, limit=limit), as_json, as_csv)

    @group.command("receipts")
    def receipts(
        *,
        warehouse: Warehouse,
        set_aside: Annotated[
            bool, typer.Option("--set-aside", help="Only those set aside.")
        ] = False,
        limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 200,
        config: Config = None,
        as_json: Json = False,
    ) -> None:
        """Receipts from customs, newest first, with what each did or why it was set aside."""
        from wms.hub.customs.views import receipts as found

        _, engine = open_hub(config)
        with engine.connect() as conn:
            _out(found(conn, warehouse, set_aside=set_aside, limit=limit), as_json, False)

    @group.command("receipt")
    def receipt(
        *,
        warehouse: Warehouse,
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A CEB622/4/6.")],
        config: Config = None,
    ) -> None:
        """Take one receipt file by hand (as the inbox would)."""
        from wms.hub.customs.receipts import MAX_RECEIPT_BYTES, receive

        _, engine = open_hub(config)
        with file.open("rb") as f:
            raw = f.read(MAX_RECEIPT_BYTES + 1)
        with engine.begin() as conn:
            got = receive(conn, warehouse, raw, file.name)
        typer.echo(f"Receipt {got.id}: {got.state}{': ' + got.reason if got.reason else ''}")
        if got.state == "set_aside":
            raise typer.Exit(1)

    @group.command("send")
    def send(config: Config = None) -> None:
        """Declare parcels that were waiting, hand due messages over and read every inbox once
        (what each hub process does in the background; for cron)."""
        from wms.hub.customs.declare import declare_waiting
        from wms.hub.customs.handover import read_inboxes, send_due

        _, engine = open_hub(config)
        declared = declare_waiting(engine)
        sent = send_due(engine)
        read = read_inboxes(engine)
        typer.echo(f"{len(declared)} declared, {len(sent)} handed over, {len(read)} receipts read")

    @group.command("reconcile")
    def reconcile_cmd(
        *,
        warehouse: Warehouse,
        day: Annotated[
            str | None, typer.Option("--day", help="YYYY-MM-DD (default today: as of now).")
        ] = None,
        config: Config = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        """The bonded ledger's three-way reconciliation per ledger item (ledger balance,
        physical bonded stock, declared and released), every difference traced to its op,
        decision or parcel. Exits 1 when it does not balance."""
        from wms.hub.customs.reconcile import NotOpen, reconcile, report_rows
        from wms.hub.customs.views import describe

        try:
            wanted = date.fromisoformat(day) if day else None
        except ValueError:
            raise _fail(f"Not a day: {day!r} (YYYY-MM-DD)", 2) from None
        _, engine = open_hub(config)
        with engine.connect() as conn:
            try:
                report = reconcile(conn, warehouse, wanted)
            except NotOpen as e:
                raise _fail(str(e)) from None
        if as_json or as_csv:
            _out(report_rows(report), as_json, as_csv)
        else:
            for line in describe(report):
                typer.echo(line)
        if not report.balanced:
            raise typer.Exit(1)
