"""The words of a message that say what is wanted: "Haluan tietää palveluista" says nothing
specific, "xyzzy-kurssia" or "kuorolaulua" does. Used to decide whether free text is worth a
search or the question is too broad."""

from __future__ import annotations

from bot.finnish.morphology import analyse, fold_diacritics, word_spans

FILLER_LEMMAS = frozenset({
    "haluta", "tietää", "palvelu", "etsiä", "etsin", "löytyä", "olla", "tarvita", "apu", "saada", "voida",
    "kertoa", "tieto", "info", "kysyä", "päästä", "alue", "kunta", "lähellä", "lähi", "tarjonta", "vaihtoehto",
    "juttu", "asia", "hakea", "näyttää", "kiva", "hyvä", "mukava", "sopiva", "jokin", "kaikki", "muu",
    "ihminen", "minä", "sinä", "hän", "me", "te", "he", "löytää", "tarjota", "järjestää", "ehdottaa",
    "hei", "moi", "kiitos", "kiittää", "ehkä", "kyllä", "jos", "mahdollinen", "mahdollisuus", "kiinnostaa",
    "haku", "ohje", "auttaa", "neuvoa", "suositella", "suositus", "lista", "luettelo", "tarjolla",
    "asua",  # "asun Turussa" says where, not what
})
FILLER_SURFACE = frozenset({"onks", "onko", "mis", "missa", "mista", "vois", "voisko", "tarviin", "haluun",
                            "mita", "jotain", "jotakin", "mulle", "meille", "niinku", "siis", "vaan"})
FUNCTION_CLASSES = frozenset({"asemosana", "sidesana", "seikkasana", "suhdesana", "huudahdussana",
                              "lukusana", "kieltosana"})


def is_filler(word: str) -> bool:
    """A word that says nothing of what is wanted ("haluaisin", "apua", "onks")."""
    lowered = word.lower()
    if fold_diacritics(lowered) in FILLER_SURFACE:
        return True
    readings = analyse(word) or analyse(lowered)
    return bool(readings) and all(r.baseform.lower() in FILLER_LEMMAS or r.word_class in FUNCTION_CLASSES
                                  for r in readings)


def content_words(text: str) -> str:
    """The text with filler and function words left out ('' when nothing specific is left)."""
    kept: list[str] = []
    for _start, _end, word in word_spans(text):
        lowered = word.lower()
        if fold_diacritics(lowered) in FILLER_SURFACE or len(word) < 2:
            continue
        readings = analyse(word) or analyse(lowered)
        if readings and all(r.baseform.lower() in FILLER_LEMMAS or r.word_class in FUNCTION_CLASSES
                            for r in readings):
            continue
        kept.append(word)
    return " ".join(kept)


PERSON_NAME_CLASSES = frozenset({"etunimi", "sukunimi"})


def search_terms(text: str) -> str:
    """What may be kept of a message as search words (slots, search requests): its content words
    without anything that could be personal data: no word with a digit or '@' (phone numbers,
    addresses, identity codes) and no first or last name."""
    from bot.personal.masking import MASK, mask_text

    kept: list[str] = []
    for word in content_words(mask_text(text).replace(MASK, " ")).split():
        if any(ch.isdigit() for ch in word) or "@" in word or "(at)" in word.lower():
            continue
        readings = analyse(word)
        if readings and all(r.word_class in PERSON_NAME_CLASSES for r in readings):
            continue
        kept.append(word)
    return " ".join(kept)


def is_gibberish(text: str) -> bool:
    """No word of the message is Finnish (or Swedish place) that Voikko or the place list knows."""
    from bot.finnish.places import find_places

    spans = word_spans(text[:500])
    if not spans or find_places(text[:500]):
        return False
    return all(not (analyse(word) or analyse(word.lower())) and fold_diacritics(word.lower()) not in FILLER_SURFACE
               for _start, _end, word in spans)
