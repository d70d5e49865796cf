"""Inflected Finnish phrases the bot needs in its answers.

Voikko analyses but does not generate, so the forms a sentence needs are listed here: the
locative of the demo municipalities ("Raumalla", "Porissa"), the partitive of the themes and the
allative of the target groups.
"""

from __future__ import annotations

from bot.finnish.places import municipalities

LOCATIVES: dict[str, str] = {
    "050": "Eurassa", "051": "Eurajoella", "079": "Harjavallassa", "102": "Huittisissa",
    "181": "Jämijärvellä", "214": "Kankaanpäässä", "230": "Karviassa", "271": "Kokemäellä",
    "484": "Merikarvialla", "531": "Nakkilassa", "608": "Pomarkussa", "609": "Porissa",
    "684": "Raumalla", "747": "Siikaisissa", "783": "Säkylässä", "886": "Ulvilassa",
    "077": "Hankasalmella", "172": "Joutsassa", "179": "Jyväskylässä", "182": "Jämsässä",
    "216": "Kannonkoskella", "226": "Karstulassa", "249": "Keuruulla", "256": "Kinnulassa",
    "265": "Kivijärvellä", "275": "Konnevedellä", "312": "Kyyjärvellä", "410": "Laukaassa",
    "435": "Luhangassa", "495": "Multialla", "500": "Muuramessa", "592": "Petäjävedellä",
    "601": "Pihtiputaalla", "729": "Saarijärvellä", "850": "Toivakassa", "892": "Uuraisissa",
    "931": "Viitasaarella", "992": "Äänekoskella",
    "009": "Alavieskassa", "069": "Haapajärvellä", "071": "Haapavedellä", "072": "Hailuodossa",
    "139": "Iissä", "208": "Kalajoella", "244": "Kempeleessä", "305": "Kuusamossa",
    "317": "Kärsämäellä", "425": "Limingassa", "436": "Lumijoella", "483": "Merijärvellä",
    "494": "Muhoksella", "535": "Nivalassa", "563": "Oulaisissa", "564": "Oulussa",
    "615": "Pudasjärvellä", "625": "Pyhäjoella", "626": "Pyhäjärvellä", "630": "Pyhännällä",
    "678": "Raahessa", "691": "Reisjärvellä", "746": "Sievissä", "748": "Siikajoella",
    "785": "Vaalassa", "791": "Siikalatvalla", "832": "Taivalkoskella", "859": "Tyrnävällä",
    "889": "Utajärvellä", "977": "Ylivieskassa",
    "091": "Helsingissä", "049": "Espoossa", "092": "Vantaalla", "837": "Tampereella",
    "853": "Turussa", "905": "Vaasassa", "529": "Naantalissa", "491": "Mikkelissä",
}

COUNTY_LOCATIVES: dict[str, str] = {
    "06": "Satakunnassa", "15": "Keski-Suomessa", "19": "Pohjois-Pohjanmaalla",
}

THEME_PARTITIVES: dict[str, str] = {
    "liikunta": "liikuntaa",
    "luonto": "luontoa ja ulkoilua",
    "kulttuuri": "kulttuuria",
    "ravitsemus": "ravitsemuspalveluja",
    "elintavat": "elintapaohjausta",
    "osallisuus": "vertaistukea ja yhteistä toimintaa",
    "mielen_hyvinvointi": "mielen hyvinvoinnin tukea",
    "paihteet": "päihde- ja riippuvuuspalveluja",
    "neuvonta": "sosiaali- ja terveysneuvontaa",
    "toimeentulo": "toimeentulon ja arjen tukea",
    "digituki": "digitukea",
}

TARGET_GROUP_ALLATIVES: dict[str, str] = {
    "ikaantyneet": "ikääntyneille", "lapset_perheet": "lapsille ja perheille",
    "nuoret": "nuorille", "pitkaaikaissairaat": "pitkäaikaissairaille",
    "vammaiset": "vammaisille", "tyoikaiset": "työikäisille", "tyottomat": "työttömille",
    "maahanmuuttajat": "maahanmuuttajille", "omaishoitajat": "omaishoitajille",
}


def in_municipality(code: str) -> str:
    """'684' -> 'Raumalla'; a municipality without a listed form: 'kunnassa Xxx'."""
    if code in LOCATIVES:
        return LOCATIVES[code]
    m = municipalities().get(code)
    return f"kunnassa {m.name_fi}" if m else "valitsemassasi kunnassa"


def in_county(code: str) -> str:
    return COUNTY_LOCATIVES.get(code, "koko hyvinvointialueella")


def search_sentence(theme: str | None, target_group: str | None, place: str | None) -> str:
    """'Haetaan liikuntaa ikääntyneille Raumalla.'"""
    parts = ["Haetaan", THEME_PARTITIVES.get(theme or "", "palveluja")]
    if target_group in TARGET_GROUP_ALLATIVES:
        parts.append(TARGET_GROUP_ALLATIVES[target_group])
    if place:
        parts.append(place)
    return " ".join(parts) + "."
