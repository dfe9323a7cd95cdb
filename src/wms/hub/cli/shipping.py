"""``wms hub carriers|parcels|loads|manifest``: shipping from the command line.

Carriers and their number pools, parcels (list, show, label, void, book the pending ones),
loads at the dock, and a carrier's end-of-day manifest as PDF and CSV (hardware/SHIPPING.md).
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wms.hub.cli.planning import By, Config, Json, Warehouse, _as_supervisor, _fail

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Connection, Engine

    Opener = Callable[[Path | None], tuple[Any, Engine]]

Csv = Annotated[bool, typer.Option("--csv", help="CSV with a header.")]


def _rows(rows: list[dict[str, Any]], as_json: bool, as_csv: bool, line: Any) -> None:
    if as_csv and rows:
        from wms.hub.shipping.manifest import cell

        out = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        out.writeheader()
        out.writerows({k: cell(v) for k, v in r.items()} for r in rows)
        return
    for r in rows:
        typer.echo(json.dumps(r, default=str) if as_json else line(r))


def _carriers(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Carriers, their services and number pools.", no_args_is_help=True)

    @group.command("add")
    def add(
        *,
        code: Annotated[str, typer.Argument(help="Carrier code, e.g. EMS, SF")],
        warehouse: Warehouse,
        name: Annotated[str, typer.Option("--name", help="e.g. 'China Post EMS'")],
        kind: Annotated[str, typer.Option("--kind", help="pool or api")] = "pool",
        service: Annotated[
            list[str] | None, typer.Option("--service", help="A service (repeat).")
        ] = None,
        api_config: Annotated[
            Path | None,
            typer.Option(
                "--api-config",
                exists=True,
                dir_okay=False,
                help="JSON: url, key_env, timeout_s, shipper (an api carrier).",
            ),
        ] = None,
        config: Config = None,
    ) -> None:
        """Create or change a carrier; terminals receive it at their next pull."""
        from wms.hub.shipping.carriers import add_carrier

        api = None
        if api_config is not None:
            try:
                api = dict(json.loads(api_config.read_text(encoding="utf-8")))
            except (ValueError, TypeError) as e:
                raise _fail(f"{api_config}: not a JSON object ({e})") from None
        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                add_carrier(
                    conn, warehouse, code, name=name, kind=kind, services=service or [], api=api
                )
        except ValueError as e:
            raise _fail(str(e)) from None
        typer.echo(f"Carrier {code} ({kind}) for {warehouse}")

    @group.command("list")
    def list_(warehouse: Warehouse, as_json: Json = False, config: Config = None) -> None:
        """The warehouse's carriers, and the numbers left in their pools."""
        from wms.hub.shipping.carriers import carriers, pool_left

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows = [c.published() for c in carriers(conn, warehouse)]
            left = {p["carrier"]: p for p in pool_left(conn, warehouse)}
        for r in rows:
            r["numbers_left"] = left.get(r["code"], {}).get("left")
        _rows(
            rows,
            as_json,
            False,
            lambda r: (
                f"{r['code']:8} {r['kind']:4}  {r['name']:30} {','.join(r['services'])}"
                + (f"  {r['numbers_left']} numbers left" if r["numbers_left"] is not None else "")
            ),
        )

    _pool_commands(group, open_hub)
    return group


def _pool_commands(group: typer.Typer, open_hub: Opener) -> None:
    @group.command("pool")
    def pool(
        *,
        action: Annotated[str, typer.Argument(help="add")],
        code: Annotated[str, typer.Argument(help="A pool carrier's code")],
        warehouse: Warehouse,
        first: Annotated[int | None, typer.Option("--from", help="First serial.")] = None,
        last: Annotated[int | None, typer.Option("--to", help="Last serial.")] = None,
        prefix: Annotated[str, typer.Option("--prefix", help="e.g. EA")] = "",
        suffix: Annotated[str, typer.Option("--suffix", help="e.g. CN")] = "",
        digits: Annotated[int, typer.Option("--digits", help="Serial digits.")] = 10,
        check: Annotated[str, typer.Option("--check", help="none or s10")] = "none",
        file: Annotated[
            Path | None,
            typer.Option("--file", exists=True, dir_okay=False, help="One number a line."),
        ] = None,
        config: Config = None,
    ) -> None:
        """Add a range (--from/--to) or a list (--file) of the carrier's waybill numbers."""
        from wms.domain.waybills import WaybillFormat
        from wms.hub.shipping.carriers import carrier_row
        from wms.hub.shipping.numbers import PoolError, add_waybill_list, add_waybill_range

        if action != "add":
            raise _fail(f"Unknown action {action!r}: add", 2)
        if (file is None) == (first is None or last is None):
            raise _fail("Give a range (--from N --to M) or a list (--file FILE)", 2)
        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                row = carrier_row(conn, warehouse, code)
                if row is None or row.kind != "pool":
                    raise _fail(f"No pool carrier {code} in {warehouse} (wms hub carriers add)")
                if file is not None:
                    numbers = file.read_text(encoding="utf-8").splitlines()
                    added = add_waybill_list(conn, warehouse, code, numbers)
                else:
                    assert first is not None
                    assert last is not None
                    fmt = WaybillFormat(prefix, digits, suffix, check)
                    added = add_waybill_range(
                        conn, warehouse, code, first=first, last=last, fmt=fmt
                    )
        except (PoolError, ValueError) as e:
            raise _fail(f"Not added: {e}") from None
        typer.echo(f"Added {added} {code} waybill numbers")

    @group.command("sscc")
    def sscc(
        warehouse: Warehouse,
        company_prefix: Annotated[str, typer.Option("--company-prefix", help="GS1 prefix.")],
        extension: Annotated[int, typer.Option("--extension", help="0-9.")] = 9,
        config: Config = None,
    ) -> None:
        """The parcels' SSCCs: the GS1 company prefix and extension digit they are made of."""
        from wms.hub.shipping.numbers import PoolError, add_sscc_pool

        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                left = add_sscc_pool(conn, warehouse, company_prefix, extension)
        except PoolError as e:
            raise _fail(str(e)) from None
        typer.echo(f"Parcel SSCCs: {extension}{company_prefix}…, {left} serials available")


def _parcel_line(r: dict[str, Any]) -> str:
    waybill = r["waybill"] or f"({r['booking']})"
    return (
        f"{r['sscc']}  {r['status']:7}  {r['carrier']:5} {waybill:22}"
        f"  {r['order_number']:16} {r['weight_g'] or 0:>6} g  {r['load'] or ''}"
    )


def _parcels(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Parcels: list, show, label, void, book.", no_args_is_help=True)

    @group.command("list")
    def list_(
        *,
        warehouse: Warehouse,
        status: Annotated[str | None, typer.Option("--status", help="packed, loaded…")] = None,
        carrier: Annotated[str | None, typer.Option("--carrier")] = None,
        order: Annotated[str | None, typer.Option("--order")] = None,
        as_json: Json = False,
        as_csv: Csv = False,
        config: Config = None,
    ) -> None:
        """Parcels, newest first."""
        from wms.hub.shipping.parcels import parcels

        _, engine = open_hub(config)
        with engine.connect() as conn:
            found = parcels(conn, warehouse, status=status, carrier=carrier, order=order)
        rows = [{k: v for k, v in p.__dict__.items() if k != "lines"} for p in found]
        _rows(rows, as_json, as_csv, _parcel_line)

    @group.command("show")
    def show(
        sscc: Annotated[str, typer.Argument(help="The parcel's SSCC")],
        warehouse: Warehouse,
        as_json: Json = False,
        config: Config = None,
    ) -> None:
        """One parcel and its lines."""
        from wms.hub.shipping.parcels import NoSuchParcel, parcel_view

        _, engine = open_hub(config)
        try:
            with engine.connect() as conn:
                found = parcel_view(conn, warehouse, sscc)
        except NoSuchParcel as e:
            raise _fail(str(e)) from None
        if as_json:
            lines = [ln.__dict__ for ln in found.lines]
            typer.echo(json.dumps({**found.__dict__, "lines": lines}, default=str))
            return
        typer.echo(_parcel_line(found.__dict__))
        for ln in found.lines:
            lot = f" lot {ln.lot}" if ln.lot else ""
            typer.echo(f"  {ln.units:>4} x {ln.sku}{lot}  from {ln.from_container or '-'}")

    _parcel_actions(group, open_hub)
    return group


def _parcel_actions(group: typer.Typer, open_hub: Opener) -> None:
    @group.command("label")
    def label(
        sscc: Annotated[str, typer.Argument(help="The parcel's SSCC")],
        warehouse: Warehouse,
        output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
        fmt: Annotated[str, typer.Option("--format", help="zpl or pdf")] = "pdf",
        config: Config = None,
    ) -> None:
        """Print a parcel's shipping label again (to a file for the printer)."""
        from wms.hub.shipping.parcels import NoLabel, NoSuchParcel, label_document

        if fmt not in ("zpl", "pdf"):
            raise _fail("--format is zpl or pdf", 2)
        _, engine = open_hub(config)
        try:
            with engine.connect() as conn:
                document = label_document(conn, warehouse, sscc, "zpl" if fmt == "zpl" else "pdf")
        except (NoSuchParcel, NoLabel) as e:
            raise _fail(str(e)) from None
        output.write_bytes(document)
        typer.echo(f"Label of {sscc} written to {output}")

    @group.command("void")
    def void(
        sscc: Annotated[str, typer.Argument(help="The parcel's SSCC")],
        warehouse: Warehouse,
        by: By,
        why: Annotated[str, typer.Option("--why", help="Reason, kept with the parcel.")],
        config: Config = None,
    ) -> None:
        """Void a parcel not yet loaded: its waybill is voided and never used again."""
        from wms.hub.db import in_transaction
        from wms.hub.shipping.parcels import CannotVoid, NoSuchParcel, ParcelView, void_parcel

        _, engine = open_hub(config)

        def work(conn: Connection) -> ParcelView:
            _as_supervisor(conn, by, warehouse)
            return void_parcel(conn, warehouse, sscc, by, why)

        try:
            done = in_transaction(engine, work)
        except (NoSuchParcel, CannotVoid) as e:
            raise _fail(str(e)) from None
        typer.echo(f"Parcel {sscc} void (waybill {done.waybill or '-'}: {done.booking})")

    @group.command("book-pending")
    def book_pending(config: Config = None) -> None:
        """Book the parcels closed without a waybill (and void opened ones' waybills), as the
        hub's background worker does; safe beside running hubs (for cron)."""
        from wms.hub.shipping.booking import work_due

        _, engine = open_hub(config)
        done = work_due(engine)
        typer.echo(f"{len(done)} parcels worked on")


def _loads(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Loads at the outbound dock.", no_args_is_help=True)

    @group.command("list")
    def list_(
        warehouse: Warehouse,
        status: Annotated[str | None, typer.Option("--status", help="open or closed")] = None,
        as_json: Json = False,
        config: Config = None,
    ) -> None:
        """Loads, newest first, with their parcels."""
        from wms.hub.shipping.parcels import loads

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows = [v.__dict__ for v in loads(conn, warehouse, status=status)]
        _rows(
            rows,
            as_json,
            False,
            lambda r: (
                f"{r['number']:12} {r['status']:6} {r['carrier'] or '-':6}"
                f" {r['dock'] or '-':10} {r['parcels']} parcels"
            ),
        )

    @group.command("show")
    def show(
        number: Annotated[str, typer.Argument(help="Load number")],
        warehouse: Warehouse,
        config: Config = None,
    ) -> None:
        """One load and its parcels."""
        from wms.hub.shipping.parcels import loads

        _, engine = open_hub(config)
        with engine.connect() as conn:
            found = [v for v in loads(conn, warehouse, limit=10_000) if v.number == number]
        if not found:
            raise _fail(f"No load {number} in {warehouse}")
        load = found[0]
        typer.echo(f"{load.number}  {load.status}  {load.carrier or '-'}  {load.dock or '-'}")
        for sscc in load.members:
            typer.echo(f"  {sscc}")

    return group


def _manifest(open_hub: Opener) -> Any:
    def manifest_cmd(
        *,
        warehouse: Warehouse,
        carrier: Annotated[str, typer.Option("--carrier", help="Carrier code.")],
        by: By,
        day: Annotated[
            str | None, typer.Option("--day", help="YYYY-MM-DD (default: today).")
        ] = None,
        pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the PDF here.")] = None,
        csv_file: Annotated[Path | None, typer.Option("--csv", help="Write the CSV here.")] = None,
        config: Config = None,
    ) -> None:
        """A carrier's end-of-day manifest (PDF and/or CSV): its parcels shipped that day.

        Waybills, SSCCs, orders, weights and loads; without --pdf or --csv, a summary."""
        from wms.domain.packing import how_many, kg
        from wms.hub.db import in_transaction
        from wms.hub.shipping.manifest import Manifest, manifest, manifest_csv, manifest_pdf

        try:
            when = date.fromisoformat(day) if day else date.today()
        except ValueError:
            raise _fail(f"--day {day!r}: a date such as 2026-11-30", 2) from None
        _, engine = open_hub(config)

        def work(conn: Connection) -> Manifest:
            _as_supervisor(conn, by, warehouse)
            return manifest(conn, warehouse, carrier, when, by)

        try:
            made = in_transaction(engine, work)
        except LookupError as e:
            raise _fail(str(e)) from None
        if pdf is not None:
            pdf.write_bytes(manifest_pdf(made))
        if csv_file is not None:
            csv_file.write_text(manifest_csv(made), encoding="utf-8")
        parcels = how_many(len(made.lines), "parcel")
        typer.echo(f"Manifest {carrier} {when}: {parcels}, {kg(made.weight_g)}")

    return manifest_cmd


def register(app: typer.Typer, open_hub: Opener) -> None:
    """Add the shipping commands to ``wms hub``."""
    app.add_typer(_carriers(open_hub), name="carriers")
    app.add_typer(_parcels(open_hub), name="parcels")
    app.add_typer(_loads(open_hub), name="loads")
    app.command("manifest")(_manifest(open_hub))
