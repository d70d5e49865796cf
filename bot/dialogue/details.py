"""Details of one listed service: "kerro lisää kolmannesta"."""

from __future__ import annotations

from typing import Any

from bot.catalog.client import CatalogUnavailable, service_details
from bot.dialogue.results import CHARGE
from bot.dialogue.search_turn import UNAVAILABLE, Reply


def pick(result_ids: list[str], ordinal: str | None) -> str | None:
    if not result_ids:
        return None
    if ordinal in (None, "last"):
        return result_ids[-1] if ordinal == "last" else (result_ids[0] if len(result_ids) == 1 else None)
    index = int(ordinal) - 1 if ordinal.isdigit() else -1
    return result_ids[index] if 0 <= index < len(result_ids) else None


def _date(iso: str) -> str:
    """'2026-10-01T08:00:00.000' -> '1.10.2026'."""
    try:
        year, month, day = iso[:10].split("-")
        return f"{int(day)}.{int(month)}.{year}"
    except ValueError:
        return ""


def details_text(d: dict[str, Any]) -> str:
    lines = [d["name"] + (f" – {d['provider']}" if d.get("provider") else "")]
    if d.get("description"):
        lines.append(d["description"][:700])
    facts = [
        ("Osoite", d.get("address") or ("verkossa tai puhelimitse" if d.get("online") else "")),
        ("Aukioloajat", d.get("opening_hours")),
        ("Hinta", " – ".join(x for x in (CHARGE.get(d.get("charge_type") or ""), d.get("charge_info")) if x)),
        ("Puhelin", d.get("phone")),
        ("Sähköposti", d.get("email")),
        ("Verkkosivu", d.get("web_page")),
        ("Esteettömyys", next((loc["accessibility"] for loc in d.get("locations") or []
                               if loc.get("accessibility")), "")),
        ("Tiedot päivitetty", _date(d.get("modified") or "")),
    ]
    lines += [f"{label}: {value}" for label, value in facts if value]
    return "\n".join(lines)


async def details_turn(slots: dict[str, Any], ordinal: str | None) -> Reply:
    ids = list(slots.get("result_ids") or [])
    if not ids:
        return Reply([{"text": "Hae ensin palveluja, niin voin kertoa niistä tarkemmin."}], {})
    service_id = pick(ids, ordinal)
    if not service_id:
        return Reply([{"text": f"Minkä palvelun tiedot haluat? Kirjoita numero 1–{len(ids)}."}], {})
    try:
        data = await service_details(service_id)
    except CatalogUnavailable:
        return Reply([{"text": UNAVAILABLE}], {})
    return Reply([{"text": details_text(data)}], {})
