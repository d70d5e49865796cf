"""What a search result shows of a service: its card, built once at import."""

from __future__ import annotations

from typing import Any

from bot.catalog.geo import point_from_ptv
from bot.catalog.hours import format_hours, weekly_times
from bot.catalog.ptv import Channel, Organization, Service
from bot.finnish.places import municipalities

CHARGE_TYPES = {"FreeOfCharge": "free", "Free": "free", "Chargeable": "chargeable",
                "Charged": "chargeable"}
DEMO_SOURCE_PREFIX = "esimerkki-"


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _location(channel: Channel) -> dict[str, Any] | None:
    address = channel.location
    if not address:
        return None
    point = point_from_ptv(address.latitude, address.longitude)
    return {
        "channel_id": channel.id,
        "name": channel.name,
        "address": address.one_line(),
        "postal_code": address.postal_code,
        "municipality_code": address.municipality_code,
        "opening_hours": format_hours(channel.hours),
        "open_days": sorted(weekly_times(channel.hours)),
        "phone": _first([p.display() for p in channel.phones]),
        "email": _first(channel.emails),
        "accessibility": channel.accessibility,
        "etrs_n": address.latitude,
        "etrs_e": address.longitude,
        "lat": point.lat if point else None,  # WGS84, converted from ETRS-TM35FIN
        "lon": point.lon if point else None,
    }


def build_card(service: Service, channels: list[Channel], org: Organization | None,
               themes: list[str], groups: list[str]) -> dict[str, Any]:
    locations = [loc for loc in (_location(c) for c in channels if c.type == "ServiceLocation") if loc]
    phones = [p.display() for c in channels for p in c.phones]
    emails = [e for c in channels for e in c.emails]
    pages = [w for c in channels if c.type in ("WebPage", "EChannel") for w in c.web_pages]
    pages += [w for c in channels for w in c.web_pages if w not in pages]
    hours = next((format_hours(c.hours) for c in channels if format_hours(c.hours)), "")
    open_days = sorted({d for c in channels for d in weekly_times(c.hours)})
    online = [c.type for c in channels if c.type in ("EChannel", "WebPage", "Phone")]
    names = municipalities()
    area_codes = sorted(service.area_direct | service.area_wider)
    return {
        "id": service.id,
        "name": service.name,
        "summary": service.summary,
        "description": service.description,
        "user_instruction": service.user_instruction,
        "provider": service.provider_name or (org.name if org else ""),
        "provider_type": org.type if org else "",
        "organization_id": service.provider_id or (org.id if org else ""),
        "charge_type": CHARGE_TYPES.get(service.charge_type, ""),
        "charge_info": service.charge_info,
        "languages": service.languages,
        "themes": themes,
        "target_groups": groups,
        "nationwide": service.nationwide,
        "area_municipalities": [names[c].name_fi for c in area_codes if c in names][:20],
        "locations": locations,
        "phone": _first(phones),
        "email": _first(emails),
        "web_page": _first(pages),
        "opening_hours": hours,
        "open_days": open_days,
        "accessible": any(loc["accessibility"] for loc in locations),
        "channel_types": sorted(set(online)),
        "modified": service.modified,
        "demo": str(service.raw.get("sourceId") or "").startswith(DEMO_SOURCE_PREFIX),
    }
