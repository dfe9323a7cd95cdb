"""`wms hub console` refuses to start for somebody who is not an active supervisor."""

from __future__ import annotations

from typer.testing import CliRunner

from wms.cli import app


def test_the_console_needs_an_active_supervisor(hub_db: str) -> None:
    result = CliRunner().invoke(
        app, ["hub", "console", "--by", "mallory"], env={"WMS_HUB_DATABASE_URL": hub_db}
    )
    assert result.exit_code == 1
    assert "No active supervisor mallory" in result.output
