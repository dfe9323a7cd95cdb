"""``wms hub channel|orders|waves|replenish|counts``: outbound planning from the command line.

The same services as the API: channels that post orders, the orders themselves (list, show,
cancel, available to sell), waves (release by rule now or on a schedule), pick-face
replenishment and cycle count plans. Decisions name their supervisor (``--by``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wms.domain.kinds import OrderKind, OrderStatus
from wms.hub.cli.supervisor import require_supervisor

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from wms.hub.integration.timeline import Event
    from wms.hub.planning.order_state import OrderView

    Opener = Callable[[Path | None], tuple[Any, Engine]]

By = Annotated[str, typer.Option("--by", help="Supervisor name (wms hub supervisor add).")]
Warehouse = Annotated[str, typer.Option("--warehouse", help="Warehouse code, e.g. DEMO.")]
Config = Annotated[Path | None, typer.Option("--config", help="Settings file (WMS_HUB_* lines).")]
Json = Annotated[bool, typer.Option("--json", help="JSON lines.")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _as_supervisor(conn: Connection, name: str, warehouse: str) -> None:
    """Exit unless ``name`` is an active supervisor of ``warehouse``."""
    from wms.hub.supervision.supervisors import OutOfScope, check_scope

    require_supervisor(conn, name)
    try:
        check_scope(conn, name, warehouse)
    except OutOfScope as e:
        raise _fail(str(e)) from None


def _show(rows: list[dict[str, Any]], as_json: bool, line: Callable[[dict[str, Any]], str]) -> None:
    for r in rows:
        typer.echo(json.dumps(r, default=str) if as_json else line(r))


def _channels(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Sales channels: the integrators that post orders.")

    @group.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="Channel name, e.g. tmall")],
        warehouse: Annotated[
            list[str], typer.Option("--warehouse", help="A warehouse it serves (repeat).")
        ],
        config: Config = None,
    ) -> None:
        """Create a channel (or renew its token and warehouses); the token is shown once."""
        from wms.hub.planning.channels import new_channel

        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                token = new_channel(conn, name, warehouse)
        except ValueError as e:
            raise _fail(str(e)) from None
        typer.echo(f"Channel {name} for {', '.join(warehouse)}: token {token} (shown once)")

    @group.command("revoke")
    def revoke(
        name: Annotated[str, typer.Argument(help="Channel name")], config: Config = None
    ) -> None:
        """Revoke a channel's token at once."""
        from wms.hub.planning.channels import revoke_channel

        _, engine = open_hub(config)
        with engine.begin() as conn:
            if not revoke_channel(conn, name):
                raise _fail(f"No channel {name}")
        typer.echo(f"Channel {name} revoked")

    return group


def _order_line(o: dict[str, Any]) -> str:
    return (
        f"{o['number']:16}  {o['status']:9}  {o['trade_mode']:13}  p{o['priority']}"
        f"  {o['carrier'] or '-':6}  {o['ship_by'] or '-'}"
    )


def _with_timeline(
    engine: Engine, warehouse: str, number: str
) -> tuple[OrderView | None, list[Event]]:
    """An order as planning holds it, and its timeline (hardware/INTEGRATION.md)."""
    from wms.hub.integration.sources import SOURCES
    from wms.hub.integration.timeline import order_of, timeline
    from wms.hub.planning.order_state import order_view

    with engine.connect() as conn:
        header = order_of(conn, warehouse, number)
        events = timeline(conn, header, SOURCES) if header else []
        return order_view(conn, warehouse, number), events


def _orders(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Customer orders: list, show, cancel; available to sell.")

    @group.command("list")
    def list_(
        warehouse: Warehouse,
        status: Annotated[OrderStatus | None, typer.Option("--status", help="Only these.")] = None,
        as_json: Json = False,
        config: Config = None,
    ) -> None:
        """Orders, most urgent first."""
        from wms.hub.planning.order_state import orders

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows = [o.__dict__ for o in orders(conn, warehouse, status, 1000)]
        _show(
            [{k: v for k, v in r.items() if k not in ("lines", "tasks")} for r in rows],
            as_json,
            _order_line,
        )

    @group.command("show")
    def show(
        number: Annotated[str, typer.Argument(help="Order number")],
        warehouse: Warehouse,
        as_json: Json = False,
        config: Config = None,
    ) -> None:
        """One order: status, per line units reserved, picked, backordered, cancelled, and its
        timeline."""
        from wms.hub.integration.timeline import describe

        _, engine = open_hub(config)
        found, events = _with_timeline(engine, warehouse, number)
        if found is None:
            raise _fail(f"No order {number} in {warehouse}")
        if as_json:
            lines = [ln.__dict__ for ln in found.lines]
            out = {**found.__dict__, "lines": lines, "timeline": [e.__dict__ for e in events]}
            typer.echo(json.dumps(out, default=str))
            return
        typer.echo(_order_line(found.__dict__) + (f"  wave {found.wave}" if found.wave else ""))
        for ln in found.lines:
            typer.echo(
                f"  {ln.line_no:>3} {ln.sku:14} {ln.qty:>5} ordered  {ln.reserved} reserved"
                f"  {ln.picked} picked  {ln.backordered} backordered  {ln.cancelled} cancelled"
            )
        for task in found.tasks:
            typer.echo(f"  pick task {task}")
        for event in events:
            typer.echo(f"  {describe(event)}")

    @group.command("cancel")
    def cancel_cmd(
        number: Annotated[str, typer.Argument(help="Order number")],
        warehouse: Warehouse,
        by: By,
        why: Annotated[str, typer.Option("--why", help="Reason, kept with the order.")],
        config: Config = None,
    ) -> None:
        """Cancel an order until it is packed (bonded retail: until it ships, its customs lists
        taken back): stock released, open pick lines withdrawn, picked goods put back."""
        from wms.hub.customs.cancel import CannotCancel, NoSuchOrder, cancel_order
        from wms.hub.db import in_transaction

        _, engine = open_hub(config)

        def work(conn: Connection) -> Any:
            _as_supervisor(conn, by, warehouse)
            return cancel_order(conn, warehouse, number, why)

        try:
            done = in_transaction(engine, work)
        except (NoSuchOrder, CannotCancel) as e:
            raise _fail(str(e)) from None
        if done.already:
            typer.echo(f"Order {number} was already cancelled")
            return
        typer.echo(f"Order {number} cancelled: {done.released} units released")
        for line in done.withdrawn:
            typer.echo(f"  withdrawn pick line {line}")
        for task in done.put_backs:
            typer.echo(f"  put-back task {task}")

    @group.command("available")
    def available_cmd(
        warehouse: Warehouse,
        sku: Annotated[list[str] | None, typer.Option("--sku", help="These products only.")] = None,
        as_json: Json = False,
        config: Config = None,
    ) -> None:
        """Available to sell per product: on hand − reserved − held."""
        from wms.hub.planning.available import UnknownProducts, available

        _, engine = open_hub(config)
        try:
            with engine.connect() as conn:
                found = available(conn, warehouse, sku)
        except UnknownProducts as e:
            raise _fail(str(e)) from None
        rows = [{**a.__dict__, "available_to_sell": a.available_to_sell} for a in found]
        _show(
            rows,
            as_json,
            lambda r: (
                f"{r['sku']:14}  {r['available_to_sell']:>6} to sell"
                f"  ({r['on_hand']} on hand, {r['reserved']} reserved, {r['held']} held)"
            ),
        )

    return group


def _waves(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Waves: open orders released to the floor as pick tasks.")

    @group.command("release")
    def release_cmd(
        *,
        warehouse: Warehouse,
        by: By,
        carrier: Annotated[
            str | None, typer.Option("--carrier", help="Orders for this carrier.")
        ] = None,
        cutoff: Annotated[
            str | None, typer.Option("--cutoff", help="Ship-by at or before (ISO, with offset).")
        ] = None,
        trade_mode: Annotated[
            OrderKind | None, typer.Option("--trade-mode", help="Only this trade mode.")
        ] = None,
        min_priority: Annotated[
            int | None, typer.Option("--min-priority", help="Priority at least (0-9).")
        ] = None,
        zone: Annotated[
            str | None, typer.Option("--zone", help="Orders picked wholly in this zone.")
        ] = None,
        max_orders: Annotated[
            int, typer.Option("--max-orders", help="At most this many orders.")
        ] = 200,
        partial: Annotated[
            bool, typer.Option("--partial", help="Release orders still short too.")
        ] = False,
        totes: Annotated[
            int | None, typer.Option("--totes", help="Cluster: totes per cart.")
        ] = None,
        max_lines: Annotated[
            int | None, typer.Option("--max-lines", help="Cluster: lines per cart.")
        ] = None,
        max_weight_kg: Annotated[
            float | None, typer.Option("--max-weight-kg", help="Cluster: kg per cart.")
        ] = None,
        every: Annotated[
            int | None, typer.Option("--every", help="Minutes: schedule the rule instead.")
        ] = None,
        name: Annotated[
            str | None, typer.Option("--name", help="The schedule's name (with --every).")
        ] = None,
        config: Config = None,
    ) -> None:
        """Release open orders matching the rule now (or, with --every, on a schedule)."""
        from pydantic import ValidationError

        from wms.hub.db import in_transaction
        from wms.hub.planning.waves import (
            NothingToRelease,
            Released,
            WaveRule,
            add_schedule,
            release,
        )

        try:
            rule = WaveRule(
                carrier=carrier,
                cutoff=datetime.fromisoformat(cutoff) if cutoff else None,
                trade_mode=trade_mode,
                min_priority=min_priority,
                zone=zone,
                max_orders=max_orders,
                allow_partial=partial,
                cluster_totes=totes,
                max_lines=max_lines,
                max_weight_kg=max_weight_kg,
            )
        except (ValidationError, ValueError) as e:
            raise _fail(f"Bad wave rule: {e}", 2) from None
        _, engine = open_hub(config)
        if every is not None:
            if not name:
                raise _fail("A schedule needs a name: --name", 2)
            with engine.begin() as conn:
                _as_supervisor(conn, by, warehouse)
                first = add_schedule(conn, warehouse, name, rule, every_minutes=every, who=by)
            typer.echo(
                f"Schedule {name}: {rule.describe()} every {every} min, first at {first:%H:%M} UTC"
            )
            return

        def work(conn: Connection) -> Released:
            _as_supervisor(conn, by, warehouse)
            return release(conn, warehouse, by, rule)

        try:
            done = in_transaction(engine, work)
        except NothingToRelease as e:
            raise _fail(str(e)) from None
        counts = f"{len(done.orders)} orders, {done.lines} lines, {len(done.tasks)} tasks"
        typer.echo(f"Wave {done.wave}: {counts}")
        for task in done.tasks:
            typer.echo(f"  pick task {task}")
        if done.held_back:
            typer.echo(f"  held back, short of stock: {', '.join(done.held_back)}")
        for task in done.replenishments:
            typer.echo(f"  replenishment {task}")

    @group.command("list")
    def list_(warehouse: Warehouse, as_json: Json = False, config: Config = None) -> None:
        """The latest waves, newest first."""
        from sqlalchemy import text

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows = [
                dict(r._mapping)
                for r in conn.execute(
                    text(
                        "SELECT id, released_at, released_by, schedule, orders, lines, tasks"
                        " FROM wave WHERE warehouse = :w ORDER BY id DESC LIMIT 50"
                    ),
                    {"w": warehouse},
                )
            ]
        _show(
            rows,
            as_json,
            lambda r: (
                f"wave {r['id']:<6} {r['released_at']:%Y-%m-%d %H:%M}  {r['released_by']:20}"
                f"  {r['orders']} orders  {r['lines']} lines  {r['tasks']} tasks"
            ),
        )

    @group.command("run-due")
    def run_due_cmd(config: Config = None) -> None:
        """Release every scheduled wave that is due (from cron, or any hub process)."""
        from wms.hub.planning.waves import run_due

        _, engine = open_hub(config)
        for schedule, result in run_due(engine):
            typer.echo(f"{schedule}: {result}")

    return group


def _replenishment(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Pick-face replenishment (limits: wms hub import face_limits FILE).")

    @group.command("faces")
    def faces_cmd(warehouse: Warehouse, as_json: Json = False, config: Config = None) -> None:
        """Faces with limits: on hand, replenishments coming, owed to released waves."""
        from wms.hub.planning.replenishment import faces

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows = [{**f.__dict__, "projected": f.projected} for f in faces(conn, warehouse)]
        _show(
            rows,
            as_json,
            lambda r: (
                f"{r['location']:14} {r['sku']:14} min {r['min_qty']} max {r['max_qty']}"
                f"  on hand {r['on_hand']}  coming {r['coming']}  owed {r['released']}"
            ),
        )

    @group.command("run")
    def run_cmd(warehouse: Warehouse, by: By, config: Config = None) -> None:
        """Raise replenishments for every face below its min."""
        from wms.hub.db import in_transaction
        from wms.hub.planning.replenishment import top_up

        _, engine = open_hub(config)

        def work(conn: Connection) -> list[str]:
            _as_supervisor(conn, by, warehouse)
            return top_up(conn, warehouse)

        tasks = in_transaction(engine, work)
        typer.echo(f"{len(tasks)} replenishment task(s)" + "".join(f"\n  {t}" for t in tasks))

    return group


def _counts(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Cycle count plans: by ABC class, zone, bins touched, empty bins.")

    @group.command("plan")
    def plan_cmd(
        name: Annotated[str, typer.Argument(help="Plan name")],
        *,
        warehouse: Warehouse,
        by: By,
        rule: Annotated[str, typer.Option("--rule", help="abc, zone, touched or zero.")],
        bins_per_day: Annotated[int, typer.Option("--bins-per-day", help="Count tasks a day.")],
        zone: Annotated[str | None, typer.Option("--zone", help="For a zone plan.")] = None,
        period_days: Annotated[int, typer.Option("--period-days", help="Cycle / look-back.")] = 30,
        config: Config = None,
    ) -> None:
        """Create or change a count plan; prints its coverage."""
        from pydantic import ValidationError

        from wms.hub.planning.counts import PlanIn, coverage, save_plan

        try:
            plan = PlanIn(
                name=name, rule=rule, zone=zone, period_days=period_days, bins_per_day=bins_per_day
            )
        except ValidationError as e:
            raise _fail(f"Bad count plan: {e}", 2) from None
        _, engine = open_hub(config)
        with engine.begin() as conn:
            _as_supervisor(conn, by, warehouse)
            save_plan(conn, warehouse, plan, by)
            c = coverage(conn, warehouse, name)
        typer.echo(
            _coverage_line(c.__dict__ | {"percent": c.percent, "days_to_cover": c.days_to_cover})
        )

    @group.command("run")
    def run_cmd(
        name: Annotated[str, typer.Argument(help="Plan name")],
        warehouse: Warehouse,
        config: Config = None,
    ) -> None:
        """Publish today's count tasks of a plan (at most its bins per day)."""
        from wms.hub.planning.counts import UnknownPlan, run_plan

        _, engine = open_hub(config)
        try:
            with engine.begin() as conn:
                tasks = run_plan(conn, warehouse, name)
        except UnknownPlan as e:
            raise _fail(str(e)) from None
        typer.echo(f"{len(tasks)} count task(s)" + "".join(f"\n  {t}" for t in tasks))

    @group.command("coverage")
    def coverage_cmd(warehouse: Warehouse, as_json: Json = False, config: Config = None) -> None:
        """Every plan: bins in scope, counted within their cycle, due, days to cover them."""
        from wms.hub.planning.counts import coverage, plan_names

        _, engine = open_hub(config)
        with engine.connect() as conn:
            found = [coverage(conn, warehouse, n) for n in plan_names(conn, warehouse)]
        rows = [
            c.__dict__ | {"percent": c.percent, "days_to_cover": c.days_to_cover} for c in found
        ]
        _show(rows, as_json, _coverage_line)

    return group


def _coverage_line(c: dict[str, Any]) -> str:
    return (
        f"{c['plan']:16} {c['rule']:8} {c['scope']} bins, {c['counted']} counted ({c['percent']}%),"
        f" {c['planned']} out, {c['due']} due: {c['days_to_cover']} day(s) at"
        f" {c['bins_per_day']} a day"
    )


def register(app: typer.Typer, open_hub: Opener) -> None:
    """Add the planning commands to ``wms hub``."""
    app.add_typer(_channels(open_hub), name="channel")
    app.add_typer(_orders(open_hub), name="orders")
    app.add_typer(_waves(open_hub), name="waves")
    app.add_typer(_replenishment(open_hub), name="replenish")
    app.add_typer(_counts(open_hub), name="counts")
