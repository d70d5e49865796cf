"""Rule-based safety net: suicidal thoughts, self-harm, threats to life, medical emergencies.

It backs up the intent classifier so that no crisis message is missed because of a rare
wording. Finnish rules match lemmas (through Voikko), so "tappaa itseni", "tapan itseni" and
"tappaisin itseni" are one rule, while "tapan aikaa" or "kuolettavan tylsää" match nothing.

Other languages (Swedish, English and the languages the bot does not otherwise speak) have word
and phrase lists in ``bot/data/safety/<language>.yml``; see ``compile_pattern`` for their syntax.
``crisis_languages`` and ``emergency_languages`` tell which languages' rules matched, so that the
answer can be given in the language of the message.

The answer texts live in ``domain.yml`` (``utter_crisis``, ``utter_medical_emergency``): that is
what Rasa sends. ``CRISIS_ANSWER`` and ``EMERGENCY_ANSWER`` are their Finnish defaults, kept
equal to the domain by ``tests/finnish/test_safety.py``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

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
WIDE_GAP = 8  # words a '~~' may skip
GUARD_WINDOW = 2  # words before a match that a leading '!' guard looks at
TYPO_MIN = 6  # letters a word marked '%' must have (a typo in a shorter word makes another word)
LIST_KINDS = ("crisis", "crisis_topics", "emergency", "emergency_topics", "context")
# Han and kana are written without spaces: each character is a word of its own.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Devanagari (Hindi, Nepali): vowel signs and viramas are part of the word (the dandas are not).
_INDIC = "\u0900-\u0963\u0966-\u097f"
_TOKEN_RE = re.compile(rf"[{_CJK}]|(?:[^\W_{_CJK}]|[{_INDIC}])+")
_TERM_RE = re.compile(rf"(?:[^\W_{_CJK}]|[{_INDIC}])+|[{_CJK}]+")
_APOSTROPHE = "'’ʼ`´"
# French and Italian elision splits ("l'ambulance" -> "l ambulance"), other apostrophes are dropped
# ("don't" -> "dont", "I'm" -> "im", "вб'ю" -> "вбю").
_ELISION_RE = re.compile(rf"(?<![^\W\d_])([a-hj-z]|qu)[{_APOSTROPHE}](?=[^\W\d_])")
# Letters people type in more than one way: dotless i, Polish l, Arabic and Persian letter forms,
# Devanagari nukta and candrabindu.
_LETTERS = str.maketrans({
    "ı": "i", "ł": "l", "ø": "o", "đ": "d",
    "\u064a": "\u06cc", "\u0649": "\u06cc",  # Arabic yeh, alef maksura -> Persian yeh
    "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u0640": None,  # tatweel
    "\u093c": None,  # nukta (ज़ = ज)
    "\u0901": "\u0902",  # candrabindu -> anusvara (हूँ = हूं)
})


def _marks() -> re.Pattern[str]:
    """Accents and other combining marks, format and control characters (of the Basic Multilingual
    Plane), except Devanagari vowel signs (they are letters) and line breaks and tabs (they part
    words: "...want to die\nnobody cares")."""
    kept = [c for c in range(0x10000) if unicodedata.category(chr(c)) in ("Mn", "Cf", "Cc")
            and not 0x900 <= c <= 0x97F and not chr(c).isspace()]
    ranges: list[tuple[int, int]] = []
    for code in kept:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    spans = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{spans}{re.escape(_APOSTROPHE)}]+")


_MARKS = _marks()


def fold(text: str) -> str:
    """Case, diacritics, apostrophes and letter variants folded away: how a list entry and a
    message are compared ("Självmord" = "sjalvmord", "أريد" = "اريد", "ölmek" = "olmek")."""
    folded = _ELISION_RE.sub(r"\1 ", unicodedata.normalize("NFKC", text).casefold())
    kept = _MARKS.sub("", unicodedata.normalize("NFKD", folded))
    return unicodedata.normalize("NFC", kept).translate(_LETTERS)


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(fold(text[:MAX_CHARS]))


def _one_typo(word: str, target: str) -> bool:
    """``word`` is ``target`` with one letter left out, added or changed, or two next to each
    other swapped ("suicdal", "suiicidal", "suicudal", "suicdial" for "suicidal")."""
    if word == target:
        return True
    length, other = len(word), len(target)
    if abs(length - other) > 1:
        return False
    if length == other:
        diff = [i for i in range(length) if word[i] != target[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and word[diff[0]] == target[diff[1]] and word[diff[1]] == target[diff[0]])
    short, long_ = (word, target) if length < other else (target, word)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def _variants(word: str) -> set[str]:
    """The word and the word with any one letter left out: two words within one typo of each
    other share one of these (symmetric deletion)."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


@dataclass(frozen=True)
class Term:
    """One slot of a pattern: alternatives separated by '|'. A one-word alternative may use '*'
    for any letters or end in '%' to match with one typo too; a phrase alternative joins its
    words with '_' ("no_one|nobody")."""

    exact: frozenset[str]
    wild: re.Pattern[str] | None = None  # the wildcard alternatives as one expression
    typo: frozenset[str] = frozenset()  # the alternatives marked '%'
    typo_keys: frozenset[str] = frozenset()  # their _variants
    phrases: tuple[tuple[Term, ...], ...] = ()  # the phrase alternatives, a one-word Term a word
    prefixes: tuple[str, ...] = ()  # what every wildcard alternative begins with (none: some begin with '*')

    def matches(self, token: str) -> bool:
        """A one-word alternative is this token."""
        return (token in self.exact or (self.wild is not None and self.wild.fullmatch(token) is not None)
                or (bool(self.typo) and any(_one_typo(token, word) for word in self.typo)))

    def ends(self, words: list[str], at: int) -> list[int]:
        """Where the alternatives that begin at ``at`` end (one past their last word)."""
        found = [at + 1] if at < len(words) and self.matches(words[at]) else []
        for phrase in self.phrases:
            end = at
            for part in phrase:
                if end >= len(words) or not part.matches(words[end]):
                    break
                end += 1
            else:
                found.append(end)
        return found

    def firsts(self) -> tuple[Term, ...]:
        """The one-word Terms a match can begin with."""
        return (self, *(phrase[0] for phrase in self.phrases))


class Words:
    """A message's words and where each occurs: a pattern is tried only where its first word is."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.at: dict[str, list[int]] = {}
        for index, word in enumerate(words):
            self.at.setdefault(word, []).append(index)
        self._starts: dict[int, list[int]] = {}
        self._variants: dict[str, set[str]] | None = None
        self._sorted: list[str] | None = None

    def _beginning(self, prefixes: tuple[str, ...]) -> set[str]:
        """The message's words that begin with one of the prefixes."""
        if self._sorted is None:
            self._sorted = sorted(self.at)
        out: set[str] = set()
        for prefix in prefixes:
            for k in range(bisect_left(self._sorted, prefix), len(self._sorted)):
                if not self._sorted[k].startswith(prefix):
                    break
                out.add(self._sorted[k])
        return out

    def starts(self, term: Term) -> list[int]:
        """Positions where the term matches, in order."""
        key = id(term)
        if key not in self._starts:
            found = set(self._find(term))
            if term.phrases:
                found |= {i for first in term.firsts()[1:] for i in self._find(first) if term.ends(self.words, i)}
            self._starts[key] = sorted(found)
        return self._starts[key]

    def _find(self, term: Term) -> list[int]:
        found = [i for word in term.exact for i in self.at.get(word, ())]
        if term.wild is not None:
            wild = term.wild
            candidates = self._beginning(term.prefixes) if term.prefixes else self.at
            found += [i for word in candidates if word not in term.exact and wild.fullmatch(word)
                      for i in self.at[word]]
        if term.typo:
            near = {word for key in term.typo_keys for word in self.variants().get(key, ())}
            found += [i for word in near if word not in term.exact and not (term.wild and term.wild.fullmatch(word))
                      and any(_one_typo(word, target) for target in term.typo) for i in self.at[word]]
        return found

    def variants(self) -> dict[str, set[str]]:
        if self._variants is None:
            self._variants = {}
            for word in self.at:
                if len(word) >= TYPO_MIN - 1:
                    for variant in _variants(word):
                        self._variants.setdefault(variant, set()).add(word)
        return self._variants


@dataclass(frozen=True)
class Pattern:
    source: str
    terms: tuple[Term, ...]
    gaps: tuple[int, ...]  # words that may come before each term (0 for the first)
    before: Term | None = None  # nothing of this may end in the GUARD_WINDOW words before the match
    after: Term | None = None  # this may not begin right after the match

    def search(self, words: list[str] | Words) -> bool:
        text = words if isinstance(words, Words) else Words(words)
        where: list[list[int]] = []
        for term in self.terms:  # a word of the pattern is missing: most patterns stop here
            where.append(text.starts(term))
            if not where[-1]:
                return False
        return any(self._at(text.words, where, start) for start in where[0])

    def _at(self, words: list[str], where: list[list[int]], start: int) -> bool:
        if self.before and any(end <= start for at in range(max(0, start - GUARD_WINDOW), start)
                               for end in self.before.ends(words, at)):
            return False
        return any(self._rest(words, where, 1, end) for end in self.terms[0].ends(words, start))

    def _rest(self, words: list[str], where: list[list[int]], index: int, position: int) -> bool:
        if index == len(self.terms):
            return not (self.after and self.after.ends(words, position))
        positions = where[index]
        last = position + self.gaps[index]
        for k in range(bisect_left(positions, position), len(positions)):
            at = positions[k]
            if at > last:
                break
            if any(self._rest(words, where, index + 1, end) for end in self.terms[index].ends(words, at)):
                return True
        return False


def _word(word: str, alternative: str) -> Term:
    """One word of an alternative as a one-word Term."""
    marked = word.endswith("%")
    bare = word[:-1] if marked else word
    if not bare or not all(_TERM_RE.fullmatch(p) for p in bare.split("*") if p) or not bare.strip("*"):
        raise ValueError(f"bad word {alternative!r}")
    if marked and ("*" in bare or len(bare) < TYPO_MIN):
        raise ValueError(f"{alternative!r}: '%' needs a word of {TYPO_MIN}+ letters, no '*'")
    if "*" in bare:
        prefix = bare.split("*")[0]
        wild = re.compile(".*".join(re.escape(p) for p in bare.split("*")))
        return Term(frozenset(), wild, prefixes=(prefix,) if prefix else ())
    typo = frozenset({bare} if marked else ())
    return Term(frozenset({bare}), None, typo, frozenset(k for w in typo for k in _variants(w)))


def _term(source: str, pattern: str) -> Term:
    try:
        return _parse_term(source)
    except ValueError as error:
        raise ValueError(f"safety list pattern {pattern!r}: {error}") from error


@cache
def _parse_term(source: str) -> Term:
    """A term, shared by every pattern that has the same alternatives (so that a message's
    positions of it are found once)."""
    exact: set[str] = set()
    wild: list[re.Pattern[str]] = []
    typo: set[str] = set()
    phrases: list[tuple[Term, ...]] = []
    starts: list[str] = []  # the wildcard alternatives' beginnings
    for alternative in source.split("|"):
        parts = alternative.split("_")
        if len(parts) == 1 and "*" not in alternative and re.search(f"[{_CJK}]", alternative):
            parts = _TOKEN_RE.findall(alternative)  # "自杀" is two words
        if len(parts) > 1:
            phrases.append(tuple(_word(part, alternative) for part in parts))
            continue
        one = _word(alternative, alternative)
        exact |= one.exact
        typo |= one.typo
        if one.wild is not None:
            wild.append(one.wild)
            starts.append(one.prefixes[0] if one.prefixes else "")
    combined = re.compile("|".join(f"(?:{w.pattern})" for w in wild)) if wild else None
    prefixes = tuple(starts)
    return Term(frozenset(exact), combined, frozenset(typo), frozenset(k for w in typo for k in _variants(w)),
                tuple(phrases), prefixes if all(prefixes) else ())


def _expand(word: str, classes: Mapping[str, str], pattern: str, depth: int = 0) -> str:
    """'$name' alternatives replaced by the words of the class (``words`` in the list file)."""
    out: list[str] = []
    for alternative in word.split("|"):
        if alternative.startswith("$"):
            name = alternative[1:]
            if name not in classes or depth > 5:
                raise ValueError(f"safety list pattern {pattern!r}: unknown word class {alternative!r}")
            out.append(_expand(classes[name], classes, pattern, depth + 1))
        else:
            out.append(alternative)
    return "|".join(out)


def compile_pattern(source: str, classes: Mapping[str, str] | None = None) -> Pattern:
    """A list entry as a pattern. Words are matched in order, next to each other, after ``fold``:

    - ``kill* myself``: '*' stands for any letters ("killing", "kills");
    - ``want|wanna``: either word;
    - ``suicidal%``: the word, or the word with one typo ("suicdal", "suicidla"); 6+ letters;
    - ``$self``: any word of the class ``self`` of the file's ``words`` ("$self|me" works too);
    - ``no_one|nobody``: '_' joins the words of a phrase alternative;
    - ``thinking ~ suicide``: '~' lets up to MAX_GAP other words come between, '~~' WIDE_GAP;
    - ``!dont|not want to die``: a leading '!' term may not be among the two words before;
    - ``want to live !in|here|with_my``: a trailing '!' term may not come right after.

    Hyphens split words ("self-harm" = "self harm"); Chinese characters are words of their own.
    """
    folded_classes = {fold(k): fold(v) for k, v in (classes or {}).items()}
    raw = [_expand(w, folded_classes, source) if "$" in w else w
           for w in fold(source).replace("-", " ").replace("‐", " ").split()]
    before = after = None
    if raw and raw[0].startswith("!"):
        before, raw = _term(raw[0][1:], source), raw[1:]
    if raw and raw[-1].startswith("!"):
        after, raw = _term(raw[-1][1:], source), raw[:-1]
    terms: list[Term] = []
    gaps: list[int] = []
    gap = 0
    for word in raw:
        if word in ("~", "~~"):
            gap = MAX_GAP if word == "~" else WIDE_GAP
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


class PatternSet:
    """A list's patterns, indexed by the words their first term names exactly: a message tries
    only the patterns whose first word it has (and those starting with a '*' or '%' word)."""

    def __init__(self, patterns: tuple[Pattern, ...]) -> None:
        self.patterns = patterns
        self._by_word: dict[str, list[Pattern]] = {}
        always: list[Pattern] = []
        for pattern in patterns:
            firsts = pattern.terms[0].firsts()
            if any(first.wild is not None or first.typo for first in firsts):
                always.append(pattern)
                continue
            for word in {word for first in firsts for word in first.exact}:
                self._by_word.setdefault(word, []).append(pattern)
        self._always = tuple(always)

    def __len__(self) -> int:
        return len(self.patterns)

    def __iter__(self) -> Iterator[Pattern]:
        return iter(self.patterns)

    def search(self, words: Words) -> bool:
        tried: set[int] = set()
        for word in words.at:
            for pattern in self._by_word.get(word, ()):
                if id(pattern) not in tried:
                    tried.add(id(pattern))
                    if pattern.search(words):
                        return True
        return any(pattern.search(words) for pattern in self._always if id(pattern) not in tried)


@dataclass(frozen=True)
class LanguageList:
    language: str
    crisis: PatternSet
    crisis_topics: PatternSet
    emergency: PatternSet
    emergency_topics: PatternSet
    context: PatternSet


def _load(path: Path) -> LanguageList:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if data.get("language") != path.stem:
        raise ValueError(f"{path}: 'language' must be {path.stem!r}, the file's name")
    unknown = set(data) - {"language", "name", "words", *LIST_KINDS}
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
    classes = {str(k): str(v) for k, v in (data.get("words") or {}).items()}
    if any(" " in v.strip() or "~" in v or "!" in v for v in classes.values()):
        raise ValueError(f"{path}: a word class is one word's alternatives ('a|b|c')")
    try:
        lists = {kind: PatternSet(tuple(compile_pattern(str(p), classes) for p in data.get(kind) or ()))
                 for kind in LIST_KINDS}
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from error
    return LanguageList(path.stem, **lists)


@lru_cache(maxsize=1)
def language_lists() -> tuple[LanguageList, ...]:
    return tuple(_load(path) for path in sorted(SAFETY_LISTS.glob("*.yml")))


@lru_cache(maxsize=16)
def _message_words(text: str) -> Words:
    """The message's words, kept for the emergency check after the crisis check (and for the
    language tag): a Words also keeps where each term was found."""
    return Words(tokens(text))


def _any(patterns: PatternSet, words: Words) -> bool:
    return patterns.search(words)


def _list_matches(text: str, kind: str) -> tuple[str, ...]:
    """Languages whose lists of ``kind`` ("crisis" or "emergency") match the text. A topic word
    ("suicide", "heart attack") counts only where no context word ("prevention", "course") of any
    language is present: the lists apply to every message, whatever its language. Topic words are
    often shared by languages ("suicide" is English and French), so the languages of topic matches
    are named only when no list matched in full: "je pense au suicide" is French, not English."""
    words = _message_words(text[:MAX_CHARS])
    if not words.words:
        return ()
    lists = language_lists()
    found = [lst.language for lst in lists if _any(getattr(lst, kind), words)]
    if found:
        return tuple(found)
    topical = [lst.language for lst in lists if _any(getattr(lst, f"{kind}_topics"), words)]
    if topical and not any(_any(lst.context, words) for lst in lists):
        return tuple(topical)
    return ()


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
