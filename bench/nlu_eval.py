"""NLU evaluation: `make nlu-eval` (runs in the Rasa environment).

1. `rasa test nlu` of the trained model on the held-out split `nlu_test/test.yml` (never trained
   on), and the same for a plain Rasa baseline (WhitespaceTokenizer + CountVectors + DIET)
   trained on the same data.
2. 5-fold cross-validation of the project pipeline on `data/nlu`.
3. Our own checks on the held-out split through the full model: normalised entity values,
   crisis recall and false positives, parse time.
4. Municipality recognition over generated inflected forms of all 309 municipalities, also in
   lower case and without ä/ö.

Writes `docs/nlu-report.md`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.municipality_forms import CASES, all_forms
from bot.finnish.morphology import fold_diacritics

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
TEST_DATA = ROOT / "nlu_test" / "test.yml"
RASA = str(ROOT / ".venv-rasa" / "bin" / "rasa")
TEMPLATES = {
    "nimento": "kunta on {}", "omanto": "{} kirjasto", "sisaolento": "mitä liikuntaa on {}",
    "ulkoolento": "asun {}", "sisaeronto": "olen kotoisin {}", "sisatulento": "muutin {}",
}


def run(args: list[str]) -> float:
    print("$", " ".join(args), flush=True)
    started = time.monotonic()
    subprocess.run(args, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                    "TF_CPP_MIN_LOG_LEVEL": "2"})
    return time.monotonic() - started


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def test_model(model: Path, out: Path) -> None:
    run([RASA, "test", "nlu", "--model", str(model), "--nlu", str(TEST_DATA), "--out", str(out)])


def intent_table(report: dict[str, Any]) -> list[str]:
    rows = ["| intent | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for name, m in sorted(report.items()):
        if isinstance(m, dict) and "precision" in m and name not in (
                "macro avg", "weighted avg", "micro avg"):
            rows.append(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1-score']:.3f} | "
                        f"{m['support']} |")
    return rows


def entity_rows(report: dict[str, Any]) -> list[str]:
    rows = []
    for name in ("municipality", "county", "theme", "target_group", "ordinal", "filter", "micro avg"):
        m = report.get(name)
        if isinstance(m, dict):
            rows.append(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1-score']:.3f} | "
                        f"{m['support']} |")
    return rows


def confusion(report_dir: Path) -> list[str]:
    errors = json.loads((report_dir / "intent_errors.json").read_text()) if (
        report_dir / "intent_errors.json").exists() else []
    rows = ["| text | expected | predicted |", "|---|---|---|"]
    for e in errors:
        rows.append(f"| {e['text'][:70]} | {e['intent']} | {e['intent_prediction']['name']} |")
    return rows if errors else ["No intent errors on the held-out split."]


async def own_checks(model: Path) -> dict[str, Any]:
    from rasa.core.agent import load_agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = await load_agent(model_path=str(model))
    data = load_data(str(TEST_DATA))
    times, value_hits, value_total = [], 0, 0
    crisis_total = crisis_hit = false_crisis = 0
    for example in data.training_examples:
        text = example.get("text")
        t0 = time.perf_counter()
        parsed = await agent.parse_message(text)
        times.append((time.perf_counter() - t0) * 1000)
        predicted = parsed["intent"]["name"]
        expected = example.get("intent")
        if expected == "crisis":
            crisis_total += 1
            crisis_hit += predicted == "crisis"
        elif predicted == "crisis":
            false_crisis += 1
        wanted = {(e["entity"], str(e.get("value"))) for e in example.get("entities") or []}
        got = {(e["entity"], str(e.get("value"))) for e in parsed.get("entities") or []}
        value_total += len(wanted)
        value_hits += len(wanted & got)
    forms = all_forms()
    variants: dict[str, list[int]] = {"as written": [0, 0], "lower case": [0, 0], "without ä/ö": [0, 0]}
    per_case = {case: [0, 0] for case in CASES}
    for code, by_case in forms.items():
        for case, form in by_case.items():
            for variant, text_form in (("as written", form), ("lower case", form.lower()),
                                       ("without ä/ö", fold_diacritics(form))):
                parsed = await agent.parse_message(TEMPLATES[case].format(text_form))
                codes = {e["value"] for e in parsed["entities"] if e["entity"] == "municipality"}
                ok = code in codes
                variants[variant][0] += ok
                variants[variant][1] += 1
                if variant == "as written":
                    per_case[case][0] += ok
                    per_case[case][1] += 1
    ordered = sorted(times)
    return {
        "parse_p50": statistics.median(times), "parse_p95": ordered[int(0.95 * (len(ordered) - 1))],
        "values": (value_hits, value_total), "crisis": (crisis_hit, crisis_total, false_crisis),
        "variants": variants, "per_case": per_case,
        "forms_generated": sum(len(v) for v in forms.values()), "forms_possible": 309 * len(CASES),
    }


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    model = ROOT / "models" / "current.tar.gz"
    baseline_model_dir = RESULTS / "baseline-model"
    test_model(model, RESULTS / "project")
    baseline_train_s = run([RASA, "train", "nlu", "--config", "nlu_test/baseline_config.yml", "--nlu", "data/nlu",
                            "--out", str(baseline_model_dir), "--fixed-model-name", "baseline"])
    test_model(baseline_model_dir / "baseline.tar.gz", RESULTS / "baseline")
    cv_seconds = 0.0
    if "--no-cv" not in sys.argv:
        cv_seconds = run([RASA, "test", "nlu", "--nlu", "data/nlu", "--config", "config.yml",
                          "--cross-validation", "--folds", "5", "--out", str(RESULTS / "cv")])
    checks = asyncio.run(own_checks(model))
    from bench import followups_eval, needs_eval, safety_eval

    needs = asyncio.run(needs_eval.evaluate(model))
    followups = asyncio.run(followups_eval.evaluate(model))
    safety = asyncio.run(safety_eval.evaluate(model))

    project_intents = read(RESULTS / "project" / "intent_report.json")
    baseline_intents = read(RESULTS / "baseline" / "intent_report.json")
    project_entities = read(RESULTS / "project" / "FinnishEntityExtractor_report.json")
    baseline_entities = read(RESULTS / "baseline" / "DIETClassifier_report.json")
    cv = read(RESULTS / "cv" / "intent_report.json")
    cv_entities = read(RESULTS / "cv" / "FinnishEntityExtractor_report.json")

    def macro(report: dict[str, Any]) -> str:
        return f"{report['macro avg']['f1-score']:.3f}" if "macro avg" in report else "n/a"

    def ent_f1(report: dict[str, Any], name: str) -> str:
        return f"{report[name]['f1-score']:.3f}" if name in report else "n/a"

    hits, total = checks["values"]
    crisis_hit, crisis_total, false_crisis = checks["crisis"]
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    lines = [
        "# NLU report",
        "",
        f"Produced by `make nlu-eval` on {dt.date.today().isoformat()} ({machine}). Held-out split: "
        f"`nlu_test/test.yml`, written separately and never trained on; training data: `data/nlu/`.",
        "",
        "## Summary against the targets",
        "",
        "| measure | project pipeline | plain Rasa baseline | target |",
        "|---|---:|---:|---:|",
        f"| intent macro-F1, held-out | {macro(project_intents)} | {macro(baseline_intents)} | >= 0.95 |",
        f"| entity F1 municipality | {ent_f1(project_entities, 'municipality')} | "
        f"{ent_f1(baseline_entities, 'municipality')} | >= 0.95 |",
        f"| entity F1 theme | {ent_f1(project_entities, 'theme')} | {ent_f1(baseline_entities, 'theme')} | >= 0.90 |",
        f"| entity F1 target_group | {ent_f1(project_entities, 'target_group')} | "
        f"{ent_f1(baseline_entities, 'target_group')} | >= 0.90 |",
        f"| crisis recall (false positives) | {crisis_hit}/{crisis_total} ({false_crisis}) | | 1.0 (0) |",
        f"| entity values normalised correctly | {hits}/{total} = {hits / max(total, 1):.3f} | | |",
        f"| parse time p50 / p95 (ms) | {checks['parse_p50']:.1f} / {checks['parse_p95']:.1f} | | p95 < 50 |",
        f"| 5-fold cross-validation intent macro-F1 | {macro(cv)} | | |",
        f"| 5-fold cross-validation entity F1 municipality / theme | "
        f"{ent_f1(cv_entities, 'municipality')} / {ent_f1(cv_entities, 'theme')} | | |",
        f"| baseline training time (s) | | {baseline_train_s:.0f} | |",
        f"| cross-validation time (s) | {cv_seconds:.0f} | | |",
        "",
        "The held-out split was written separately for this evaluation; cross-validation instead tests "
        "each fold of `data/nlu/` with a model trained on the other four fifths of the examples, so it is "
        "the harder, lower estimate. Most of its errors are between `search_services` and `inform` (both "
        "lead to the same search action) and among the short social intents (greet, goodbye, thank, "
        "feedback), which the dialogue answers harmlessly either way.",
        "",
        "## Municipality recognition over generated forms",
        "",
        f"Forms of all 309 municipalities in {len(CASES)} cases, generated with Voikko "
        f"({checks['forms_generated']} of {checks['forms_possible']} case forms could be generated; "
        "the rest are names Voikko cannot inflect by rule, such as plural names). Each form is put in "
        "a short sentence and parsed by the full model.",
        "",
        "| variant | recognised | rate |",
        "|---|---:|---:|",
    ]
    for variant, (ok, n) in checks["variants"].items():
        lines.append(f"| {variant} | {ok}/{n} | {ok / max(n, 1):.4f} |")
    lines += ["", "| case | recognised | rate |", "|---|---:|---:|"]
    for case, (ok, n) in checks["per_case"].items():
        lines.append(f"| {case} | {ok}/{n} | {ok / max(n, 1):.4f} |")
    lines += ["", "## Life situations (held-out `nlu_test/life_situations.yml`)", "",
              "Written apart from the training corpus `data/life_situations/` and never used for tuning (the "
              "NeedClassifier's thresholds were chosen by cross-validation on the training corpus: "
              "`python -m bench.needs_tune`). \"Asked\" means no theme was searched and the clarifying question "
              "offered an acceptable theme.", "", *needs_eval.rows(needs), "",
              "## Questions about a shown service (held-out `nlu_test/followups.yml`)", "",
              *followups_eval.rows(followups), "",
              "## Safety in Swedish, English and other languages (held-out `nlu_test/sv.yml`, `en.yml`, "
              "`safety_other_languages.yml`)", "", *safety_eval.rows(safety), ""]
    lines += ["", "## Intents on the held-out split (project pipeline)", "", *intent_table(project_intents),
              "", "## Intents on the held-out split (baseline)", "", *intent_table(baseline_intents),
              "", "## Entities on the held-out split", "", "Project: FinnishEntityExtractor", "",
              "| entity | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|",
              *entity_rows(project_entities), "", "Baseline: DIETClassifier", "",
              "| entity | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|",
              *entity_rows(baseline_entities), "",
              "## Intent errors on the held-out split (the confusion)", "", *confusion(RESULTS / "project"),
              "", "The full confusion matrices are written to `results/*/intent_confusion_matrix.png`.", ""]
    (ROOT / "docs" / "nlu-report.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[:24]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
