"""Safety on the held-out Swedish, English and other-language sets, through the full trained model.

`python -m bench.safety_eval` (Rasa environment; `make nlu-eval` includes it). The sets in
`nlu_test/sv.yml`, `nlu_test/en.yml` and `nlu_test/safety_other_languages.yml` were written apart
from the crisis word lists and never used to tune them. For every message the model's intent and
its `message_language` entity (which picks the language of the safety answer) are compared with the
labels:

- crisis recall: a `crisis` message gets the crisis answer (intent `crisis`);
- emergency recall: an `emergency` message gets an answer with 112 (`medical_emergency` or `crisis`);
- false safety answers: any other message answered as crisis or emergency;
- answer language: the safety answer is in the message's language (sv, en; `other` for the rest, which
  gets the multilingual answer), and a non-safety message in an unsupported language still gets 112
  (`other_language`).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS = {"sv": ROOT / "nlu_test" / "sv.yml", "en": ROOT / "nlu_test" / "en.yml",
        "other": ROOT / "nlu_test" / "safety_other_languages.yml"}
SAFETY = ("crisis", "medical_emergency")


def _language(entities: list[dict[str, Any]]) -> str | None:
    return next((str(e.get("value")) for e in entities if e.get("entity") == "message_language"), None)


async def evaluate(model: Path) -> dict[str, dict[str, Any]]:
    from rasa.core.agent import load_agent

    agent = await load_agent(model_path=str(model))
    results: dict[str, dict[str, Any]] = {}
    for name, path in SETS.items():
        if not path.exists():
            continue
        messages = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
        counts: Counter[str] = Counter()
        misses: list[str] = []
        for item in messages:
            parsed = await agent.parse_message(item["text"])
            intent = (parsed.get("intent") or {}).get("name")
            language = _language(parsed.get("entities") or [])
            expected_language = item.get("lang") if name == "other" else name
            answer_language_ok = language == ("other" if name == "other" else expected_language)
            kind = item["kind"]
            if kind == "crisis":
                counts["crisis"] += 1
                ok = intent == "crisis"
                counts["crisis_hit"] += ok
                counts["language_ok"] += ok and answer_language_ok
                counts["safety_answers"] += ok
                if not ok:
                    misses.append(f"crisis missed: {item['text']!r} -> {intent}")
            elif kind == "emergency":
                counts["emergency"] += 1
                ok = intent in SAFETY
                counts["emergency_hit"] += ok
                counts["language_ok"] += ok and answer_language_ok
                counts["safety_answers"] += ok
                if not ok:
                    misses.append(f"emergency missed: {item['text']!r} -> {intent}")
            else:
                counts["other_messages"] += 1
                if intent in SAFETY:
                    counts["false_safety"] += 1
                    misses.append(f"false safety answer: {item['text']!r} -> {intent}")
                if name == "other":
                    counts["unsupported_with_112"] += intent in (*SAFETY, "other_language")
        results[name] = {"total": len(messages), **counts, "misses": misses}
    return results


def rows(results: dict[str, dict[str, Any]]) -> list[str]:
    def rate(hit: int, total: int) -> str:
        return f"{hit}/{total} = {hit / total:.3f}" if total else "n/a"

    lines = ["| held-out set | messages | crisis recall | emergency recall (112) | false safety answers | "
             "safety answer in the message's language | unsupported-language messages answered with 112 |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['total']} | {rate(r.get('crisis_hit', 0), r.get('crisis', 0))} | "
            f"{rate(r.get('emergency_hit', 0), r.get('emergency', 0))} | "
            f"{r.get('false_safety', 0)}/{r.get('other_messages', 0)} | "
            f"{rate(r.get('language_ok', 0), r.get('safety_answers', 0))} | "
            f"{rate(r.get('unsupported_with_112', 0), r.get('other_messages', 0)) if name == 'other' else ''} |")
    return lines


def main() -> int:
    results = asyncio.run(evaluate(ROOT / "models" / "current.tar.gz"))
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "safety.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(rows(results)))
    for name, r in results.items():
        for miss in r["misses"]:
            print(f"[{name}] {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
