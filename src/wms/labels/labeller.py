"""The labels façade the terminal app and the CLI call: issue numbers, print, retry."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from wms.labels.errors import LabelError
from wms.labels.model import Label, stock_named
from wms.labels.printers import Printer, open_printer
from wms.labels.render import render
from wms.labels.serials import FileSerialCounter, LpnAllocator, SsccAllocator
from wms.labels.settings import LabelSettings, data_dir, load_settings
from wms.labels.sheets import Progress
from wms.labels.spool import Spool, SpooledJob


class Labeller:
    """Label printing for one terminal: its settings, its counters and its print spool.

    Typical use from a receiving screen (in a worker thread; printing does network I/O)::

        labeller = Labeller()
        [code] = labeller.new_ssccs(1)   # record it on the container in the same op
        labeller.print([SsccLabel(code, ("PO 4711", "SKU-1 x 48"))])
    """

    def __init__(self, settings: LabelSettings | None = None, directory: Path | None = None):
        self.settings = settings if settings is not None else load_settings()
        self.directory = directory if directory is not None else data_dir()
        self.spool = Spool(self.directory / "spool")

    def new_ssccs(self, n: int = 1) -> list[str]:
        """Reserve ``n`` SSCCs that were never issued before on this terminal."""
        prefix = self.settings.company_prefix
        if prefix is None:
            raise LabelError("set company_prefix (your GS1 company prefix) to issue SSCCs")
        counter = FileSerialCounter(self.directory / "counters" / "sscc")
        s = self.settings
        return SsccAllocator(counter, prefix, s.sscc_extension, s.serial_prefix).allocate(n)

    def new_lpns(self, n: int = 1) -> list[str]:
        """Reserve ``n`` internal LPN codes that were never issued before on this terminal."""
        counter = FileSerialCounter(self.directory / "counters" / "lpn")
        return LpnAllocator(counter, self.settings.serial_prefix).allocate(n)

    def printer(self, name: str | None = None) -> Printer:
        """The transport for printer ``name`` (or the default printer)."""
        return open_printer(self.settings.printer(name))

    def print(
        self,
        labels: Sequence[Label],
        *,
        printer: str | None = None,
        copies: int = 1,
        progress: Progress | None = None,
    ) -> None:
        """Render ``labels`` for the printer's language, stock and resolution and send them.

        Raises LabelError if a label is refused (nothing is printed), PrinterOffline if the
        printer does not take the job (it is kept in the spool and retried).
        """
        config = self.settings.printer(printer)
        stock = stock_named(config.stock).at_dpi(config.dpi)
        [data] = render(labels, stock, config.language, copies=copies, progress=progress)
        kinds = "/".join(sorted({type(label).__name__ for label in labels}))
        description = f"{len(labels)} {kinds} x{copies}"
        self.spool.submit(open_printer(config), data, description)

    def retry(self) -> dict[str, str | None]:
        """Send every job kept by the spool; per printer, None when sent or the error."""
        return self.spool.retry(self.printer)

    def pending(self) -> list[SpooledJob]:
        """Jobs waiting in the spool, oldest first."""
        return self.spool.pending()
