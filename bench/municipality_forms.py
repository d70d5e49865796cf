"""Inflected forms of every municipality name, generated for the recognition benchmark.

Voikko analyses but does not generate, so candidate forms are built from stem variants
(consonant gradation, -nen/-si stems, vowel changes) and case endings, and a candidate is kept
only when Voikko analyses it as that place name in the wanted case.
"""

from __future__ import annotations

from bot.finnish.morphology import analyse
from bot.finnish.places import municipalities

CASES = ("nimento", "omanto", "sisaolento", "ulkoolento", "sisaeronto", "sisatulento")
GRADATION = (("kk", "k"), ("pp", "p"), ("tt", "t"), ("nk", "ng"), ("mp", "mm"), ("lt", "ll"),
             ("nt", "nn"), ("rt", "rr"), ("ht", "hd"), ("k", ""), ("p", "v"), ("t", "d"))


def _stems(name: str) -> set[str]:
    stems = {name}
    if name.endswith("nen"):
        stems |= {name[:-3] + "se", name[:-3] + "si", name[:-3] + "s"}
    if name.endswith("si"):
        stems |= {name[:-2] + "de", name[:-2] + "te"}
    if name.endswith("i"):
        stems.add(name[:-1] + "e")
    if name.endswith("s"):
        stems |= {name[:-1] + "de", name + "e", name[:-1] + "kse"}
    if name.endswith("das"):
        stems.add(name[:-3] + "taa")
    if name[-1:].lower() not in "aeiouyäö":
        stems.add(name + "i")
    for stem in list(stems):
        body, last = stem[:-1], stem[-1:]
        for strong, weak in GRADATION:
            if body.endswith(strong):
                stems.add(body[: len(body) - len(strong)] + weak + last)
    return stems


def _front(stem: str) -> bool:
    """Vowel harmony of the ending: the last harmonic vowel decides (Ääne+koski: back)."""
    for ch in reversed(stem.lower()):
        if ch in "aou":
            return False
        if ch in "äöy":
            return True
    return True  # only neutral vowels (Ii, Kemi): front


def _endings(stem: str) -> list[str]:
    """Singular endings first, plural last; both vowel harmonies (Voikko rejects the wrong one)."""
    vowel = stem[-1:].lower()
    singular: list[str] = ["n", "lle", "hin", "seen", "en", "in"]
    plural: list[str] = ["iin", "ten"]
    harmonies = ("ä", "a") if _front(stem) else ("a", "ä")
    for a in harmonies:
        singular += [f"ss{a}", f"ll{a}", f"st{a}", f"lt{a}"]
        plural += [f"iss{a}", f"ill{a}", f"ist{a}"]
    if vowel in "aeiouyäö":
        singular[2:2] = [vowel + "n", vowel + "seen", f"h{vowel}n"]
    return singular + plural


def forms(name: str) -> dict[str, str]:
    """Case -> a form Voikko reads as this place name in that case."""
    found: dict[str, str] = {"nimento": name}
    base = name.lower()
    stems = sorted(_stems(name), key=lambda s: (s != name, s))
    for plural_pass in (False, True):
        for stem in stems:
            endings = _endings(stem)
            for ending in endings[-8:] if plural_pass else endings[:-8]:
                candidate = stem + ending
                for reading in analyse(candidate):
                    if (reading.is_place_name and reading.baseform.lower() == base
                            and reading.case in CASES and reading.case not in found
                            and (plural_pass or reading.number != "plural")):
                        found[reading.case] = candidate
    return found


def all_forms() -> dict[str, dict[str, str]]:
    """Municipality code -> case -> form, for all 309 municipalities (Finnish names)."""
    out = {}
    for code, m in municipalities().items():
        name = m.name_fi.split(" - ")[0]
        out[code] = forms(name) if " " not in name else {"nimento": name}
    return out
