"""Follow-up words of a conversation: which result ("kolmannesta" -> 3, "vikasta" -> last,
"nro 4" -> 4) and which filter ("vain ilmaiset" -> free)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.finnish.morphology import Analysis, analyse, fold_diacritics, suggest, word_spans

ORDINALS = {
    "ensimmäinen": "1", "toinen": "2", "kolmas": "3", "neljäs": "4", "viides": "5",
    "kuudes": "6", "seitsemäs": "7", "kahdeksas": "8", "yhdeksäs": "9", "kymmenes": "10",
    "ykkönen": "1", "kakkonen": "2", "kolmonen": "3", "nelonen": "4", "vitonen": "5",
    "kutonen": "6", "viimeinen": "last",
    # the list read from the top: "ylin" is the first, "alin" the last
    "ylin": "1", "ylimmäinen": "1", "alin": "last", "alimmainen": "last",
}
# Surface forms Voikko does not lemmatise to the ordinal.
ORDINAL_FORMS = {"ykkösestä": "1", "kakkosesta": "2", "kolmosesta": "3"}
# Spoken ordinals ("eka", "tokasta", "vikaan", "viimosesta", "viitonen"), matched on the word without ä/ö: the
# stem, a case ending and a clitic ("ekako", "tokankin").
_SPOKEN_ORDINAL_RE = re.compile(
    r"^(?:(eka|toka)(?:n|a|sta|ssa|an|lle|lla|lta|ksi|ks)?"
    r"|(vika)(?:n|sta|ssa|an|lle|lla|lta)?"
    r"|(viimo)(?:inen|nen|ise|se)(?:n|a|sta|ssa|en|lle|lla|lta)?"
    r"|(viito)(?:nen|se)(?:n|a|sta|ssa|en|lle|lla|lta)?)"
    r"(?:kin|ko|ks|s|han)?$")
_SPOKEN_VALUES = {"eka": "1", "toka": "2", "vika": "last", "viimo": "last", "viito": "5"}
# "ensimmäistä kertaa", "toista kertaa": how many times, not which result.
_TIMES = ("kerta", "kertaa", "kerran", "kertaan", "kerralla")
# "joku toinen", "jokin toinen": another one, not the second.
_ANOTHER = ("joku", "jokin", "jonkun", "jonkin", "jotain", "jotakin", "mikaan", "ei", "aivan", "ihan")
FILTER_WORDS = {
    "ilmainen": "free", "maksuton": "free", "ilmanen": "free", "ilmasia": "free", "ilmasii": "free",
    "esteetön": "accessible", "esteettömyys": "accessible", "pyörätuoli": "accessible",
    "ruotsi": "swedish", "ruotsiksi": "swedish", "svenska": "swedish",
}
FILTER_PHRASES = (
    ("auki tanaan", "open_today"), ("avoinna tanaan", "open_today"), ("auki nyt", "open_today"),
    ("talla viikolla", "this_week"), ("ruotsin kielella", "swedish"), ("pa svenska", "swedish"),
)
# A number 1-10 is a result's number ("3 lisätiedot", "nro 4", "3:n", "2."), except a time
# ("klo 8", "8:30", "9-16"), a bus line ("bussi 2") or an amount ("10 euroa", "5 kertaa").
_NUMBER_RE = re.compile(r"(?:numero\s+|nro\.?\s*|nr\.?\s*)?\b([1-9]|10)\b(?![.:,]\d|\s*[-–]\s*\d)", re.IGNORECASE)
_NOT_A_RESULT_BEFORE = re.compile(
    r"(?:\bklo|\bkello|\bkl|\bbussi\w*|\blinja\w*|\bratikka\w*|\bspora\w*|\bjuna\w*|\braitiovaunu\w*)\.?\s*$",
    re.IGNORECASE)
_NOT_A_RESULT_AFTER = re.compile(
    r"^\s*(?:€|e\b|eur\w*|km\b|m\b|min\w*|h\b|t\b|tun\w*|kert\w*|krt\b|vuo\w*|v\b|-v|henk\w*|hl[oö]\b|kpl\b"
    r"|päiv\w*|paiv\w*|viiko\w*|kuuk\w*|ast\w*|%|prosent\w*|lasta?\b|aikuis\w*"
    r"|lis(?:ää|aa)\b|seuraav\w*|tulos\w*|vaihtoeh\w*|muu\w*|uut\w*)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Request:
    kind: str  # "ordinal" | "filter"
    value: str
    start: int
    end: int


def readings(word: str) -> tuple[Analysis, ...]:
    """Voikko's readings of a word; of a word typed without ä/ö ("ensimmaisesta", "lahetteen"), the
    readings of the spelling that differs only in them."""
    lowered = word.lower()
    found = analyse(word) or analyse(lowered)
    if found or not 3 <= len(lowered) <= 20 or not set(lowered) & set("ao") or set(lowered) & set("äöå"):
        return found
    folded = fold_diacritics(lowered)
    for suggestion in suggest(lowered):
        if suggestion != lowered and fold_diacritics(suggestion) == folded:
            return analyse(suggestion)
    return ()


def _stems_with_diacritics() -> frozenset[str]:
    words = (*ORDINALS, *FILTER_WORDS)
    return frozenset(fold_diacritics(w)[:4] for w in words if fold_diacritics(w) != w)


# Only words that may be an ordinal or a filter typed without ä/ö are looked up among the spellings
# ("neljannesta"): the look-up is slow, and every word of a long message passes here.
_DIACRITIC_STEMS = _stems_with_diacritics()


def _readings(word: str) -> tuple[Analysis, ...]:
    if fold_diacritics(word)[:4] in _DIACRITIC_STEMS:
        return readings(word)
    return analyse(word) or analyse(word.lower())


def _ordinal(word: str, before: str, after: str) -> str | None:
    """The result a word points at, or None ("toisesta" -> "2", "vikaan" -> "last")."""
    lowered = word.lower()
    folded = fold_diacritics(lowered)
    spoken = _SPOKEN_ORDINAL_RE.match(folded)
    if spoken:
        return _SPOKEN_VALUES[next(g for g in spoken.groups() if g)]
    if lowered in ORDINAL_FORMS:
        return ORDINAL_FORMS[lowered]
    found = _readings(word)
    value = next((ORDINALS[r.baseform.lower()] for r in found
                  if r.baseform.lower() in ORDINALS and r.number != "plural"), None)
    if value is None and not found:
        value = ORDINALS.get(lowered)
    if value is None or fold_diacritics(after) in _TIMES or fold_diacritics(before) in _ANOTHER:
        return None
    return value


def is_ordinal_word(word: str) -> bool:
    """The word alone names a result ("kolmosen", "vika", "ylin")."""
    return _ordinal(word, "", "") is not None


def _is_result_number(text: str, match: re.Match[str]) -> bool:
    if not match.group(0)[0].isdigit():  # "nro 4", "numero 2"
        return True
    # "klo 8", "bussi 2", "10 euroa"
    return not (_NOT_A_RESULT_BEFORE.search(text[:match.start()]) or _NOT_A_RESULT_AFTER.match(text[match.end():]))


def find_requests(text: str) -> list[Request]:
    found: list[Request] = []
    folded = fold_diacritics(text)
    covered: set[int] = set()
    for phrase, value in FILTER_PHRASES:
        start = folded.find(phrase)
        if start >= 0:
            found.append(Request("filter", value, start, start + len(phrase)))
            covered.update(range(start, start + len(phrase)))
    spans = word_spans(text)
    for i, (start, end, word) in enumerate(spans):
        if start in covered:
            continue
        before = spans[i - 1][2].lower() if i > 0 else ""
        after = spans[i + 1][2].lower() if i + 1 < len(spans) else ""
        ordinal = _ordinal(word, before, after)
        if ordinal:
            found.append(Request("ordinal", ordinal, start, end))
            continue
        lowered = word.lower()
        lemmas = {lowered} | {r.baseform.lower() for r in _readings(word)}
        filter_value = next((FILTER_WORDS[x] for x in lemmas if x in FILTER_WORDS), None)
        if filter_value:
            found.append(Request("filter", filter_value, start, end))
    for match in _NUMBER_RE.finditer(text):
        if not any(r.start <= match.start() < r.end for r in found) and _is_result_number(text, match):
            found.append(Request("ordinal", match.group(1), match.start(), match.end()))
    return sorted(found, key=lambda r: r.start)
