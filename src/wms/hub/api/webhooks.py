"""Webhook endpoints for sales channels: subscribe an endpoint, list and remove subscriptions,
read dead letters and send them again. A channel sees and touches its own only; supervisors
manage every channel's from the command line (``wms hub webhooks``).

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.integration.messages import Message, messages, resend
from wms.hub.integration.subscriptions import (
    MAX_URL,
    BadSubscription,
    Subscription,
    add_subscription,
    remove_subscription,
    subscriptions,
)
from wms.hub.outbox import EVENT_TYPES, EVERY_TYPE

Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


class SubscriptionIn(BaseModel):
    """An endpoint to post events to (http or https) and the event types it wants."""

    url: str = Field(min_length=1, max_length=MAX_URL, examples=["https://shop.example/hooks"])
    events: list[Annotated[str, Field(max_length=40)]] = Field(
        default=[EVERY_TYPE], min_length=1, max_length=len(EVENT_TYPES) + 1
    )


class SubscriptionOut(BaseModel):
    """A subscription and where its deliveries stand; ``secret`` only when it is made."""

    id: int
    url: str
    events: list[str]
    created_at: datetime
    failures: int = Field(description="failed attempts in a row (the endpoint backs off)")
    retry_at: datetime | None = Field(description="no delivery to it before this")
    pending: int
    dead: int = Field(description="dead letters: GET /v1/webhooks/dead-letters")
    secret: str | None = Field(
        default=None, description="signs every delivery (Standard Webhooks); shown once"
    )


class RemovedOut(BaseModel):
    """The subscription removed, with what it had not delivered."""

    id: int
    removed: bool


class DeadLetterOut(BaseModel):
    """A message that failed every attempt; its order's later messages wait behind it."""

    id: int
    event_id: str
    subscription: int
    order: str
    warehouse: str
    type: str
    attempts: int
    created_at: datetime
    last_status: int | None
    last_error: str | None


class ResendIn(BaseModel):
    """Which dead letters to send again: these ids, or a subscription's, or (neither) all."""

    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] | None = Field(
        default=None, max_length=1000
    )
    subscription: int | None = Field(default=None, ge=1, le=2**63 - 1)


class ResendOut(BaseModel):
    """The dead letters queued again (same event ids, attempts from zero)."""

    resent: list[int]


def _out(s: Subscription, secret: str | None = None) -> SubscriptionOut:
    fields = {k: v for k, v in s.__dict__.items() if k in SubscriptionOut.model_fields}
    return SubscriptionOut(**fields, secret=secret)


def _dead(m: Message) -> DeadLetterOut:
    fields = {k: v for k, v in m.__dict__.items() if k in DeadLetterOut.model_fields}
    return DeadLetterOut(**fields, order=m.order_number)


def add_webhook_routes(
    app: FastAPI, engine: Engine, anyone: Callable[..., Caller], *, private_targets: bool = False
) -> None:
    """Register the webhook endpoints; ``anyone`` authenticates a back-office caller, of whom
    only channels may go on; ``private_targets``: endpoints on private networks are allowed."""

    def channel(who: Annotated[Caller, Depends(anyone)]) -> str:
        if who.channel is None:
            raise Refusal(
                403,
                "channels_only",
                "webhooks belong to a sales channel: call with its token (supervisors:"
                " wms hub webhooks)",
            )
        return who.channel

    Channel = Annotated[str, Depends(channel)]

    @app.get("/v1/webhooks/event-types", tags=["webhooks"], responses=refusals(401, 403))
    def event_types(_: Channel) -> dict[str, str]:
        """Every event type a subscription may ask for, with what it means (``*``: all)."""
        return EVENT_TYPES

    @app.post(
        "/v1/webhooks",
        status_code=201,
        tags=["webhooks"],
        responses=refusals(401, 403, 422),
    )
    def subscribe(body: SubscriptionIn, name: Channel) -> SubscriptionOut:
        """Subscribe an endpoint to events about this channel's orders. The answer holds the
        signing secret, shown this once."""
        try:
            with engine.begin() as conn:
                made, secret = add_subscription(
                    conn, name, body.url, body.events, private_targets=private_targets
                )
        except BadSubscription as e:
            raise Refusal(422, "bad_subscription", str(e)) from None
        return _out(made, secret)

    @app.get("/v1/webhooks", tags=["webhooks"], responses=refusals(401, 403))
    def list_subscriptions(name: Channel) -> list[SubscriptionOut]:
        """This channel's subscriptions, with their pending and dead messages."""
        with engine.begin() as conn:
            return [_out(s) for s in subscriptions(conn, name)]

    @app.delete("/v1/webhooks/{subscription}", tags=["webhooks"], responses=refusals(401, 403, 404))
    def unsubscribe(subscription: Id, name: Channel) -> RemovedOut:
        """Remove a subscription and the messages it has not delivered."""
        with engine.begin() as conn:
            if not remove_subscription(conn, subscription, name):
                raise Refusal(
                    404, "unknown_subscription", f"no subscription {subscription} of yours"
                )
        return RemovedOut(id=subscription, removed=True)

    @app.get("/v1/webhooks/dead-letters", tags=["webhooks"], responses=refusals(401, 403))
    def dead_letters(
        name: Channel,
        subscription: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> list[DeadLetterOut]:
        """Messages that failed every attempt, oldest first."""
        with engine.begin() as conn:
            found = messages(conn, channel=name, subscription=subscription, limit=limit)
        return [_dead(m) for m in found]

    @app.post("/v1/webhooks/dead-letters/resend", tags=["webhooks"], responses=refusals(401, 403))
    def resend_dead_letters(body: ResendIn, name: Channel) -> ResendOut:
        """Send dead letters again, at once and in order per order; their event ids stay."""
        with engine.begin() as conn:
            done = resend(conn, body.ids, channel=name, subscription=body.subscription)
        return ResendOut(resent=done)
