"""Webhook subscriptions and dead letters through the API (channels) and the CLI (admins), and
two delivery processes sharing one outbox."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.hub.planning_helpers import channel_headers
from tests.hub.receiver import receiving
from tests.hub.supervisor_helpers import supervisor_headers
from tests.hub.webhook_helpers import (
    LIFE,
    POLICY,
    Clock,
    orders_through,
    outbox,
    per_order,
    subscribe,
)
from wms.cli import app
from wms.hub.integration.delivery import Policy, deliver_due
from wms.hub.integration.subscriptions import MAX_PER_CHANNEL

runner = CliRunner()


def test_a_channel_subscribes_lists_and_removes_its_own(
    hub: TestClient, hub_engine: Engine
) -> None:
    tmall = channel_headers(hub_engine)
    made = hub.post(
        "/v1/webhooks",
        json={"url": "https://shop.example/hooks", "events": ["order.shipped", "order.cancelled"]},
        headers=tmall,
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["order.cancelled", "order.shipped"]
    listed = hub.get("/v1/webhooks", headers=tmall).json()
    assert [(s["id"], s["url"], s["secret"]) for s in listed] == [
        (body["id"], "https://shop.example/hooks", None)  # the secret is shown once
    ]
    assert "order.picked" in hub.get("/v1/webhooks/event-types", headers=tmall).json()

    jd = channel_headers(hub_engine, "jd")
    assert hub.get("/v1/webhooks", headers=jd).json() == []
    gone = hub.delete(f"/v1/webhooks/{body['id']}", headers=jd)
    assert (gone.status_code, gone.json()["code"]) == (404, "unknown_subscription")
    assert hub.delete(f"/v1/webhooks/{body['id']}", headers=tmall).json()["removed"] is True
    assert hub.get("/v1/webhooks", headers=tmall).json() == []


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://shop.example/hooks", "http or https only, not ftp"),
        ("javascript:alert(1)", "http or https only, not javascript"),
        ("/hooks", "http or https only, not a bare path"),
        ("https://", "names no host"),
        ("https://user:secret@shop.example/hooks", "no credentials"),
        ("https://shop.example:99999/hooks", "not a URL"),
        ("https://shop.example/hooks#top", "no #fragment"),
        # The hub's own network (server-side request forgery): refused unless the hub allows it.
        ("http://127.0.0.1:5432/", "127.0.0.1 is not a public address"),
        ("http://[::1]/hooks", "::1 is not a public address"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254 is not a public address"),
        ("http://10.0.0.7/hooks", "10.0.0.7 is not a public address"),
        ("http://localhost:8750/v1/health", "localhost is this machine"),
    ],
)
def test_a_subscription_url_that_is_not_http_is_refused(
    hub: TestClient, hub_engine: Engine, url: str, says: str
) -> None:
    reply = hub.post("/v1/webhooks", json={"url": url}, headers=channel_headers(hub_engine))
    assert reply.status_code == 422
    assert reply.json()["code"] == "bad_subscription"
    assert says in reply.json()["detail"]


def test_a_private_endpoint_is_never_posted_to_even_by_a_name_that_resolves_to_one(
    hub_engine: Engine,
) -> None:
    """Checked on every connection, after the name is resolved (a subscription made while the
    hub allowed private endpoints, or a public name that later resolves inside)."""
    with receiving() as receiver:
        subscribe(hub_engine, receiver.url.replace("127.0.0.1", "localhost"))
        orders_through(hub_engine, "SO-X1")
        public_only = Policy(**{**POLICY.__dict__, "private_targets": False})
        stats = deliver_due(hub_engine, public_only, clock=Clock())
    assert (stats.delivered, receiver.got) == (0, [])
    errors = {m["last_error"] for m in outbox(hub_engine) if m["last_error"]}
    assert errors
    assert all("localhost resolves to" in e and "not a public address" in e for e in errors)


def test_unknown_event_types_supervisors_and_too_many_are_refused(
    hub: TestClient, hub_engine: Engine
) -> None:
    tmall = channel_headers(hub_engine)
    url = "https://shop.example/hooks"
    typo = hub.post("/v1/webhooks", json={"url": url, "events": ["order.shiped"]}, headers=tmall)
    assert typo.status_code == 422
    assert "unknown event type order.shiped" in typo.json()["detail"]
    boss = hub.post("/v1/webhooks", json={"url": url}, headers=supervisor_headers(hub_engine))
    assert (boss.status_code, boss.json()["code"]) == (403, "channels_only")
    for _ in range(MAX_PER_CHANNEL):
        assert hub.post("/v1/webhooks", json={"url": url}, headers=tmall).status_code == 201
    over = hub.post("/v1/webhooks", json={"url": url}, headers=tmall)
    assert over.status_code == 422
    assert f"at most {MAX_PER_CHANNEL}" in over.json()["detail"]


def test_a_channel_reads_its_dead_letters_and_sends_them_again(
    hub: TestClient, hub_engine: Engine
) -> None:
    once = Policy(**{**POLICY.__dict__, "max_attempts": 1})
    with receiving(default=500) as receiver:
        subscribe(hub_engine, receiver.url, "order.received")
        orders_through(hub_engine, "SO-DL")
        deliver_due(hub_engine, once, clock=Clock())
        tmall = channel_headers(hub_engine)  # renews the channel's token
        (dead,) = hub.get("/v1/webhooks/dead-letters", headers=tmall).json()
        assert (dead["order"], dead["type"], dead["attempts"]) == ("SO-DL", "order.received", 1)
        assert dead["last_error"] == "answered 500: receiver trouble"
        assert (
            hub.get("/v1/webhooks/dead-letters", headers=channel_headers(hub_engine, "jd")).json()
            == []
        )

        receiver.default = 200
        again = hub.post("/v1/webhooks/dead-letters/resend", json={}, headers=tmall)
        assert again.json() == {"resent": [dead["id"]]}
        assert deliver_due(hub_engine, once, clock=Clock()).delivered == 1
    assert [r.headers["webhook-id"] for r in receiver.got] == [dead["event_id"]] * 2


def test_admins_manage_webhooks_from_the_cli(hub_db: str, hub_engine: Engine) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    channel_headers(hub_engine)
    added = runner.invoke(
        app,
        ["hub", "webhooks", "add", "tmall", "https://shop.example/h", "--event", "order.shipped"],
        env=env,
    )
    assert added.exit_code == 0, added.output
    assert "signing secret whsec_" in added.output
    refused = runner.invoke(app, ["hub", "webhooks", "add", "tmall", "ftp://x/h"], env=env)
    assert refused.exit_code == 1
    assert "Not subscribed: webhooks are posted over http or https only" in refused.output
    listed = runner.invoke(app, ["hub", "webhooks", "list"], env=env)
    assert "tmall" in listed.output
    assert "order.shipped  0 pending  0 dead" in listed.output
    vague = runner.invoke(app, ["hub", "webhooks", "resend"], env=env)
    assert vague.exit_code == 2
    assert "Say which" in vague.output
    assert (
        "0 dead letter(s) queued again"
        in runner.invoke(app, ["hub", "webhooks", "resend", "--all"], env=env).output
    )
    sid = added.output.split()[1].rstrip(":")
    assert runner.invoke(app, ["hub", "webhooks", "remove", sid], env=env).exit_code == 0
    assert runner.invoke(app, ["hub", "webhooks", "remove", sid], env=env).exit_code == 1


def test_two_delivery_processes_share_the_outbox(hub_db: str, hub_engine: Engine) -> None:
    def slowly(_event: object) -> int:
        time.sleep(0.02)  # long enough for both processes to be at work at once
        return 200

    with receiving(answer_for=slowly) as receiver:
        secret = subscribe(hub_engine, receiver.url)
        numbers = [f"SO-P{n:02}" for n in range(20)]
        orders_through(hub_engine, *numbers)
        wms = Path(sys.executable).with_name("wms")
        env = {k: v for k, v in os.environ.items() if not k.startswith("WMS_HUB_")}
        env |= {"WMS_HUB_DATABASE_URL": hub_db, "WMS_HUB_WEBHOOK_IN_FLIGHT": "8"}
        env["WMS_HUB_WEBHOOK_PRIVATE_TARGETS"] = "true"  # the receiver is on 127.0.0.1
        workers = [
            subprocess.Popen(
                [str(wms), "hub", "webhooks", "deliver", "--until-idle"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    delivered = sum(int(out.split()[0]) for out in outputs)
    assert delivered == len(receiver.got) == 60  # each event once: no message taken twice
    assert per_order([r.verified(secret) for r in receiver.got]) == dict.fromkeys(numbers, LIFE)
