"""Life situations on the held-out set `nlu_test/life_situations.yml`, through the full trained model.

`python -m bench.needs_eval` (Rasa environment; `make nlu-eval` includes it). The set was written
apart from the training corpus `data/life_situations/train.yml` and is never trained or tuned on.
For each message the model's entities and its `need` estimate are read as the search would use them:

- theme right: the theme the search would use is the labelled one (or one of its `also` themes);
- theme asked: no theme is searched, and the clarifying question offers an acceptable theme;
- wrong theme searched: a theme is searched that is not acceptable;
- target group right: the target group the search would use equals the label (none = none);
- false crisis answers: a message that is not a crisis answered as a crisis.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEST_SET = ROOT / "nlu_test" / "life_situations.yml"


def _last(entities: list[dict[str, Any]], kind: str) -> str | None:
    values = [str(e["value"]) for e in entities if e.get("entity") == kind]
    return values[-1] if values else None


async def evaluate(model: Path, path: Path = TEST_SET) -> dict[str, Any]:
    from rasa.core.agent import load_agent

    agent = await load_agent(model_path=str(model))
    messages = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    counts: Counter[str] = Counter()
    errors: list[str] = []
    times: list[float] = []
    for item in messages:
        started = time.perf_counter()
        parsed = await agent.parse_message(item["text"])
        times.append((time.perf_counter() - started) * 1000)
        intent = (parsed.get("intent") or {}).get("name")
        entities = parsed.get("entities") or []
        if item["kind"] == "crisis":
            counts["crisis"] += 1
            counts["crisis_hit"] += intent == "crisis"
            if intent != "crisis":
                errors.append(f"crisis missed: {item['text']!r} -> {intent}")
            continue
        counts["non_crisis"] += 1
        if intent == "crisis":
            counts["false_crisis"] += 1
            errors.append(f"false crisis: {item['text']!r}")
        expected = item.get("theme")
        acceptable = {expected, *(item.get("also") or [])} - {None}
        theme = _last(entities, "theme")
        asked = [t for t, _p in (parsed.get("need") or {}).get("ask_themes") or []]
        if expected:
            counts["themed"] += 1
            if theme in acceptable:
                counts["theme_right"] += 1
            elif theme is None and acceptable & set(asked):
                counts["theme_asked"] += 1
            elif theme is not None:
                counts["theme_wrong"] += 1
                errors.append(f"wrong theme {theme} (want {sorted(acceptable)}): {item['text']!r}")
            else:
                errors.append(f"no theme (want {sorted(acceptable)}, asked {asked}): {item['text']!r}")
        group = _last(entities, "target_group")
        counts["groups"] += 1
        counts["group_right"] += group == item.get("target_group")
        if group != item.get("target_group"):
            errors.append(f"target group {group} (want {item.get('target_group')}): {item['text']!r}")
    times.sort()
    return {"counts": dict(counts), "errors": errors, "parse_p50": statistics.median(times),
            "parse_p95": times[int(0.95 * (len(times) - 1))]}


def rows(result: dict[str, Any]) -> list[str]:
    c = result["counts"]

    def rate(hit: int, total: int) -> str:
        return f"{hit}/{total} = {hit / total:.3f}" if total else "n/a"

    themed = c.get("themed", 0)
    return [
        "| measure | held-out life situations | target |",
        "|---|---:|---:|",
        f"| theme right | {rate(c.get('theme_right', 0), themed)} | |",
        f"| theme right or asked | {rate(c.get('theme_right', 0) + c.get('theme_asked', 0), themed)} | >= 0.92 |",
        f"| wrong theme searched | {rate(c.get('theme_wrong', 0), themed)} | <= 0.05 |",
        f"| target group right (none = none) | {rate(c.get('group_right', 0), c.get('groups', 0))} | >= 0.85 |",
        f"| false crisis answers | {c.get('false_crisis', 0)}/{c.get('non_crisis', 0)} | 0 |",
        f"| crisis recall | {rate(c.get('crisis_hit', 0), c.get('crisis', 0))} | 1.0 |",
        f"| parse time p50 / p95 (ms) | {result['parse_p50']:.1f} / {result['parse_p95']:.1f} | |",
    ]


def main() -> int:
    import sys

    model = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "current.tar.gz"
    result = asyncio.run(evaluate(model))
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "needs.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(rows(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
