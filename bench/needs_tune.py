"""Choose the NeedClassifier's thresholds by 5-fold cross-validation on the TRAINING corpus only
(`data/life_situations/*.yml`); the held-out set is never read here. In-sample figures.

`python -m bench.needs_tune` (Rasa environment).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

from bot.finnish.needs import NO_GROUP, load_corpus
from bot.finnish.query import content_words
from bot.finnish.vocabulary import best_values
from bot.rasa.need_classifier import _bag, _pipeline

ROOT = Path(__file__).resolve().parent.parent


def folds(items: list[dict[str, Any]], k: int = 5) -> list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    return [([x for j, x in enumerate(shuffled) if j % k != i], [x for j, x in enumerate(shuffled) if j % k == i])
            for i in range(k)]


def main() -> int:
    corpus = [m for path in sorted((ROOT / "data" / "life_situations").glob("*.yml")) for m in load_corpus(path)
              if m.get("kind") != "crisis"]
    Ranked = list[tuple[str, float]]
    predictions: list[tuple[dict[str, Any], Ranked, Ranked, dict[str, str]]] = []
    for c in (4.0,):
        for train, test in folds(corpus):
            themed = [m for m in train if m.get("theme")]
            theme_model = _pipeline(c).fit([_bag(m["text"]) for m in themed], [m["theme"] for m in themed])
            group_model = _pipeline(c).fit([_bag(m["text"]) for m in train],
                                           [m.get("target_group") or NO_GROUP for m in train])
            for m in test:
                bag = _bag(m["text"])
                t = sorted(zip(theme_model.classes_, theme_model.predict_proba([bag])[0], strict=True),
                           key=lambda x: -x[1])
                g = sorted(zip(group_model.classes_, group_model.predict_proba([bag])[0], strict=True),
                           key=lambda x: -x[1])
                predictions.append((m, t, g, best_values(m["text"])))
    print("override_min_words doubt_word_theme_below | right asked right+asked wrong | group_right")
    floor, group_threshold, threshold, margin = 0.05, 0.3, 0.5, 0.1
    for override, doubt in itertools.product((6, 4, 3), (0.0, 0.2, 0.3)):
        right = asked = wrong = group_right = themed = 0
        for m, t, g, rule in predictions:
            ok = {m.get("theme"), *(m.get("also") or [])} - {None}
            words = len(content_words(m["text"]).split())
            theme = rule.get("theme")
            offered: list[str] = []
            (best, p1), p2 = t[0], (t[1][1] if len(t) > 1 else 0.0)
            sure = p1 >= threshold and p1 - p2 >= margin
            if theme is None:
                if sure:
                    theme = best
                elif words >= 3:
                    offered = [x for x, p in t[:3] if p >= floor]
            elif words >= 3 and best != theme:  # as NeedClassifier.analyse
                if sure and words >= override:
                    theme = best
                elif dict(t).get(theme, 0.0) < doubt:
                    offered = list(dict.fromkeys([theme, *(x for x, p in t[:2] if p >= floor)]))
                    theme = None
            if m.get("theme"):
                themed += 1
                right += theme in ok
                asked += theme is None and bool(ok & set(offered))
                wrong += theme is not None and theme not in ok
            learned = g[0][0] if g[0][0] != NO_GROUP and g[0][1] >= group_threshold else None
            # as NeedClassifier.analyse: a group named in words stays; a longer message may add one
            group = rule.get("target_group") or (learned if words >= 3 else None)
            group_right += group == m.get("target_group")
        print(f"{override} {doubt} | {right / themed:.3f} {asked / themed:.3f} {(right + asked) / themed:.3f} "
              f"{wrong / themed:.3f} | {group_right / len(predictions):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
