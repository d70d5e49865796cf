"""Rule-based safety net: suicidal thoughts, self-harm, threats to life, medical emergencies.

It backs up the intent classifier so that no crisis message is missed because of a rare
wording. Rules match lemmas (through Voikko), so "tappaa itseni", "tapan itseni" and "tappaisin
itseni" are one rule, while "tapan aikaa" or "kuolettavan tylsää" match nothing.
"""

from __future__ import annotations

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


def is_crisis(text: str) -> bool:
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


def is_medical_emergency(text: str) -> bool:
    if _has_phrase(text, EMERGENCY_PHRASES):
        return True
    lemmas = _lemmas(text, compound_parts=False)  # "elvytyskurssi" is a course, not an emergency
    return any(_rule_matches(rule, lemmas) for rule in EMERGENCY_RULES)
