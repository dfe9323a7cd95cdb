"""Pick tasks as terminals receive them (documents of kind ``pick_task``), and as the hub
follows them (``pick_line`` rows, one per task line, each walking one reservation).

A single-order task keeps the format every terminal knows: ``order_number`` and lines of
``seq, order_line, sku, location, qty`` (plus the reserved ``lot``). A cluster task
(``format: "cluster"``) has no ``order_number``: it lists its ``orders`` by tote slot, and each
line names its ``tote`` and ``order_number``. See hardware/PLANNING.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.waves import PickLine, PlannedTask
from wms.hub.documents import save_many

CLUSTER = "cluster"

_LINES = text(
    "INSERT INTO pick_line (warehouse, task, seq, wave, order_number, line_no, sku, location,"
    " lot, container, status, qty, tote) SELECT :w, task, seq, :wave, order_number, line_no,"
    " sku, location, lot, container, status, qty, tote FROM jsonb_to_recordset(CAST(:rows AS"
    " jsonb)) AS x(task text, seq int, order_number text, line_no int, sku text, location text,"
    " lot text, container text, status text, qty int, tote int)"
)
_ASSIGN = text(
    "UPDATE reservation r SET task = x.task, task_seq = x.seq FROM unnest(CAST(:ids AS"
    " bigint[]), CAST(:tasks AS text[]), CAST(:seqs AS int[])) AS x(id, task, seq)"
    " WHERE r.id = x.id"
)


def task_number(wave: int, n: int) -> str:
    """Task ``n`` of wave ``wave``: unique across warehouses, as wave ids are."""
    return f"PT-W{wave}-{n:04d}"


def _line(seq: int, ln: PickLine, tote: int | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "seq": seq,
        "order_line": ln.line_no,
        "sku": ln.sku,
        "location": ln.location,
        "lot": ln.lot,
        "qty": ln.qty,
    }
    if tote is not None:
        body |= {"tote": tote, "order_number": ln.order}
    return body


def task_body(number: str, wave: int, task: PlannedTask) -> dict[str, Any]:
    """The document terminals pull for ``task``."""
    lines = [_line(seq, ln, task.tote(ln)) for seq, ln in enumerate(task.lines, start=1)]
    if not task.cluster:
        return {"number": number, "wave": wave, "order_number": task.orders[0], "lines": lines}
    return {
        "number": number,
        "wave": wave,
        "format": CLUSTER,
        "order_number": None,  # a terminal that knows only single-order tasks skips this one
        "totes": len(task.orders),
        "orders": [{"tote": n, "order_number": o} for n, o in enumerate(task.orders, start=1)],
        "lines": lines,
    }


def publish_tasks(
    conn: Connection, warehouse: str, wave: int, planned: Sequence[PlannedTask]
) -> list[str]:
    """Record the tasks' lines, tie each reservation to its line, and publish the tasks."""
    numbers, rows, bodies = [], [], []
    ids, tasks, seqs = [], [], []
    for n, task in enumerate(planned, start=1):
        number = task_number(wave, n)
        numbers.append(number)
        bodies.append(task_body(number, wave, task))
        for seq, ln in enumerate(task.lines, start=1):
            rows.append(
                {
                    "task": number,
                    "seq": seq,
                    "order_number": ln.order,
                    "line_no": ln.line_no,
                    "sku": ln.sku,
                    "location": ln.location,
                    "lot": ln.lot,
                    "container": ln.container,
                    "status": ln.status,
                    "qty": ln.qty,
                    "tote": task.tote(ln),
                }
            )
            ids.append(ln.ref)
            tasks.append(number)
            seqs.append(seq)
    if rows:
        conn.execute(_LINES, {"w": warehouse, "wave": wave, "rows": to_json(rows).decode()})
        conn.execute(_ASSIGN, {"ids": ids, "tasks": tasks, "seqs": seqs})
    save_many(conn, warehouse, "pick_task", bodies)
    return numbers
