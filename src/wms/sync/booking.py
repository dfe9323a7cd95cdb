"""Booking a parcel online with an API carrier through the hub (the workflows' ParcelBooking):
``POST /v1/parcels/{sscc}/book`` with this device's token (hardware/SHIPPING.md).

It runs as a job beside the packer's work. Every failure comes back in the packer's words, and
none loses anything: the parcel is closed already, and the hub books it itself once the
parcel's ``pack`` op arrives; asking again for the same SSCC answers the same waybill.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from wms.domain.errors import DomainError
from wms.domain.packing import Booked, ParcelFacts

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    import httpx
    from sqlalchemy import Engine

# The packer waits for nothing: the job runs in the background, a dead network costs little.
BOOK_TIMEOUT, BOOK_CONNECT_TIMEOUT = 20.0, 3.0
_LATER = "the hub books it when this terminal syncs; reprint its label then"


class HubBooking:
    """Books parcels for this terminal's store at its hub; ``connect`` opens the HTTP client
    (a test passes one over its in-process hub)."""

    def __init__(
        self,
        engine: Engine,
        connect: Callable[[], AbstractContextManager[httpx.Client]] | None = None,
    ) -> None:
        self.engine = engine
        self.connect = connect or _connect

    def book(self, parcel: ParcelFacts) -> Booked:
        """Book ``parcel``; a DomainError saying why not, and that the hub will."""
        import httpx

        from wms.sync.client import headers
        from wms.sync.state import load

        state = load(self.engine)
        if state is None:
            raise DomainError(f"this terminal has no hub: {_LATER}")
        body = {
            "order": parcel.order,
            "carrier": parcel.carrier,
            "service": parcel.service,
            "weight_g": parcel.weight_g,
            "carton": parcel.carton,
        }
        try:
            with self.connect() as http:
                r = http.post(
                    f"{state.hub_url}/v1/parcels/{parcel.sscc}/book",
                    json=body,
                    headers=headers(self.engine, state.token),
                )
        except httpx.HTTPError:
            raise DomainError(f"hub unreachable: {_LATER}") from None
        return _answer(r, parcel)


def _answer(r: httpx.Response, parcel: ParcelFacts) -> Booked:
    try:
        found = r.json()
    except ValueError:
        found = {}
    detail = str(found.get("detail", ""))[:80] if isinstance(found, dict) else ""
    if r.status_code == 200 and isinstance(found, dict) and found.get("waybill"):
        return Booked(str(found["waybill"]), _zpl(found.get("label_zpl")))
    if r.status_code == 502:
        raise DomainError(f"{parcel.carrier} refused: {detail or 'no reason given'}")
    if r.status_code == 504:
        raise DomainError(f"{parcel.carrier} did not answer: {_LATER}")
    if r.status_code == 409:
        raise DomainError(detail or "the hub cannot book it now")
    raise DomainError(f"the hub answered {r.status_code}: {_LATER}")


def _zpl(value: object) -> bytes | None:
    if not isinstance(value, str) or not value:
        return None
    try:  # carriers' base64 often comes in lines
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return None  # a label that does not decode: ours is printed instead


def _connect() -> httpx.Client:
    import httpx

    return httpx.Client(timeout=httpx.Timeout(BOOK_TIMEOUT, connect=BOOK_CONNECT_TIMEOUT))
