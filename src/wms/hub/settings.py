"""Hub settings, from the environment (``WMS_HUB_*``) or a ``.env``-style config file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from wms.store.migrate import REVISIONS
from wms.sync.wire import MAX_OPS_PER_PUSH, MAX_PUSH_BYTES, PROTOCOL_VERSION

# The first terminal store revision that can sync (it added the sync state).
FIRST_SYNCING_STORE = "0002"


def known_store_revisions() -> tuple[str, ...]:
    """Every terminal store revision this wms knows, from the first that syncs up to head:
    hub and terminals ship in one package, so a hub accepts the stores its release can read."""
    return REVISIONS[REVISIONS.index(FIRST_SYNCING_STORE) :]


class HubSettings(BaseSettings):
    """Where the database is, what the API accepts, and which terminals may talk to it."""

    model_config = SettingsConfigDict(env_prefix="WMS_HUB_", env_file=None, extra="ignore")

    # Empty: run on an embedded PostgreSQL kept in ``data_dir`` (demos, tests).
    database_url: str = ""
    data_dir: Path = Path("wms-hub-data")
    host: str = "127.0.0.1"
    port: int = 8750
    min_protocol: int = PROTOCOL_VERSION
    max_protocol: int = PROTOCOL_VERSION
    # Terminal store revisions whose op payloads this hub understands.
    store_revisions: tuple[str, ...] = Field(default_factory=known_store_revisions)
    # Request bodies above this are refused (413) while they are read, chunked or not. Never
    # below what one terminal push may carry.
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=MAX_PUSH_BYTES)
    max_ops_per_push: int = Field(default=MAX_OPS_PER_PUSH, ge=1, le=MAX_OPS_PER_PUSH)
    # A request body must arrive within this many seconds (408 and the connection closed).
    body_seconds: float = Field(default=30.0, gt=0)
    max_pull_rows: int = 5000
    enrol_code_minutes: int = 60
    # How often each hub process looks for scheduled waves that are due (0: never).
    wave_check_seconds: float = Field(default=30, ge=0)
    # Webhooks (hardware/INTEGRATION.md): how often each hub process looks for due deliveries
    # (0: this process delivers none; `wms hub webhooks deliver` may run apart), how long one
    # delivery may take in all, how often a failing one is tried before it is a dead letter,
    # the backoff between tries (base, doubling, up to the cap), how many messages a process
    # holds at once, and over how many connections per endpoint it posts them.
    webhook_poll_seconds: float = Field(default=1, ge=0)
    webhook_timeout_seconds: float = Field(default=10, gt=0, le=300)
    webhook_max_attempts: int = Field(default=30, ge=1)
    webhook_retry_base_seconds: float = Field(default=5, gt=0)
    webhook_retry_cap_seconds: float = Field(default=3600, gt=0)
    webhook_in_flight: int = Field(default=256, ge=2, le=10_000)
    webhook_lanes: int = Field(default=2, ge=1, le=16)
    webhook_keep_days: float = Field(default=7, gt=0)
    # Endpoints on loopback or private networks (integration/targets.py): refused unless the
    # hub posts to receivers inside the warehouse's own network.
    webhook_private_targets: bool = False
    # How often each hub process books parcels the floor closed without a waybill (0: never).
    booking_seconds: float = Field(default=10, ge=0)
    # How often each hub process hands messages to customs and reads receipt inboxes (0: never;
    # `wms hub customs send` does it from cron).
    customs_seconds: float = Field(default=5, ge=0)
    # Numbers of each kind (SSCCs, a pool carrier's waybills) a packing terminal gets at once.
    number_block: int = Field(default=100, ge=10, le=100_000)


def load_settings(config_file: Path | None = None) -> HubSettings:
    """Settings from the environment, overridden by ``config_file`` when given."""
    if config_file is None:
        return HubSettings()
    return HubSettings(_env_file=config_file)
