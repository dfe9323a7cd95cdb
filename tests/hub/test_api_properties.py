"""Property-based: every operation of the hub's OpenAPI, fed what its schemas allow and what
they do not (schemathesis, positive and negative cases), called by an enrolled device or a
supervisor, against the real hub on PostgreSQL: never a 5xx, every refusal in one shape.

Operations come from the OpenAPI document, so a new endpoint is covered as soon as it is
declared; only who calls it is said here (``CREDENTIALS``). Examples per operation are few: the
suite must stay seconds long on a two-core machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy import Engine

from tests.hub.conftest import HUB_URL
from tests.hub.planning_helpers import channel_headers
from tests.hub.supervisor_helpers import supervisor_headers
from tests.hub.wire_helpers import VERSIONS, device_headers
from wms.hub.api.app import create_app
from wms.hub.settings import HubSettings

# Per operation; WMS_API_EXAMPLES=500 for a longer hunt before a release (minutes, not seconds).
EXAMPLES = int(os.environ.get("WMS_API_EXAMPLES", "15"))

# Who calls what: the first prefix that matches an operation's path decides; the back office
# (supervisors, planning) is everything else. Webhooks are a sales channel's own; elsewhere a
# channel's token adds nothing a supervisor's does not reach.
CREDENTIALS: list[tuple[str, str]] = [
    ("/v1/webhooks", "channel"),
    ("/v1/enroll", "nobody"),
    ("/v1/health", "nobody"),
    ("/v1/push", "device"),
    ("/v1/pull", "device"),
    ("/v1/device", "device"),
    ("/v1/tasks/", "device"),
    ("/v1/parcels/{sscc}/book", "device"),
    ("/v1/parcels/{sscc}/reprint", "device"),
    ("/v1/", "supervisor"),
]


@pytest.fixture
def hub_app(hub_engine: Engine) -> Any:
    """The hub on this test's PostgreSQL database."""
    return create_app(hub_engine, HubSettings())


@pytest.fixture
def callers(hub_app: Any, hub_engine: Engine) -> Iterator[dict[str, dict[str, str]]]:
    """The headers of each kind of caller: versions always, and a token for those who have one."""
    with TestClient(hub_app, base_url=HUB_URL) as client:
        yield {
            "nobody": dict(VERSIONS),
            "device": device_headers(client, hub_engine),
            "supervisor": {**VERSIONS, **supervisor_headers(hub_engine)},
            "channel": {**VERSIONS, **channel_headers(hub_engine)},
        }


@pytest.fixture
def api(hub_app: Any) -> Any:
    """The hub's own OpenAPI document, positive and negative cases drawn from it."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", hub_app)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
    )
    # Random cases only: the coverage phase's hundreds of boundary cases per operation would
    # take minutes here (the hostile-input tests pin the boundaries that matter).
    schema.config.phases.update(phases=["examples", "fuzzing"])
    return schema


schema = schemathesis.pytest.from_fixture("api")


def _caller(path: str) -> str:
    return next(kind for prefix, kind in CREDENTIALS if path.startswith(prefix))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_fails_the_hub(case: Case, callers: dict[str, dict[str, str]]) -> None:
    reply = case.call_and_validate(headers=callers[_caller(case.path)], checks=[not_a_server_error])
    if reply.status_code >= 400:
        refusal = json.loads(reply.content)
        assert isinstance(refusal.get("detail"), str), refusal
        assert isinstance(refusal.get("code"), str), refusal


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


def test_every_reference_in_the_document_resolves(hub_app: Any) -> None:
    document = hub_app.openapi()
    push = document["paths"]["/v1/push"]["post"]["requestBody"]["content"]["application/json"]
    assert push["schema"] == {"$ref": "#/components/schemas/PushRequest"}
    refs = set(_refs(document))
    assert "#/components/schemas/ReceiveOp" in refs  # the push's op models are described
    prefix = "#/components/schemas/"
    assert {r for r in refs if not r.startswith(prefix)} == set()  # once: #/$defs/…
    assert {r.removeprefix(prefix) for r in refs} <= set(document["components"]["schemas"])


def test_every_operation_answers_a_typed_body_and_documents_its_refusals(hub_app: Any) -> None:
    document = hub_app.openapi()
    untyped, undocumented = [], []
    for path, item in document["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            answers = op["responses"]
            ok = [answers[s] for s in answers if s.startswith("2")]
            # A file (a label) is typed by its media types; everything else by its JSON schema.
            if not ok or any(
                not a.get("content")
                or any(c.get("schema", {}) == {} for c in a["content"].values())
                for a in ok
            ):
                untyped.append(where)
            if _caller(path) != "nobody" and "401" not in answers:
                undocumented.append(f"{where}: 401")
            for status, answer in answers.items():
                body = answer.get("content", {}).get("application/json", {}).get("schema")
                if status[0] == "4" and body != {"$ref": "#/components/schemas/ErrorReply"}:
                    undocumented.append(f"{where}: {status}")
    assert untyped == []
    assert undocumented == []
