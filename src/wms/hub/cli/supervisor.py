"""``wms hub supervisor|clear|recall|exceptions|documents``: supervisor decisions and views from
the command line.

Every decision names its supervisor (``--by``, a name created with ``wms hub supervisor add``)
and a reason (``--why``); both go to the audit trail with the time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wms.hub.supervision.choices import Resolution

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from wms.hub.supervision.decisions import Moved

    Opener = Callable[[Path | None], tuple[Any, Engine]]

By = Annotated[str, typer.Option("--by", help="Supervisor name (wms hub supervisor add).")]
Why = Annotated[str, typer.Option("--why", help="Reason, kept in the audit trail.")]
Warehouse = Annotated[str, typer.Option("--warehouse", help="Warehouse code, e.g. DEMO.")]
Config = Annotated[Path | None, typer.Option("--config", help="Settings file (WMS_HUB_* lines).")]
Name = Annotated[str, typer.Argument(help="Supervisor name")]


class DocumentKind(StrEnum):
    """The documents whose progress ``wms hub documents`` shows."""

    RECEIPT = "receipt"
    PICK_TASK = "pick_task"


def require_supervisor(conn: Connection, name: str) -> None:
    """Exit 1, saying how to fix it, unless ``name`` is an active supervisor."""
    from sqlalchemy import text  # lazily: `wms --help` must not load SQLAlchemy

    row = conn.execute(text("SELECT revoked FROM supervisor WHERE name = :n"), {"n": name}).first()
    if row is None or row.revoked:
        typer.echo(f"No active supervisor {name}: `wms hub supervisor add {name}`", err=True)
        raise typer.Exit(1)


def _report(moved: list[Moved]) -> None:
    for m in moved:
        typer.echo(f"  {m.sku}  {m.location}  lot {m.lot or '-'}  {m.container or '-'}  {m.qty}")


def _exceptions(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="The exceptions queue.", invoke_without_command=True)

    @group.callback()
    def exceptions(
        ctx: typer.Context,
        config: Config = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
    ) -> None:
        """Open exceptions raised by synced floor work, oldest first."""
        if ctx.invoked_subcommand is not None:
            return
        from wms.hub.supervision.resolutions import open_exceptions

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows = open_exceptions(conn)
        for r in rows:
            shown = {k: v for k, v in r.items() if as_json or k != "details"}
            line = json.dumps(r, default=str) if as_json else "  ".join(map(str, shown.values()))
            typer.echo(line)

    @group.command("resolve")
    def resolve_cmd(
        exception: Annotated[int, typer.Argument(help="Exception id (wms hub exceptions)")],
        *,
        action: Annotated[Resolution, typer.Option("--action", help="What to do.")],
        by: By,
        why: Why,
        delta: Annotated[int, typer.Option("--delta", help="Signed units, for adjust.")] = 0,
        config: Config = None,
    ) -> None:
        """Accept, adjust (--delta), order a recount or write off; recorded and synced back."""
        from wms.hub.supervision.resolutions import resolve
        from wms.hub.supervision.supervisors import DecisionRefused

        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                require_supervisor(conn, by)
                decision = resolve(conn, exception, by, why, action, delta=delta)
        except DecisionRefused as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from None
        typer.echo(f"Exception {exception}: {action} (decision {decision})")

    return group


def register(app: typer.Typer, open_hub: Opener) -> None:
    """Add the supervisor commands to ``wms hub``."""

    app.add_typer(_exceptions(open_hub), name="exceptions")
    app.add_typer(_supervisors(open_hub), name="supervisor")
    _add_scorecard(app, open_hub)
    _add_decisions(app, open_hub)
    _add_documents(app, open_hub)


def _supervisors(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Supervisors and their tokens.", no_args_is_help=True)

    def _act(config: Path | None, action: Callable[[Connection], str]) -> None:
        from wms.hub.supervision.supervisors import DecisionRefused

        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                typer.echo(action(conn))
        except DecisionRefused as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from None

    @group.command("add")
    def add(
        name: Name,
        warehouse: Annotated[
            str | None,
            typer.Option("--warehouse", help="The one warehouse they decide for (default: all)."),
        ] = None,
        config: Config = None,
    ) -> None:
        """Create a supervisor; the token is shown once. An existing one is never changed."""
        from wms.hub.supervision.supervisors import new_supervisor

        def add_one(conn: Connection) -> str:
            token = new_supervisor(conn, name, warehouse)
            scope = f"for {warehouse}" if warehouse else "for every warehouse"
            return f"Supervisor {name} {scope}: token {token} (shown once; the hub keeps its hash)"

        _act(config, add_one)

    @group.command("token")
    def token(name: Name, config: Config = None) -> None:
        """Give a supervisor a new token (same warehouse); the old one stops working."""
        from wms.hub.supervision.supervisors import renew_token

        _act(config, lambda conn: f"Supervisor {name}: new token {renew_token(conn, name)}")

    @group.command("revoke")
    def revoke(name: Name, config: Config = None) -> None:
        """Revoke a supervisor: their token stops working; their decisions stay audited."""
        from wms.hub.supervision.supervisors import DecisionRefused, revoke_supervisor

        def revoke_one(conn: Connection) -> str:
            if not revoke_supervisor(conn, name):
                raise DecisionRefused(f"No active supervisor {name}")
            return f"Supervisor {name} revoked"

        _act(config, revoke_one)

    @group.command("list")
    def list_(
        config: Config = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
    ) -> None:
        """Every supervisor: name, warehouse, revoked."""
        from wms.hub.supervision.supervisors import supervisors

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows = supervisors(conn)
        for r in rows:
            scope = r["warehouse"] or "every warehouse"
            shown = f"{r['name']:20}  {scope:16}  {'revoked' if r['revoked'] else 'active'}"
            typer.echo(json.dumps(r, default=str) if as_json else shown)

    return group


def _add_documents(app: typer.Typer, open_hub: Opener) -> None:
    @app.command("documents")
    def documents_cmd(
        kind: Annotated[DocumentKind, typer.Option("--kind", help="Which documents.")] = (
            DocumentKind.RECEIPT
        ),
        warehouse: Annotated[str | None, typer.Option("--warehouse", help="One only.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
        config: Config = None,
    ) -> None:
        """Receipts or pick tasks with their status and progress, from the synced floor work."""
        from wms.hub.sync.progress import documents

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows = documents(conn, warehouse, kind)
        for p in rows:
            if as_json:
                typer.echo(json.dumps(p.__dict__))
            else:
                typer.echo(
                    f"{p.warehouse:6}  {p.number:16}  {p.status:11}  {p.done}/{p.due} units"
                    f"  {p.lines_done}/{p.lines} lines"
                )


def _add_scorecard(app: typer.Typer, open_hub: Opener) -> None:
    @app.command("scorecard")
    def scorecard_cmd(
        *,
        period: Annotated[
            str | None, typer.Option("--period", help="YYYY, YYYY-MM or YYYY-Qn.")
        ] = None,
        warehouse: Annotated[str | None, typer.Option("--warehouse", help="One only.")] = None,
        weights: Annotated[
            Path | None, typer.Option("--weights", exists=True, help="Weights TOML file.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False,
        as_csv: Annotated[bool, typer.Option("--csv", help="CSV with a header.")] = False,
        config: Config = None,
    ) -> None:
        """Supplier scorecard: a 0-100 score per supplier, its indicators and counts."""
        from wms.hub.supervision.scorecard import load_weights, receipt_facts, scorecard

        try:
            chosen = load_weights(weights)
            _, engine = open_hub(config)
            with engine.connect() as conn:
                scores = scorecard(receipt_facts(conn, warehouse), chosen, period)
        except ValueError as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None
        # Indicators (0-100) under their names, the counts beneath them as n_<count>: both
        # have an on_time, and the indicator is what the column is read for.
        rows = [
            {
                "supplier": s.supplier,
                "period": s.period,
                "score": s.score,
                **s.indicators,
                **{f"n_{k}": v for k, v in s.counts.items()},
            }
            for s in scores
        ]
        if as_json:
            for s in scores:
                typer.echo(json.dumps(s.__dict__))
        elif as_csv:
            from wms.hub.cli.spreadsheet import write_csv

            write_csv(sys.stdout, rows)
        else:
            for r in rows:
                shown = "-" if r["score"] is None else f"{r['score']:.1f}"
                typer.echo(
                    f"{r['supplier']:30}  {r['period']:8}  {shown:>5}  {r['n_receipts']} receipts"
                )


def _add_decisions(app: typer.Typer, open_hub: Opener) -> None:

    @app.command("clear")
    def clear_cmd(
        *,
        declaration: Annotated[str, typer.Option("--declaration", help="Customs declaration.")],
        warehouse: Warehouse,
        by: By,
        why: Why,
        asn: Annotated[str, typer.Option("--asn", help="Only this ASN's goods.")] = "",
        sku: Annotated[str, typer.Option("--sku", help="Only this product.")] = "",
        lot: Annotated[str, typer.Option("--lot", help="Only this lot.")] = "",
        container: Annotated[str, typer.Option("--container", help="Only this pallet.")] = "",
        qty: Annotated[int | None, typer.Option("--qty", min=1, help="Clear part only.")] = None,
        config: Config = None,
    ) -> None:
        """Release bonded stock (customs hold) to available under a customs declaration."""
        from wms.hub.supervision.clearance import Clearance, clear
        from wms.hub.supervision.supervisors import DecisionRefused

        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                require_supervisor(conn, by)
                done = clear(
                    conn, warehouse, by, why, Clearance(declaration, asn, sku, lot, container, qty)
                )
        except DecisionRefused as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from None
        typer.echo(f"Cleared {done.units} units under {declaration} (decision {done.decision})")
        _report(done.moved)

    @app.command("recall")
    def recall_cmd(
        *,
        sku: Annotated[str, typer.Option("--sku", help="The recalled product.")],
        warehouse: Warehouse,
        by: By,
        why: Why,
        lot: Annotated[str, typer.Option("--lot", help="The recalled lot.")] = "",
        supplier: Annotated[str, typer.Option("--supplier", help="Every lot from it.")] = "",
        config: Config = None,
    ) -> None:
        """Recall a lot (or every lot of a product from a supplier) on every terminal."""
        from wms.hub.supervision.recalls import recall
        from wms.hub.supervision.supervisors import DecisionRefused

        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                require_supervisor(conn, by)
                done = recall(conn, warehouse, by, why, sku, lot=lot, supplier=supplier)
        except DecisionRefused as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from None
        units = sum(m.qty for m in done.moved)
        typer.echo(f"Recalled {units} units (decision {done.decision})")
        _report(done.moved)
        for number in done.replanned:
            typer.echo(f"  re-planned pick task {number}")
        for number in done.quarantine_tasks:
            typer.echo(f"  pick-to-quarantine task {number}")
