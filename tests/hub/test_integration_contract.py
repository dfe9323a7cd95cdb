"""The integration endpoints' contract: typed answers and documented refusals in the OpenAPI
document, every reference they use resolving; and whatever a client sends them, a refusal in
the hub's one shape, never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from tests.hub.planning_helpers import channel_headers

OURS = ("/v1/webhooks", "/v1/stock/available")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield str(value)
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_integration_endpoint_is_typed_and_documents_its_refusals(hub: TestClient) -> None:
    document = hub.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    operations = [
        (path, method, op)
        for path, item in document["paths"].items()
        if path.startswith(OURS) or path == "/v1/orders/{number}"
        for method, op in item.items()
    ]
    assert len(operations) == 9
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        ok = next(op["responses"][s] for s in ("200", "201") if s in op["responses"])
        assert ok["content"]["application/json"]["schema"] != {}, where
        refusals = {s: r for s, r in op["responses"].items() if s.startswith("4")}
        assert {"401", "403"} <= set(refusals), where
        for status, answer in refusals.items():
            if status != "422":  # FastAPI's own validation answer keeps its model
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorReply"}, (where, status)
        # Every model the operation names is in the document, and so is every model they name.
        seen, todo = set(), list(_refs(op))
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            assert ref.startswith("#/components/schemas/"), (where, ref)
            name = ref.removeprefix("#/components/schemas/")
            assert name in schemas, (where, ref)
            todo += list(_refs(schemas[name]))


_SUSPECT = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"[0-9a-f-]{36}:DEMO:[0-9²]{1,25}:[0-9]{1,25}", fullmatch=True),
    st.sampled_from(["\x00", "a:DEMO:1:1\x00", "://", "http://\x00x", "https://x/\u202e"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=_SUSPECT, number=st.integers(min_value=-(2**70), max_value=2**70))
def test_hostile_input_is_refused_never_a_server_error(
    hub: TestClient, hub_engine: Engine, value: str, number: int
) -> None:
    headers = _headers(hub_engine)
    replies = [
        hub.get("/v1/stock/available", params={"since": value}, headers=headers),
        hub.get("/v1/stock/available", params={"warehouse": value}, headers=headers),
        hub.get("/v1/stock/available/export", params={"format": value}, headers=headers),
        hub.post("/v1/webhooks", json={"url": value, "events": [value]}, headers=headers),
        hub.post("/v1/webhooks", json={"url": value}, headers=headers),
        hub.delete(f"/v1/webhooks/{number}", headers=headers),
        hub.get("/v1/webhooks/dead-letters", params={"subscription": number}, headers=headers),
        hub.post("/v1/webhooks/dead-letters/resend", json={"ids": [number]}, headers=headers),
    ]
    for reply in replies:
        assert reply.status_code < 500, (reply.request.url, reply.text)
        if reply.status_code >= 400:
            assert isinstance(reply.json()["detail"], (str, list)), reply.text


_channel: dict[str, dict[str, str]] = {}


def _headers(engine: Engine) -> dict[str, str]:
    """One channel token per database (hypothesis calls the test many times per database)."""
    key = str(engine.url)
    if key not in _channel:
        _channel[key] = channel_headers(engine)
    return _channel[key]
