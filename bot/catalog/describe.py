"""One service described in full: for the chat's details answer, the message sent to a client
and the print view."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from bot.catalog import store
from bot.catalog.search import present

CHARGE = {"free": "maksuton", "chargeable": "maksullinen"}
PTV_WEB = "https://www.suomi.fi/palvelut/"


def service_record(engine: Engine, service_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        card = conn.execute(select(store.ServiceDocumentRow.card)
                            .where(store.ServiceDocumentRow.service_id == service_id)).scalar_one_or_none()
    if card is None:
        return None
    data: dict[str, Any] = json.loads(card)
    return {**data, **present(data, "nationwide" if data["nationwide"] else "local", None)}


def finnish_date(iso: str) -> str:
    """'2026-10-01T08:00:00.000' -> '1.10.2026'."""
    try:
        year, month, day = iso[:10].split("-")
        return f"{int(day)}.{int(month)}.{year}"
    except ValueError:
        return ""


def facts(d: dict[str, Any]) -> list[tuple[str, str]]:
    """Labelled facts of a service, in the order a resident reads them; empty ones left out."""
    rows = [
        ("Osoite", d.get("address") or ("verkossa tai puhelimitse" if d.get("online") else "")),
        ("Aukioloajat", d.get("opening_hours") or ""),
        ("Hinta", " – ".join(x for x in (CHARGE.get(d.get("charge_type") or ""), d.get("charge_info")) if x)),
        ("Puhelin", d.get("phone") or ""),
        ("Sähköposti", d.get("email") or ""),
        ("Verkkosivu", d.get("web_page") or ""),
        ("Esteettömyys", next((loc["accessibility"] for loc in d.get("locations") or []
                               if loc.get("accessibility")), "")),
        ("Palvelun tiedot Suomi.fi:ssä", PTV_WEB + d["id"] if d.get("id") and not d.get("demo") else ""),
        ("Tiedot päivitetty", finnish_date(d.get("modified") or "")),
    ]
    return [(label, str(value)) for label, value in rows if value]


def details_text(d: dict[str, Any], description_chars: int = 700) -> str:
    lines = [d["name"] + (f" – {d['provider']}" if d.get("provider") else "")]
    if d.get("description"):
        lines.append(d["description"][:description_chars])
    lines += [f"{label}: {value}" for label, value in facts(d)]
    return "\n".join(lines)
