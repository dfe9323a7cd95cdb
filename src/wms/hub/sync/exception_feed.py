"""How an exception reaches the terminals: raised and resolved, it is one ``exception`` change.

The terminal whose op raised it (``stream``, ``seq``) matches it to its own record, or learns of
it (negative stock, a rejected op); the resolution tells its operator what the supervisor decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wms.hub.feed import Emit

_FIELDS = ("id", "kind", "message", "stream_id", "seq", "resolution")


def exception_changes(warehouse: str, rows: Iterable[Mapping[str, Any]]) -> list[Emit]:
    """One change per exception row (hub_exception columns; ``who``/``why`` once resolved)."""
    out = []
    for r in rows:
        body = {k: r.get(k) for k in _FIELDS}
        body |= {"who": r.get("who"), "why": r.get("why"), "at": str(r.get("created_at") or "")}
        out.append(Emit(warehouse, "exception", str(r["id"]), body))
    return out
