"""Whatever a client sends the integration endpoints (cursors with foreign digits or past
PostgreSQL's integers, URLs with control characters, ids past 64 bits), a refusal, never a 5xx.
The whole API's contract (typed answers, documented refusals) is test_api_properties'."""

from __future__ import annotations

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from tests.hub.planning_helpers import channel_headers

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
