"""Questions about a shown service on the held-out set `nlu_test/followups.yml`, through the model.

`python -m bench.followups_eval` (Rasa environment; `make nlu-eval` includes it). A question counts
as understood when the model routes it to the details answer (`service_details`), with the fact asked
(`service_fact`: none for a general "kerro lisää") and the result meant (`ordinal`; none = the
service in focus). The answer itself then comes from the catalog record (tests/dialogue).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEST_SET = ROOT / "nlu_test" / "followups.yml"


def _value(entities: list[dict[str, Any]], kind: str) -> str | None:
    return next((str(e["value"]) for e in entities if e.get("entity") == kind), None)


async def evaluate(model: Path) -> dict[str, Any]:
    from rasa.core.agent import load_agent

    agent = await load_agent(model_path=str(model))
    counts: Counter[str] = Counter()
    for item in yaml.safe_load(TEST_SET.read_text(encoding="utf-8"))["messages"]:
        parsed = await agent.parse_message(item["text"])
        entities = parsed.get("entities") or []
        routed = (parsed.get("intent") or {}).get("name") == "service_details"
        fact = _value(entities, "service_fact")
        fact_ok = fact == item["asks"] or (item["asks"] == "details" and fact is None)
        wanted = None if item.get("refers_to") in (None, "null") else str(item["refers_to"])
        which_ok = _value(entities, "ordinal") == wanted
        counts["total"] += 1
        counts["routed"] += routed
        counts["fact"] += routed and fact_ok
        counts["which"] += routed and which_ok
        counts["all"] += routed and fact_ok and which_ok
    return dict(counts)


def rows(c: dict[str, Any]) -> list[str]:
    total = c.get("total", 0) or 1
    return ["| measure | held-out follow-up questions | target |", "|---|---:|---:|",
            f"| routed to the service's details | {c.get('routed', 0)}/{total} = {c.get('routed', 0) / total:.3f} | |",
            f"| right fact asked | {c.get('fact', 0)}/{total} = {c.get('fact', 0) / total:.3f} | |",
            f"| right result meant | {c.get('which', 0)}/{total} = {c.get('which', 0) / total:.3f} | |",
            f"| answered correctly (all three) | {c.get('all', 0)}/{total} = {c.get('all', 0) / total:.3f} | >= 0.9 |"]


def main() -> int:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "current.tar.gz"
    result = asyncio.run(evaluate(model))
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "followups.json").write_text(json.dumps(result), encoding="utf-8")
    print("\n".join(rows(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
