"""Finnish morphology through Voikko: lemmas, compound parts and spelling suggestions.

Voikko (Debian ``libvoikko1`` + ``voikko-fi``) is wrapped once per process; every analysis is
cached because the same words recur constantly in both catalog texts and chat messages.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from libvoikko import Voikko

_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’:][^\W\d_]+)*", re.UNICODE)
_SEGMENT_RE = re.compile(r"\+([^+(]*)(?:\(([^)]*)\))?")

_lock = threading.RLock()
_voikko: Voikko | None = None


def _engine() -> Voikko:
    global _voikko
    if _voikko is None:
        with _lock:
            if _voikko is None:
                _voikko = Voikko("fi")
    return _voikko


@dataclass(frozen=True)
class Analysis:
    """One reading of a word form."""

    baseform: str
    word_class: str
    case: str | None
    parts: tuple[str, ...]
    number: str = ""  # "singular" | "plural" | "" when Voikko does not say

    @property
    def is_place_name(self) -> bool:
        return self.word_class == "paikannimi"


def normalize_text(text: str) -> str:
    """NFC-normalise and drop control and zero-width characters."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf"} or ch in "\n\t"
    )


def fold_diacritics(text: str) -> str:
    """'Jyväskylä' -> 'jyvaskyla': how people type without Finnish keys."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Split text into words (letters with inner hyphens, apostrophes or colons)."""
    return _WORD_RE.findall(normalize_text(text))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(text)]


def compound_parts(wordbases: str) -> tuple[str, ...]:
    """Compound parts of a Voikko WORDBASES string, as base forms.

    '+kunto(kunto)+sali(sali)+ohja(ohjata)+us(+us)' -> ('kunto', 'sali', 'ohjaus'):
    derivational segments (base beginning with '+', or bare inner segments) are glued to the
    segment before them; every part but the last is given as its own base form.
    """
    groups: list[list[tuple[str, str | None]]] = []
    for surface, base in _SEGMENT_RE.findall(wordbases):
        if not surface:
            continue
        derivational = (base or "").startswith("+") or (base == "" and bool(groups))
        if groups and (derivational or surface == "-"):
            groups[-1].append((surface, base))
        else:
            groups.append([(surface, base)])
    parts: list[str] = []
    for i, group in enumerate(groups):
        surface = "".join(s for s, _ in group).strip("-").lower()
        first_base = group[0][1]
        if i < len(groups) - 1 and len(group) == 1 and first_base and "=" not in first_base:
            part = first_base.lower()
        else:
            part = surface
        if part and part not in parts:
            parts.append(part)
    return tuple(parts) if len(parts) > 1 else ()


@lru_cache(maxsize=200_000)
def analyse(word: str) -> tuple[Analysis, ...]:
    """All Voikko readings of one word form (empty when Voikko does not know it)."""
    if not word or len(word) > 80:
        return ()
    with _lock:
        raw = _engine().analyze(word)
    seen: dict[tuple[str, str, str | None, str], Analysis] = {}
    for item in raw:
        baseform = item.get("BASEFORM") or word
        key = (baseform, item.get("CLASS", ""), item.get("SIJAMUOTO"), item.get("NUMBER", ""))
        if key in seen:
            continue
        seen[key] = Analysis(
            baseform=baseform,
            word_class=item.get("CLASS", ""),
            case=item.get("SIJAMUOTO"),
            parts=compound_parts(item.get("WORDBASES", "")),
            number=item.get("NUMBER", ""),
        )
    return tuple(seen.values())


@lru_cache(maxsize=20_000)
def suggest(word: str) -> tuple[str, ...]:
    """Voikko's spelling suggestions (typos, missing ä/ö)."""
    if not word or len(word) > 40:
        return ()
    with _lock:
        return tuple(_engine().suggest(word))


def undoubled(word: str) -> list[str]:
    """The commonest Finnish slip, a doubled letter ("kuntosalli"), which Voikko's suggestions
    may not undo: the word with each double letter written once."""
    return [word[:i] + word[i + 1:] for i in range(1, len(word)) if word[i] == word[i - 1] and word[i].isalpha()]


def one_edit_apart(a: str, b: str) -> bool:
    """At most one letter inserted, removed or changed (ä/ö/å count as their own letters)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=20_000)
def corrections(word: str) -> tuple[str, ...]:
    """Known words one edit away from an unknown one ("kuntosalli" -> "kuntosali", "joogaa" typed
    "joggaa"): the undoubled forms and Voikko's suggestions, kept only when Voikko knows them."""
    lowered = word.lower()
    if len(lowered) < 5 or analyse(word) or analyse(lowered):
        return ()
    found = [w for w in (*undoubled(lowered), *(x.lower() for x in suggest(lowered)[:5]))
             if one_edit_apart(w, lowered) and analyse(w)]
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=200_000)
def index_terms(word: str) -> tuple[str, ...]:
    """Search terms of one word: its lemmas and compound parts, lower case.

    Unknown words are kept as they are, so product names and abbreviations still match.
    """
    lowered = word.lower()
    readings = analyse(word) or analyse(lowered)
    if not readings:
        return (lowered,)
    terms: list[str] = []
    for reading in readings:
        for term in (reading.baseform.lower(), *reading.parts):
            if term not in terms:
                terms.append(term)
    return tuple(terms)


def text_terms(text: str) -> list[str]:
    """Index terms of a whole text, in order, duplicates kept (for term frequency)."""
    out: list[str] = []
    for word in words(text):
        out.extend(index_terms(word))
    return out
