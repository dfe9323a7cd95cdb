"""``wms hub webhooks|ats``: what the hub tells sales channels, from the command line.

Webhook subscriptions of any channel (add, list, remove), dead letters and re-sending, and a
delivery worker to run apart from ``wms hub serve`` (from cron or its own unit); available to
sell as a change feed and as a file (hardware/INTEGRATION.md).
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

    Opener = Callable[[Path | None], tuple[Any, Engine]]

Config = Annotated[Path | None, typer.Option("--config", help="Settings file (WMS_HUB_* lines).")]
Json = Annotated[bool, typer.Option("--json", help="JSON lines.")]
Warehouse = Annotated[str, typer.Option("--warehouse", help="Warehouse code, e.g. DEMO.")]
ChannelOption = Annotated[str | None, typer.Option("--channel", help="One channel only.")]
SubscriptionOption = Annotated[
    int | None, typer.Option("--subscription", min=1, help="One subscription only.")
]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _webhooks(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Webhooks: channels' endpoints, dead letters, delivery.")

    @group.command("add")
    def add(
        channel: Annotated[str, typer.Argument(help="The channel whose orders it hears of.")],
        url: Annotated[str, typer.Argument(help="http(s) URL the events are posted to.")],
        event: Annotated[
            list[str] | None,
            typer.Option("--event", help="An event type (repeat; default * = every type)."),
        ] = None,
        config: Config = None,
    ) -> None:
        """Subscribe a channel's endpoint; its signing secret is shown once."""
        from wms.hub.integration.subscriptions import BadSubscription, add_subscription

        settings, engine = open_hub(config)
        private = settings.webhook_private_targets
        try:
            with engine.begin() as conn:
                made, secret = add_subscription(
                    conn, channel, url, event or ["*"], private_targets=private
                )
        except BadSubscription as e:
            raise _fail(f"Not subscribed: {e}") from None
        typer.echo(
            f"Subscription {made.id}: {channel} -> {made.url} ({', '.join(made.events)});"
            f" signing secret {secret} (shown once)"
        )

    @group.command("list")
    def list_(channel: ChannelOption = None, as_json: Json = False, config: Config = None) -> None:
        """Subscriptions, with their pending and dead messages and any backoff."""
        from wms.hub.integration.subscriptions import subscriptions

        _, engine = open_hub(config)
        with engine.connect() as conn:
            found = subscriptions(conn, channel)
        for s in found:
            if as_json:
                typer.echo(json.dumps(s.__dict__, default=str))
                continue
            backoff = f"  failing ({s.failures}), next try {s.retry_at}" if s.retry_at else ""
            typer.echo(
                f"{s.id:>5}  {s.channel:12}  {s.url}  {','.join(s.events)}"
                f"  {s.pending} pending  {s.dead} dead{backoff}"
            )

    @group.command("remove")
    def remove(
        subscription: Annotated[int, typer.Argument(min=1, help="Subscription id")],
        config: Config = None,
    ) -> None:
        """Remove a subscription and the messages it has not delivered."""
        from wms.hub.integration.subscriptions import remove_subscription

        _, engine = open_hub(config)
        with engine.begin() as conn:
            if not remove_subscription(conn, subscription):
                raise _fail(f"No subscription {subscription}")
        typer.echo(f"Subscription {subscription} removed")

    _message_commands(group, open_hub)
    return group


def _message_commands(group: typer.Typer, open_hub: Opener) -> None:
    """Dead letters, re-sending and delivering."""

    @group.command("dead")
    def dead(
        channel: ChannelOption = None,
        subscription: SubscriptionOption = None,
        as_json: Json = False,
        config: Config = None,
    ) -> None:
        """Dead letters: messages that failed every attempt (their orders' later ones wait)."""
        from wms.hub.integration.messages import messages

        _, engine = open_hub(config)
        with engine.connect() as conn:
            found = messages(conn, channel=channel, subscription=subscription, limit=10_000)
        for m in found:
            if as_json:
                typer.echo(json.dumps(m.__dict__, default=str))
                continue
            typer.echo(
                f"{m.id:>7}  {m.channel:12}  {m.order_number:16}  {m.type:16}"
                f"  {m.attempts} attempts  {m.last_error or ''}"
            )

    @group.command("resend")
    def resend_cmd(
        ids: Annotated[list[int] | None, typer.Argument(help="Dead letters' ids")] = None,
        channel: ChannelOption = None,
        subscription: SubscriptionOption = None,
        every: Annotated[bool, typer.Option("--all", help="Every dead letter.")] = False,
        config: Config = None,
    ) -> None:
        """Send dead letters again, in order per order, with their event ids."""
        from wms.hub.integration.messages import resend

        if not (ids or channel or subscription or every):
            raise _fail("Say which: ids, --subscription N, --channel NAME or --all", 2)
        _, engine = open_hub(config)
        with engine.begin() as conn:
            done = resend(conn, ids or None, channel=channel, subscription=subscription)
        typer.echo(f"{len(done)} dead letter(s) queued again")

    @group.command("deliver")
    def deliver(
        until_idle: Annotated[
            bool, typer.Option("--until-idle", help="Stop once nothing is due (cron).")
        ] = False,
        config: Config = None,
    ) -> None:
        """Deliver the outbox (as `wms hub serve` does in the background), until interrupted or
        idle; any number of these may run at once, with hub processes too."""
        import asyncio

        from wms.hub.integration.delivery import Policy, Worker

        settings, engine = open_hub(config)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stats = asyncio.run(
            Worker(engine, Policy.of(settings)).run(stop.is_set, until_idle=until_idle)
        )
        typer.echo(f"{stats.delivered} delivered, {stats.failed} failed ({stats.dead} now dead)")


class Format(StrEnum):
    """Export formats."""

    JSON = "json"
    CSV = "csv"


def _ats(open_hub: Opener) -> typer.Typer:
    group = typer.Typer(help="Available to sell for marketplaces: a change feed and files.")

    @group.command("export")
    def export_cmd(
        warehouse: Warehouse,
        fmt: Annotated[Format, typer.Option("--format", help="csv or json")] = Format.CSV,
        config: Config = None,
    ) -> None:
        """Every product's available to sell, as a file on standard output; the cursor to follow
        the feed from goes to standard error."""
        from wms.hub.integration.ats import export, to_csv

        _, engine = open_hub(config)
        with engine.connect() as conn:
            rows, cursor = export(conn, warehouse)
        if fmt is Format.CSV:
            typer.echo(to_csv(rows), nl=False)
        else:
            products = [{**a.__dict__, "available_to_sell": a.available_to_sell} for a in rows]
            typer.echo(json.dumps({"warehouse": warehouse, "cursor": cursor, "products": products}))
        typer.echo(f"cursor {cursor}", err=True)

    @group.command("changes")
    def changes_cmd(
        warehouse: Warehouse,
        since: Annotated[str | None, typer.Option("--since", help="A cursor.")] = None,
        config: Config = None,
    ) -> None:
        """Products whose available to sell changed since a cursor (JSON lines), then the next
        cursor."""
        from wms.hub.integration.ats import BadCursor, changes

        _, engine = open_hub(config)
        try:
            with engine.connect() as conn:
                page = changes(conn, warehouse, since, 5000)
        except BadCursor as e:
            raise _fail(e.detail) from None
        for a in page.changes:
            typer.echo(json.dumps({**a.__dict__, "available_to_sell": a.available_to_sell}))
        typer.echo(f"cursor {page.cursor}" + ("  (more)" if page.more else ""), err=True)

    return group


def register(app: typer.Typer, open_hub: Opener) -> None:
    """Add the integration commands to ``wms hub``."""
    app.add_typer(_webhooks(open_hub), name="webhooks")
    app.add_typer(_ats(open_hub), name="ats")
