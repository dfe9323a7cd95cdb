"""Which modules a fresh interpreter has loaded after some imports (start-up stays light)."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(imports: str, packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` (each a package or module name) that a new Python process
    has loaded once it has run ``imports``."""
    script = f"{imports}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.split() if any(m == p or m.startswith(p + ".") for p in packages)]
