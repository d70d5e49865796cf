"""Search quality on the demo catalog: recall@5 and MRR of the project's Finnish search against a
baseline of SQLite FTS5 with its default tokenizer on the same data (bench/relevance.yml).

    python -m bench.relevance [--record] [--misses]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from sqlalchemy import Engine, text

from bench import record
from bot.catalog import store
from bot.catalog.importer import import_folder
from bot.catalog.search import SearchQuery, search
from bot.demo.generator import write
from bot.testing.servers import ServerUnavailable, throwaway_postgres

ROOT = Path(__file__).resolve().parent.parent
CUTOFF = 10  # MRR counts ranks up to 10


def _baseline_index(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE VIRTUAL TABLE baseline_fts USING fts5(service_id UNINDEXED, name, summary, body)"))
        for service_id, card in conn.execute(text("SELECT service_id, card FROM service_documents")):
            data = json.loads(card)
            conn.execute(text("INSERT INTO baseline_fts VALUES (:id, :name, :summary, :body)"),
                         {"id": service_id, "name": data["name"], "summary": data["summary"],
                          "body": data.get("description") or ""})


def _baseline(engine: Engine, q: str, municipality: str) -> list[str]:
    """FTS5 default tokenizer, any of the words, bm25 order, among the services of the municipality."""
    allowed = [i["id"] for i in search(engine, SearchQuery(municipality=municipality, limit=100, offset=0)).items]
    offset = 100
    while True:  # every service available in the municipality
        more = search(engine, SearchQuery(municipality=municipality, limit=100, offset=offset)).items
        if not more:
            break
        allowed += [i["id"] for i in more]
        offset += 100
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in q).split() if w]
    if not words:
        return []
    expression = " OR ".join(f'"{w}"' for w in words)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT service_id FROM baseline_fts WHERE baseline_fts MATCH :e "
                                 "ORDER BY bm25(baseline_fts)"), {"e": expression}).scalars().all()
    allowed_set = set(allowed)
    return [r for r in rows if r in allowed_set][:CUTOFF]


def _project(engine: Engine, q: str, municipality: str) -> list[str]:
    return [i["id"] for i in search(engine, SearchQuery(q=q, municipality=municipality, limit=CUTOFF)).items]


def _rank(ids: list[str], names: dict[str, str], expect: str) -> int | None:
    for position, service_id in enumerate(ids, 1):
        if names.get(service_id) == expect:
            return position
    return None


def _ranks(engine: Engine, spec: dict[str, Any], run: Any, misses: list[Any] | None = None) -> list[int | None]:
    with engine.connect() as conn:
        names = {i: n for i, n in conn.execute(text("SELECT id, name FROM services"))}
    ranks = []
    for case in spec["queries"]:
        for municipality in spec["municipalities"]:
            rank = _rank(run(engine, case["q"], municipality), names, case["expect"])
            ranks.append(rank)
            if misses is not None and (rank is None or rank > 5):
                misses.append((case["q"], municipality, rank))
    return ranks


def evaluate() -> dict[str, Any]:
    spec = yaml.safe_load((ROOT / "bench" / "relevance.yml").read_text(encoding="utf-8"))
    results: dict[str, Any] = {"misses": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "catalog"
        write(folder)
        engine = store.make_engine(f"sqlite:///{Path(tmp) / 'c.sqlite'}")
        store.create_schema(engine)
        import_folder(engine, folder)
        _baseline_index(engine)
        results["project"] = _ranks(engine, spec, _project, results["misses"])
        results["baseline"] = _ranks(engine, spec, _baseline)
        engine.dispose()
        try:
            with throwaway_postgres() as url:
                engine = store.make_engine(url)
                store.create_schema(engine)
                import_folder(engine, folder)
                results["postgres"] = _ranks(engine, spec, _project)
                engine.dispose()
        except ServerUnavailable as exc:
            print(f"PostgreSQL row skipped: {exc}")
    summary: dict[str, Any] = {"cases": len(results["project"]), "misses": results["misses"]}
    for system in [s for s in ("project", "postgres", "baseline") if s in results]:
        ranks = results[system]
        summary[system] = {
            "recall@5": sum(1 for r in ranks if r is not None and r <= 5) / len(ranks),
            "mrr": sum(1 / r for r in ranks if r is not None) / len(ranks),
        }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record", action="store_true", help="append the table to docs/benchmarks.md")
    parser.add_argument("--misses", action="store_true", help="list the queries the project search misses")
    args = parser.parse_args()
    summary = evaluate()
    machine = record.machine()
    table = [
        f"### Search relevance ({dt.date.today().isoformat()}, {machine})",
        "",
        f"Command: `python -m bench.relevance` (part of `make bench`); {summary['cases']} cases: the queries of "
        "`bench/relevance.yml` in Rauma and Oulu on the demo catalog. In-sample: these queries were used to "
        "write synonyms and typo rules.",
        "",
        "| system | recall@5 | MRR (ranks up to 10) |",
        "|---|---:|---:|",
        f"| project search (BM25F over Voikko lemmas, compound parts, synonyms and typos, soft AND, scope blended) | "
        f"{summary['project']['recall@5']:.3f} | {summary['project']['mrr']:.3f} |",
        *([f"| the same search on PostgreSQL (the same SQL scoring) | "
           f"{summary['postgres']['recall@5']:.3f} | {summary['postgres']['mrr']:.3f} |"]
          if "postgres" in summary else []),
        f"| baseline: SQLite FTS5, default tokenizer, bm25 | {summary['baseline']['recall@5']:.3f} | "
        f"{summary['baseline']['mrr']:.3f} |",
        "",
    ]
    print("\n".join(table))
    if args.misses:
        for q, municipality, rank in summary["misses"]:
            print(f"  miss: {q!r} in {municipality}: rank {rank}")
    if args.record:
        record.append(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
