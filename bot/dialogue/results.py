"""How search results read in the chat: short Finnish text cards, plus a JSON payload the web
widget draws as cards."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from bot.settings import get_settings

SCOPE_NOTES = {"county": "koko hyvinvointialueella", "nationwide": "valtakunnallinen"}
CHARGE = {"free": "maksuton", "chargeable": "maksullinen"}


def card_lines(number: int, item: dict[str, Any]) -> str:
    head = f"{number}. {item['name']}"
    if item.get("provider"):
        head += f" – {item['provider']}"
    lines = [head]
    if item.get("summary"):
        lines.append(f"   {item['summary']}")
    facts = []
    if item.get("address"):
        facts.append(item["address"])
    elif item.get("scope") in SCOPE_NOTES or item.get("online"):
        facts.append("verkossa tai puhelimitse")
    if item.get("scope") in SCOPE_NOTES:
        facts.append(SCOPE_NOTES[item["scope"]])
    if item.get("charge_type") in CHARGE:
        facts.append(CHARGE[item["charge_type"]])
    if item.get("opening_hours"):
        facts.append(item["opening_hours"])
    if item.get("phone"):
        facts.append(f"puh. {item['phone']}")
    if item.get("referral_available"):
        facts.append("lähete mahdollinen")
    if facts:
        lines.append("   " + " · ".join(facts))
    return "\n".join(lines)


def results_text(items: list[dict[str, Any]], first_number: int) -> str:
    return "\n\n".join(card_lines(first_number + i, item) for i, item in enumerate(items))


def cards_payload(items: list[dict[str, Any]], first_number: int) -> dict[str, Any]:
    keys = ("id", "name", "summary", "provider", "address", "phone", "email", "web_page",
            "opening_hours", "charge_type", "scope", "online", "demo", "referral_available")
    return {"type": "service_cards",
            "items": [{"number": first_number + i, **{k: item.get(k) for k in keys}}
                      for i, item in enumerate(items)]}


def short_title(number: int, name: str, width: int = 48) -> str:
    title = f"{number}. {name}"
    return title if len(title) <= width else title[:width - 1].rstrip() + "…"


def choice_buttons(items: list[dict[str, Any]], first_number: int, more: bool) -> list[dict[str, str]]:
    """One details button per listed service, then "Näytä lisää" when more are left.

    The title starts with the service's number, so typing "2" or the title works as well.
    """
    buttons = [{"title": short_title(first_number + i, item["name"]),
                "payload": f'/service_details{{"ordinal": "{first_number + i}"}}'}
               for i, item in enumerate(items)]
    if more:
        buttons.append({"title": "Näytä lisää", "payload": "/more_results"})
    return buttons


def compact_line(number: int, item: dict[str, Any]) -> str:
    """One line per service for professionals: name, provider, where, price, phone."""
    where = item.get("address") or ("verkossa/puhelimitse" if item.get("online") or item.get("scope") != "local"
                                    else "")
    parts = [f"{number}. {item['name']}", item.get("provider") or "", where,
             CHARGE.get(item.get("charge_type") or "", ""),
             f"puh. {item['phone']}" if item.get("phone") else ""]
    return " · ".join(p for p in parts if p)


def compact_text(items: list[dict[str, Any]], first_number: int) -> str:
    return "\n".join(compact_line(first_number + i, item) for i, item in enumerate(items))


def print_url(service_ids: list[str]) -> str:
    """The one-page print view of the given services, served by the catalog service."""
    return f"{get_settings().public_url}/print?{urlencode({'ids': ','.join(service_ids)})}"
