"""Map a PTV service to the contract's theme and target-group ids.

Service classes decide first (the contract's table); where a service carries none of them, or
to add a second theme, its ontology terms, keywords, name, summary and description decide through
the shared Finnish vocabulary, so that no service is lost to a theme only because of its class.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from bot.catalog.ptv import Service
from bot.finnish.lexicon_features import service_features
from bot.finnish.vocabulary import find_terms

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "theme_lexicon.yml"
# A theme or target group the learned lexicon gives with at least this probability is added.
# Measured on the tuning sample of real services (bench/real_theming.py --split tune).
LEXICON_THEME_THRESHOLD = 0.4
LEXICON_GROUP_THRESHOLD = 0.5
# The learned lexicon reads name and summary; the shared vocabulary then reads only the fields
# the lexicon does not (keywords, ontology terms, description) for themes, all fields for groups.
LEXICON_FIELDS = ("name", "summary")

CLASS_THEMES: dict[str, tuple[str, ...]] = {
    "P27.1": ("liikunta",),
    "P27.2": ("luonto",), "P27.3": ("luonto",), "P27.5": ("luonto",),
    "P25.1": ("kulttuuri",), "P25.2": ("kulttuuri",), "P25.3": ("kulttuuri",),
    "P25.5": ("kulttuuri",), "P25.7": ("kulttuuri",),
    "P5.20": ("ravitsemus",),
    "P5.11": ("elintavat",),
    "P4.12": ("osallisuus",), "P5.16": ("osallisuus",), "P8.3": ("osallisuus",),
    "P8.4": ("osallisuus",), "P28.1": ("osallisuus",), "P28.2": ("osallisuus",),
    "P28.6": ("osallisuus",),
    "P4.13": ("neuvonta",), "P5.17": ("neuvonta",),
    "P4.10": ("toimeentulo",), "P10.4": ("toimeentulo",), "P10.7": ("toimeentulo",),
    "P10.8": ("toimeentulo",), "P15.1": ("toimeentulo",),
}
# Classes whose theme depends on what the text says (P5.7 holds both mental health and
# substance services; P5.17 holds lifestyle guidance too).
SPLIT_CLASSES: dict[str, tuple[str, ...]] = {
    "P5.7": ("mielen_hyvinvointi", "paihteet"),
    "P5.17": ("elintavat",),
}
TARGET_GROUP_CODES: dict[str, str] = {
    "KR1.1": "ikaantyneet", "KR1.2": "lapset_perheet", "KR1.3": "nuoret",
    "KR1.4": "pitkaaikaissairaat", "KR1.6": "vammaiset",
}
LIFE_EVENT_GROUPS: dict[str, str] = {"KE8": "tyottomat", "KE5": "maahanmuuttajat",
                                     "KE13": "omaishoitajat"}
CLASS_GROUPS: dict[str, str] = {"P4.11": "maahanmuuttajat", "P5.14": "omaishoitajat"}

# How much a vocabulary hit in each field counts, and how much is needed to add a theme.
FIELD_WEIGHTS = (("name", 3.0), ("keywords", 2.0), ("ontology", 2.0), ("summary", 1.0),
                 ("description", 0.5))
TEXT_THEME_THRESHOLD = 3.0
# Without name and summary (read by the learned lexicon), one keyword or ontology term suffices.
CURATED_THEME_THRESHOLD = 2.0


def _field_hits(service: Service) -> dict[str, set[tuple[str, str]]]:
    """Per field, the (kind, id) pairs the shared vocabulary finds in it (read once per service)."""
    fields = {
        "name": service.name,
        "keywords": ". ".join(service.keywords),
        "ontology": ". ".join(service.ontology_terms),
        "summary": service.summary,
        "description": service.description[:4000],
    }
    return {name: {(m.kind, m.value) for m in find_terms(text)} for name, text in fields.items()}


def _text_scores(hits: dict[str, set[tuple[str, str]]], skip: tuple[str, ...] = ()) -> dict[str, Counter[str]]:
    """Vocabulary hits per kind ('theme', 'target_group'), weighted by the field they are in."""
    scores: dict[str, Counter[str]] = {"theme": Counter(), "target_group": Counter()}
    for field_name, weight in FIELD_WEIGHTS:
        if field_name not in skip:
            for kind, value in hits[field_name]:
                scores[kind][value] += weight  # type: ignore[assignment]
    return scores


@cache
def lexicon() -> dict[str, Any]:
    """The learned lexicon (bench/learn_theme_lexicon.py): per kind and id, intercept and term weights."""
    if not LEXICON_FILE.exists():
        return {"themes": {}, "target_groups": {}}
    return yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8")) or {"themes": {}, "target_groups": {}}


def lexicon_probabilities(service: Service) -> dict[str, dict[str, float]]:
    """Per kind ("themes", "target_groups"): id -> probability from the learned lexicon."""
    features = service_features(service.name, service.summary)
    result: dict[str, dict[str, float]] = {}
    for kind, models in lexicon().items():
        result[kind] = {}
        for label, model in (models or {}).items():
            z = model["intercept"] + sum(w for term, w in model["terms"].items() if term in features)
            result[kind][label] = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    return result


def classify(service: Service) -> tuple[list[str], list[str]]:
    """(theme ids, target-group ids) of a service."""
    weights, groups = classify_weighted(service)
    return list(weights), groups


def classify_weighted(service: Service) -> tuple[dict[str, float], list[str]]:
    """({theme id: how surely, 0-1}, target-group ids): a class or a keyword gives 1.0, the learned
    lexicon its probability (at least 0.5 for a theme a class or the vocabulary also gives). The
    weight orders a theme's services when nothing else does."""
    learned = lexicon_probabilities(service)
    hits = _field_hits(service)
    everything = _text_scores(hits)
    skip = LEXICON_FIELDS if learned.get("themes") else ()
    themes = _themes(service, everything["theme"], _text_scores(hits, skip)["theme"] if skip else None)
    groups = _target_groups(service, everything["target_group"])
    probability = learned.get("themes", {})
    by_class = {t for code in service.class_codes for t in (*CLASS_THEMES.get(code, ()), *SPLIT_CLASSES.get(code, ()))}
    weights = {t: 1.0 if t in by_class or not skip else max(0.5, probability.get(t, 0.0)) for t in themes}
    weights.update({t: round(p, 3) for t, p in sorted(probability.items(), key=lambda kv: -kv[1])
                    if p >= LEXICON_THEME_THRESHOLD and t not in weights})
    groups += [g for g, p in sorted(learned.get("target_groups", {}).items(), key=lambda kv: -kv[1])
               if p >= LEXICON_GROUP_THRESHOLD and g not in groups]
    return weights, groups


def themes_for(service: Service) -> list[str]:
    return classify(service)[0]


def target_groups_for(service: Service) -> list[str]:
    return classify(service)[1]


def _themes(service: Service, text: Counter[str], extra: Counter[str] | None = None) -> list[str]:
    """Themes from the classes, split classes decided by ``text`` (all fields), and further themes
    from ``extra`` (the fields the learned lexicon does not read; all fields when None)."""
    threshold_base = TEXT_THEME_THRESHOLD if extra is None else CURATED_THEME_THRESHOLD
    extra = text if extra is None else extra
    themes: list[str] = []
    for code in service.class_codes:
        themes.extend(t for t in CLASS_THEMES.get(code, ()) if t not in themes)
    for code in service.class_codes:
        for theme in SPLIT_CLASSES.get(code, ()):
            if text[theme] > 0 and theme not in themes:
                themes.append(theme)
    if "P5.7" in service.class_codes and not {"mielen_hyvinvointi", "paihteet"} & set(themes):
        themes.append("mielen_hyvinvointi")
    threshold: float = threshold_base if not themes else threshold_base + 1.0
    for theme, score in extra.most_common():
        if score >= threshold and theme not in themes:
            themes.append(theme)
    return themes


def _target_groups(service: Service, text: Counter[str]) -> list[str]:
    groups = [TARGET_GROUP_CODES[c] for c in service.target_group_codes if c in TARGET_GROUP_CODES]
    groups += [LIFE_EVENT_GROUPS[c] for c in service.life_event_codes if c in LIFE_EVENT_GROUPS]
    groups += [CLASS_GROUPS[c] for c in service.class_codes if c in CLASS_GROUPS]
    groups += [g for g, score in text.items() if score >= TEXT_THEME_THRESHOLD]
    if "KR1" in service.target_group_codes and not groups:
        groups.append("tyoikaiset")
    return list(dict.fromkeys(groups))
