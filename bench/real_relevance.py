"""Search quality on the real PTV catalog (../shared/data/ptv-real-names): recall@5, nDCG@5 and
MRR of the project's search against two baselines, SQLite FTS5 bm25 over the words and FTS5 over
five-letter prefixes, on hand-judged questions (bench/real_catalog/relevance_*.yml, see
LABELLING.md).

    python -m bench.real_relevance [--split test|tune] [--record] [--misses] [--postgres]

Only the test split's figures count; the tune split may be looked at while tuning.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from sqlalchemy import Engine, text

from bench import record
from bot.catalog import store
from bot.catalog.importer import import_folder
from bot.catalog.search import SearchQuery, search
from bot.finnish.vocabulary import THEME_LABELS

ROOT = Path(__file__).resolve().parent.parent
REAL_CATALOG = record.REAL_NAMES_CATALOG
CASES = ROOT / "bench" / "real_catalog"
CUTOFF = 10
PREFIX = 5


@dataclass
class Case:
    municipality: str
    right: set[str]
    acceptable: set[str]
    q: str | None = None
    theme: str | None = None

    def gain(self, service_id: str) -> int:
        return 2 if service_id in self.right else 1 if service_id in self.acceptable else 0


def load_cases(split: str) -> list[Case]:
    data = yaml.safe_load((CASES / f"relevance_{split}.yml").read_text(encoding="utf-8"))
    return [Case(str(c["municipality"]), set(c.get("right") or ()), set(c.get("acceptable") or ()),
                 c.get("q"), c.get("theme")) for c in data["cases"]]


@dataclass
class Scores:
    recall5: list[float] = field(default_factory=list)
    ndcg5: list[float] = field(default_factory=list)
    mrr: list[float] = field(default_factory=list)

    def add(self, case: Case, ranked: list[str]) -> None:
        top = ranked[:5]
        self.recall5.append(1.0 if any(s in case.right for s in top) else 0.0)
        dcg = sum(case.gain(s) / math.log2(i + 2) for i, s in enumerate(top))
        ideal_gains = sorted([2] * len(case.right) + [1] * len(case.acceptable), reverse=True)[:5]
        ideal = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_gains))
        self.ndcg5.append(dcg / ideal if ideal else 0.0)
        first = next((i for i, s in enumerate(ranked[:CUTOFF], 1) if s in case.right), None)
        self.mrr.append(1.0 / first if first else 0.0)

    def summary(self) -> dict[str, float]:
        n = len(self.recall5) or 1
        return {"n": len(self.recall5), "recall@5": sum(self.recall5) / n, "ndcg@5": sum(self.ndcg5) / n,
                "mrr": sum(self.mrr) / n}


# --- baselines ---------------------------------------------------------------------------------

def _baseline_index(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE VIRTUAL TABLE baseline_fts USING fts5(service_id UNINDEXED, name, summary, body)"))
        conn.execute(text("INSERT INTO baseline_fts SELECT s.id, s.name, "
                          "json_extract(d.card, '$.summary'), COALESCE(json_extract(d.card, '$.description'), '') "
                          "FROM services s JOIN service_documents d ON d.service_id = s.id"))


def _available(engine: Engine, municipality: str) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT service_id FROM coverage WHERE municipality_code = :m "
                                     "UNION SELECT id FROM services WHERE nationwide"), {"m": municipality}).scalars())


def _fts(engine: Engine, words: list[str], allowed: set[str]) -> list[str]:
    if not words:
        return []
    expression = " OR ".join(words)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT service_id FROM baseline_fts WHERE baseline_fts MATCH :e "
                                 "ORDER BY bm25(baseline_fts)"), {"e": expression}).scalars().all()
    return [r for r in rows if r in allowed][:CUTOFF]


def _words(case: Case) -> list[str]:
    source = case.q if case.q else THEME_LABELS.get(case.theme or "", "")
    return [w for w in "".join(ch if ch.isalnum() else " " for ch in source.lower()).split() if len(w) > 1]


def baseline_words(engine: Engine, case: Case, allowed: set[str]) -> list[str]:
    return _fts(engine, [f'"{w}"' for w in _words(case)], allowed)


def baseline_prefixes(engine: Engine, case: Case, allowed: set[str]) -> list[str]:
    return _fts(engine, [f'"{w[:PREFIX]}"*' for w in _words(case)], allowed)


def project(engine: Engine, case: Case, _allowed: set[str]) -> list[str]:
    query = SearchQuery(q=case.q, theme=case.theme, municipality=case.municipality, limit=CUTOFF)
    return [item["id"] for item in search(engine, query).items]


SYSTEMS: dict[str, Callable[[Engine, Case, set[str]], list[str]]] = {
    "project": project, "fts5_bm25": baseline_words, "fts5_prefix": baseline_prefixes}


def evaluate(engine: Engine, cases: list[Case], systems: dict[str, Any],
             misses: list[str] | None = None) -> dict[str, dict[str, dict[str, float]]]:
    results: dict[str, dict[str, Scores]] = {name: {"text": Scores(), "theme": Scores()} for name in systems}
    allowed_by_place: dict[str, set[str]] = {}
    for case in cases:
        allowed = allowed_by_place.setdefault(case.municipality, _available(engine, case.municipality))
        kind = "text" if case.q else "theme"
        for name, run in systems.items():
            ranked = run(engine, case, allowed)
            results[name][kind].add(case, ranked)
            if name == "project" and misses is not None and not any(s in case.right for s in ranked[:5]):
                misses.append(f"{case.q or case.theme!r} @{case.municipality}: top5 "
                              f"{[_name(engine, s) for s in ranked[:5]]}")
    return {name: {kind: s.summary() for kind, s in kinds.items()} for name, kinds in results.items()}


def _name(engine: Engine, service_id: str) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT name FROM services WHERE id = :i"), {"i": service_id}).scalar() or service_id


def load_real_catalog(url: str) -> Engine:
    engine = store.make_engine(url)
    store.create_schema(engine)
    import_folder(engine, REAL_CATALOG)
    return engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=("test", "tune"))
    parser.add_argument("--record", action="store_true", help="append the table to docs/benchmarks.md")
    parser.add_argument("--misses", action="store_true", help="list the cases the project misses (tune only)")
    parser.add_argument("--postgres", action="store_true", help="also run the project search on PostgreSQL")
    args = parser.parse_args()
    if not REAL_CATALOG.is_dir():
        print(f"Skipped: the real catalog is not at {REAL_CATALOG} (../shared beside the clone).")
        return 0
    if args.misses and args.split == "test":
        parser.error("--misses is for the tune split: the test split's cases are not read while tuning")
    cases = load_cases(args.split)
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = load_real_catalog(f"sqlite:///{Path(tmp) / 'real.sqlite'}")
        _baseline_index(engine)
        results = evaluate(engine, cases, SYSTEMS, misses)
        engine.dispose()
        if args.postgres:
            from bot.testing.servers import ServerUnavailable, throwaway_postgres
            try:
                with throwaway_postgres() as url:
                    pg = load_real_catalog(url)
                    results["project_postgres"] = evaluate(pg, cases, {"project": project})["project"]
                    pg.dispose()
            except ServerUnavailable as exc:
                print(f"PostgreSQL row skipped: {exc}")
    machine = record.machine()
    n_text = results["project"]["text"]["n"]
    n_theme = results["project"]["theme"]["n"]
    labels = {"project": "project search (BM25F over lemmas, compound parts, synonyms, typos; soft AND; "
                         "scope blended)",
              "project_postgres": "the same search on PostgreSQL",
              "fts5_bm25": "baseline: SQLite FTS5 bm25, any word",
              "fts5_prefix": f"baseline: SQLite FTS5 bm25, any {PREFIX}-letter prefix"}
    table = [
        f"### Search relevance on the real catalog, {args.split} split ({dt.date.today().isoformat()}, {machine})",
        "",
        f"Command: `python -m bench.real_relevance --split {args.split}` (part of `make bench`); "
        f"{n_text} free-text questions and {n_theme} theme-only cases in Oulu, Mikkeli and Turku, judged by hand "
        f"against 1,793 real PTV services (`bench/real_catalog/relevance_{args.split}.yml`"
        + ("; held-out, never read while tuning" if args.split == "test" else "; in-sample: used while tuning")
        + "). Theme-only baselines search the theme's label.",
        "",
        "| system | text recall@5 | text nDCG@5 | text MRR | theme recall@5 | theme nDCG@5 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, kinds in results.items():
        t, th = kinds["text"], kinds["theme"]
        table.append(f"| {labels[name]} | {t['recall@5']:.3f} | {t['ndcg@5']:.3f} | {t['mrr']:.3f} | "
                     f"{th['recall@5']:.3f} | {th['ndcg@5']:.3f} |")
    print("\n".join(table))
    if args.misses:
        print("\n".join(misses))
    if args.record:
        record.append(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
