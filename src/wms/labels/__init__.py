"""Labels: barcode rendering (python-barcode), PDF/SVG sheets, ZPL, printing and the spool.

The terminal app calls :class:`wms.labels.labeller.Labeller` (issue SSCCs/LPNs, print, retry;
imported from its module, so that importing this package stays light); everything else is
pure functions from label data to documents. Nothing here imports textual.
"""

from wms.labels.errors import LabelDoesNotFit, LabelError, PrinterOffline
from wms.labels.model import (
    STOCKS,
    Label,
    LabelStock,
    LocationLabel,
    LotLabel,
    LpnLabel,
    ProductLabel,
    ShippingLabel,
    ShipTo,
    SsccLabel,
)
from wms.labels.render import FORMATS, Format, render

__all__ = [
    "FORMATS",
    "STOCKS",
    "Format",
    "Label",
    "LabelDoesNotFit",
    "LabelError",
    "LabelStock",
    "LocationLabel",
    "LotLabel",
    "LpnLabel",
    "PrinterOffline",
    "ProductLabel",
    "ShipTo",
    "ShippingLabel",
    "SsccLabel",
    "render",
]
