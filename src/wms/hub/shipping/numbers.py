"""Number pools and the blocks cut from them: parcels' SSCCs and pool carriers' waybill numbers.

A pool's ``next`` serial only grows, and a block is cut under the pool row's lock, so no
serial is ever handed out twice, whichever hub process cuts it. A block belongs to one op
stream of one device: a terminal restored from a backup has a new stream and gets new blocks,
never the numbers it handed out after the backup. A stream's use is read from its parcels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from wms.domain.gtin import sscc as make_sscc
from wms.domain.waybills import WaybillFormat
from wms.hub.feed import Emit, emit

SSCC, WAYBILL = "sscc", "waybill"
# Numbers of each kind a packing terminal's stream gets at a time (WMS_HUB_NUMBER_BLOCK).
BLOCK_SIZE = 100
# A device's op streams that may hold blocks within a day: a restored store starts a new one,
# a client inventing streams must not drain the pools.
MAX_STREAMS_PER_DAY = 4


class PoolError(ValueError):
    """A pool cannot be set up as asked."""


class PoolExhausted(Exception):
    """No number is left to hand out."""


@dataclass(frozen=True)
class Pool:
    """A pool's numbers left to hand out."""

    id: int
    kind: str
    carrier: str | None
    first: int
    last: int
    next: int
    format: dict[str, Any]

    @property
    def left(self) -> int:
        """Serials not yet handed out."""
        return self.last - self.next + 1


def sscc_format(company_prefix: str, extension: int) -> dict[str, Any]:
    """An SSCC pool's format; PoolError for a prefix GS1 would not issue."""
    if not (
        company_prefix.isascii() and company_prefix.isdigit() and 6 <= len(company_prefix) <= 12
    ):
        raise PoolError("a GS1 company prefix has 6-12 digits")
    if not 0 <= extension <= 9:
        raise PoolError("the SSCC extension digit is 0-9")
    return {"company_prefix": company_prefix, "extension": extension}


def add_sscc_pool(conn: Connection, warehouse: str, company_prefix: str, extension: int) -> int:
    """Set the warehouse's parcel SSCCs (replacing an earlier prefix: serials already handed
    out under it stay used); returns the serials available."""
    fmt = sscc_format(company_prefix, extension)
    last = 10 ** (16 - len(company_prefix)) - 1
    held = conn.execute(
        text(
            "SELECT id, next FROM number_pool WHERE warehouse = :w AND kind = 'sscc'"
            " AND format = CAST(:f AS jsonb) FOR UPDATE"
        ),
        {"w": warehouse, "f": _json(fmt)},
    ).first()
    if held is not None:
        return int(last - held.next + 1)
    # Another prefix or extension: its pool is retired (nothing is cut from it any more).
    conn.execute(
        text("UPDATE number_pool SET next = last + 1 WHERE warehouse = :w AND kind = 'sscc'"),
        {"w": warehouse},
    )
    _insert(conn, warehouse, SSCC, carrier=None, first=1, last=last, fmt=fmt, numbers=None)
    return int(last)


def add_waybill_range(
    conn: Connection, warehouse: str, carrier: str, *, first: int, last: int, fmt: WaybillFormat
) -> int:
    """Add a range of a pool carrier's numbers; PoolError when it overlaps one already held
    (the same number must never be handed out twice). Returns the numbers added."""
    if not 0 <= first <= last <= fmt.largest:
        raise PoolError(f"a range of {fmt.digits}-digit serials, first <= last")
    overlap = conn.execute(
        text(
            "SELECT first, last FROM number_pool WHERE warehouse = :w AND kind = 'waybill'"
            " AND carrier = :c AND numbers IS NULL AND format = CAST(:f AS jsonb)"
            " AND first <= :last AND :first <= last LIMIT 1"
        ),
        {"w": warehouse, "c": carrier, "f": _json(fmt.as_dict()), "first": first, "last": last},
    ).first()
    if overlap is not None:
        raise PoolError(
            f"{fmt.number(max(first, overlap.first))} is in a range held already"
            f" ({fmt.number(overlap.first)} - {fmt.number(overlap.last)})"
        )
    _insert(
        conn,
        warehouse,
        WAYBILL,
        carrier=carrier,
        first=first,
        last=last,
        fmt=fmt.as_dict(),
        numbers=None,
    )
    return last - first + 1


def add_waybill_list(conn: Connection, warehouse: str, carrier: str, numbers: Sequence[str]) -> int:
    """Add a carrier's numbers as listed (a file from the carrier); PoolError for a repeated
    number or one held already. Returns the numbers added."""
    clean = [n.strip() for n in numbers if n.strip()]
    if not clean:
        raise PoolError("no numbers in the list")
    bad = [n for n in clean if len(n) > 30 or not n.isascii() or not n.isprintable()]
    if bad:
        raise PoolError(f"not a waybill number: {bad[0][:40]!r}")
    if len(set(clean)) != len(clean):
        raise PoolError("the list names a number twice")
    held = conn.execute(
        text(
            "SELECT n FROM number_pool, unnest(numbers) AS n WHERE warehouse = :w"
            " AND kind = 'waybill' AND carrier = :c AND n = ANY(CAST(:l AS text[])) LIMIT 1"
        ),
        {"w": warehouse, "c": carrier, "l": clean},
    ).first()
    if held is not None:
        raise PoolError(f"{held.n} is held already")
    _insert(
        conn, warehouse, WAYBILL, carrier=carrier, first=1, last=len(clean), fmt={}, numbers=clean
    )
    return len(clean)


def _insert(
    conn: Connection,
    warehouse: str,
    kind: str,
    *,
    carrier: str | None,
    first: int,
    last: int,
    fmt: dict[str, Any],
    numbers: list[str] | None,
) -> None:
    conn.execute(
        text(
            "INSERT INTO number_pool (warehouse, kind, carrier, first, last, next, format,"
            " numbers) VALUES (:w, :k, :c, :first, :last, :first, CAST(:f AS jsonb), :n)"
        ),
        {"w": warehouse, "k": kind, "c": carrier, "first": first, "last": last}
        | {"f": _json(fmt), "n": numbers},
    )


def _json(value: dict[str, Any]) -> str:
    import json

    return json.dumps(value, sort_keys=True)


_POOLS = text(
    "SELECT id, kind, carrier, first, last, next, format FROM number_pool WHERE warehouse = :w"
    " AND kind = :k AND carrier IS NOT DISTINCT FROM :c AND next <= last ORDER BY id FOR UPDATE"
)


def cut(
    conn: Connection, warehouse: str, kind: str, carrier: str | None, n: int
) -> list[tuple[Pool, int, int]]:
    """Cut up to ``n`` serials from the warehouse's pools of a kind (oldest pool first), under
    the pools' row locks: (pool, first, last) per run taken. Empty when nothing is left."""
    taken: list[tuple[Pool, int, int]] = []
    for r in conn.execute(_POOLS, {"w": warehouse, "k": kind, "c": carrier}).all():
        if n <= 0:
            break
        pool = Pool(r.id, r.kind, r.carrier, r.first, r.last, r.next, r.format)
        run = min(n, pool.left)
        conn.execute(
            text("UPDATE number_pool SET next = next + :n WHERE id = :id"), {"n": run, "id": r.id}
        )
        taken.append((pool, pool.next, pool.next + run - 1))
        n -= run
    return taken


def number_of(conn: Connection, pool: Pool, serial: int) -> str:
    """The number a serial of ``pool`` stands for."""
    if pool.kind == SSCC:
        return make_sscc(pool.format["extension"], pool.format["company_prefix"], serial)
    if not pool.format:  # a list pool
        found = conn.execute(
            text("SELECT numbers[:i] FROM number_pool WHERE id = :id"), {"i": serial, "id": pool.id}
        ).scalar_one()
        return str(found)
    return WaybillFormat(**pool.format).number(serial)


# --- blocks for terminals ---------------------------------------------------------------------

_BLOCK = text(
    "INSERT INTO number_block (warehouse, pool, kind, carrier, device, stream, first, last)"
    " VALUES (:w, :pool, :k, :c, :d, :s, :first, :last) RETURNING id"
)
_UNUSED = text(
    "SELECT COALESCE(SUM(b.last - b.first + 1), 0) - COALESCE((SELECT COUNT(*) FROM parcel p"
    " WHERE p.warehouse = :w AND (CASE WHEN :k = 'sscc' THEN p.sscc_block ELSE"
    " p.waybill_block END) IN (SELECT id FROM number_block WHERE stream = :s AND kind = :k"
    " AND carrier IS NOT DISTINCT FROM :c)), 0) AS unused FROM number_block b"
    " WHERE b.stream = :s AND b.kind = :k AND b.carrier IS NOT DISTINCT FROM :c"
)
_WANTED = text(
    "SELECT 'sscc' AS kind, NULL AS carrier WHERE EXISTS (SELECT 1 FROM number_pool"
    " WHERE warehouse = :w AND kind = 'sscc') UNION ALL SELECT 'waybill', code FROM carrier"
    " WHERE warehouse = :w AND kind = 'pool'"
    " AND code IN (SELECT carrier FROM number_pool WHERE warehouse = :w) ORDER BY 1, 2"
)


def block_body(conn: Connection, block_id: int) -> dict[str, Any]:
    """A block as its device receives it: serials and how to make numbers of them."""
    r = conn.execute(
        text(
            "SELECT b.id, b.kind, b.carrier, b.stream, b.device, b.first, b.last, p.format,"
            " p.numbers[b.first:b.last] AS numbers FROM number_block b"
            " JOIN number_pool p ON p.id = b.pool WHERE b.id = :id"
        ),
        {"id": block_id},
    ).one()
    body = {k: getattr(r, k) for k in ("id", "kind", "carrier", "stream", "device", "first")}
    body |= {"last": r.last, **r.format}
    if r.numbers is not None:
        body["numbers"] = list(r.numbers)
    return body


def _may_hold(conn: Connection, device: int, stream: str) -> bool:
    """Whether ``stream`` may get blocks for ``device``: not another device's, and not one
    stream too many today."""
    owner = conn.execute(
        text("SELECT device FROM op_stream WHERE stream_id = :s"), {"s": stream}
    ).scalar()
    held_by = conn.execute(
        text("SELECT DISTINCT device FROM number_block WHERE stream = :s"), {"s": stream}
    ).scalars()
    if (owner is not None and owner != device) or any(d != device for d in held_by):
        return False
    recent = conn.execute(
        text(
            "SELECT COUNT(DISTINCT stream) FROM number_block WHERE device = :d"
            " AND issued_at > now() - interval '1 day' AND stream <> :s"
        ),
        {"d": device, "s": stream},
    ).scalar_one()
    return int(recent) < MAX_STREAMS_PER_DAY


@dataclass(frozen=True)
class TopUp:
    """What topping a stream up did: blocks issued, and kinds the pools could not serve."""

    issued: list[int]
    exhausted: list[tuple[str, str | None]]


def top_up(conn: Connection, warehouse: str, device: int, stream: str, size: int) -> TopUp:
    """Give ``stream`` a new block of every kind it is short of (fewer than half of ``size``
    unused), and publish it to its device."""
    issued: list[int] = []
    exhausted: list[tuple[str, str | None]] = []
    if not _may_hold(conn, device, stream):
        return TopUp(issued, exhausted)
    for want in conn.execute(_WANTED, {"w": warehouse}).all():
        args = {"w": warehouse, "s": stream, "k": want.kind, "c": want.carrier}
        if int(conn.execute(_UNUSED, args).scalar_one()) * 2 >= size:
            continue
        runs = cut(conn, warehouse, want.kind, want.carrier, size)
        if not runs:
            exhausted.append((want.kind, want.carrier))
        for pool, first, last in runs:
            issued.append(
                int(
                    conn.execute(
                        _BLOCK,
                        {"w": warehouse, "pool": pool.id, "k": pool.kind, "c": pool.carrier}
                        | {"d": device, "s": stream, "first": first, "last": last},
                    ).scalar_one()
                )
            )
    emit(conn, (Emit(warehouse, "number_block", str(b), block_body(conn, b)) for b in issued))
    return TopUp(issued, exhausted)


def block_of(
    conn: Connection, warehouse: str, stream: str, *, kind: str, carrier: str | None, number: str
) -> int | None:
    """The block of ``stream`` that ``number`` was handed out in, or None."""
    for b in conn.execute(
        text(
            "SELECT b.id, b.first, b.last, p.kind, p.format, p.numbers[b.first:b.last] AS numbers"
            " FROM number_block b JOIN number_pool p ON p.id = b.pool WHERE b.warehouse = :w"
            " AND b.stream = :s AND b.kind = :k AND b.carrier IS NOT DISTINCT FROM :c"
        ),
        {"w": warehouse, "s": stream, "k": kind, "c": carrier},
    ):
        if _serial(b.kind, b.format, b.numbers, b.first, number) in range(b.first, b.last + 1):
            return int(b.id)
    return None


def _serial(
    kind: str, fmt: dict[str, Any], numbers: list[str] | None, first: int, number: str
) -> int | None:
    """The serial ``number`` stands for in a pool of ``fmt`` (None: it is not of that pool)."""
    if kind == SSCC:
        prefix = str(fmt["extension"]) + fmt["company_prefix"]
        body = number[len(prefix) : 17]
        return int(body) if number.startswith(prefix) and body.isdigit() else None
    if numbers is not None:
        return first + numbers.index(number) if number in numbers else None
    f = WaybillFormat(**fmt)
    end = len(number) - len(f.suffix)
    body = number[len(f.prefix) : end][: f.digits]
    if not (number.startswith(f.prefix) and number.endswith(f.suffix) and body.isdigit()):
        return None
    serial = int(body)
    return serial if serial <= f.largest and f.number(serial) == number else None
