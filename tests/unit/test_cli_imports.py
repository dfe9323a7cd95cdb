"""`import wms.cli` stays light: every command imports its stack when it runs, so `wms --help`
answers at once and `wms terminal` paints before the store stack loads."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.import_helpers import loaded_after

HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "httpx",
    "biip",
    "pydantic",
    "fastapi",
    "uvicorn",
    "psycopg",
    "reportlab",
    "PIL",
    "textual",
    "serial",
)
COMMANDS = ("sync", "enroll", "demo", "terminal", "replay", "db", "scanner", "labels", "hub")


def test_importing_the_cli_loads_none_of_the_heavy_libraries() -> None:
    assert loaded_after("import wms.cli", HEAVY) == []


def test_help_still_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from wms.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    listed = set(re.findall(r"^\W*([a-z]+) {2,}\S", out.stdout, re.MULTILINE))
    assert set(COMMANDS) <= listed
