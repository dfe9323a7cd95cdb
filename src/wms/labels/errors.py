"""Refusals from the label layer, as domain errors so the terminal shows them like any other."""

from __future__ import annotations

from wms.domain.errors import DomainError


class LabelError(DomainError):
    """A label cannot be made as asked (bad data for the symbology, wrong stock, bad setting)."""

    code = "label_refused"


class LabelDoesNotFit(LabelError):
    """The barcode cannot meet its GS1 / ISO dimensions on the chosen label stock."""

    code = "label_does_not_fit"


class PrinterOffline(LabelError):
    """The printer did not take the job. The job is kept in the spool, not lost."""

    code = "printer_offline"

    def __init__(self, message: str, *, waiting: int = 0) -> None:
        super().__init__(message)
        self.waiting = waiting
