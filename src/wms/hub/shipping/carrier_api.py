"""Booking with a carrier's API, on karrio's EasyPost connector.

karrio maps our parcel to the API's shipment request, reads the answer (the tracking number and
the label, which it downloads) and turns the API's error answers into messages. Two things are
ours: every call has a timeout, and a shipment is bought in two steps whose first answer (the
carrier's shipment id) is kept before the purchase, so an attempt whose answer was lost is
completed, never bought a second time (:class:`Carrier.book`'s ``shipment``).

Settings per carrier (``carrier.api``): ``url`` (the API's base, e.g.
``https://api.easypost.com/v2``), ``key_env`` (the environment variable holding its key, never
the key itself), ``timeout_s`` (10), ``shipper`` (the warehouse's address: ``name``,
``address``, ``city``, ``postcode``, ``country``, ``phone``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wms.hub.shipping.carriers import Booking, CarrierRefused, CarrierUnreachable, ParcelFacts

DEFAULT_TIMEOUT_S = 10.0


def _karrio() -> Any:
    """karrio, imported on first use (it is heavy) with its logging kept out of ours."""
    from loguru import logger

    logger.disable("karrio")
    import karrio.sdk

    return karrio.sdk


def _address(fields: dict[str, Any]) -> dict[str, Any]:
    lines = fields.get("address") or []
    if isinstance(lines, str):
        lines = [lines]
    return {
        "person_name": fields.get("name"),
        "phone_number": fields.get("phone"),
        "address_line1": lines[0] if lines else "",
        "address_line2": ", ".join(lines[1:]) or None,
        "city": fields.get("city"),
        "state_code": fields.get("province"),
        "postal_code": fields.get("postcode"),
        "country_code": fields.get("country"),
    }


def _proxy_class() -> type:
    """karrio's EasyPost proxy, with a timeout on every call and the purchase in two steps."""
    import karrio.lib as helpers
    from karrio.core.utils.serializable import Deserializable, Serializable
    from karrio.mappers.easypost.proxy import Proxy

    class TimedProxy(Proxy):  # type: ignore[misc]
        created: Callable[[str], None] | None = None
        resume: str | None = None
        # karrio turns every exception into an error message: a call that never got an
        # answer is kept here, so it is told apart from the carrier's refusal.
        failure: OSError | None = None
        # karrio reads a connector's operations off the class itself: restate the inherited one.
        cancel_shipment = Proxy.cancel_shipment

        def _send_request(
            self, path: str, request: Serializable | None = None, method: str = "POST"
        ) -> str:
            data = {"data": request.serialize()} if request is not None else {}
            try:
                body: str = helpers.request(
                    url=f"{self.settings.server_url}{path}",
                    trace=self.trace_as("json"),
                    method=method,
                    timeout=self.settings.timeout_s,
                    headers={
                        "Content-Type": "application/json",
                        "Authorization": f"Basic {self.settings.authorization}",
                    },
                    **data,
                )
            except OSError as e:  # a timeout, a cut or refused connection
                self.failure = e
                raise
            return body

        def create_shipment(self, request: Serializable) -> Deserializable:
            payload = request.serialize()
            shipment_id = self.resume
            if shipment_id is not None:  # an attempt whose answer was lost: where is it?
                found = helpers.to_dict(
                    self._send_request(f"/shipments/{shipment_id}", None, "GET")
                )
                if "error" in found or found.get("postage_label"):
                    return Deserializable(found, helpers.to_dict)
                service = found.get("selected_rate") or {}
                rates = found.get("rates") or [service]
            else:
                made = helpers.to_dict(
                    self._send_request("/shipments", Serializable(payload["data"], helpers.to_json))
                )
                if "error" in made:
                    return Deserializable(made, helpers.to_dict)
                shipment_id = str(made["id"])
                if self.created is not None:
                    self.created(shipment_id)  # kept before anything is bought
                rates = made.get("rates", [])
            rate = next((r["id"] for r in rates if r.get("service") == payload["service"]), None)
            if rate is None:
                wanted = payload["service"]
                error = {"error": {"code": "NO_RATE", "message": f"no rate for service {wanted}"}}
                return Deserializable(error, helpers.to_dict)
            bought = self._send_request(
                f"/shipments/{shipment_id}/buy",
                Serializable({"rate": {"id": rate}}, helpers.to_json),
            )
            return Deserializable(helpers.to_dict(bought), helpers.to_dict)

    return TimedProxy


def _settings_class() -> type:
    import attr
    from karrio.mappers.easypost.settings import Settings

    @attr.s(auto_attribs=True)
    class UrlSettings(Settings):  # type: ignore[misc]
        url: str = ""
        timeout_s: float = DEFAULT_TIMEOUT_S

        @property
        def server_url(self) -> str:
            return self.url.rstrip("/")

    return UrlSettings


@dataclass
class ApiCarrier:
    """A carrier booked through its API (an EasyPost-compatible one, through karrio)."""

    code: str
    url: str
    api_key: str
    shipper: dict[str, Any]
    timeout_s: float = DEFAULT_TIMEOUT_S
    on_created: Callable[[str], None] | None = None

    @classmethod
    def from_settings(cls, code: str, api: dict[str, Any]) -> ApiCarrier:
        """The carrier as ``carrier.api`` configures it; the key is read from the environment."""
        key = os.environ.get(str(api.get("key_env") or ""), "")
        timeout = float(api.get("timeout_s") or DEFAULT_TIMEOUT_S)
        return cls(code, str(api["url"]), key, dict(api.get("shipper") or {}), timeout)

    def _gateway(self, resume: str | None = None) -> Any:
        sdk = _karrio()
        settings = _settings_class()(
            api_key=self.api_key, url=self.url, timeout_s=self.timeout_s, carrier_id=self.code
        )
        gateway = sdk.gateway["easypost"].create(settings)
        proxy = _proxy_class()(settings)
        proxy.created, proxy.resume = self.on_created, resume
        gateway.proxy = proxy
        return gateway

    def book(self, parcel: ParcelFacts, shipment: str | None = None) -> Booking:
        """Buy the parcel's shipment (or complete ``shipment``, an attempt whose answer was
        lost); CarrierRefused with the carrier's words, CarrierUnreachable on a timeout."""
        sdk = _karrio()
        from karrio.core.models import ShipmentRequest

        length, width, height = parcel.dimensions_mm or (300, 200, 150)
        request = ShipmentRequest(
            service=parcel.service or "",
            shipper=_address(self.shipper),
            recipient=_address(parcel.ship_to or {}),
            parcels=[
                {
                    "weight": max(parcel.weight_g, 1) / 1000,
                    "weight_unit": "KG",
                    "length": length / 10,
                    "width": width / 10,
                    "height": height / 10,
                    "dimension_unit": "CM",
                    "reference_number": parcel.sscc,
                }
            ],
            reference=parcel.sscc,
            label_type="ZPL",
        )
        gateway = self._gateway(shipment)
        details, messages = sdk.Shipment.create(request).from_(gateway).parse()
        if gateway.proxy.failure is not None:
            raise CarrierUnreachable(f"{self.code} did not answer: {gateway.proxy.failure}")
        if details is None or not details.tracking_number:
            said = "; ".join(f"{m.code}: {m.message}" for m in messages) or "no tracking number"
            raise CarrierRefused(f"{self.code} refused the shipment ({said})")
        label_type = str(details.label_type or "").upper() or None
        return Booking(
            details.tracking_number, details.shipment_identifier, details.docs.label, label_type
        )

    def void(self, booking: Booking) -> None:
        """Refund the shipment; CarrierRefused when the carrier will not."""
        sdk = _karrio()
        from karrio.core.models import ShipmentCancelRequest

        request = ShipmentCancelRequest(shipment_identifier=booking.shipment or booking.waybill)
        gateway = self._gateway()
        done, messages = sdk.Shipment.cancel(request).from_(gateway).parse()
        if gateway.proxy.failure is not None:
            raise CarrierUnreachable(f"{self.code} did not answer: {gateway.proxy.failure}")
        if messages or done is None or not done.success:
            said = "; ".join(f"{m.code}: {m.message}" for m in messages) or "refused"
            raise CarrierRefused(f"{self.code} would not void {booking.waybill} ({said})")
