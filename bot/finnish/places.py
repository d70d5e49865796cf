"""Municipalities and wellbeing services counties, recognised in running Finnish or Swedish text.

The code lists come from Statistics Finland (see ``bot/data/SOURCES.md``). A municipality is
recognised in any grammatical case through Voikko ("Raumalla" -> Rauma -> 684), in Swedish
("i Björneborg"), in lower case, and without ä/ö or with one typo through Voikko's suggestions
("jyvaskylassa" -> "jyväskylässä" -> 179).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from bot.finnish.morphology import analyse, fold_diacritics, suggest, word_spans

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Region (maakunta) names of the wellbeing services counties, in the nominative, as Voikko
# gives them as base forms. Helsinki (90) is a municipality of its own.
COUNTY_REGION_NAMES: dict[str, tuple[str, ...]] = {
    "01": ("Itä-Uusimaa",),
    "02": ("Keski-Uusimaa",),
    "03": ("Länsi-Uusimaa",),
    "04": ("Vantaa-Kerava",),
    "05": ("Varsinais-Suomi",),
    "06": ("Satakunta",),
    "07": ("Kanta-Häme",),
    "08": ("Pirkanmaa",),
    "09": ("Päijät-Häme",),
    "10": ("Kymenlaakso",),
    "11": ("Etelä-Karjala",),
    "12": ("Etelä-Savo",),
    "13": ("Pohjois-Savo",),
    "14": ("Pohjois-Karjala",),
    "15": ("Keski-Suomi",),
    "16": ("Etelä-Pohjanmaa",),
    "17": ("Pohjanmaa",),
    "18": ("Keski-Pohjanmaa",),
    "19": ("Pohjois-Pohjanmaa",),
    "20": ("Kainuu",),
    "21": ("Lappi",),
}

# Municipality names that are also everyday words. Lower case and in the nominative they are
# read as the everyday word ("salo" = backwoods, "ii" = roman numeral two); capitalised, or in
# a locative case ("Salossa", "iissä"), they are the municipality.
COMMON_WORD_NAMES = frozenset({"salo", "ii", "kemi", "pello", "pori", "rautavaara", "vaala", "aura"})

# Only these Voikko cases count as a place when the word also has a common-noun reading.
_LOCATIVE_CASES = frozenset({"sisaolento", "ulkoolento", "sisaeronto", "ulkoeronto",
                             "sisatulento", "ulkotulento", "omanto"})


@dataclass(frozen=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str
    county_code: str
    county_name: str


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text: a municipality or a whole county."""

    kind: str  # "municipality" | "county"
    code: str
    start: int
    end: int
    text: str


@cache
def municipalities() -> dict[str, Municipality]:
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as f:
        return {
            row["code"]: Municipality(
                row["code"], row["name_fi"], row["name_sv"],
                row["wellbeing_county_code"], row["wellbeing_county_fi"],
            )
            for row in csv.DictReader(f)
        }


@cache
def counties() -> dict[str, str]:
    with (DATA_DIR / "wellbeing_counties.csv").open(encoding="utf-8") as f:
        return {row["code"]: row["name_fi"] for row in csv.DictReader(f)}


def county_municipalities(county_code: str) -> list[str]:
    return [m.code for m in municipalities().values() if m.county_code == county_code]


def _name_variants(name: str) -> set[str]:
    variants = {name.lower()}
    for sep in (" - ", " "):
        if sep in name:
            variants.add(name.split(sep)[0].lower())
    if name.endswith("n kunta"):  # "Pedersören kunta"
        variants.add(name[: -len("n kunta")].lower())
    return variants


@cache
def _name_index() -> dict[str, tuple[str, str]]:
    """Lower-case name (Finnish, Swedish, and folded) -> (kind, code)."""
    index: dict[str, tuple[str, str]] = {}
    for county, names in COUNTY_REGION_NAMES.items():
        for name in names:
            index[name.lower()] = ("county", county)
            index[fold_diacritics(name)] = ("county", county)
    for m in municipalities().values():
        for name in (m.name_fi, m.name_sv):
            for variant in _name_variants(name):
                index[variant] = ("municipality", m.code)
                index.setdefault(fold_diacritics(variant), ("municipality", m.code))
    return index


def municipality_by_name(name: str) -> Municipality | None:
    hit = _name_index().get(name.strip().lower()) or _name_index().get(fold_diacritics(name.strip()))
    if hit and hit[0] == "municipality":
        return municipalities()[hit[1]]
    return None


def _edit_distance_at_most_two(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 2:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 2


def _place_from_readings(word: str) -> tuple[str, str] | None:
    readings = analyse(word) or analyse(word.lower()) or analyse(word.capitalize())
    places = [r for r in readings if r.is_place_name or r.baseform.lower() in _name_index()]
    hits = [(r, _name_index().get(r.baseform.lower())) for r in places]
    hits = [(r, h) for r, h in hits if h]
    if not hits:
        return None
    reading, hit = hits[0]
    if word[:1].isupper():
        return hit
    has_common_reading = any(not r.is_place_name for r in readings)
    lower_base = reading.baseform.lower()
    if word.lower() == lower_base and (lower_base in COMMON_WORD_NAMES or has_common_reading):
        return None  # "salo", "ii", "pori": read as the everyday word
    if has_common_reading and lower_base in COMMON_WORD_NAMES and reading.case not in _LOCATIVE_CASES:
        return None
    return hit


@lru_cache(maxsize=50_000)
def resolve_word(word: str) -> tuple[str, str] | None:
    """(kind, code) of the place a single word names, or None."""
    if len(word) < 2 or len(word) > 40:
        return None
    direct = _name_index().get(word.lower())
    if direct and (word[:1].isupper() or word.lower() not in COMMON_WORD_NAMES):
        return direct
    hit = _place_from_readings(word)
    if hit:
        return hit
    if analyse(word.lower()) or len(word) < 4:
        return None  # a known everyday word, not a misspelt place
    folded = fold_diacritics(word)
    for suggestion in suggest(word)[:5]:
        if not _edit_distance_at_most_two(fold_diacritics(suggestion), folded) and fold_diacritics(
            suggestion
        ) != folded:
            continue
        hit = _place_from_readings(suggestion[:1].upper() + suggestion[1:])
        if hit and (hit[0] != "municipality" or len(municipalities()[hit[1]].name_fi) >= MIN_TYPO_NAME):
            return hit  # a two-letter name like "Ii" is no typo target: "itteni" is not "Iitteni"
    return None


_POSTAL_RE = re.compile(r"(?<![\d-])(\d{5})(?![\d-])")
MIN_TYPO_NAME = 4
TERSE_WORDS = 5  # a message this short is keywords, not a sentence
_CODE_RE = re.compile(r"(?<![\d.,:-])(\d{3})(?![\d.,:-])")


@cache
def postal_codes() -> dict[str, str]:
    """Postal code -> municipality code, for the municipal centres of the demo counties."""
    from bot.demo.places import DEMO_MUNICIPALITIES

    return {postal: code for code, (_gen, _city, postal) in DEMO_MUNICIPALITIES.items()}


def postal_code_centre(postal: str) -> tuple[str, float, float] | None:
    """Municipality code and centre (WGS84 latitude, longitude) of a known postal code: the
    centres of the demo municipalities."""
    from bot.demo.places import CENTRES

    code = postal_codes().get(postal)
    if code is None or code not in CENTRES:
        return None
    return code, *CENTRES[code]


def find_places(text: str) -> list[PlaceMention]:
    """Every municipality or county named in the text, in order of appearance.

    Two-word names ("Koski Tl", "Pedersören kunta") and hyphenated region names
    ("Keski-Suomessa") are tried before single words.
    """
    spans = word_spans(text)
    mentions: list[PlaceMention] = []
    i = 0
    while i < len(spans):
        start, end, word = spans[i]
        if i + 1 < len(spans):
            pair = text[start : spans[i + 1][1]]
            hit2 = _name_index().get(pair.lower())
            if hit2:
                mentions.append(PlaceMention(hit2[0], hit2[1], start, spans[i + 1][1], pair))
                i += 2
                continue
        hit = resolve_word(word)
        if hit:
            mentions.append(PlaceMention(hit[0], hit[1], start, end, word))
        i += 1
    if not mentions and 2 <= len(spans) <= TERSE_WORDS:  # "liikunta pori ikäihmiset": keywords
        for start, end, word in spans:
            hit = _name_index().get(word.lower()) if word.lower() in COMMON_WORD_NAMES else None
            if hit:
                mentions.append(PlaceMention(hit[0], hit[1], start, end, word))
    for match in _CODE_RE.finditer(text):  # "päihde 684": professionals type municipality codes
        code = match.group(1)
        before = text[:match.start()].lower().split()[-1:]
        terse = len(spans) <= TERSE_WORDS or before in (["kunta"], ["kuntakoodi"], ["koodi"])
        if code in municipalities() and terse and not any(m.start <= match.start() < m.end for m in mentions):
            mentions.append(PlaceMention("municipality", code, match.start(), match.end(), code))
    for match in _POSTAL_RE.finditer(text):
        code = postal_codes().get(match.group(1))
        if code and not any(m.code == code for m in mentions):
            mentions.append(PlaceMention("municipality", code, match.start(), match.end(), match.group(1)))
    return sorted(mentions, key=lambda m: m.start)
