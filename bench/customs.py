"""Benchmark: import lists (CEB621) for 10,000 parcels, generated and validated against the
customs' official schema, as the hub does before handing each over.

Baseline, measured in the same run: bare lxml serialisation of the same 10,000 trees (built
beforehand), the least any XML message could cost. The signing step the lists go to next does
about 4 per second per customs key: ours must never be the bottleneck. Each line printed is
one JSON object; ``ratio`` is seconds / baseline seconds. Best of ``REPEAT`` runs.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from lxml import etree

from wms.hub.customs.declare import new_guid
from wms.hub.customs.messages import (
    Buyer,
    Head,
    ImportList,
    ListLine,
    Party,
    Sender,
    import_list,
    serialise,
)
from wms.hub.customs.xsd import problems, schema

N = 10_000
REPEAT = 3


def parcels() -> list[ImportList]:
    """N parcels' lists: one to four goods lines each, every parcel its own order and buyer."""
    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    out = []
    for n in range(N):
        head = Head(
            order_no=f"SO-2026-{n:06d}",
            ebp=Party("4403960PLT", "Tmall Global"),
            ebc=Party("4403960EBC", "Demo Cross-border Trading Co."),
            logistics=Party("4403960LGS", "China Post EMS Shenzhen"),
            logistics_no=f"EA{10_000_000 + n}CN",
            agent=Party("4403960ABC", "Qianhai Bonded Warehouse Co."),
            customs_code="5349",
            buyer=Buyer(f"3101011990{n:08d}", "李小宝", "13800138000", "深圳市南山区前海路1号"),
            sender=Sender("4403960ABC", "Qianhai Bonded Warehouse Co.", "DXPENT0000012345"),
        )
        lines = [
            ListLine(
                gnum=k + 1,
                item_record_no=f"ITEM-{(n + k) % 500:03d}",
                sku=f"SKU-{(n + k) % 2000:05d}",
                item_name="Face cream 50 ml",
                hs_code="3304990099",
                goods_name="面霜",
                spec="50 ml jar, brand Demo",
                barcode="6901234567892",
                origin="116",
                qty=Decimal(1 + k),
                unit="007",
                legal_qty=Decimal("0.05") * (1 + k),
                legal_unit="035",
                second_qty=None,
                second_unit=None,
                price=Decimal("59.9"),
                note=f"lot L{n % 97:04d} x{1 + k}",
            )
            for k in range(1 + n % 4)
        ]
        out.append(
            ImportList(
                guid=new_guid(),
                at=at,
                cop_no=f"{969012340000000000 + n}",
                head=head,
                assure_code="4403960EBC",
                ems_no="T5349W000001",
                port_code="5349",
                area=Party("4403960ARE", "Qianhai Bonded Warehouse Co."),
                traf_mode="4",
                gross_kg=Decimal("1.2"),
                net_kg=Decimal("1.05"),
                lines=lines,
            )
        )
    return out


def best(fn: Callable[[], object]) -> float:
    """Fastest of REPEAT runs, in seconds."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print one JSON line per measurement."""
    lists = parcels()
    schema()  # loaded once per hub process, not per list
    trees = [import_list(lst) for lst in lists]

    def bare() -> None:
        for tree in trees:
            etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    def generated_and_validated() -> None:
        for lst in lists:
            tree = import_list(lst)
            if problems(tree):
                raise AssertionError(f"list {lst.guid} is not valid")
            serialise(tree)

    baseline = best(bare)
    ours = best(generated_and_validated)
    common = {"bench": "customs", "parcels": N, "cpus": os.cpu_count()}
    print(json.dumps({**common, "op": "baseline_lxml_tostring", "seconds": round(baseline, 4)}))
    print(
        json.dumps(
            {
                **common,
                "op": "ceb621_generate_validate_serialise",
                "seconds": round(ours, 4),
                "parcels_per_second": round(N / ours),
                "ratio": round(ours / baseline, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
