"""`import wms.cli` stays light: every command imports its stack when it runs, so `wms --help`
answers at once and `wms terminal` paints before the store stack loads."""

from __future__ import annotations

import re
import subprocess
import sys

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
    code = (
        "import sys\n"
        "import wms.cli\n"
        f"heavy = {HEAVY!r}\n"
        "print(','.join(sorted({n.split('.')[0] for n in sys.modules} & set(heavy))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_help_still_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from wms.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    listed = set(re.findall(r"^\W*([a-z]+) {2,}\S", out.stdout, re.MULTILINE))
    assert set(COMMANDS) <= listed
