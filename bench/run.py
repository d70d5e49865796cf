"""Catalog benchmarks at scale: import time, search latency at 1 and 20 concurrent clients on
SQLite and PostgreSQL, with and without the Redis cache, and memory.

    python -m bench.run [--services 50000] [--requests 400] [--record]

Search is measured twice: at the store (``search()`` called from 1 or 20 threads: the cost of
the query itself) and over HTTP against a real catalog service process (``GET /api/services``,
1 or 20 clients, each sending its next request as soon as the last one was answered). The query
mix is drawn reproducibly from themes, municipalities, counties, target groups and the free-text
queries of bench/relevance.yml. PostgreSQL and Redis are throw-away Debian servers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import Engine

from bot.catalog import store
from bot.catalog.importer import import_folder
from bot.catalog.search import SearchQuery, search
from bot.demo.generator import write
from bot.demo.places import DEMO_COUNTIES, DEMO_MUNICIPALITIES
from bot.finnish.vocabulary import TARGET_GROUP_LABELS, THEME_LABELS
from bot.testing.servers import ServerUnavailable, free_port, throwaway_postgres, throwaway_redis

PROJECT_DIR = Path(__file__).resolve().parent.parent
RELEVANCE = Path(__file__).resolve().parent / "relevance.yml"


def query_mix(n: int, seed: int = 7) -> list[SearchQuery]:
    """What residents and professionals ask: mostly theme and municipality, a target group
    often, free text a third of the time, a whole county now and then."""
    rng = random.Random(seed)
    texts = [case["q"] for case in yaml.safe_load(RELEVANCE.read_text(encoding="utf-8"))["queries"]]
    municipalities, themes, groups = sorted(DEMO_MUNICIPALITIES), sorted(THEME_LABELS), sorted(TARGET_GROUP_LABELS)
    queries = []
    for _ in range(n):
        query = SearchQuery(limit=5)
        if rng.random() < 0.1:
            query.county = rng.choice(DEMO_COUNTIES)
        else:
            query.municipality = rng.choice(municipalities)
        if rng.random() < 0.35:
            query.q = rng.choice(texts)
        else:
            query.theme = rng.choice(themes)
        if rng.random() < 0.4:
            query.target_group = rng.choice(groups)
        queries.append(query)
    return queries


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {"p50": statistics.median(ordered), "p95": pick(95), "p99": pick(99)}


def _load(clients: int, queries: list[SearchQuery], call: Callable[[SearchQuery], Any]) -> dict[str, float]:
    """Every client takes the next query as soon as its last one is answered."""
    latencies: list[float] = []
    lock = threading.Lock()
    position = iter(range(len(queries)))

    def worker() -> None:
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                return
            t0 = time.perf_counter()
            call(queries[i])
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(worker)
    stats = _percentiles(latencies)
    stats["throughput"] = len(latencies) / (time.perf_counter() - started)
    return stats


def _rss_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def _query_params(query: SearchQuery) -> dict[str, Any]:
    return {k: v for k, v in asdict(query).items()
            if v not in (None, False) and k in ("theme", "municipality", "county", "target_group", "q", "limit")}


@dataclass
class Service:
    process: subprocess.Popen[bytes]
    url: str


def _start_service(database_url: str, redis_url: str, work: Path, demo_dir: Path) -> Service:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR), "CATALOG_DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "OUTBOX_INTERVAL": "0", "HYTE_DATA_DIR": str(work),
           "PERSONAL_DATABASE_URL": f"sqlite:///{work / 'personal.sqlite'}",
           "PARTNERS_FILE": str(demo_dir / "partners.yml"),
           "HYTE_DATA_KEY": os.environ.get("HYTE_DATA_KEY", "kPj3Jc7bLq5mDq3S0x9YbU1mXy2Zb4Nw6Vt8Rs0Qp1E=")}
    process = subprocess.Popen([sys.executable, "-m", "bot.catalog", "serve", "--host", "127.0.0.1",
                                "--port", str(port)], cwd=PROJECT_DIR, env=env,
                               stdout=subprocess.DEVNULL, stderr=(work / "service.log").open("a"))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/vocabulary", timeout=2).status_code == 200:
                return Service(process, url)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError("catalog service did not start: " + (work / "service.log").read_text()[-2000:])
        time.sleep(0.2)


def _http_rows(label: str, database_url: str, redis_url: str, work: Path, demo_dir: Path,
               queries: list[SearchQuery]) -> list[dict[str, Any]]:
    service = _start_service(database_url, redis_url, work, demo_dir)
    rows = []
    try:
        local = threading.local()

        def call(query: SearchQuery) -> None:
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=service.url, timeout=30)
            response = local.client.get("/api/services", params=_query_params(query))
            response.raise_for_status()

        cache = "Redis cache" if redis_url else "no cache"
        if redis_url:  # fill the cache once: the measured rounds are answered from it
            _load(4, queries, call)
        for clients in (1, 20):
            stats = _load(clients, queries, call)
            rss, peak = _rss_mb(service.process.pid)
            rows.append({"store": label, "path": f"HTTP, {cache}", "clients": clients, **stats,
                         "memory": f"service RSS {rss:.0f} MiB (peak {peak:.0f})"})
            print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        service.process.terminate()
        service.process.wait(timeout=20)
    return rows


def _store_rows(label: str, engine: Engine, queries: list[SearchQuery]) -> list[dict[str, Any]]:
    rows = []
    for query in queries[:20]:  # warm the page cache
        search(engine, query)
    for clients in (1, 20):
        stats = _load(clients, queries, lambda q: search(engine, q))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append({"store": label, "path": "store, search()", "clients": clients, **stats,
                     "memory": f"bench process peak RSS {peak:.0f} MiB"})
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def _import(engine: Engine, folder: Path) -> float:
    store.create_schema(engine)
    t0 = time.perf_counter()
    report = import_folder(engine, folder)
    if report.skipped:
        raise RuntimeError(f"{len(report.skipped)} records skipped in the generated catalog")
    return time.perf_counter() - t0


def measure(services: int, requests: int) -> tuple[dict[str, float], list[dict[str, Any]]]:
    queries = query_mix(requests)
    rows: list[dict[str, Any]] = []
    sizes: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "catalog"
        print(f"generating {services} services ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        write(folder, services=services)
        sizes["generate_s"] = time.perf_counter() - t0
        sqlite_url = f"sqlite:///{work / 'catalog.sqlite'}"
        engine = store.make_engine(sqlite_url)
        print("importing into SQLite ...", file=sys.stderr, flush=True)
        sizes["import_sqlite_s"] = _import(engine, folder)
        sizes["sqlite_mb"] = (work / "catalog.sqlite").stat().st_size / 2**20
        rows += _store_rows("SQLite", engine, queries)
        engine.dispose()
        rows += _http_rows("SQLite", sqlite_url, "", work, folder, queries)
        try:
            with throwaway_redis() as redis_url:
                rows += _http_rows("SQLite", sqlite_url, redis_url, work, folder, queries)
        except ServerUnavailable as exc:
            print(f"  skipped the Redis rows: {exc}", file=sys.stderr)
        try:
            with throwaway_postgres() as pg_url:
                engine = store.make_engine(pg_url)
                print("importing into PostgreSQL ...", file=sys.stderr, flush=True)
                sizes["import_postgres_s"] = _import(engine, folder)
                rows += _store_rows("PostgreSQL", engine, queries)
                engine.dispose()
                rows += _http_rows("PostgreSQL", pg_url, "", work, folder, queries)
        except ServerUnavailable as exc:
            print(f"  skipped the PostgreSQL rows: {exc}", file=sys.stderr)
    return sizes, rows


def table(services: int, requests: int, sizes: dict[str, float], rows: list[dict[str, Any]]) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"### Catalog at {services} services ({dt.date.today().isoformat()}, {machine})", "",
        f"Command: `make bench` (`python -m bench.run --services {services} --requests {requests}`); "
        f"{requests} queries of the mix in `bench/run.py` per row.", "",
        f"Generate {sizes['generate_s']:.1f} s; import into SQLite {sizes['import_sqlite_s']:.1f} s "
        f"(file {sizes['sqlite_mb']:.0f} MiB)"
        + (f"; import into PostgreSQL {sizes['import_postgres_s']:.1f} s" if "import_postgres_s" in sizes else "")
        + ".", "",
        "| store | path | clients | p50 (ms) | p95 (ms) | p99 (ms) | requests/s | memory |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    lines += [f"| {r['store']} | {r['path']} | {r['clients']} | {r['p50']:.1f} | {r['p95']:.1f} | "
              f"{r['p99']:.1f} | {r['throughput']:.0f} | {r['memory']} |" for r in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=400, help="queries per measured row")
    parser.add_argument("--record", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    sizes, rows = measure(args.services, args.requests)
    text = table(args.services, args.requests, sizes, rows)
    print(text)
    if args.record:
        with (PROJECT_DIR / "docs" / "benchmarks.md").open("a", encoding="utf-8") as f:
            f.write("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
