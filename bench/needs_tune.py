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
    print("theme_threshold theme_margin | right asked wrong | group_right")
    floor, group_threshold, group_override = 0.05, 0.3, True
    for threshold, margin in itertools.product((0.4, 0.5, 0.6), (0.1, 0.2)):
        right = asked = wrong = group_right = themed = 0
        for m, t, g, rule in predictions:
            ok = {m.get("theme"), *(m.get("also") or [])} - {None}
            words = len(content_words(m["text"]).split())
            theme = rule.get("theme")
            offered: list[str] = []
            if t and (words >= 3 or theme is None):
                sure = t[0][1] >= threshold and t[0][1] - t[1][1] >= margin
                if theme and not sure and theme == t[0][0]:
                    pass
                elif sure:
                    theme = t[0][0]
                elif words >= 3:
                    theme = None
                    offered = [x for x, p in t[:3] if p >= floor]
            if m.get("theme"):
                themed += 1
                right += theme in ok
                asked += theme is None and bool(ok & set(offered))
                wrong += theme is not None and theme not in ok
            learned = g[0][0] if g[0][0] != NO_GROUP and g[0][1] >= group_threshold else None
            if group_override and words >= 3:
                no_group = g[0][0] == NO_GROUP and g[0][1] >= group_threshold
                group = learned or (None if no_group else rule.get("target_group"))
            else:
                group = rule.get("target_group") or learned
            group_right += group == m.get("target_group")
        print(f"{threshold} {margin} | {right / themed:.3f} {asked / themed:.3f} {wrong / themed:.3f} | "
              f"{group_right / len(predictions):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
