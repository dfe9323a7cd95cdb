"""The sync protocol's messages, shared by the terminal's client and the hub.

Every request carries ``X-WMS-Protocol`` and ``X-WMS-Store`` (the terminal store's schema
revision) and, once enrolled, ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from wms.sync.bounds import Epoch, StreamId
from wms.sync.ops import AnyOp

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-WMS-Protocol"
STORE_HEADER = "X-WMS-Store"
# HTTP status the hub answers when the terminal is outside its version window.
UPGRADE_REQUIRED = 426
# The most a terminal puts in one push request; a hub accepts bodies at least this large.
MAX_PUSH_BYTES = 4 * 1024 * 1024
# The most ops a push may carry, whatever a hub allows.
MAX_OPS_PER_PUSH = 5000
# The most JSON values (as counted by ``json_values``) a push may hold: what bounds the work
# of parsing one, whatever its bytes say. A terminal splits its pushes to stay under it.
MAX_PUSH_VALUES = 160_000


def json_values(body: bytes) -> int:
    """An upper bound on the JSON values in ``body``, counted without parsing it: every value
    but a container's first follows a comma, and every container opens with a bracket."""
    return body.count(b",") + body.count(b"[") + body.count(b"{") + 1


class EnrolRequest(BaseModel):
    """Trade a one-time code for a device token.

    ``nonce``: the terminal's own random value, the same on every retry of this enrolment; a
    retry after a lost reply gets the same device (and a new token) instead of a refusal.
    """

    code: str = Field(min_length=4, max_length=64, pattern=r"^[A-Za-z0-9 -]+$")
    nonce: str | None = Field(default=None, min_length=16, max_length=64, pattern=r"^[\w-]+$")


class Enrolled(BaseModel):
    """The token is shown once; the hub keeps only its hash."""

    device: int
    warehouse: str
    token: str


class DeviceInfo(BaseModel):
    """Who the hub takes the bearer of a token for."""

    device: int
    warehouse: str


class PushRequest(BaseModel):
    """Ops in seq order per stream, each by its type (see :mod:`wms.sync.ops`); ``epoch`` is
    the terminal's current epoch."""

    epoch: Epoch = 1
    # fail_fast: the first op that does not fit ends validation (the hub then checks op by op).
    ops: Annotated[list[AnyOp], Field(max_length=MAX_OPS_PER_PUSH, fail_fast=True)]


class StreamAck(BaseModel):
    """Everything up to ``last_seq`` of ``stream`` is committed at the hub."""

    stream: StreamId
    last_seq: int


class Rejected(BaseModel):
    """A malformed op: recorded as rejected at the hub, acked all the same."""

    stream: str
    seq: int
    reason: str


class PushReply(BaseModel):
    """What the hub committed; the terminal prunes only what is acked here."""

    acks: list[StreamAck]
    rejected: list[Rejected] = Field(default_factory=list)
    duplicates: int = 0
    exceptions: int = 0


class GapError(BaseModel):
    """Body of a 409: the hub expects ``expected`` next on ``stream``."""

    detail: str
    stream: str
    expected: int


class Change(BaseModel):
    """One row of the hub's state: ``body`` None means the row is gone."""

    kind: str
    key: str
    body: dict[str, Any] | None


class PullReply(BaseModel):
    """A page of the feed. ``reset``: the cursor is unknown, start over from the beginning.

    ``acks``: how far the hub holds this device's streams, read after the page: every op up to
    a mark is in the page's stock figures or in a later page, never to be added on top again.
    """

    reset: bool = False
    changes: list[Change]
    cursor: str
    more: bool
    acks: list[StreamAck] = Field(default_factory=list)


class Lease(BaseModel):
    """A pick task is this device's until ``until``."""

    number: str
    until: datetime
