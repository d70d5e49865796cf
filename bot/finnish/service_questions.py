"""Questions about a shown service: "milloin se on auki?", "paljonko kolmas maksaa?",
"miten sinne pääsee?", "kerro lisää toisesta". Which fact is asked (hours, price, address, contact,
accessibility, languages, referral, or none for a general "kerro lisää"), whether the question points
at the shown results, and the signs that a message is something else: a question about the whole
list, a new search, a request for a referral. The words are data: bot/data/service_questions.yml.
Which result is meant ("kolmas", "vika", "nro 4") is bot/finnish/requests.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.finnish.morphology import fold_diacritics, words
from bot.finnish.requests import is_ordinal_word, readings

WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "service_questions.yml"
# in order of precedence: "pääseekö sinne pyörätuolilla" asks about accessibility, not the way there
FACTS = ("accessibility", "languages", "referral", "price", "contact", "hours", "address")
MAX_CHARS = 500
# "numero 2", "nro 4": a result's number, not a phone number
_RESULT_NUMBER_RE = re.compile(r"\b(?:numero|nro|nr)\.?\s*(?=\d)", re.IGNORECASE)
# "onko", "pääseekö", spoken "onks", "pitääks": the question clitic
_QUESTION_CLITIC_RE = re.compile(r"(?:ko|ks|kos|kse)$")


@dataclass(frozen=True)
class Word:
    """One word of a message: as written (lower case, without ä/ö) and its base forms."""

    folded: str
    forms: frozenset[str]  # the folded word and its folded base forms
    singular_noun: frozenset[str]  # folded base forms read as a singular noun, not in the partitive
    subject_noun: bool  # read only as a noun in the nominative or genitive ("sähkö", "lääkäriajan")
    counted_noun: bool  # read only as a noun in the partitive ("ihmisiä", "paikkoja")
    ordinal: bool  # names a result ("kolmosen", "vika")


@dataclass(frozen=True)
class WordList:
    words: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    phrases: tuple[str, ...]
    together: tuple[frozenset[str], ...]
    weak: frozenset[str]

    def matches_form(self, form: str) -> bool:
        return (form in self.words or any(form.startswith(p) for p in self.prefixes)
                or any(form.endswith(s) for s in self.suffixes))

    def matches(self, message: Text) -> bool:
        if any(self.matches_form(form) for form in message.forms):
            return True
        if any(f" {p} " in message.folded for p in self.phrases):
            return True
        return any(group <= message.forms for group in self.together)


@dataclass(frozen=True)
class Text:
    folded: str  # " word word " without ä/ö and punctuation, for phrases
    words: tuple[Word, ...]
    forms: frozenset[str]
    question_mark: bool


@dataclass(frozen=True)
class Question:
    """What a message says about the shown services."""

    fact: str | None  # hours, price, ... or None
    details: bool  # a general "tell me more" ("kerro lisää", "lisätietoja")
    points: bool  # a word that points at a shown service ("se", "sinne", "tuo ryhmä")
    question: bool  # phrased as a question ("?", a question word, "-ko/-kö")
    whole_list: bool  # about the whole list ("onko joku näistä ilmainen", "vain ilmaiset")
    search: bool  # a sign of a new search ("lähin", "löytyykö")
    request: bool  # asks for a referral or a call back ("tee lähete", "soittakaa minulle")
    other_subject: bool  # about the bot or the resident ("toimiiko tämä botti ruotsiksi")
    other_nouns: bool  # names something else it asks about ("mitä sähkö maksaa", "milloin vaalit ovat")
    only_fact_words: bool  # nothing but words of facts, pointers and courtesy ("osoite kiitos")


def _fold(text: str) -> str:
    return fold_diacritics(str(text).lower())


def _word_list(entry: dict[str, Any] | list[str] | None) -> WordList:
    if isinstance(entry, list):
        entry = {"words": entry}
    entry = entry or {}
    terms = [_fold(x) for x in entry.get("words") or []]
    return WordList(
        frozenset(x for x in terms if "*" not in x),
        tuple(x[:-1] for x in terms if x.endswith("*")),
        tuple(x[1:] for x in terms if x.startswith("*")),
        tuple(" ".join(_fold(x).split()) for x in entry.get("phrases") or []),
        tuple(frozenset(_fold(x) for x in group) for group in entry.get("together") or []),
        frozenset(_fold(x) for x in entry.get("weak") or []),
    )


@dataclass(frozen=True)
class Lists:
    facts: dict[str, WordList]
    references: WordList
    reference_nouns: WordList
    details: WordList
    question_words: WordList
    whole_list: WordList
    search_words: WordList
    requests: WordList
    not_the_service: WordList
    neutral: WordList


@cache
def _lists() -> Lists:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return Lists(facts={fact: _word_list(data["facts"][fact]) for fact in FACTS},
                 **{key: _word_list(data.get(key)) for key in (
                     "references", "reference_nouns", "details", "question_words", "whole_list",
                     "search_words", "requests", "not_the_service", "neutral")})


@cache
def _word(word: str) -> Word:
    folded = _fold(word)
    found = readings(word)
    forms = {folded} | {_fold(r.baseform) for r in found}
    singular = {_fold(r.baseform) for r in found
                if r.word_class.startswith("nimisana") and r.number != "plural" and r.case != "osanto"}
    noun = bool(found) and all(r.word_class == "nimisana" for r in found)
    subject = noun and any(r.case in ("nimento", "omanto") for r in found)
    counted = noun and all(r.case == "osanto" for r in found)
    return Word(folded, frozenset(forms), frozenset(singular), subject, counted, is_ordinal_word(word))


def _text(text: str) -> Text:
    text = _RESULT_NUMBER_RE.sub(" ", text[:MAX_CHARS])
    message_words = tuple(_word(w) for w in words(text))
    folded = " " + " ".join(re.sub(r"[^\w\s-]", " ", _fold(text)).split()) + " "
    forms = frozenset(f for w in message_words for f in w.forms)
    return Text(folded, message_words, forms, "?" in text)


def read_question(text: str) -> Question:
    lists, message = _lists(), _text(text)

    def is_known(word: Word, word_lists: tuple[WordList, ...]) -> bool:
        return word.ordinal or any(wl.matches_form(form) for wl in word_lists for form in word.forms)

    counts_other = any(w.counted_noun and not is_known(w, tuple(lists.facts.values())) for w in message.words)

    def asks(fact: str) -> bool:
        wanted = lists.facts[fact]
        return wanted.matches(message) or (not counts_other and bool(wanted.weak & message.forms))

    fact = next((fact for fact in FACTS if asks(fact)), None)
    question = (message.question_mark or lists.question_words.matches(message)
                or any(_QUESTION_CLITIC_RE.search(w.folded) and len(w.folded) > 3 for w in message.words))
    points = lists.references.matches(message) or any(
        lists.reference_nouns.matches_form(form) for w in message.words for form in w.singular_noun)
    known = (*lists.facts.values(), lists.references, lists.reference_nouns, lists.details, lists.question_words,
             lists.whole_list, lists.search_words, lists.neutral)
    fact_words = (*lists.facts.values(), lists.references, lists.reference_nouns, lists.neutral)
    return Question(
        fact=fact,
        details=lists.details.matches(message),
        points=points,
        question=question,
        whole_list=lists.whole_list.matches(message),
        search=lists.search_words.matches(message),
        request=lists.requests.matches(message),
        other_subject=lists.not_the_service.matches(message),
        other_nouns=any(w.subject_noun and not is_known(w, known) for w in message.words),
        only_fact_words=all(is_known(w, fact_words) for w in message.words),
    )


def asked_fact(text: str) -> str | None:
    """The fact a question asks about, or None; the first in FACTS order wins."""
    return read_question(text).fact


def points_at_shown(text: str) -> bool:
    """The question uses a word that refers to a shown service ("se", "sinne", "tuo paikka")."""
    return read_question(text).points
