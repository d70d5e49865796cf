"""Reproducible demo catalog in exact PTV v11 JSON shape for Satakunta, Pohjois-Pohjanmaa and
Keski-Suomi.

Every record is marked as demo data ("esimerkkiaineisto"): ``sourceId`` starts with
``esimerkki-``, every summary ends with a notice, and every description begins with one.
The same seed always gives byte-identical output. ``--services N`` pads the catalog with
further variants for benchmarks (50,000 and more).

    python -m bot.demo.generator OUT_DIR [--services N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.catalog.geo import Point, wgs84_to_etrs
from bot.demo.partners import partner_file
from bot.demo.places import (
    CENTRES,
    COUNTY_GENITIVES,
    DEMO_COUNTIES,
    DEMO_MUNICIPALITIES,
    FULL_THEME_MUNICIPALITIES,
)
from bot.demo.templates import COUNTY_TEMPLATES, HOURS, NATIONWIDE_TEMPLATES, TEMPLATES, Template
from bot.finnish.places import municipalities

NAMESPACE = uuid.UUID("5a1f3c3e-7d0b-4c55-9d8e-2f6a4b1e9c01")
SOURCE_PREFIX = "esimerkki-"
SUMMARY_NOTICE = " (Esimerkkiaineisto.)"
DESCRIPTION_NOTICE = "Tämä on esimerkkiaineistoa, ei todellinen palvelu. "
MODIFIED = "2026-10-01T08:00:00.000"
DISTRICTS = ("keskusta", "länsi", "itä", "pohjoinen", "etelä", "asemanseutu", "rantakylä",
             "kirkonkylä", "koulukeskus", "urheilupuisto")
PROVIDER_TYPES = {"municipality": "Municipality", "county": "SotePublic", "ngo": "Organization",
                  "parish": "Organization"}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _lang(value: str, kind: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"language": "fi", "value": value}
    if kind:
        item["type"] = kind
    return item


def _municipality_ref(code: str) -> dict[str, Any]:
    m = municipalities()[code]
    return {"code": code, "name": [{"value": m.name_fi, "language": "fi"},
                                   {"value": m.name_sv, "language": "sv"}]}


def _slug(text: str) -> str:
    table = str.maketrans("äöåÄÖÅ ", "aoaAOA-")
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum() or ch == "-")


def _service_hours(kind: str) -> list[dict[str, Any]]:
    return [{
        "serviceHourType": "DaysOfTheWeek", "validFrom": None, "validTo": None,
        "isClosed": False, "validForNow": True, "additionalInformation": [],
        "openingHour": [{"dayFrom": d1, "dayTo": d2, "from": f"{start}:00", "to": f"{end}:00"}
                        for d1, d2, start, end in HOURS[kind]],
    }]


def _coordinates(code: str, channel_id: str) -> dict[str, Any]:
    """A point within a few kilometres of the municipality's centre, in ETRS-TM35FIN as PTV
    gives it. Its own random stream, so coordinates never shift the rest of the catalog."""
    rng = random.Random(channel_id)
    lat, lon = CENTRES[code]
    spot = Point(lat + rng.uniform(-0.03, 0.03), lon + rng.uniform(-0.06, 0.06))
    northing, easting = wgs84_to_etrs(spot)
    return {"latitude": f"{northing:.3f}", "longitude": f"{easting:.3f}", "coordinateState": "Ok"}


@dataclass
class Provider:
    id: str
    name: str
    kind: str
    municipality: str | None
    county: str


class DemoCatalog:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.services: list[dict[str, Any]] = []
        self.channels: list[dict[str, Any]] = []
        self.organizations: dict[str, dict[str, Any]] = {}
        self.org_services: dict[str, list[dict[str, Any]]] = {}

    # ---- organizations
    def provider(self, template: Template, code: str | None, county: str) -> Provider:
        county_gen = COUNTY_GENITIVES[county]
        gen = DEMO_MUNICIPALITIES[code][0] if code else county_gen
        if template.provider == "municipality" and code:
            is_city = DEMO_MUNICIPALITIES[code][1]
            name = f"{gen} {'kaupunki' if is_city else 'kunta'}"
        elif template.provider == "parish" and code:
            name = f"{gen} seurakunta"
        elif template.provider == "ngo":
            name = template.org.format(gen=gen, county=county_gen)
        else:
            name = f"{county_gen} hyvinvointialue"
            code = None
        org_id = _uuid("org", name)
        if org_id not in self.organizations:
            self.organizations[org_id] = self._organization(org_id, name, template.provider,
                                                            code, county)
        return Provider(org_id, name, template.provider, code, county)

    def _organization(self, org_id: str, name: str, kind: str, code: str | None,
                      county: str) -> dict[str, Any]:
        slug = _slug(name.split()[0])
        return {
            "id": org_id, "sourceId": f"{SOURCE_PREFIX}org-{slug}", "oid": None,
            "parentOrganizationId": None, "organizationRootId": org_id,
            "municipality": _municipality_ref(code) if code and kind == "municipality" else None,
            "organizationType": PROVIDER_TYPES[kind], "businessCode": None, "businessName": name,
            "organizationNames": [_lang(name, "Name")],
            "displayNameType": [{"type": "Name", "language": "fi"}],
            "areaType": "LimitedType",
            "areas": [{"type": "WellbeingServiceCounty", "code": county, "name": None,
                       "municipalities": [_municipality_ref(c) for c in sorted(DEMO_MUNICIPALITIES)
                                          if municipalities()[c].county_code == county]}]
            if kind == "county" else [],
            "organizationDescriptions": [_lang(DESCRIPTION_NOTICE + f"{name} on esimerkkiorganisaatio.",
                                               "Description"),
                                         _lang(f"{name} (esimerkkiaineisto).", "Summary")],
            "emails": [_lang(f"info@{slug}.example.org")],
            "phoneNumbers": [], "webPages": [{"url": f"https://{slug}.example.org/", "value": name,
                                              "language": "fi"}],
            "addresses": [], "electronicInvoicings": [], "publishingStatus": "Published",
            "services": [], "modified": MODIFIED, "subOrganizations": [],
            "responsibleOrganizationId": None,
        }

    # ---- channels
    def _phone(self) -> dict[str, Any]:
        number = f"{self.rng.choice(('40', '44', '50'))}{self.rng.randrange(1000000, 9999999)}"
        return {"type": "Phone", "additionalInformation": None, "serviceChargeType": "Chargeable",
                "chargeDescription": None, "prefixNumber": "+358", "isFinnishServiceNumber": False,
                "number": number, "language": "fi"}

    def channel(self, service_id: str, service_name: str, template: Template, provider: Provider,
                code: str | None, kind: str, label: str) -> dict[str, Any]:
        channel_id = _uuid("channel", service_id, kind)
        slug = _slug(provider.name.split()[0])
        record: dict[str, Any] = {
            "id": channel_id, "sourceId": f"{SOURCE_PREFIX}{channel_id[:8]}", "oid": None,
            "serviceChannelType": kind, "organizationId": provider.id,
            "serviceChannelNames": [_lang(label, "Name")],
            "displayNameType": [{"type": "Name", "language": "fi"}],
            "serviceChannelDescriptions": [
                _lang(f"{label}.{SUMMARY_NOTICE}", "Summary"),
                _lang(DESCRIPTION_NOTICE + template.summary, "Description")],
            "languages": ["fi"], "webPages": [], "serviceHours": _service_hours(template.hours),
            "phoneNumbers": [], "emails": [], "addresses": [],
            "services": [{"service": {"id": service_id, "name": service_name},
                          "serviceChargeType": None, "description": [], "extraTypes": [],
                          "serviceHours": [], "contactDetails": None, "digitalAuthorizations": []}],
            "publishingStatus": "Published", "modified": MODIFIED,
        }
        if kind == "ServiceLocation" and code:
            postal = DEMO_MUNICIPALITIES[code][2]
            post_office = municipalities()[code].name_fi.upper()
            record.update({
                "areaType": "LimitedType",
                "areas": [{"type": "Municipality", "code": None, "name": None,
                           "municipalities": [_municipality_ref(code)]}],
                "phoneNumbers": [self._phone()],
                "emails": [_lang(f"{_slug(template.theme)}@{slug}.example.org")],
                "webPages": [{"url": f"https://{slug}.example.org/{_slug(service_name)}",
                              "value": service_name, "language": "fi"}],
                "addresses": [{
                    "type": "Location", "subType": "Single", "postOfficeBoxAddress": None,
                    "streetAddress": {
                        "street": [_lang(template.street)],
                        "streetNumber": str(self.rng.randrange(1, 40)),
                        "postalCode": postal, "postOffice": [_lang(post_office)],
                        "municipality": _municipality_ref(code), "additionalInformation": [],
                        **_coordinates(code, channel_id)},
                    "otherAddress": None, "locationAbroad": None, "entrances": None,
                    "country": "FI"}],
                "accessibilitySentences": [{"sentenceGroup": [_lang("Sisäänkäynti")],
                                            "sentences": [_lang("Sisäänkäynnille on esteetön kulku.")]}]
                if self.rng.random() < 0.6 else [],
            })
        elif kind == "Phone":
            record.update({"areaType": "Nationwide" if code is None and provider.kind == "ngo" else
                           "LimitedType", "areas": [], "phoneNumbers": [self._phone()],
                           "supportEmails": []})
        else:  # WebPage
            record.update({"webPages": [{"url": f"https://{slug}.example.org/{_slug(service_name)}",
                                         "value": service_name, "language": "fi"}],
                           "serviceHours": [], "supportPhones": [], "supportEmails": []})
        self.channels.append(record)
        return record

    # ---- services
    def service(self, template: Template, code: str | None, county: str, *, scope: str,
                variant: str = "") -> None:
        provider = self.provider(template, code, county)
        county_gen = COUNTY_GENITIVES[county]
        name = template.name.format(county=county_gen)
        if variant:
            name = f"{name}, {variant}"
        service_id = _uuid("service", scope, code or county, template.name, variant)
        channel_refs: list[dict[str, Any]] = []
        if scope == "local" and code:
            place = f"{DEMO_MUNICIPALITIES[code][0]} {template.place.lower()}"
            channels = [self.channel(service_id, name, template, provider, code, "ServiceLocation",
                                     place)]
        elif scope == "county":
            channels = [self.channel(service_id, name, template, provider, None, "Phone",
                                     f"{name}, puhelinpalvelu")]
        else:
            channels = [self.channel(service_id, name, template, provider, None, "WebPage",
                                     f"{name}, verkkosivu")]
            if template.hours == "phone":
                channels.append(self.channel(service_id, name, template, provider, None, "Phone",
                                             f"{name}, puhelin"))
        for ch in channels:
            channel_refs.append({
                "serviceChannel": {"id": ch["id"], "name": ch["serviceChannelNames"][0]["value"]},
                "serviceChargeType": None, "description": [], "extraTypes": [],
                "serviceHours": [], "contactDetails": None, "digitalAuthorizations": []})
        if scope == "local" and code:
            area_type = "LimitedType"
            areas = [{"type": "Municipality", "code": None, "name": None,
                      "municipalities": [_municipality_ref(code)]}]
        elif scope == "county":
            area_type = "LimitedType"
            areas = [{"type": "WellbeingServiceCounty", "code": county, "name": None,
                      "municipalities": [_municipality_ref(c) for c in sorted(DEMO_MUNICIPALITIES)
                                         if municipalities()[c].county_code == county]}]
        else:
            area_type, areas = "Nationwide", []
        free = template.free if scope == "local" else True
        record: dict[str, Any] = {
            "id": service_id, "sourceId": f"{SOURCE_PREFIX}{service_id[:8]}",
            "generalDescriptionId": None, "subType": "Normal", "type": "Service",
            "fundingType": "PubliclyFunded" if provider.kind in ("municipality", "county")
            else "MarketFunded",
            "serviceNames": [_lang(name, "Name")],
            "serviceChargeType": "FreeOfCharge" if free else "Chargeable",
            "areaType": area_type, "areas": areas,
            "serviceDescriptions": [
                _lang(template.summary + SUMMARY_NOTICE, "Summary"),
                _lang(DESCRIPTION_NOTICE + template.description, "Description"),
                _lang("Ota yhteyttä puhelimitse tai tule paikan päälle aukioloaikoina.",
                      "UserInstruction"),
                *([] if free else [_lang("Maksu on kohtuullinen; kysy hintaa palveluntarjoajalta.",
                                         "ChargeTypeAdditionalInfo")]),
            ],
            "languages": ["fi"] if self.rng.random() < 0.8 else ["fi", "sv"],
            "serviceClasses": [{"name": [], "description": [], "code": c, "ontologyType": "PTVL",
                                "uri": f"http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/{c}",
                                "parentId": None, "parentUri": None} for c in template.classes],
            "ontologyTerms": [{"name": [_lang(k)], "code": None, "ontologyType": "YSO",
                               "uri": None, "parentId": None, "parentUri": None}
                              for k in template.keywords[:2]],
            "targetGroups": [{"name": [], "code": g, "ontologyType": "TARGETGROUP",
                              "uri": f"http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/{g}",
                              "parentId": None, "parentUri": None} for g in template.groups],
            "lifeEvents": [{"name": [], "code": e, "ontologyType": "LIFESITUATION", "uri": None,
                            "parentId": None, "parentUri": None} for e in template.life_events],
            "industrialClasses": [], "legislation": [],
            "keywords": [_lang(k) for k in template.keywords],
            "requirements": [], "serviceChannels": channel_refs,
            "organizations": [
                {"organization": {"id": provider.id, "name": provider.name},
                 "roleType": "Responsible", "provisionType": None, "additionalInformation": []},
                {"organization": {"id": provider.id, "name": provider.name},
                 "roleType": "Producer", "provisionType": "SelfProducedServices",
                 "additionalInformation": []}],
            "serviceVouchersInUse": False, "serviceVouchers": [], "serviceCollections": [],
            "publishingStatus": "Published", "modified": MODIFIED,
        }
        self.services.append(record)
        self.org_services.setdefault(provider.id, []).append(
            {"service": {"id": service_id, "name": name}, "roleType": "Responsible"})

    def build(self, target: int | None) -> None:
        codes = sorted(DEMO_MUNICIPALITIES)
        for code in codes:
            county = municipalities()[code].county_code
            if code in FULL_THEME_MUNICIPALITIES:
                chosen = list(TEMPLATES)
            else:
                themes = sorted({t.theme for t in TEMPLATES})
                picked = self.rng.sample(themes, 4)
                chosen = [t for t in TEMPLATES if t.theme == "liikunta"][:1]
                for theme in picked:
                    options = [t for t in TEMPLATES if t.theme == theme]
                    chosen += self.rng.sample(options, min(2, len(options)))
                chosen = list(dict.fromkeys(chosen))
            for template in chosen:
                self.service(template, code, county, scope="local")
        for county in DEMO_COUNTIES:
            for template in COUNTY_TEMPLATES:
                self.service(template, None, county, scope="county")
        for template in NATIONWIDE_TEMPLATES:
            self.service(template, None, "06", scope="nationwide")
        n = 0
        while target and len(self.services) < target:
            code = codes[n % len(codes)]
            template = TEMPLATES[(n // len(codes)) % len(TEMPLATES)]
            round_no = n // (len(codes) * len(TEMPLATES))
            variant = f"{DISTRICTS[round_no % len(DISTRICTS)]} {round_no // len(DISTRICTS) + 1}"
            self.service(template, code, municipalities()[code].county_code, scope="local",
                         variant=variant)
            n += 1
        for org_id, services in self.org_services.items():
            self.organizations[org_id]["services"] = services


def _chunks(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def write(out_dir: Path, *, services: int | None = None, seed: int = 2026) -> dict[str, int]:
    """Generate the catalog into ``out_dir`` (replacing it); returns record counts."""
    catalog = DemoCatalog(seed)
    catalog.build(services)
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    for kind, records in (("services", catalog.services), ("channels", catalog.channels),
                          ("organizations", list(catalog.organizations.values()))):
        folder = tmp / kind
        folder.mkdir(parents=True)
        for i, chunk in enumerate(_chunks(records, 500), 1):
            (folder / f"{i:04d}.json").write_text(
                json.dumps(chunk, ensure_ascii=False, indent=1), encoding="utf-8")
    (tmp / "partners.yml").write_text(partner_file(catalog.services, catalog.organizations), encoding="utf-8")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    tmp.rename(out_dir)
    return {"services": len(catalog.services), "channels": len(catalog.channels),
            "organizations": len(catalog.organizations)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.demo.generator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--services", type=int, default=None,
                        help="pad the catalog to at least this many services")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    counts = write(args.out_dir, services=args.services, seed=args.seed)
    print(f"Demo catalog in {args.out_dir}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
