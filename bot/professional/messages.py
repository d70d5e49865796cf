"""The texts a client receives when a professional sends them a service."""

from __future__ import annotations

from typing import Any

from bot.catalog.describe import details_text, facts

SMS_FACTS = ("Osoite", "Aukioloajat", "Puhelin", "Verkkosivu")
SMS_MAX = 640  # four SMS segments
FOOTER = "Viesti on lähetetty hyvinvointipalvelujen hakupalvelusta. Älä vastaa tähän viestiin."


def email_subject(service: dict[str, Any]) -> str:
    return f"Palvelun tiedot: {service['name']}"[:200]


def email_body(service: dict[str, Any], note: str | None) -> str:
    parts = ["Hei,", "", "tässä palvelun tiedot, joista puhuimme:", "", details_text(service, 500)]
    if note:
        parts += ["", note.strip()]
    if service.get("demo"):
        parts += ["", "(Esimerkkiaineisto: palvelu ei ole todellinen.)"]
    parts += ["", FOOTER]
    return "\n".join(parts)


def sms_body(service: dict[str, Any], note: str | None) -> str:
    lines = [service["name"] + (f" – {service['provider']}" if service.get("provider") else "")]
    lines += [f"{label}: {value}" for label, value in facts(service) if label in SMS_FACTS]
    if note:
        lines.append(note.strip())
    if service.get("demo"):
        lines.append("(Esimerkkiaineisto)")
    text = "\n".join(lines)
    return text if len(text) <= SMS_MAX else text[:SMS_MAX - 1] + "…"
