"""Rule-based safety net: suicidal thoughts, self-harm, threats to life, medical emergencies.

It backs up the intent classifier so that no crisis message is missed because of a rare
wording. Finnish rules match lemmas (through Voikko), so "tappaa itseni", "tapan itseni" and
"tappaisin itseni" are one rule, while "tapan aikaa" or "kuolettavan tylsää" match nothing.

Other languages (Swedish, English and the languages the bot does not otherwise speak) have word
and phrase lists in ``bot/data/safety/<language>.yml``; see ``_compile`` for their pattern syntax.
``crisis_languages`` and ``emergency_languages`` tell which languages' rules matched, so that the
answer can be given in the language of the message.

The answer texts live in ``domain.yml`` (``utter_crisis``, ``utter_medical_emergency``): that is
what Rasa sends. ``CRISIS_ANSWER`` and ``EMERGENCY_ANSWER`` are their Finnish defaults, kept
equal to the domain by ``tests/finnish/test_safety.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from bot.finnish.morphology import analyse, fold_diacritics, words

CRISIS_ANSWER = (
    "Olen huolissani sinusta. Jos olet välittömässä vaarassa, soita hätänumeroon 112. "
    "Voit puhua heti myös MIELI ry:n Kriisipuhelimeen numerossa 09 2525 0111 – "
    "siellä kuunnellaan ympäri vuorokauden. Et ole yksin."
)
EMERGENCY_ANSWER = (
    "Jos kyse on hätätilanteesta, soita heti hätänumeroon 112. "
    "Jos tilanne ei ole kiireellinen, saat neuvoa päivystysavusta numerosta 116117."
)

# Each rule is a set of lemmas that must all occur (any order). A lemma ending in '*' matches
# every lemma that begins with it.
CRISIS_RULES: tuple[frozenset[str], ...] = tuple(frozenset(r.split()) for r in (
    "tappaa itse", "tappaa minä", "tappaa mä",
    "surmata itse", "lopettaa elämä", "päättää elämä", "riistää henki",
    "halua elää", "jaksaa elää", "haluta kuolla", "halua kuolla", "kuolla pois",
    "viiltää", "viillellä", "viillel*", "viiltel*", "satuttaa itse", "vahingoittaa itse", "hirttä*",
    "hypätä sillalta", "hypätä junan", "pilleri* ottaa kaikki", "kerätä pilleri*", "kerätä lääke*",
    "yliannostus", "elämä loppu",
    "ei mitään syy elää", "parempi ilman minä", "parempi kuollut", "tappaa hän", "tappaa sinä",
    "tappaa vaimo", "tappaa mies", "tappaa lapsi", "tappaa joku", "uhata tappaa", "hengenvaara",
    "tappaa äiti", "tappaa isä", "tappaa vauva", "tappaa poika", "tappaa tytär", "tappaa naapuri",
    "hengen vaara", "aikoa tappaa", "elämä ei ole merkitys", "haluta pois elämä",
    "mieli tehdä kuolla", "toivoa kuolla", "kuolema houkutella",
))
CRISIS_PHRASES: tuple[str, ...] = (
    "en halua elaa", "en jaksa elaa", "haluan kuolla", "haluisin kuolla", "haluaisin kuolla",
    "tapan itteni", "tapan itseni", "tapan mut", "vedan ranteet auki", "ranteet auki",
    "en halua enaa herata", "ei oo mitaan syyta elaa", "kaikki olis parempi ilman mua",
    "lopetan taman kaiken", "lopetan tan kaiken", "teen itsareen", "itsari", "itsarin",
    "haluun kuolla", "mie haluan kuolla", "en haluu elaa", "en haluu enaa elaa", "en haluu herata",
    "en haluu enaa herata", "paattaa paivani", "paatan paivani", "paattaa paivansa", "paatti paivansa",
    "paattaisin paivani", "paattamaan paivani",
)
# Topic words: a crisis when someone speaks of themselves, not in "itsemurhien ehkäisyn koulutus"
# or "vertaistukea itsemurhan tehneiden omaisille".
CRISIS_TOPICS: tuple[str, ...] = ("itsemurha*", "itsetuho*", "suisidaali*")
TOPIC_CONTEXT = frozenset({"ehkäisy", "ehkäistä", "koulutus", "omainen", "läheinen", "menettää", "tilasto",
                           "luento", "kurssi", "tutkimus", "suru", "sururyhmä"})
FIRST_PERSON = frozenset({"minä", "mä", "mää", "mie", "mun", "mulla", "minulla", "minua", "mua", "itseäni",
                          "itteni", "haluan", "aion", "mietin", "ajattelen", "ajattelin", "suunnittelen",
                          "suunnittelin", "olen", "oon", "en", "teen", "harkitsen", "mietityttää"})
EMERGENCY_RULES: tuple[frozenset[str], ...] = tuple(frozenset(r.split()) for r in (
    "rintakipu", "sydänkohtaus", "aivoinfarkti", "aivohalvaus", "halvaus", "tajuton",
    "elvyttää", "elvytys", "hengittää ei", "myrkytys", "myrkyttää", "verenvuoto",
    "vuotaa veri", "anafylaksia", "kouristella", "kouristus", "tukehtua", "hukkua",
    "kaatua lyödä pää", "puhua sekavasti", "ambulanssi", "ensiapu tarvita",
))
EMERGENCY_PHRASES: tuple[str, ...] = (
    "ei hengita", "ei saa henkea", "rintaan sattuu", "puristaa rinnassa", "menetti tajunsa",
    "meni tajuttomaksi", "kasvot roikkuu", "soita ambulanssi", "kova rintakipu",
)
MAX_CHARS = 4000


def _lemmas(text: str, compound_parts: bool = True) -> set[str]:
    out: set[str] = set()
    for word in words(text[:MAX_CHARS]):
        lowered = word.lower()
        out.add(lowered)
        out.add(fold_diacritics(lowered))
        for reading in analyse(word) or analyse(lowered):
            out.add(reading.baseform.lower())
            if compound_parts:
                out.update(reading.parts)
    # "en halua" / "ei halua": the negation verb 'ei' lemma is "ei"; keep "halua" surface too
    return out


def _rule_matches(rule: frozenset[str], lemmas: set[str]) -> bool:
    for term in rule:
        if term.endswith("*"):
            if not any(lemma.startswith(term[:-1]) for lemma in lemmas):
                return False
        elif term not in lemmas:
            return False
    return True


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    folded = " ".join(fold_diacritics(text[:MAX_CHARS]).split())
    return any(p in folded for p in phrases)


def _finnish_crisis(text: str) -> bool:
    lemmas = _lemmas(text)
    if _has_phrase(text, CRISIS_PHRASES):
        return True
    if any(_rule_matches(rule, lemmas) for rule in CRISIS_RULES if _needs_negation_ok(rule, text)):
        return True
    if any(_rule_matches(frozenset({topic}), lemmas) for topic in CRISIS_TOPICS):
        surface = {fold_diacritics(w.lower()) for w in words(text[:MAX_CHARS])}
        speaks_of_self = bool(surface & {fold_diacritics(w) for w in FIRST_PERSON})
        return speaks_of_self or not (lemmas & TOPIC_CONTEXT)
    return False


def _needs_negation_ok(rule: frozenset[str], text: str) -> bool:
    """Rules built on 'halua/jaksaa elää' count only when negated ("en halua elää")."""
    if rule & {"halua", "jaksaa"} and "elää" in rule:
        folded = fold_diacritics(text.lower())
        return any(neg in folded.split() for neg in ("en", "ei", "enka", "eika", "emme"))
    return True


def _finnish_emergency(text: str) -> bool:
    if _has_phrase(text, EMERGENCY_PHRASES):
        return True
    lemmas = _lemmas(text, compound_parts=False)  # "elvytyskurssi" is a course, not an emergency
    return any(_rule_matches(rule, lemmas) for rule in EMERGENCY_RULES)


# --- Other languages: word and phrase lists in bot/data/safety/<language>.yml -------------------

SAFETY_LISTS = Path(__file__).resolve().parent / "data" / "safety"
FINNISH = "fi"
MAX_GAP = 3  # words a '~' in a pattern may skip
GUARD_WINDOW = 2  # words before a match that a leading '!' guard looks at
LIST_KINDS = ("crisis", "crisis_topics", "emergency", "emergency_topics", "context")
# Han and kana are written without spaces: each character is a word of its own.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_TERM_RE = re.compile(rf"[^\W_{_CJK}]+|[{_CJK}]+")
_APOSTROPHE = "'’ʼ`´"
# French and Italian elision splits ("l'ambulance" -> "l ambulance"), other apostrophes are dropped
# ("don't" -> "dont", "I'm" -> "im", "вб'ю" -> "вбю").
_ELISION_RE = re.compile(rf"(?<![^\W\d_])([a-hj-z]|qu)[{_APOSTROPHE}](?=[^\W\d_])")
# Letters people type in more than one way: dotless i, Polish l, Arabic and Persian letter forms.
_LETTERS = str.maketrans({
    "ı": "i", "ł": "l", "ø": "o", "đ": "d",
    "\u064a": "\u06cc", "\u0649": "\u06cc",  # Arabic yeh, alef maksura -> Persian yeh
    "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u0640": None,  # tatweel
})


def fold(text: str) -> str:
    """Case, diacritics, apostrophes and letter variants folded away: how a list entry and a
    message are compared ("Självmord" = "sjalvmord", "أريد" = "اريد", "ölmek" = "olmek")."""
    folded = _ELISION_RE.sub(r"\1 ", unicodedata.normalize("NFKC", text).casefold())
    kept = "".join(ch for ch in unicodedata.normalize("NFKD", folded)
                   if ch not in _APOSTROPHE and unicodedata.category(ch) not in ("Mn", "Cf", "Cc"))
    return unicodedata.normalize("NFC", kept).translate(_LETTERS)


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(fold(text[:MAX_CHARS]))


@dataclass(frozen=True)
class Term:
    """One word of a pattern: alternatives separated by '|', each may use '*' for any letters."""

    exact: frozenset[str]
    wild: tuple[re.Pattern[str], ...]

    def matches(self, token: str) -> bool:
        return token in self.exact or any(w.fullmatch(token) for w in self.wild)


class Words:
    """A message's words and where each occurs: a pattern is tried only where its first word is."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.at: dict[str, list[int]] = {}
        for index, word in enumerate(words):
            self.at.setdefault(word, []).append(index)

    def starts(self, term: Term) -> list[int]:
        found = [i for word in term.exact for i in self.at.get(word, ())]
        if term.wild:
            found += [i for word, where in self.at.items() if any(w.fullmatch(word) for w in term.wild)
                      for i in where]
        return found


@dataclass(frozen=True)
class Pattern:
    source: str
    terms: tuple[Term, ...]
    gaps: tuple[int, ...]  # words that may come before each term (0 for the first)
    before: Term | None = None  # none of the GUARD_WINDOW words before the match may be this
    after: Term | None = None  # the word right after the match may not be this

    def search(self, words: list[str] | Words) -> bool:
        text = words if isinstance(words, Words) else Words(words)
        return any(self._at(text.words, start) for start in text.starts(self.terms[0]))

    def _at(self, words: list[str], start: int) -> bool:
        if self.before and any(self.before.matches(w) for w in words[max(0, start - GUARD_WINDOW):start]):
            return False
        return self._rest(words, 1, start + 1)

    def _rest(self, words: list[str], index: int, position: int) -> bool:
        if index == len(self.terms):
            return not (self.after and position < len(words) and self.after.matches(words[position]))
        for at in range(position, min(len(words), position + self.gaps[index] + 1)):
            if self.terms[index].matches(words[at]) and self._rest(words, index + 1, at + 1):
                return True
        return False


def _term(source: str, pattern: str) -> Term:
    exact: set[str] = set()
    wild: list[re.Pattern[str]] = []
    for alternative in source.split("|"):
        if not alternative or not all(_TERM_RE.fullmatch(p) for p in alternative.split("*") if p):
            raise ValueError(f"safety list pattern {pattern!r}: bad word {alternative!r}")
        if "*" in alternative:
            wild.append(re.compile(".*".join(re.escape(p) for p in alternative.split("*"))))
        else:
            exact.add(alternative)
    return Term(frozenset(exact), tuple(wild))


def compile_pattern(source: str) -> Pattern:
    """A list entry as a pattern. Words are matched in order, next to each other, after ``fold``:

    - ``kill* myself``: '*' stands for any letters ("killing", "kills");
    - ``want|wanna``: either word;
    - ``thinking ~ suicide``: '~' lets up to MAX_GAP other words come between;
    - ``!dont|not want to die``: a leading '!' word may not be among the two words before;
    - ``want to live !in|here``: a trailing '!' word may not come right after.

    Hyphens split words ("self-harm" = "self harm"); Chinese characters are words of their own.
    """
    raw = fold(source).replace("-", " ").replace("‐", " ").split()
    before = after = None
    if raw and raw[0].startswith("!"):
        before, raw = _term(raw[0][1:], source), raw[1:]
    if raw and raw[-1].startswith("!"):
        after, raw = _term(raw[-1][1:], source), raw[:-1]
    terms: list[Term] = []
    gaps: list[int] = []
    gap = 0
    for word in raw:
        if word == "~":
            gap = MAX_GAP
            continue
        if "|" not in word and "*" not in word and re.search(f"[{_CJK}]", word):
            parts = _TOKEN_RE.findall(word)  # "自杀" is two words
        else:
            parts = [word]
        for part in parts:
            terms.append(_term(part, source))
            gaps.append(gap if terms[1:] else 0)
            gap = 0
    if not terms or gap:
        raise ValueError(f"safety list pattern {source!r} has no words, or ends in '~'")
    return Pattern(source, tuple(terms), tuple(gaps), before, after)


@dataclass(frozen=True)
class LanguageList:
    language: str
    crisis: tuple[Pattern, ...]
    crisis_topics: tuple[Pattern, ...]
    emergency: tuple[Pattern, ...]
    emergency_topics: tuple[Pattern, ...]
    context: tuple[Pattern, ...]


def _load(path: Path) -> LanguageList:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if data.get("language") != path.stem:
        raise ValueError(f"{path}: 'language' must be {path.stem!r}, the file's name")
    unknown = set(data) - {"language", "name", *LIST_KINDS}
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
    lists = {kind: tuple(compile_pattern(str(p)) for p in data.get(kind) or ()) for kind in LIST_KINDS}
    return LanguageList(path.stem, **lists)


@lru_cache(maxsize=1)
def language_lists() -> tuple[LanguageList, ...]:
    return tuple(_load(path) for path in sorted(SAFETY_LISTS.glob("*.yml")))


def _any(patterns: tuple[Pattern, ...], words: Words) -> bool:
    return any(p.search(words) for p in patterns)


def _list_matches(text: str, kind: str) -> tuple[str, ...]:
    """Languages whose lists of ``kind`` ("crisis" or "emergency") match the text. A topic word
    ("suicide", "heart attack") counts only where no context word ("prevention", "course") of any
    language is present: the lists apply to every message, whatever its language."""
    found_words = tokens(text)
    if not found_words:
        return ()
    words = Words(found_words)
    lists = language_lists()
    found = [lst.language for lst in lists if _any(getattr(lst, kind), words)]
    topical = [lst.language for lst in lists
               if lst.language not in found and _any(getattr(lst, f"{kind}_topics"), words)]
    if topical and not any(_any(lst.context, words) for lst in lists):
        found += topical
    return tuple(found)


def crisis_languages(text: str) -> tuple[str, ...]:
    """The languages whose crisis rules match ("fi" for the Finnish lemma rules), Finnish first."""
    others = _list_matches(text, "crisis")
    return (FINNISH, *others) if _finnish_crisis(text) else others


def emergency_languages(text: str) -> tuple[str, ...]:
    others = _list_matches(text, "emergency")
    return (FINNISH, *others) if _finnish_emergency(text) else others


def is_crisis(text: str) -> bool:
    return _finnish_crisis(text) or bool(_list_matches(text, "crisis"))


def is_medical_emergency(text: str) -> bool:
    return _finnish_emergency(text) or bool(_list_matches(text, "emergency"))
