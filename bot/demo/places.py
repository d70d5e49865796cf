"""Facts about the demo municipalities that the code lists do not carry.

Genitive forms (for names such as "Rauman kaupunki"), whether the municipality is a city, and
the postal code and post office of its centre. Postal codes are those of the municipal centres
as the generator's author knew them; every record built from them is marked as demo data.
"""

from __future__ import annotations

# code: (genitive, is_city, postal_code)
DEMO_MUNICIPALITIES: dict[str, tuple[str, bool, str]] = {
    # Satakunta (06)
    "050": ("Euran", False, "27510"), "051": ("Eurajoen", False, "27100"),
    "079": ("Harjavallan", True, "29200"), "102": ("Huittisten", True, "32700"),
    "181": ("Jämijärven", False, "38800"), "214": ("Kankaanpään", True, "38700"),
    "230": ("Karvian", False, "39930"), "271": ("Kokemäen", True, "32800"),
    "484": ("Merikarvian", False, "29900"), "531": ("Nakkilan", False, "29250"),
    "608": ("Pomarkun", False, "29630"), "609": ("Porin", True, "28100"),
    "684": ("Rauman", True, "26100"), "747": ("Siikaisten", False, "29810"),
    "783": ("Säkylän", False, "27800"), "886": ("Ulvilan", True, "28400"),
    # Keski-Suomi (15)
    "077": ("Hankasalmen", False, "41520"), "172": ("Joutsan", False, "19650"),
    "179": ("Jyväskylän", True, "40100"), "182": ("Jämsän", True, "42100"),
    "216": ("Kannonkosken", False, "43300"), "226": ("Karstulan", False, "43500"),
    "249": ("Keuruun", True, "42700"), "256": ("Kinnulan", False, "43900"),
    "265": ("Kivijärven", False, "43800"), "275": ("Konneveden", False, "44300"),
    "312": ("Kyyjärven", False, "43700"), "410": ("Laukaan", False, "41340"),
    "435": ("Luhangan", False, "19950"), "495": ("Multian", False, "42600"),
    "500": ("Muuramen", False, "40950"), "592": ("Petäjäveden", False, "41900"),
    "601": ("Pihtiputaan", False, "44800"), "729": ("Saarijärven", True, "43100"),
    "850": ("Toivakan", False, "41660"), "892": ("Uuraisten", False, "41230"),
    "931": ("Viitasaaren", True, "44500"), "992": ("Äänekosken", True, "44100"),
    # Pohjois-Pohjanmaa (19)
    "009": ("Alavieskan", False, "85200"), "069": ("Haapajärven", True, "85800"),
    "071": ("Haapaveden", True, "86600"), "072": ("Hailuodon", False, "90480"),
    "139": ("Iin", False, "91100"), "208": ("Kalajoen", True, "85100"),
    "244": ("Kempeleen", False, "90440"), "305": ("Kuusamon", True, "93600"),
    "317": ("Kärsämäen", False, "86710"), "425": ("Limingan", False, "91900"),
    "436": ("Lumijoen", False, "91980"), "483": ("Merijärven", False, "86220"),
    "494": ("Muhoksen", False, "91500"), "535": ("Nivalan", True, "85500"),
    "563": ("Oulaisten", True, "86300"), "564": ("Oulun", True, "90100"),
    "615": ("Pudasjärven", True, "93100"), "625": ("Pyhäjoen", False, "86100"),
    "626": ("Pyhäjärven", True, "86800"), "630": ("Pyhännän", False, "92930"),
    "678": ("Raahen", True, "92100"), "691": ("Reisjärven", False, "85900"),
    "746": ("Sievin", False, "85410"), "748": ("Siikajoen", False, "92400"),
    "785": ("Vaalan", False, "91700"), "791": ("Siikalatvan", False, "92700"),
    "832": ("Taivalkosken", False, "93400"), "859": ("Tyrnävän", False, "91800"),
    "889": ("Utajärven", False, "91600"), "977": ("Ylivieskan", True, "84100"),
}

# Municipalities where every theme must be present.
FULL_THEME_MUNICIPALITIES = (
    "609", "684", "886", "050", "214", "102",  # Pori, Rauma, Ulvila, Eura, Kankaanpää, Huittinen
    "564", "678", "244", "305", "977", "208",  # Oulu, Raahe, Kempele, Kuusamo, Ylivieska, Kalajoki
    "179", "182", "992", "410", "249", "729",  # Jyväskylä, Jämsä, Äänekoski, Laukaa, Keuruu, Saarijärvi
)
DEMO_COUNTIES = ("06", "19", "15")
COUNTY_GENITIVES = {"06": "Satakunnan", "19": "Pohjois-Pohjanmaan", "15": "Keski-Suomen"}
