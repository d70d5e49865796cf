"""Benchmarks of the catalog: import time and search latency on the demo catalog and on a
generated large catalog. Prints a Markdown table; ``--record`` appends it to docs/benchmarks.md.

    python -m bench.run [--services 50000] [--record]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from bot.catalog import store
from bot.catalog.importer import import_folder
from bot.catalog.search import SearchQuery, search
from bot.demo.generator import write

QUERIES = [
    SearchQuery(theme="liikunta", municipality="684", target_group="ikaantyneet", limit=5),
    SearchQuery(theme="kulttuuri", municipality="609", limit=5),
    SearchQuery(q="kuntosaleja", municipality="564", limit=5),
    SearchQuery(theme="osallisuus", county="15", limit=5),
    SearchQuery(q="vertaistukiryhmää mielenterveys", municipality="179", limit=5),
    SearchQuery(theme="digituki", municipality="244", target_group="ikaantyneet", limit=5),
]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(services: int | None, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "catalog"
        t0 = time.perf_counter()
        counts = write(folder, services=services)
        generated = time.perf_counter() - t0
        engine = store.make_engine(f"sqlite:///{tmp}/catalog.sqlite")
        store.create_schema(engine)
        t0 = time.perf_counter()
        import_folder(engine, folder)
        imported = time.perf_counter() - t0
        latencies = []
        for _ in range(rounds):
            for query in QUERIES:
                t0 = time.perf_counter()
                search(engine, query)
                latencies.append((time.perf_counter() - t0) * 1000)
        engine.dispose()
    return {"services": counts["services"], "generate_s": generated, "import_s": imported,
            "p50_ms": statistics.median(latencies), "p95_ms": _percentile(latencies, 95),
            "p99_ms": _percentile(latencies, 99)}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--record", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    rows = [measure(None, args.rounds), measure(args.services, args.rounds)]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"### Catalog import and search, SQLite, 1 client ({dt.date.today().isoformat()}, {machine})",
        "", f"Command: `make bench` (`python -m bench.run --services {args.services}`)", "",
        "| services | generate (s) | import (s) | search p50 (ms) | p95 (ms) | p99 (ms) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {r['services']:.0f} | {r['generate_s']:.1f} | {r['import_s']:.1f} | {r['p50_ms']:.1f} | "
              f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} |" for r in rows]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.record:
        path = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
        with path.open("a", encoding="utf-8") as f:
            f.write("\n" + table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
