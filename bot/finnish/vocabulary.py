"""Theme and target-group vocabulary: Finnish words, through their lemmas, to the contract's ids.

One vocabulary serves two places: the bot's entity extractor (what the resident asks for) and the
catalog's theme mapping (what a service offers). Entries are base forms; a word matches when its
lemma equals an entry, begins or ends with it at least four letters long, or one of its compound
parts equals it ("kuntosaliohjausta" -> kuntosaliohjaus -> liikunta). The longest entry wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from bot.finnish.morphology import analyse, corrections, fold_diacritics, word_spans

THEME_LABELS: dict[str, str] = {
    "liikunta": "Liikunta",
    "luonto": "Luonto ja ulkoilu",
    "kulttuuri": "Kulttuuri ja luovuus",
    "ravitsemus": "Ravitsemus",
    "elintavat": "Elintavat ja terveystaidot",
    "osallisuus": "Osallisuus ja vertaistuki",
    "mielen_hyvinvointi": "Mielen hyvinvointi",
    "paihteet": "Päihteet ja riippuvuudet",
    "neuvonta": "Sosiaali- ja terveysneuvonta",
    "toimeentulo": "Toimeentulo, työ ja arjen tuki",
    "digituki": "Digituki",
}

TARGET_GROUP_LABELS: dict[str, str] = {
    "ikaantyneet": "ikääntyneet",
    "lapset_perheet": "lapset ja lapsiperheet",
    "nuoret": "nuoret",
    "pitkaaikaissairaat": "pitkäaikaissairaat",
    "vammaiset": "vammaiset",
    "tyoikaiset": "työikäiset",
    "tyottomat": "työttömät",
    "maahanmuuttajat": "maahanmuuttajat",
    "omaishoitajat": "omaishoitajat",
}

THEME_WORDS: dict[str, tuple[str, ...]] = {
    "liikunta": (
        "liikunta", "liikkua", "liikkuminen", "urheilu", "urheilla", "kuntosali", "sali", "salivuoro", "jumppa",
        "jumpata", "voimistelu", "uinti", "uida", "uimahalli", "vesijumppa", "lenkki", "lenkkeily",
        "lenkkeillä", "kävely", "kävellä", "sauvakävely", "juoksu", "juosta", "pyöräily",
        "jooga", "pilates", "kuntoilu", "kuntoilla", "tuolijumppa", "palloilu", "hiihto",
        "luistelu", "senioriliikunta", "kuntosaliohjaus", "tanssi", "tanssia", "salibandy",
        "frisbeegolf", "keilailu", "kuntopiiri", "venyttely", "treeni", "treenata",
        "liikuntaneuvonta", "liikuntaryhmä", "kehonhuolto", "vesiliikunta", "kuntouttaa",
        "hiihtää", "latu", "keilata", "luistella", "pelata sählyä",
    ),
    "luonto": (
        "luonto", "ulkoilu", "ulkoilla", "retkeily", "retkeillä", "retki", "luontopolku",
        "metsä", "kansallispuisto", "laavu", "kalastus", "kalastaa", "onkia", "veneily",
        "marjastus", "sienestys", "ulkoilureitti", "melonta", "meloa", "lintuharrastus",
        "puisto", "ulkoilualue", "retkeilyreitti", "luontoretki", "luontoliikunta", "erä",
        "vaellus", "vaeltaa", "ulkoilmaelämä", "puutarha", "puutarhanhoito", "viherpiiperrys",
        "sienestää", "marjastaa",
    ),
    "kulttuuri": (
        "kulttuuri", "kirjasto", "museo", "taide", "teatteri", "konsertti", "musiikki", "kuoro",
        "laulaa", "laulu", "kuvataide", "käsityö", "lukupiiri", "elokuva", "näyttely",
        "taidekasvatus", "kansalaisopisto", "työväenopisto", "valokuvaus", "kirjoittaminen",
        "maalaus", "maalata", "soitto", "soitin", "soittotunti", "runo", "lukeminen", "lukea", "kirja",
        "kulttuuripalvelu", "taidepaja", "askartelu", "bändi", "draama", "luovuus",
        "kulttuurihyvinvointi", "kulttuurikaveri", "kulttuuriluotsi",
    ),
    "ravitsemus": (
        "ravitsemus", "ruoka", "ruokavalio", "syöminen", "syödä", "ravinto", "ruoanlaitto",
        "ruuanlaitto", "kokkaus", "kokata", "ravitsemusterapia", "ravitsemusterapeutti",
        "ravitsemusneuvonta", "ateria", "ruokailu", "ruokakurssi", "kokkikerho", "kokkikurssi",
        "ruokailutottumus", "terveellinen ruoka", "ruokaympyrä", "kasvisruoka",
    ),
    "elintavat": (
        "elintapa", "elintapaohjaus", "elämäntapa", "ensiapukurssi", "uni", "unettomuus", "nukkuminen", "nukkua",
        "uniongelma", "painonhallinta", "paino", "laihdutus", "laihduttaa", "ylipaino",
        "tupakka", "tupakointi", "tupakoida", "nikotiini", "nuuska", "vieroitus",
        "tupakkavieroitus", "terveystaito", "verenpaine", "terveystarkastus", "elintapamuutos",
        "terveyskioski", "painonpudotus", "sokeri", "elintapaneuvonta", "sähkötupakka",
    ),
    "osallisuus": (
        "vertaistuki", "vertaisryhmä", "vertaistukiryhmä", "vapaaehtoinen", "vapaaehtoistoiminta",
        "vapaaehtoistyö", "yhdistys", "järjestö", "kohtaamispaikka", "olohuone", "yksinäisyys",
        "yksinäinen", "juttuseura", "seura", "ystävä", "ystävätoiminta", "kerho", "osallisuus",
        "yhteisö", "yhteisöllisyys", "porukka", "kaveri", "kerhotoiminta", "nuorisotalo",
        "nuorisotyö", "vaikuttaminen", "asukastupa", "kylätalo", "seurakunta", "kahvila",
        "tapaamispaikka", "vertainen", "ystäväpalvelu", "kaverisuhde", "kohtaaminen",
        "lähiöasema", "asukastalo", "vanhusneuvosto", "nuorisovaltuusto", "seurustella",
        "harrastus", "harrastaa", "harrastustoiminta", "juttukaveri",
    ),
    "mielen_hyvinvointi": (
        "mielenterveys", "masennus", "masentaa", "masentunut", "ahdistus", "ahdistaa",
        "stressi", "mieliala", "keskusteluapu", "terapia", "kriisiapu", "jaksaminen",
        "uupumus", "uupunut", "burnout", "kriisi", "suru", "paniikki", "psyykkinen",
        "mielenterveystyö", "mielenterveyspalvelu", "kriisityö", "psykologi",
        "mielenterveyshäiriö", "mielialahäiriö", "tunne", "murhe", "keskustella", "huoli",
        "hyvinvointi mieli", "mielenterveysseura", "pelko", "itsetunto",
    ),
    "paihteet": (
        "päihde", "päihdetyö", "alkoholi", "huume", "riippuvuus", "peliriippuvuus", "rahapeli",
        "pelaaminen", "rahapelata", "rahapelaaminen", "juominen", "juoda", "viina", "kannabis", "addiktio",
        "raitistuminen",
        "a-klinikka", "humala", "krapula", "päihdepalvelu", "pelihaitta", "juopottelu",
        "huumausaine", "lääkeriippuvuus", "alkoholiongelma", "nettiriippuvuus", "ryyppy",
    ),
    "neuvonta": (
        "neuvonta", "palveluohjaus", "sosiaaliohjaus", "terveysneuvonta", "sosiaalineuvonta",
        "sosiaalityö", "terveyskeskus", "terveydenhoitaja", "hyvinvointikeskus", "sosiaalipalvelu",
        "sosiaalihuolto", "neuvola", "neuvoa", "ohjaus", "palveluneuvonta", "asiakasohjaus",
        "sairaanhoitaja", "hoitaja", "terveysasema", "sosiaalityöntekijä", "neuvontapiste",
        "seniorineuvonta", "perheneuvola", "neuvontapalvelu",
    ),
    "toimeentulo": (
        "toimeentulo", "toimeentulotuki", "raha", "talous", "velka", "velkaneuvonta",
        "talousneuvonta", "työ", "työnhaku", "työttömyys", "työllisyys", "ruoka-apu",
        "ruokajakelu", "ruokakassi", "asuminen", "lasku", "vuokra", "köyhyys", "työkyky",
        "työtoiminta", "kuntouttava työtoiminta", "työpaja", "arki", "arjen tuki", "kela",
        "etuus", "asumisneuvonta", "työllistyminen", "työkokeilu", "rahahuoli",
        "velkajärjestely", "budjetti", "talousosaaminen", "kotitalous", "työnhakija",
    ),
    "digituki": (
        "digituki", "digi", "tietokone", "kännykkä", "älypuhelin", "tabletti", "tietotekniikka",
        "netti", "internet", "verkkoasiointi", "sähköposti", "pankkitunnus", "tunnistautuminen",
        "laite", "sovellus", "digitaito", "digiopastus", "digiapu", "nettipankki", "verkkopankki",
        "atk", "kännykkäopastus", "digineuvonta", "tietokoneopastus", "some", "tietoturva",
        "videopuhelu", "digitaalinen",
    ),
}

TARGET_GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "ikaantyneet": (
        "ikääntynyt", "ikäihminen", "vanhus", "seniori", "eläkeläinen", "mummo", "mummi",
        "vaari", "pappa", "isoäiti", "isoisä", "ukki", "iäkäs", "ikääntyvä", "vanhuus",
        "eläkeikäinen", "ikääntyminen", "senioriikäinen", "vanhempi ihminen", "isovanhempi",
        "ikä-ihminen", "ikäihmiset",
    ),
    "lapset_perheet": (
        "lapsi", "perhe", "lapsiperhe", "vauva", "taapero", "koululainen",
        "alakoululainen", "vanhemmuus", "perhekahvila", "perhekerho", "leikki", "lapsuus",
        "esikoululainen", "kersa", "muksu", "äiti-vauva", "vauvaperhe", "yksinhuoltaja",
    ),
    "nuoret": (
        "nuori", "nuoriso", "teini", "teini-ikäinen", "opiskelija", "yläkoulu", "yläkoululainen",
        "nuorisotalo", "nuorisotyö", "toisen asteen", "lukiolainen", "ammattikoululainen",
        "nuoruus", "alaikäinen",
    ),
    "pitkaaikaissairaat": (
        "pitkäaikaissairas", "pitkäaikaissairaus", "sairaus", "diabeetikko", "diabetes",
        "reuma", "sydänsairaus", "syöpä", "astma", "muistisairaus", "muistisairas", "krooninen",
        "kuntoutuja", "sydänpotilas", "potilas", "parkinson", "ms-tauti", "sairastunut",
    ),
    "vammaiset": (
        "vammainen", "vamma", "kehitysvamma", "kehitysvammainen",
        "liikuntarajoitteinen", "näkövammainen", "kuulovammainen", "erityistarve",
        "liikuntavamma", "aistivamma", "toimintarajoite", "apuväline",
    ),
    "tyoikaiset": (
        "työikäinen", "aikuinen", "työssäkäyvä", "keski-ikäinen",
    ),
    "tyottomat": (
        "työtön", "työttömyys", "lomautettu", "lomautus", "työnhakija", "työttömäksi",
    ),
    "maahanmuuttajat": (
        "maahanmuuttaja", "maahanmuutto", "pakolainen", "kotoutuminen", "ulkomaalainen",
        "turvapaikanhakija", "kotouttaminen", "maahanmuuttajanainen", "monikulttuurinen",
    ),
    "omaishoitajat": (
        "omaishoitaja", "omaishoito", "omainen", "omaishoitoperhe",
    ),
}

# Spoken and colloquial forms Voikko does not know, mapped to standard base forms.
COLLOQUIAL: dict[str, str] = {
    "mummu": "mummo", "mummot": "mummo", "mummoille": "mummo", "mummoja": "mummo",
    "teinit": "teini", "teineille": "teini", "tenavat": "lapsi", "skidit": "lapsi",
    "mukulat": "lapsi", "lapsille": "lapsi", "jumppaa": "jumppa", "salille": "kuntosali",
    "salil": "kuntosali", "salilla": "kuntosali", "ilmasia": "ilmainen", "ilmasii": "ilmainen",
    "ilmanen": "ilmainen", "kännyy": "kännykkä", "kännyn": "kännykkä", "kone": "tietokone",
    "koneen": "tietokone", "eläkkeellä": "eläkeläinen", "lenkkiporukka": "lenkki",
    "juttuseuraa": "juttuseura", "kaveria": "kaveri", "kavereita": "kaveri",
}

# Multi-word expressions: (lowercase phrase, kind, id). Matched on folded text.
PHRASES: tuple[tuple[str, str, str], ...] = (
    ("en saa unta", "theme", "elintavat"),
    # "mieli" and "puhelin" alone are everyday words ("mielelläni", "puhelinnumero"); these are the theme
    ("mielen hyvinvointi", "theme", "mielen_hyvinvointi"),
    ("mielen hyvinvoinnin", "theme", "mielen_hyvinvointi"),
    ("mieli maassa", "theme", "mielen_hyvinvointi"),
    ("mieli on maassa", "theme", "mielen_hyvinvointi"),
    ("mielen terveys", "theme", "mielen_hyvinvointi"),
    ("puhelimen käyttö", "theme", "digituki"),
    ("puhelimen käytössä", "theme", "digituki"),
    ("puhelimen käyttöön", "theme", "digituki"),
    ("soittamaan kitaraa", "theme", "kulttuuri"),
    ("soittaa pianoa", "theme", "kulttuuri"),
    ("ei saa unta", "theme", "elintavat"),
    ("rahat ei riitä", "theme", "toimeentulo"),
    ("rahat eivät riitä", "theme", "toimeentulo"),
    ("raha ei riitä", "theme", "toimeentulo"),
    ("ei ole rahaa", "theme", "toimeentulo"),
    ("yli 65", "target_group", "ikaantyneet"),
    ("vanhemmille ihmisille", "target_group", "ikaantyneet"),
    ("jolla on lapsia", "target_group", "lapset_perheet"),
    ("pelaan liikaa", "theme", "paihteet"),
    ("juon liikaa", "theme", "paihteet"),
    ("tupakasta eroon", "theme", "elintavat"),
    ("lopettaa tupakointi", "theme", "elintavat"),
    ("ulos liikkumaan", "theme", "luonto"),
)


# Entries too short or too common to match as the beginning or end of a longer word
# ("mielipide" is not "mieli", "seuraava" is not "seura", "konserttisali" is not a gym).
GENERIC_HEADS = frozenset({"neuvonta", "porukka", "ryhmä", "ohjaus", "kerho", "seura", "tuki", "apu", "palvelu",
                           "toiminta", "opastus", "kurssi", "piiri"})
EXACT_ONLY = frozenset({"mieli", "seura", "sali", "tuki", "arki", "tunne", "laite", "huoli", "raha",
                        "kone", "lasku", "peli", "erä", "netti", "digi", "paino", "kela", "työ"})


@dataclass(frozen=True)
class TermMatch:
    kind: str  # "theme" | "target_group"
    value: str
    start: int
    end: int
    text: str
    strength: int  # length of the matched vocabulary entry


@cache
def _entries() -> dict[str, list[tuple[str, str]]]:
    """Vocabulary entry -> [(kind, id)], single words only."""
    out: dict[str, list[tuple[str, str]]] = {}
    for kind, table in (("theme", THEME_WORDS), ("target_group", TARGET_GROUP_WORDS)):
        for value, entries in table.items():
            for entry in entries:
                if " " not in entry:
                    out.setdefault(entry, []).append((kind, value))
    return out


@cache
def _multiword_entries() -> tuple[tuple[str, str, str], ...]:
    """(folded phrase, kind, id) of every multi-word entry."""
    extra = tuple(
        (entry, kind, value)
        for kind, table in (("theme", THEME_WORDS), ("target_group", TARGET_GROUP_WORDS))
        for value, entries in table.items()
        for entry in entries
        if " " in entry
    )
    return tuple((fold_diacritics(p), kind, value) for p, kind, value in PHRASES + extra)


def _candidate_lemmas(word: str) -> list[tuple[str, tuple[str, ...]]]:
    lowered = word.lower()
    if lowered in COLLOQUIAL:
        return [(COLLOQUIAL[lowered], ())]
    readings = analyse(word) or analyse(lowered)
    if not readings:  # a typo one edit from a known word, as the catalog search tolerates it
        readings = tuple(r for fixed in corrections(lowered)[:2] for r in analyse(fixed))
    if readings:
        return [(r.baseform.lower(), r.parts) for r in readings]
    return [(lowered, ())]


@lru_cache(maxsize=100_000)
def classify_word(word: str) -> tuple[tuple[str, str, int], ...]:
    """(kind, id, strength) of one word; only the strongest match per kind."""
    best: dict[str, tuple[str, int]] = {}
    entries = _entries()
    for lemma, parts in _candidate_lemmas(word):
        candidates: list[tuple[str, int]] = []
        if lemma in entries:
            candidates.append((lemma, len(lemma) + 100))
        affixes = [entry for entry in entries
                   if len(entry) >= 4 and entry != lemma and entry not in EXACT_ONLY and (
                       lemma.startswith(entry) or lemma.endswith(entry))]
        has_prefix = any(lemma.startswith(entry) and entry not in GENERIC_HEADS for entry in affixes)
        for entry in affixes:  # "terveysneuvonta" in "mielenterveysneuvonta" ends with a generic head too
            generic = (lemma.endswith(entry) and has_prefix
                       and any(entry == head or entry.endswith(head) for head in GENERIC_HEADS))
            candidates.append((entry, 1 if generic else len(entry)))
        # An everyday part ("työ" in "työntekijä") counts only as the head of the compound ("kuntosali").
        matched = [(i, p) for i, p in enumerate(parts)
                   if p in entries and p != lemma and (p not in EXACT_ONLY or i == len(parts) - 1)]
        for i, p in matched:
            # A generic head ("päihdeneuvonta", "kävelyporukka") yields to the part that says what about.
            generic = p in GENERIC_HEADS and i == len(parts) - 1 and len(matched) > 1
            candidates.append((p, 1 if generic else len(p)))
        for entry, strength in candidates:
            for kind, value in entries[entry]:
                if kind not in best or strength > best[kind][1]:
                    best[kind] = (value, strength)
    return tuple((kind, value, strength) for kind, (value, strength) in best.items())


def find_terms(text: str) -> list[TermMatch]:
    """All theme and target-group mentions in a text, in order."""
    matches: list[TermMatch] = []
    folded = fold_diacritics(text)
    covered: set[int] = set()
    for phrase, kind, value in _multiword_entries():
        start = folded.find(phrase)
        if start >= 0:
            end = start + len(phrase)
            matches.append(TermMatch(kind, value, start, end, text[start:end], 200 + len(phrase)))
            covered.update(range(start, end))
    for start, end, word in word_spans(text):
        if start in covered:
            continue
        for kind, value, strength in classify_word(word):
            matches.append(TermMatch(kind, value, start, end, word, strength))
    matches.sort(key=lambda m: (m.start, -m.strength))
    return matches


def best_values(text: str) -> dict[str, str]:
    """The strongest theme and target group named in a text."""
    best: dict[str, TermMatch] = {}
    for match in find_terms(text):
        if match.kind not in best or match.strength > best[match.kind].strength:
            best[match.kind] = match
    return {kind: m.value for kind, m in best.items()}
