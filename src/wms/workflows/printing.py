"""Label printing as workflows see it: a port that issues LPNs and prints labels; the printing
itself is queued as a job (wms.workflows.jobs), since it is network I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the labels stack (reportlab) loads on the first print, not at start-up
    from wms.labels.labeller import Labeller
    from wms.services.packing import LabelFacts


class LabelPort(Protocol):
    """What the workflows need from the label printer."""

    def new_lpn(self) -> str:
        """Issue a new licence plate number (never issued before on this terminal)."""

    def print_lpn(self, code: str) -> None:
        """Print a pallet's LPN label."""

    def print_location(self, code: str) -> None:
        """Print (reprint) a bin's location label."""

    def print_shipping(self, facts: LabelFacts) -> None:
        """Print a parcel's 100 x 150 mm shipping label."""

    def print_carrier_label(self, zpl: bytes, sscc: str) -> bool:
        """Print the carrier's own label (ZPL) for parcel ``sscc``; False when the printer does
        not speak ZPL (the caller prints ours instead)."""


class LabellerPort:
    """The `LabelPort` on the terminal's `Labeller` (its settings, counters and spool)."""

    def __init__(self, labeller: Labeller) -> None:
        self.labeller = labeller

    def new_lpn(self) -> str:
        """One LPN from the terminal's counter."""
        [code] = self.labeller.new_lpns(1)
        return code

    def print_lpn(self, code: str) -> None:
        """Print on the default printer; an offline printer keeps the job in the spool."""
        from wms.labels.model import LpnLabel

        self.labeller.print([LpnLabel(code)])

    def print_location(self, code: str) -> None:
        """Print on the default printer."""
        from wms.labels.model import LocationLabel

        self.labeller.print([LocationLabel(code)])

    def print_shipping(self, facts: LabelFacts) -> None:
        """Print on the default printer (its stock must be 100 x 150 mm or larger)."""
        from wms.labels.model import ShippingLabel, ShipTo
        from wms.services.packing import address_lines

        to = facts.ship_to
        label = ShippingLabel(
            waybill=facts.waybill,
            sscc=facts.sscc,
            carrier=facts.carrier,
            ship_to=ShipTo(
                name=to.name,
                address=address_lines(to),
                country=to.country,
                phone=to.phone or "",
                city=to.city or "",
                province=to.province or "",
                postcode=to.postcode or "",
            ),
            weight_g=facts.weight_g,
            order=facts.order,
            service=facts.service,
            parcel=facts.parcel,
            parcels=facts.parcels,
        )
        self.labeller.print([label])

    def print_carrier_label(self, zpl: bytes, sscc: str) -> bool:
        """Send the carrier's ZPL as it is, when the default printer speaks ZPL."""
        from wms.labels.printers import open_printer

        config = self.labeller.settings.printer(None)
        if config.language != "zpl":
            return False
        self.labeller.spool.submit(open_printer(config), zpl, f"carrier label {sscc}")
        return True
