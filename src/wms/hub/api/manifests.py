"""Manifest endpoints (supervisors): a carrier's end-of-day manifest as JSON, CSV or PDF.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Path, Query, Response
from pydantic import BaseModel
from sqlalchemy import Connection, Engine

from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.db import in_transaction
from wms.hub.shipping.manifest import Manifest, manifest, manifest_csv, manifest_pdf


class ManifestLineOut(BaseModel):
    """A parcel handed to the carrier."""

    waybill: str | None
    sscc: str
    order: str
    weight_g: int
    service: str | None
    load: str | None
    shipped_at: datetime


class ManifestOut(BaseModel):
    """A carrier's parcels of one day."""

    warehouse: str
    carrier: str
    carrier_name: str
    day: date
    parcels: int
    weight_g: int
    lines: list[ManifestLineOut]


def add_manifest_routes(app: FastAPI, engine: Engine, supervisor: Callable[..., Caller]) -> None:
    """Register the manifest endpoint (supervisors only)."""
    Who = Annotated[Caller, Depends(supervisor)]

    @app.get(
        "/v1/manifests/{carrier}",
        tags=["loads"],
        response_model=ManifestOut,
        responses=refusals(401, 403, 404, 422),
    )
    def carrier_manifest(
        carrier: Annotated[str, Path(max_length=20)],
        day: date,
        who: Who,
        warehouse: str | None = None,
        fmt: Annotated[Literal["json", "csv", "pdf"], Query(alias="format")] = "json",
    ) -> ManifestOut | Response:
        """The carrier's parcels shipped on ``day`` (made and recorded now)."""

        def work(conn: Connection) -> Manifest:
            return manifest(conn, who.warehouse(conn, warehouse), carrier, day, who.name)

        try:
            made = in_transaction(engine, work)
        except LookupError as e:
            raise Refusal(404, "unknown_carrier", str(e)) from None
        if fmt == "csv":
            return Response(manifest_csv(made), media_type="text/csv")
        if fmt == "pdf":
            return Response(manifest_pdf(made), media_type="application/pdf")
        return ManifestOut(
            warehouse=made.warehouse,
            carrier=made.carrier,
            carrier_name=made.carrier_name,
            day=made.day,
            parcels=len(made.lines),
            weight_g=made.weight_g,
            lines=[ManifestLineOut(**line.__dict__) for line in made.lines],
        )
