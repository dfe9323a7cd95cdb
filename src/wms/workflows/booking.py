"""Online booking as workflows see it: a port that asks the hub to book a parcel with an API
carrier (hardware/SHIPPING.md); it runs as a job, off the UI thread (network I/O)."""

from __future__ import annotations

from typing import Protocol

from wms.domain.packing import Booked, ParcelFacts

__all__ = ["Booked", "ParcelBooking", "ParcelFacts"]


class ParcelBooking(Protocol):
    """Booking a parcel online; asking again for the same SSCC answers the same waybill."""

    def book(self, parcel: ParcelFacts) -> Booked:
        """Book ``parcel``; raise a DomainError in the operator's words when it cannot be (the
        hub or the carrier unreachable, the carrier refusing): the hub books it once the
        parcel's ``pack`` op arrives."""
