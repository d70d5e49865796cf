"""Follow-up words of a conversation: which result ("kolmannesta" -> 3) and which filter
("vain ilmaiset" -> free)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.finnish.morphology import analyse, fold_diacritics, word_spans

ORDINALS = {
    "ensimmäinen": "1", "toinen": "2", "kolmas": "3", "neljäs": "4", "viides": "5",
    "kuudes": "6", "seitsemäs": "7", "kahdeksas": "8", "yhdeksäs": "9", "kymmenes": "10",
    "ykkönen": "1", "kakkonen": "2", "kolmonen": "3", "nelonen": "4", "vitonen": "5",
    "viimeinen": "last",
}
# Surface forms Voikko does not lemmatise to the ordinal.
ORDINAL_FORMS = {"ykkösestä": "1", "kakkosesta": "2", "kolmosesta": "3", "eka": "1", "ekasta": "1",
                 "tokasta": "2", "toka": "2"}
FILTER_WORDS = {
    "ilmainen": "free", "maksuton": "free", "ilmanen": "free", "ilmasia": "free", "ilmasii": "free",
    "esteetön": "accessible", "esteettömyys": "accessible", "pyörätuoli": "accessible",
    "ruotsi": "swedish", "ruotsiksi": "swedish", "svenska": "swedish",
}
FILTER_PHRASES = (
    ("auki tanaan", "open_today"), ("avoinna tanaan", "open_today"), ("auki nyt", "open_today"),
    ("talla viikolla", "this_week"), ("ruotsin kielella", "swedish"), ("pa svenska", "swedish"),
)
_NUMBER_RE = re.compile(r"(?:numero\s+|nro\s*)?\b([1-9]|10)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Request:
    kind: str  # "ordinal" | "filter"
    value: str
    start: int
    end: int


def find_requests(text: str) -> list[Request]:
    found: list[Request] = []
    folded = fold_diacritics(text)
    covered: set[int] = set()
    for phrase, value in FILTER_PHRASES:
        start = folded.find(phrase)
        if start >= 0:
            found.append(Request("filter", value, start, start + len(phrase)))
            covered.update(range(start, start + len(phrase)))
    for start, end, word in word_spans(text):
        if start in covered:
            continue
        lowered = word.lower()
        lemmas = {lowered} | {r.baseform.lower() for r in analyse(word) or analyse(lowered)}
        ordinal = ORDINAL_FORMS.get(lowered) or next((ORDINALS[x] for x in lemmas if x in ORDINALS), None)
        if ordinal:
            found.append(Request("ordinal", ordinal, start, end))
            continue
        filter_value = next((FILTER_WORDS[x] for x in lemmas if x in FILTER_WORDS), None)
        if filter_value:
            found.append(Request("filter", filter_value, start, end))
    for match in _NUMBER_RE.finditer(text):
        if not any(r.start <= match.start() < r.end for r in found):
            found.append(Request("ordinal", match.group(1), match.start(), match.end()))
    return sorted(found, key=lambda r: r.start)
