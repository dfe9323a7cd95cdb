"""Webhooks end to end against a real receiver on 127.0.0.1: events written with the change
that makes them, delivered signed, at least once, in order per order, through a receiver that
is down, hangs, answers 500, redirects in a loop or answers with a huge body."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from standardwebhooks import WebhookVerificationError

from tests.hub.planning_helpers import SHIRT, order_body, take
from tests.hub.receiver import Receiver, receiving
from tests.hub.webhook_helpers import (
    LIFE,
    POLICY,
    Clock,
    orders_through,
    outbox,
    per_order,
    subscribe,
)
from wms.hub.integration.delivery import Policy, claim, deliver_due
from wms.hub.integration.messages import messages, resend


def test_status_changes_are_delivered_signed_once_each_in_order(hub_engine: Engine) -> None:
    with receiving() as receiver:
        secret = subscribe(hub_engine, receiver.url)
        orders_through(hub_engine, "SO-W1", "SO-W2")
        stats = deliver_due(hub_engine, POLICY, clock=Clock())

        assert stats.delivered == 6
        assert per_order([r.verified(secret) for r in receiver.got]) == {
            "SO-W1": LIFE,
            "SO-W2": LIFE,
        }
        ids = [r.headers["webhook-id"] for r in receiver.got]
        assert len(set(ids)) == 6
        # The two orders go over two lanes at once: either may arrive first.
        first = next(r.event for r in receiver.got if r.event["data"]["order"] == "SO-W1")
        assert first["data"] == {
            "order": "SO-W1",
            "warehouse": "DEMO",
            "status": "open",
            "previous_status": None,
            "wave": None,
        }
        # Another secret does not verify: the signature covers the body with this secret.
        with pytest.raises(WebhookVerificationError):
            receiver.got[0].verified(subscribe(hub_engine, receiver.url))
        assert {m["state"] for m in outbox(hub_engine)} >= {"delivered"}


def test_an_event_exists_only_if_its_change_was_committed(hub_engine: Engine) -> None:
    with receiving() as receiver:
        subscribe(hub_engine, receiver.url)
        with hub_engine.connect() as conn, conn.begin() as tx:
            take(conn, order_body("SO-RB", (SHIRT, 1)))
            assert [m["type"] for m in _rows(conn)] == ["order.received"]
            tx.rollback()
        assert outbox(hub_engine) == []


def test_only_the_subscribed_types_of_the_channels_own_orders_are_written(
    hub_engine: Engine,
) -> None:
    subscribe(hub_engine, "http://127.0.0.1:9/a", "order.cancelled")
    subscribe(hub_engine, "http://127.0.0.1:9/b", channel="jd")
    orders_through(hub_engine, "SO-T1")
    assert [(m["type"], m["order_number"]) for m in outbox(hub_engine)] == [
        ("order.cancelled", "SO-T1")
    ]


def test_a_receiver_that_is_down_hangs_fails_and_comes_back_gets_everything_in_order(
    hub_engine: Engine,
) -> None:
    clock = Clock()
    first_answer = {"SO-A": "hang", "SO-B": 500, "SO-C": "redirect"}

    def answer(event: dict[str, Any]) -> int | str:
        return first_answer.pop(event["data"]["order"], 200)

    with receiving(answer_for=answer) as receiver:
        secret = subscribe(hub_engine, receiver.url)
        receiver.stop()  # down: connections refused
        orders_through(hub_engine, "SO-A", "SO-B", "SO-C")

        first = deliver_due(hub_engine, POLICY, clock=clock)
        # Each order's first event: one refused per lane, the one behind it left untried.
        assert (first.delivered, first.failed) == (0, POLICY.lanes)
        assert [m["attempts"] for m in outbox(hub_engine)[:3]] == [1, 1, 0]
        assert deliver_due(hub_engine, POLICY, clock=clock).failed == 0  # backing off

        receiver.start()  # back: it hangs, answers 500 and redirects to itself, once each
        said = set()
        for _ in range(6):
            clock.later(minutes=2)
            deliver_due(hub_engine, POLICY, clock=clock)
            said |= {m["last_error"] for m in outbox(hub_engine) if m["last_error"]}
        assert [m["state"] for m in outbox(hub_engine)] == ["delivered"] * 9

    assert said >= {
        "answered 302: redirect to " + receiver.url + " not followed",
        "answered 500: receiver trouble",
        "no answer within 0.5 s",
    }
    events = _first_arrivals(receiver, secret)
    assert per_order(events) == {"SO-A": LIFE, "SO-B": LIFE, "SO-C": LIFE}


def test_down_for_an_hour_then_a_restarted_hub_loses_nothing(hub_engine: Engine) -> None:
    clock = Clock()
    with receiving() as receiver:
        secret = subscribe(hub_engine, receiver.url)
        receiver.stop()
        orders_through(hub_engine, "SO-H1", "SO-H2")
        for _ in range(12):  # an hour, a delivery run every five minutes
            deliver_due(hub_engine, POLICY, clock=clock)
            clock.later(minutes=5)
        assert {m["state"] for m in outbox(hub_engine)} == {"pending"}

        receiver.start()
        # A hub process claims a message, then dies before posting it.
        with hub_engine.begin() as conn:
            (held,) = claim(conn, 1, POLICY, clock.now)
        assert deliver_due(hub_engine, POLICY, clock=clock).delivered == 3  # not SO-H1's
        clock.later(seconds=POLICY.lease.total_seconds())
        stats = deliver_due(hub_engine, POLICY, clock=clock)  # another process, after the lease

    assert stats.delivered == 3
    events = [r.verified(secret) for r in receiver.got]
    assert per_order(events) == {"SO-H1": LIFE, "SO-H2": LIFE}
    assert held.event_id in {r.headers["webhook-id"] for r in receiver.got}


def test_dead_letters_hold_their_order_back_until_resent(hub_engine: Engine) -> None:
    clock = Clock()
    policy = Policy(**{**POLICY.__dict__, "max_attempts": 2})
    with receiving() as receiver:
        receiver.answer_for = lambda e: 500 if e["data"]["order"] == "SO-D1" else 200
        secret = subscribe(hub_engine, receiver.url)
        orders_through(hub_engine, "SO-D1", "SO-D2")
        deliver_due(hub_engine, policy, clock=clock)  # SO-D1's first fails, SO-D2 goes through
        clock.later(minutes=5)
        deliver_due(hub_engine, policy, clock=clock)  # SO-D1's first fails again: dead

        with hub_engine.begin() as conn:
            (dead,) = messages(conn)
            assert (dead.order_number, dead.type, dead.attempts) == ("SO-D1", "order.received", 2)
            assert dead.last_error == "answered 500: receiver trouble"
            assert [m.type for m in messages(conn, "pending")] == LIFE[1:]  # held back
            assert per_order(receiver.events()) == {"SO-D1": LIFE[:1] * 2, "SO-D2": LIFE}

        receiver.answer_for = None
        with hub_engine.begin() as conn:
            assert resend(conn, channel="jd") == []  # not that channel's
            assert resend(conn, channel="tmall") == [dead.id]
        assert deliver_due(hub_engine, policy, clock=clock).delivered == 3

    assert per_order(_first_arrivals(receiver, secret)) == {"SO-D1": LIFE, "SO-D2": LIFE}


def test_a_redirect_loop_and_huge_answers_are_contained(hub_engine: Engine) -> None:
    clock = Clock()
    with receiving(script=["redirect", "huge500", "huge"]) as receiver:
        subscribe(hub_engine, receiver.url, "order.received")
        with hub_engine.begin() as conn:
            take(conn, order_body("SO-R", (SHIRT, 1)))
        said = []
        for _ in range(3):
            deliver_due(hub_engine, POLICY, clock=clock)
            clock.later(minutes=5)
            said.append(outbox(hub_engine)[0]["last_error"])
        (message,) = outbox(hub_engine)
    assert said[0] == f"answered 302: redirect to {receiver.url} not followed"
    assert said[1] == "answered 500: " + "x" * 200  # the first bytes only
    assert said[2] is None
    assert len(receiver.got) == 3  # the redirect was never followed
    assert (message["state"], message["attempts"]) == ("delivered", 3)  # 64 MiB never read


def _rows(conn: Connection) -> list[dict[str, object]]:
    return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM webhook_message"))]


def _first_arrivals(receiver: Receiver, secret: str) -> list[dict[str, Any]]:
    """Events as a receiver keeps them: verified, then the first arrival of each event id."""
    seen: set[str] = set()
    out = []
    for r in receiver.got:
        event = r.verified(secret)
        if r.headers["webhook-id"] not in seen:
            seen.add(r.headers["webhook-id"])
            out.append(event)
    return out
