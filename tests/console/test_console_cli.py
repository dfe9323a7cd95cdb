"""`wms hub console` refuses to start for somebody who is not an active supervisor, and on a
configured database at another schema revision (which it leaves as it is)."""

from __future__ import annotations

from alembic import command
from typer.testing import CliRunner

from wms.cli import app
from wms.hub.db import alembic_config, database_revision


def test_the_console_needs_an_active_supervisor(hub_db: str) -> None:
    result = CliRunner().invoke(
        app, ["hub", "console", "--by", "mallory"], env={"WMS_HUB_DATABASE_URL": hub_db}
    )
    assert result.exit_code == 1
    assert "No active supervisor mallory" in result.output


def test_the_console_never_migrates_a_configured_database(hub_db: str) -> None:
    command.downgrade(alembic_config(hub_db), "0004")
    result = CliRunner().invoke(
        app, ["hub", "console", "--by", "maria"], env={"WMS_HUB_DATABASE_URL": hub_db}
    )
    assert result.exit_code == 1
    assert "at schema revision 0004" in result.output
    assert "run `wms hub migrate` first" in result.output
    assert database_revision(hub_db) == "0004"  # left for the admin, after a backup
