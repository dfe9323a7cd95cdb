"""DESIGN.md §1: the headless layers never load textual, and nothing on the terminal loads the hub.

The static contracts live in pyproject.toml (import-linter, run by `make test`); this test sees
deferred imports too, by importing each package in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = [
    "wms.domain",
    "wms.store",
    "wms.services",
    "wms.seed",
    "wms.scanner",
    "wms.labels",
    "wms.sync",
]


@pytest.mark.parametrize("package", HEADLESS)
def test_headless_packages_do_not_load_textual_or_the_hub(package: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module('{package}')\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules\n"
        "             if n.split('.')[0] == 'textual' or n.startswith('wms.hub'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_domain_does_no_io() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import wms.domain as pkg\n"
        "for m in pkgutil.walk_packages(pkg.__path__, 'wms.domain.'):\n"
        "    importlib.import_module(m.name)\n"
        "heavy = {'sqlalchemy', 'sqlmodel', 'serial', 'httpx', 'textual'}\n"
        "print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
