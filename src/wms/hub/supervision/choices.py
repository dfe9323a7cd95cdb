"""Choices the ``wms hub`` commands offer, kept free of SQLAlchemy: Typer reads an option's
type when ``wms`` starts, and ``wms --help`` must not load the database stack."""

from __future__ import annotations

from enum import StrEnum


class Resolution(StrEnum):
    """What a supervisor decides about an exception."""

    ACCEPT = "accept"
    ADJUST = "adjust"
    RECOUNT = "recount"
    WRITE_OFF = "write_off"
    # A customs exception's next steps (hardware/CUSTOMS.md): declare the parcel again, keep it
    # aside for customs, or have the floor open it and put its goods back to stock.
    REDECLARE = "redeclare"
    HOLD = "hold"
    UNPACK = "unpack"
