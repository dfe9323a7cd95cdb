"""Where things live on a terminal. No I/O at import: paths are computed when asked for."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

DB_ENV = "WMS_DB"


def default_db_path() -> Path:
    """The store: ``$WMS_DB`` if set, else ``terminal.sqlite`` in the platform's data directory."""
    if env := os.environ.get(DB_ENV):
        return Path(env)
    return user_data_path("wms", appauthor=False) / "terminal.sqlite"


def demo_db_path() -> Path:
    """The demo store, kept apart from a real one so the demo never touches live data."""
    return user_data_path("wms", appauthor=False) / "demo.sqlite"
