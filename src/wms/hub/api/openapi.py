"""The hub's OpenAPI document: request bodies the hub reads itself, and how it refuses.

FastAPI describes the bodies it parses; a push is parsed by the hub from the raw bytes (see
:mod:`wms.hub.sync.intake`), so its schema is declared here, every model it names placed under
``components/schemas`` where the document's references point. Every refusal has one shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

_REF = "#/components/schemas/{model}"


class ErrorReply(BaseModel):
    """Every refusal: a sentence for people, a stable ``code`` for programs, and for an invalid
    request its first few errors (never the input they quote)."""

    detail: str
    code: str
    errors: list[dict[str, Any]] | None = None


REFUSALS = {
    400: "A parameter the hub cannot use (a malformed or foreign cursor)",
    401: "No or unknown token",
    403: "Revoked, or not yours",
    404: "No such thing here",
    408: "The request body did not arrive in time",
    409: "In conflict with the hub's state",
    410: "Gone: a cursor from another hub database",
    413: "Over a limit: bytes, ops or JSON values",
    422: "Not a valid request",
    426: "Outside this hub's version window",
    502: "The carrier refused (its own words in detail)",
    504: "The carrier did not answer in time (nothing was booked twice: ask again)",
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route that may refuse with ``statuses``."""
    return {s: {"model": ErrorReply, "description": REFUSALS[s]} for s in statuses}


def file_answer(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry of a route that answers a file (a label) in ``media_types``."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"content": dict.fromkeys(media_types, binary), "description": "the file"}}


def body_schema(app: FastAPI, model: type[BaseModel]) -> dict[str, Any]:
    """The ``requestBody`` content of a body the hub parses itself, as ``model``; the models it
    names join the document's components when it is generated."""
    schema = model.model_json_schema(ref_template=_REF)
    if not hasattr(app.state, "schemas"):
        app.state.schemas = {}
    app.state.schemas.update(schema.pop("$defs", {}))
    app.state.schemas[model.__name__] = schema
    return {"application/json": {"schema": {"$ref": _REF.format(model=model.__name__)}}}


def install_openapi(app: FastAPI) -> None:
    """Generate the document with the bodies declared through :func:`body_schema`."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = FastAPI.openapi(app)
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in getattr(app.state, "schemas", {}).items():
                schemas.setdefault(name, schema)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
