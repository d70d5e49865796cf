"""The features the learned theme lexicon reads from a service: the index terms (Voikko lemmas and
compound parts) of its name ("n:") and of its summary ("s:"), each counted once, and the themes and
target groups the shared vocabulary reads in each ("n:=theme:liikunta"). One home for the
lexicon's learning (bench/learn_theme_lexicon.py) and its use (bot/catalog/mapping.py)."""

from __future__ import annotations

from bot.finnish.morphology import text_terms
from bot.finnish.query import is_filler
from bot.finnish.vocabulary import find_terms

SUMMARY_CHARS = 600


def service_features(name: str, summary: str) -> dict[str, float]:
    features: dict[str, float] = {}
    for prefix, text in (("n", name), ("s", summary[:SUMMARY_CHARS])):
        for term in text_terms(text):
            if len(term) > 1 and not is_filler(term):
                features[f"{prefix}:{term}"] = 1.0
        for match in find_terms(text):  # what the shared vocabulary reads in the field
            features[f"{prefix}:={match.kind}:{match.value}"] = 1.0
    return features
