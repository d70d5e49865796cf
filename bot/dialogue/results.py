"""How search results read in the chat: short Finnish text cards, plus a JSON payload the web
widget draws as cards."""

from __future__ import annotations

from typing import Any

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
    if facts:
        lines.append("   " + " · ".join(facts))
    return "\n".join(lines)


def results_text(items: list[dict[str, Any]], first_number: int) -> str:
    return "\n\n".join(card_lines(first_number + i, item) for i, item in enumerate(items))


def cards_payload(items: list[dict[str, Any]], first_number: int) -> dict[str, Any]:
    keys = ("id", "name", "summary", "provider", "address", "phone", "email", "web_page",
            "opening_hours", "charge_type", "scope", "online", "demo")
    return {"type": "service_cards",
            "items": [{"number": first_number + i, **{k: item.get(k) for k in keys}}
                      for i, item in enumerate(items)]}
