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

# Approximate centres of the demo municipalities (WGS84 latitude, longitude), to a few
# kilometres, as the generator's author knew them. Demo locations are scattered around them and
# written in ETRS-TM35FIN as PTV does; a postal code of the table above stands for its centre.
CENTRES: dict[str, tuple[float, float]] = {
    # Satakunta
    "050": (61.130, 22.131), "051": (61.201, 21.731), "079": (61.313, 22.141),
    "102": (61.177, 22.699), "181": (61.818, 22.694), "214": (61.802, 22.395),
    "230": (62.135, 22.560), "271": (61.256, 22.356), "484": (61.858, 21.501),
    "531": (61.364, 21.997), "608": (61.693, 22.009), "609": (61.485, 21.797),
    "684": (61.128, 21.511), "747": (61.876, 21.824), "783": (61.043, 22.340),
    "886": (61.429, 21.874),
    # Keski-Suomi
    "077": (62.392, 26.437), "172": (61.742, 26.117), "179": (62.242, 25.747),
    "182": (61.864, 25.190), "216": (62.973, 25.262), "226": (62.878, 24.800),
    "249": (62.259, 24.706), "256": (63.367, 24.967), "265": (63.120, 25.072),
    "275": (62.630, 26.287), "312": (63.042, 24.565), "410": (62.413, 25.953),
    "435": (61.798, 25.702), "495": (62.409, 24.791), "500": (62.130, 25.672),
    "592": (62.256, 25.189), "601": (63.369, 25.574), "729": (62.706, 25.257),
    "850": (62.097, 26.082), "892": (62.500, 25.438), "931": (63.074, 25.861),
    "992": (62.603, 25.726),
    # Pohjois-Pohjanmaa
    "009": (64.166, 24.306), "069": (63.748, 25.318), "071": (64.138, 25.366),
    "072": (65.012, 24.714), "139": (65.317, 25.372), "208": (64.260, 23.949),
    "244": (64.913, 25.508), "305": (65.966, 29.188), "317": (63.979, 25.757),
    "425": (64.809, 25.413), "436": (64.837, 25.187), "483": (64.297, 24.447),
    "494": (64.808, 25.993), "535": (63.929, 24.978), "563": (64.266, 24.817),
    "564": (65.012, 25.465), "615": (65.361, 26.996), "625": (64.464, 24.262),
    "626": (63.680, 25.989), "630": (64.100, 26.328), "678": (64.685, 24.477),
    "691": (63.605, 24.937), "746": (63.907, 24.517), "748": (64.668, 25.090),
    "785": (64.561, 26.838), "791": (64.351, 26.269), "832": (65.575, 28.244),
    "859": (64.763, 25.654), "889": (64.762, 26.418), "977": (64.073, 24.538),
}
