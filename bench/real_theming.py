"""How well the catalog's theming (bot/catalog/mapping.py) gives themes and target groups to real
PTV services without classes: precision and recall per theme and target group against hand
labels (bench/real_catalog/theme_labels_*.yml, see LABELLING.md).

    python -m bench.real_theming [--split test|tune] [--record] [--errors]

Only the test split's figures count; the tune split may be looked at while tuning.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from bench import record
from bot.catalog.mapping import classify
from bot.catalog.ptv import parse_service
from bot.finnish.vocabulary import TARGET_GROUP_LABELS, THEME_LABELS

ROOT = Path(__file__).resolve().parent.parent
REAL_SERVICES = record.REAL_NAMES_CATALOG / "services"
LABELS = ROOT / "bench" / "real_catalog"
SPLITS = {"test": ("theme_labels_test_a.yml", "theme_labels_test_b.yml"), "tune": ("theme_labels_tune.yml",)}


def load_labels(split: str) -> list[dict[str, Any]]:
    labelled: list[dict[str, Any]] = []
    for name in SPLITS[split]:
        labelled += yaml.safe_load((LABELS / name).read_text(encoding="utf-8"))["services"]
    return labelled


def per_label(pairs: Iterable[tuple[set[str], set[str]]], labels: Iterable[str]) -> dict[str, dict[str, float]]:
    """Precision, recall and support per label from (gold, predicted) sets."""
    pairs = list(pairs)
    result = {}
    for label in labels:
        tp = sum(1 for gold, predicted in pairs if label in gold and label in predicted)
        fp = sum(1 for gold, predicted in pairs if label not in gold and label in predicted)
        fn = sum(1 for gold, predicted in pairs if label in gold and label not in predicted)
        result[label] = {"precision": tp / (tp + fp) if tp + fp else 1.0,
                         "recall": tp / (tp + fn) if tp + fn else 1.0, "support": tp + fn, "predicted": tp + fp}
    return result


def macro(table: dict[str, dict[str, float]]) -> dict[str, float]:
    """Averages over the labels that occur in the gold labels or the predictions."""
    used = [v for v in table.values() if v["support"] or v["predicted"]]
    n = len(used) or 1
    return {"precision": sum(v["precision"] for v in used) / n, "recall": sum(v["recall"] for v in used) / n,
            "labels": len(used)}


def micro(pairs: list[tuple[set[str], set[str]]]) -> dict[str, float]:
    tp = sum(len(g & p) for g, p in pairs)
    fp = sum(len(p - g) for g, p in pairs)
    fn = sum(len(g - p) for g, p in pairs)
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0}


def evaluate(split: str) -> dict[str, Any]:
    themes: list[tuple[set[str], set[str]]] = []
    groups: list[tuple[set[str], set[str]]] = []
    errors: list[str] = []
    for entry in load_labels(split):
        record = json.loads((REAL_SERVICES / f"{entry['id']}.json").read_text(encoding="utf-8"))
        service = parse_service(record)
        predicted_themes, predicted_groups = classify(service)
        gold_t, gold_g = set(entry["themes"] or ()), set(entry["target_groups"] or ())
        themes.append((gold_t, set(predicted_themes)))
        groups.append((gold_g, set(predicted_groups)))
        if gold_t != set(predicted_themes) or gold_g != set(predicted_groups):
            errors.append(f"{entry['name']}: themes {sorted(gold_t)} got {sorted(predicted_themes)}; "
                          f"groups {sorted(gold_g)} got {sorted(predicted_groups)}")
    theme_table = per_label(themes, THEME_LABELS)
    group_table = per_label(groups, TARGET_GROUP_LABELS)
    return {"n": len(themes), "themes": theme_table, "groups": group_table,
            "theme_macro": macro(theme_table), "group_macro": macro(group_table),
            "theme_micro": micro(themes), "group_micro": micro(groups), "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=("test", "tune"))
    parser.add_argument("--record", action="store_true", help="append the table to docs/benchmarks.md")
    parser.add_argument("--errors", action="store_true", help="list the disagreements (tune only)")
    args = parser.parse_args()
    if not REAL_SERVICES.is_dir():
        print(f"Skipped: the real catalog is not at {REAL_SERVICES} (../shared beside the clone).")
        return 0
    if args.errors and args.split == "test":
        parser.error("--errors is for the tune split: the test labels are not read while tuning")
    result = evaluate(args.split)
    machine = record.machine()
    lines = [
        f"### Theming of real services, {args.split} split ({dt.date.today().isoformat()}, {machine})",
        "",
        f"Command: `python -m bench.real_theming --split {args.split}` (part of `make bench`); {result['n']} real "
        "PTV services (names and summaries only, no classes) labelled by hand "
        + ("(held-out sample, never read while tuning)." if args.split == "test" else "(tuning sample: in-sample)."),
        "",
        "| | macro precision | macro recall | micro precision | micro recall |",
        "|---|---:|---:|---:|---:|",
        f"| themes ({result['theme_macro']['labels']} themes seen) | {result['theme_macro']['precision']:.3f} | "
        f"{result['theme_macro']['recall']:.3f} | {result['theme_micro']['precision']:.3f} | "
        f"{result['theme_micro']['recall']:.3f} |",
        f"| target groups ({result['group_macro']['labels']} groups seen) | {result['group_macro']['precision']:.3f} | "
        f"{result['group_macro']['recall']:.3f} | {result['group_micro']['precision']:.3f} | "
        f"{result['group_micro']['recall']:.3f} |",
        "",
        "| theme | labelled | given | precision | recall |",
        "|---|---:|---:|---:|---:|",
        *[f"| {label} | {v['support']} | {v['predicted']} | {v['precision']:.2f} | {v['recall']:.2f} |"
          for label, v in result["themes"].items()],
        "",
    ]
    print("\n".join(lines))
    if args.errors:
        print("\n".join(result["errors"]))
    if args.record:
        record.append(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
