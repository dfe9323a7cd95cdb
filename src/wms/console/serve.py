"""The console in a browser: textual-serve runs one console process per browser session and
relays it over a websocket, for supervisors who are not at a terminal."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from textual_serve.server import Server


def console_command(config: Path | None, by: str, warehouse: str) -> str:
    """The shell command each browser session runs: this console, with this Python."""
    args = [sys.executable, "-c", "from wms.cli import main; main()", "hub", "console"]
    args += ["--by", by, "--warehouse", warehouse]
    if config is not None:
        args += ["--config", str(config.resolve())]  # the session's working directory may differ
    return shlex.join(args)


def console_server(config: Path | None, by: str, warehouse: str, port: int) -> Server:
    """A server on 127.0.0.1 only: put a reverse proxy with authentication in front to share it."""
    return Server(
        console_command(config, by, warehouse),
        host="127.0.0.1",
        port=port,
        title="wms hub console",
    )
