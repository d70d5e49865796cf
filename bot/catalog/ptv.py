"""Reading PTV open API v11 records (services, service channels, organizations).

Records are kept unchanged; these helpers only pick what the navigator needs, tolerating the
null, missing and placeholder fields real PTV data has. A record that is not a PTV object at all
raises :class:`MalformedRecord` with the reason, so an import can skip and report it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANG_ORDER = ("fi", "sv", "en")
NATIONWIDE_AREA_TYPES = frozenset({"Nationwide", "NationwideExceptAlandIslands"})
PUBLISHED = "Published"

Json = dict[str, Any]


class MalformedRecord(ValueError):
    """A record that cannot be read as a PTV object."""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def localized(items: Any, kind: str | None = None, lang: str = "fi") -> str:
    """The text of a PTV localized list in the wanted language, falling back fi > sv > en."""
    candidates = [
        i for i in _list(items)
        if isinstance(i, dict) and isinstance(i.get("value"), str) and i["value"].strip()
        and (kind is None or i.get("type") == kind)
    ]
    for language in (lang, *LANG_ORDER):
        for item in candidates:
            if item.get("language") == language:
                return str(item["value"]).strip()
    return str(candidates[0]["value"]).strip() if candidates else ""


@dataclass
class Address:
    street: str = ""
    postal_code: str = ""
    post_office: str = ""
    municipality_code: str = ""
    latitude: float | None = None  # ETRS-TM35FIN northing as PTV gives it
    longitude: float | None = None  # ETRS-TM35FIN easting

    def one_line(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.post_office.title()) if p)
        return ", ".join(p for p in (self.street, place) if p)


@dataclass
class Phone:
    number: str
    info: str = ""
    charge: str = ""

    def display(self) -> str:
        return self.number


@dataclass
class OpeningHours:
    kind: str
    valid_from: str | None
    valid_to: str | None
    is_closed: bool
    periods: list[tuple[str, str, str, str]]  # (day_from, day_to, from, to)
    info: str = ""


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _municipality_code(value: Any) -> str:
    code = value.get("code") if isinstance(value, dict) else None
    return code if isinstance(code, str) and code.isdigit() and len(code) == 3 else ""


def parse_address(raw: Any) -> Address | None:
    if not isinstance(raw, dict):
        return None
    street = raw.get("streetAddress")
    if isinstance(street, dict):
        name = localized(street.get("street"))
        number = str(street.get("streetNumber") or "").strip()
        return Address(
            street=f"{name} {number}".strip(),
            postal_code=str(street.get("postalCode") or ""),
            post_office=localized(street.get("postOffice")),
            municipality_code=_municipality_code(street.get("municipality")),
            latitude=_float(street.get("latitude")),
            longitude=_float(street.get("longitude")),
        )
    box = raw.get("postOfficeBoxAddress")
    if isinstance(box, dict):
        return Address(
            street=localized(box.get("postOfficeBox")),
            postal_code=str(box.get("postalCode") or ""),
            post_office=localized(box.get("postOffice")),
            municipality_code=_municipality_code(box.get("municipality")),
        )
    return None


def format_finnish_number(number: str) -> str:
    """'0447334758' -> '044 733 4758', '024345542' -> '02 434 5542'; others unchanged."""
    digits = number.replace(" ", "").replace("-", "")
    if not digits.isdigit() or not digits.startswith("0") or not 8 <= len(digits) <= 11:
        return number
    if digits.startswith(("0800", "0700", "0600", "020", "030", "010")):
        return number  # national service and business numbers keep the operator's grouping
    prefix_len = 3 if digits.startswith(("04", "050", "01")) else 2
    prefix, rest = digits[:prefix_len], digits[prefix_len:]
    return f"{prefix} {rest[:3]} {rest[3:]}".strip()


def parse_phones(items: Any) -> list[Phone]:
    phones = []
    for item in _list(items):
        if not isinstance(item, dict) or not item.get("number"):
            continue
        prefix = str(item.get("prefixNumber") or "")
        number = str(item["number"]).strip()
        if prefix == "+358" and not number.startswith("0") and not item.get("isFinnishServiceNumber"):
            number = "0" + number
        elif prefix and not item.get("isFinnishServiceNumber") and prefix != "+358":
            number = f"{prefix} {number}"
        phones.append(Phone(format_finnish_number(number), str(item.get("additionalInformation") or ""),
                            str(item.get("serviceChargeType") or "")))
    return phones


def parse_hours(items: Any) -> list[OpeningHours]:
    hours = []
    for item in _list(items):
        if not isinstance(item, dict):
            continue
        periods = [
            (str(h.get("dayFrom") or ""), str(h.get("dayTo") or ""),
             str(h.get("from") or ""), str(h.get("to") or ""))
            for h in _list(item.get("openingHour")) if isinstance(h, dict) and h.get("dayFrom")
        ]
        hours.append(OpeningHours(
            kind=str(item.get("serviceHourType") or ""),
            valid_from=item.get("validFrom"),
            valid_to=item.get("validTo"),
            is_closed=bool(item.get("isClosed")),
            periods=periods,
            info=localized(item.get("additionalInformation")),
        ))
    return hours


def area_municipalities(record: Json) -> tuple[bool, set[str], set[str]]:
    """(nationwide, municipalities named one by one, municipalities covered through wider areas)."""
    if record.get("areaType") in NATIONWIDE_AREA_TYPES:
        return True, set(), set()
    direct: set[str] = set()
    wider: set[str] = set()
    for area in _list(record.get("areas")):
        if not isinstance(area, dict):
            continue
        codes = {_municipality_code(m) for m in _list(area.get("municipalities"))} - {""}
        if area.get("type") == "Municipality":
            direct |= codes
        else:
            wider |= codes
    return False, direct, wider


@dataclass
class Service:
    id: str
    name: str
    summary: str
    description: str
    user_instruction: str
    charge_type: str
    charge_info: str
    languages: list[str]
    nationwide: bool
    area_direct: set[str]
    area_wider: set[str]
    class_codes: list[str]
    ontology_terms: list[str]
    keywords: list[str]
    target_group_codes: list[str]
    life_event_codes: list[str]
    channel_ids: list[str]
    provider_id: str
    provider_name: str
    status: str
    modified: str
    raw: Json = field(repr=False)


def _require(record: Any, id_key: str = "id") -> Json:
    if not isinstance(record, dict):
        raise MalformedRecord(f"not a JSON object but {type(record).__name__}")
    record_id = record.get(id_key)
    if not isinstance(record_id, str) or len(record_id) < 8:
        raise MalformedRecord("missing or invalid 'id'")
    return record


def _codes(items: Any) -> list[str]:
    return [str(i["code"]) for i in _list(items) if isinstance(i, dict) and i.get("code")]


def parse_service(record: Any) -> Service:
    record = _require(record)
    name = localized(record.get("serviceNames"), "Name") or localized(record.get("serviceNames"))
    if not name:
        raise MalformedRecord("service has no name")
    descriptions = record.get("serviceDescriptions")
    nationwide, direct, wider = area_municipalities(record)
    organizations = [o for o in _list(record.get("organizations")) if isinstance(o, dict)]
    responsible = next((o for o in organizations if o.get("roleType") == "Responsible"), None)
    producer = next((o for o in organizations if o.get("roleType") == "Producer"), None)
    org = (responsible or producer or {}).get("organization") or {}
    keywords = [localized([k]) for k in _list(record.get("keywords")) if isinstance(k, dict)]
    ontology = [localized(t.get("name")) for t in _list(record.get("ontologyTerms"))
                if isinstance(t, dict)]
    channel_ids = [
        str(c["serviceChannel"]["id"]) for c in _list(record.get("serviceChannels"))
        if isinstance(c, dict) and isinstance(c.get("serviceChannel"), dict)
        and c["serviceChannel"].get("id")
    ]
    return Service(
        id=record["id"],
        name=name,
        summary=localized(descriptions, "Summary"),
        description=localized(descriptions, "Description"),
        user_instruction=localized(descriptions, "UserInstruction"),
        charge_type=str(record.get("serviceChargeType") or ""),
        charge_info=localized(descriptions, "ChargeTypeAdditionalInfo"),
        languages=[str(x) for x in _list(record.get("languages"))],
        nationwide=nationwide,
        area_direct=direct,
        area_wider=wider,
        class_codes=_codes(record.get("serviceClasses")),
        ontology_terms=[t for t in ontology if t],
        keywords=[k for k in keywords if k],
        target_group_codes=_codes(record.get("targetGroups")),
        life_event_codes=_codes(record.get("lifeEvents")),
        channel_ids=channel_ids,
        provider_id=str(org.get("id") or ""),
        provider_name=str(org.get("name") or ""),
        status=str(record.get("publishingStatus") or PUBLISHED),
        modified=str(record.get("modified") or ""),
        raw=record,
    )


@dataclass
class Channel:
    id: str
    type: str
    name: str
    summary: str
    organization_id: str
    addresses: list[Address]
    phones: list[Phone]
    emails: list[str]
    web_pages: list[str]
    hours: list[OpeningHours]
    languages: list[str]
    nationwide: bool
    area_municipalities: set[str]
    accessibility: str
    status: str
    modified: str
    raw: Json = field(repr=False)

    @property
    def location(self) -> Address | None:
        for address in self.addresses:
            if address.street and address.municipality_code:
                return address
        return None


def parse_channel(record: Any) -> Channel:
    record = _require(record)
    nationwide, direct, wider = area_municipalities(record)
    raw_addresses = _list(record.get("addresses"))
    located = [a for a in raw_addresses if isinstance(a, dict) and a.get("type") == "Location"]
    addresses = [a for a in (parse_address(x) for x in located or raw_addresses) if a]
    phones = parse_phones(record.get("phoneNumbers")) + parse_phones(record.get("supportPhones"))
    emails = [localized([e]) for e in _list(record.get("emails")) + _list(record.get("supportEmails"))
              if isinstance(e, dict)]
    pages = [
        str(w.get("url") or w.get("value"))
        for w in _list(record.get("webPages")) + _list(record.get("channelUrls"))
        if isinstance(w, dict) and (w.get("url") or w.get("value"))
    ]
    accessibility = ""
    for sentence_group in _list(record.get("accessibilitySentences")):
        if isinstance(sentence_group, dict):
            accessibility = localized(sentence_group.get("sentences")) or accessibility
    return Channel(
        id=record["id"],
        type=str(record.get("serviceChannelType") or ""),
        name=localized(record.get("serviceChannelNames"), "Name")
        or localized(record.get("serviceChannelNames")),
        summary=localized(record.get("serviceChannelDescriptions"), "Summary"),
        organization_id=str(record.get("organizationId") or ""),
        addresses=addresses,
        phones=phones,
        emails=[e for e in emails if "@" in e],
        web_pages=[p for p in pages if p.startswith(("http://", "https://"))],
        hours=parse_hours(record.get("serviceHours")),
        languages=[str(x) for x in _list(record.get("languages"))],
        nationwide=nationwide,
        area_municipalities=direct | wider,
        accessibility=accessibility,
        status=str(record.get("publishingStatus") or PUBLISHED),
        modified=str(record.get("modified") or ""),
        raw=record,
    )


@dataclass
class Organization:
    id: str
    name: str
    type: str
    municipality_code: str
    status: str
    raw: Json = field(repr=False)


def parse_organization(record: Any) -> Organization:
    record = _require(record)
    name = localized(record.get("organizationNames"), "Name") or localized(
        record.get("organizationNames")) or str(record.get("businessName") or "")
    if not name:
        raise MalformedRecord("organization has no name")
    return Organization(
        id=record["id"],
        name=name,
        type=str(record.get("organizationType") or ""),
        municipality_code=_municipality_code(record.get("municipality")),
        status=str(record.get("publishingStatus") or PUBLISHED),
        raw=record,
    )
