"""Learn the theme lexicon (bot/data/theme_lexicon.yml) from the hand-labelled training samples
of the real catalog (bench/real_catalog/theme_labels_train_*.yml).

One logistic regression per theme and per target group over the index terms (Voikko lemmas and
compound parts) of a service's name and summary; the lexicon keeps each model's intercept and its
strongest term weights, so that the catalog's theming (bot/catalog/mapping.py) scores a service
with plain dictionary look-ups and a Finnish editor can read why a service got a theme.

Runs in the Rasa environment (scikit-learn is there), with ../shared beside the clone:

    .venv-rasa/bin/python -m bench.learn_theme_lexicon [--c 1.0] [--keep 120]

The tune and test samples are never used here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from bench import record
from bot.catalog.ptv import parse_service
from bot.finnish.lexicon_features import service_features
from bot.finnish.vocabulary import TARGET_GROUP_LABELS, THEME_LABELS

ROOT = Path(__file__).resolve().parent.parent
REAL_SERVICES = record.REAL_NAMES_CATALOG / "services"
LABELS = ROOT / "bench" / "real_catalog"
OUTPUT = ROOT / "bot" / "data" / "theme_lexicon.yml"
TRAIN_FILES = tuple(f"theme_labels_train_{part}.yml" for part in "abcde")


def training_data() -> tuple[list[dict[str, float]], list[set[str]], list[set[str]]]:
    features, themes, groups = [], [], []
    for name in TRAIN_FILES:
        for entry in yaml.safe_load((LABELS / name).read_text(encoding="utf-8"))["services"]:
            record = json.loads((REAL_SERVICES / f"{entry['id']}.json").read_text(encoding="utf-8"))
            service = parse_service(record)
            features.append(service_features(service.name, service.summary))
            themes.append(set(entry["themes"] or ()))
            groups.append(set(entry["target_groups"] or ()))
    return features, themes, groups


def learn(features: list[dict[str, float]], gold: list[set[str]], labels: list[str], c: float,
          keep: int) -> dict[str, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(features)
    names = vectorizer.get_feature_names_out()
    result: dict[str, Any] = {}
    for label in labels:
        y = [1 if label in g else 0 for g in gold]
        if sum(y) < 2:
            continue
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        model.fit(x, y)
        weights = sorted(zip(names, model.coef_[0], strict=True), key=lambda p: -abs(p[1]))[:keep]
        result[label] = {"intercept": round(float(model.intercept_[0]), 3), "examples": sum(y),
                         "terms": {str(n): round(float(w), 3) for n, w in weights if abs(w) >= 0.05}}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--keep", type=int, default=120, help="terms kept per theme or target group")
    args = parser.parse_args()
    if not REAL_SERVICES.is_dir():
        print(f"Cannot learn: the real catalog is not at {REAL_SERVICES}.")
        return 1
    features, themes, groups = training_data()
    lexicon = {"themes": learn(features, themes, list(THEME_LABELS), args.c, args.keep),
               "target_groups": learn(features, groups, list(TARGET_GROUP_LABELS), args.c, args.keep)}
    header = (f"# Learned by `python -m bench.learn_theme_lexicon --c {args.c} --keep {args.keep}` on "
              f"{dt.date.today().isoformat()} from {len(features)} real PTV services labelled by hand\n"
              "# (bench/real_catalog/theme_labels_train_*.yml). Per theme and target group: the logistic\n"
              "# regression's intercept and term weights over name and summary terms (n: a name term,\n"
              "# s: a summary term). Generated: edit the labels or bot/finnish/vocabulary.py, not this file.\n")
    OUTPUT.write_text(header + yaml.safe_dump(lexicon, allow_unicode=True, sort_keys=False, width=120),
                      encoding="utf-8")
    print(f"Wrote {OUTPUT.relative_to(ROOT)}: {len(features)} services, "
          f"{sum(len(v['terms']) for part in lexicon.values() for v in part.values())} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
