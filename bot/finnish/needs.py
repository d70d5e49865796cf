"""Features of a resident's message for recognising the need behind it (bot/rasa/need_classifier.py).

Life situations seldom name a theme ("oon ollu yksinäinen sen jälkeen kun mies kuoli"), so the
classifier learns from Voikko lemmas, compound parts and Finnish concepts (a place, a theme word, a
target-group word) rather than surface forms, plus a negation marker: "en jaksa" and "jaksan" are
different needs. The training corpus is `data/life_situations/train.yml`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.finnish.features import token_features
from bot.finnish.morphology import fold_diacritics, words
from bot.finnish.vocabulary import find_terms

MAX_WORDS = 200
NEGATIONS = frozenset({"en", "et", "ei", "emme", "ette", "eivat", "enka", "eika", "ilman"})
NO_GROUP = "-"  # the target-group classifier's label for "no group named or implied"


def features(text: str) -> list[str]:
    """Feature names of a message: lemma:, part:, concept: and hint: (rule-based theme words)."""
    names: list[str] = []
    for word in words(text)[:MAX_WORDS]:
        if fold_diacritics(word.lower()) in NEGATIONS:
            names.append("negation")
        found = token_features(word)
        names.extend(found or [f"unknown:{fold_diacritics(word.lower())}"])
    for term in find_terms(text):
        names.append(f"hint:{term.kind}={term.value}")
    return names


def load_corpus(path: Path) -> list[dict[str, Any]]:
    """The labelled messages of a corpus file (see data/life_situations/train.yml)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [m for m in data.get("messages") or [] if isinstance(m, dict) and m.get("text")]
