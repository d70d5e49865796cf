"""The language of a message: fi, sv, en, or other (a language the bot does not speak).

Detection is lingua (``lingua-language-detector``, Rasa environment only), restricted to the
languages below. Short messages are hard, so the decision also uses the safety rules: a message
that matches the English crisis list is an English crisis even when lingua is unsure
(``bot.safety.crisis_languages``). Finnish is the default whenever the evidence is weak, and a
message whose words Voikko mostly knows as Finnish is never called another language.

Only Latin-script languages cost memory (about 25-30 MB each with their n-gram models loaded);
a language that is alone in its script is told by its letters and loads no models. So Russian
stands for all Cyrillic text (Ukrainian too) and Arabic for all Arabic-script text (Persian,
Dari too); the crisis lists tell them apart where it matters, and all of them are "other" here.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Iterable, Sequence

from bot.finnish.morphology import analyse, words

logger = logging.getLogger(__name__)

FINNISH, SWEDISH, ENGLISH, OTHER = "fi", "sv", "en", "other"
SUPPORTED = (FINNISH, SWEDISH, ENGLISH)
# ISO 639-1 codes given to lingua. Latin script: the bot's three languages, Estonian (close to
# Finnish) and the larger language groups of Finland's residents that write in Latin script.
# One language per other script: Russian (Cyrillic), Arabic (Arabic script), Chinese (Han).
DETECTED_LANGUAGES = ("fi", "sv", "en", "et", "so", "tr", "es", "de", "fr", "pl", "ru", "ar", "zh")
# Without a crisis or emergency match, a message is given a language only when lingua is this
# sure and the message is long enough; otherwise the slot keeps its earlier value.
MIN_CONFIDENCE = 0.7
MIN_CONFIDENCE_OTHER = 0.9
MIN_LETTERS = 8  # Chinese: 2 characters
# A safety message matching the lists of several languages takes lingua's guess at this confidence.
MIN_CONFIDENCE_SAFETY = 0.5
MIN_WORDS = 2
# Share of words that Voikko knows as Finnish at which a message is not called another language.
FINNISH_WORD_SHARE = 0.6
# Which language's answer a safety message gets when several lists matched and lingua is unsure.
PREFERENCE = (FINNISH, ENGLISH, SWEDISH)


@dataclass(frozen=True)
class Detection:
    language: str  # ISO 639-1 code of lingua's best guess
    confidence: float


def answer_language(code: str) -> str:
    """fi, sv or en, else other."""
    return code if code in SUPPORTED else OTHER


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def finnish_word_share(text: str) -> float:
    """Share of the words (of three letters or more, place names left out) that Voikko knows."""
    known = total = 0
    for word in words(text[:1000]):
        if len(word) < 3:
            continue  # "en", "no", "i" are words of many languages
        readings = analyse(word) or analyse(word.lower())
        if any(r.is_place_name for r in readings):
            continue
        total += 1
        known += bool(readings)
    return known / total if total else 0.0


def decide(text: str, detection: Detection | None, safety_languages: Sequence[str] = (),
           safety_intent: bool = False) -> str | None:
    """The message's language (fi, sv, en or other), or None when unsure.

    ``safety_languages``: languages whose crisis or emergency rules matched (bot.safety).
    ``safety_intent``: the message is answered as a crisis or a medical emergency; such a message
    always gets a language (Finnish when unsure), because the slot must not keep an earlier one.
    """
    if safety_languages:
        if detection and detection.language in safety_languages and detection.confidence >= MIN_CONFIDENCE_SAFETY:
            return answer_language(detection.language)
        if len(set(safety_languages)) == 1:
            return answer_language(safety_languages[0])
        for preferred in PREFERENCE:  # "suicide" alone matches the English and French lists
            if preferred in safety_languages:
                return preferred
        return OTHER
    guess = _confident(text, detection)
    if guess is None:
        return FINNISH if safety_intent else None
    return guess


def _confident(text: str, detection: Detection | None) -> str | None:
    if detection is None or _letters(text) < (2 if detection.language == "zh" else MIN_LETTERS):
        return None
    language = answer_language(detection.language)
    needed = MIN_CONFIDENCE_OTHER if language == OTHER else MIN_CONFIDENCE
    if detection.confidence < needed:
        return None
    if language == FINNISH:
        return FINNISH
    if len(words(text)) < MIN_WORDS and detection.language != "zh":
        return None
    if finnish_word_share(text) >= FINNISH_WORD_SHARE:
        return None  # Finnish that lingua took for something else (Estonian, usually)
    return language


class LinguaDetector:
    """lingua's detector with the language models loaded at start (not at the first message)."""

    def __init__(self, languages: Iterable[str] = DETECTED_LANGUAGES, preload: bool = True) -> None:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        started = time.monotonic()
        codes = list(languages)
        chosen = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes]
        builder = LanguageDetectorBuilder.from_languages(*chosen)
        self._detector = builder.build()
        if preload:
            # A short plain-ASCII text rules out no Latin-script language, so all their models
            # (1- to 5-grams) load now rather than at the first messages. Languages alone in
            # their script need none (lingua's preloading option would load theirs too).
            self._detector.compute_language_confidence_values("Hello, how are you")
        logger.info("language detector ready in %.1f s (%s)", time.monotonic() - started, ", ".join(codes))

    def detect(self, text: str) -> Detection | None:
        values = self._detector.compute_language_confidence_values(text[:1000])
        if not values or values[0].value <= 0:
            return None
        best = values[0]
        return Detection(best.language.iso_code_639_1.name.lower(), float(best.value))

