"""Benchmark: 1,000 location labels to PDF (A4 sheets) and to ZPL (50 x 25 mm thermal).

Baseline, measured in the same run: python-barcode rendering one bare Code 128 SVG per
code with its own SVGWriter, the least work any label of ours could take. Each line printed
is one JSON object; ``ratio`` is seconds / baseline seconds. Best of ``REPEAT`` runs.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Callable

from barcode.codex import Code128

from wms.labels import STOCKS, LocationLabel, render

N = 1000
REPEAT = 3


def codes() -> list[str]:
    """N fixed-width bin codes: zone-aisle-bay-level-position."""
    out = [
        f"{zone}-{aisle:02d}-{bay:02d}-{level}-{pos}"
        for zone in "ABCD"
        for aisle in range(1, 6)
        for bay in range(1, 11)
        for level in "ABCDE"
        for pos in (1,)
    ]
    return out[:N]


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
    batch = codes()
    labels = [LocationLabel(code) for code in batch]

    def bare_svg() -> None:
        for code in batch:
            Code128(code).write(io.BytesIO())

    baseline = best(bare_svg)
    common = {"bench": "labels", "labels": N, "cpus": os.cpu_count()}
    print(
        json.dumps({**common, "op": "baseline_python_barcode_svg", "seconds": round(baseline, 4)})
    )
    for op, fmt, stock in (("pdf_a4_3x8", "pdf", "a4-3x8"), ("zpl_50x25", "zpl", "thermal-50x25")):
        size = len(render(labels, STOCKS[stock], fmt)[0])
        seconds = best(lambda fmt=fmt, stock=stock: render(labels, STOCKS[stock], fmt))
        print(
            json.dumps(
                {
                    **common,
                    "op": op,
                    "seconds": round(seconds, 4),
                    "per_label_ms": round(seconds / N * 1000, 3),
                    "ratio": round(seconds / baseline, 2),
                    "bytes": size,
                }
            )
        )


if __name__ == "__main__":
    main()
