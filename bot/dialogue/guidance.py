"""Human help: the county's service guidance (palveluohjaus) contact, offered when someone asks
for a person and after two misunderstandings in a row."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.dialogue.search_turn import Reply
from bot.finnish.places import municipalities
from bot.finnish.query import is_gibberish
from bot.settings import get_settings

THEME_BUTTONS = [
    ("Liikunta", "liikunta"), ("Kulttuuri", "kulttuuri"),
    ("Vertaistuki ja yhteinen toiminta", "osallisuus"), ("Mielen hyvinvointi", "mielen_hyvinvointi"),
    ("Neuvonta", "neuvonta"),
]


@dataclass(frozen=True)
class Guidance:
    county_code: str
    name: str
    phone: str
    hours: str
    web_page: str

    def text(self) -> str:
        parts = [f"{self.name}: puh. {self.phone}, {self.hours}."]
        if self.web_page:
            parts.append(f"Verkossa: {self.web_page}")
        return " ".join(parts)


@cache
def _load(path: Path) -> dict[str, Guidance]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["county_code"]: Guidance(row["county_code"], row["name"], row["phone"], row["hours"],
                                             row.get("web_page") or "")
                for row in csv.DictReader(handle)}


def guidance_contacts() -> dict[str, Guidance]:
    return _load(get_settings().service_guidance_file)


def county_of(slots: dict[str, Any]) -> str | None:
    code = slots.get("municipality")
    if code and code in municipalities():
        return municipalities()[code].county_code
    county = slots.get("county")
    return str(county) if county else None


def human_help(slots: dict[str, Any], intro: str) -> Reply:
    """The service guidance contact of the resident's county, or of every configured county."""
    contacts = guidance_contacts()
    county = county_of(slots)
    if county in contacts:
        return Reply([{"text": f"{intro} {contacts[county].text()}"}], {})
    lines = [intro + " Hyvinvointialueiden palveluohjaus:"]
    lines += [f"• {c.text()}" for c in contacts.values()]
    lines.append("Jos kerrot kuntasi, annan oman alueesi yhteystiedot.")
    return Reply([{"text": "\n".join(lines)}], {})


def misunderstood_turns(events: list[dict[str, Any]]) -> int:
    """How many of the user's latest messages in a row the bot did not understand."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name")
        understood_words = any(e.get("entity") in ("municipality", "county", "theme", "target_group")
                               for e in parse.get("entities") or [])
        if understood_words or (intent != "nlu_fallback" and not is_gibberish(event.get("text") or "")):
            break
        count += 1
    return count


def not_understood(slots: dict[str, Any], events: list[dict[str, Any]]) -> Reply:
    """First miss: a clarifying question with theme buttons. Second miss in a row: a person."""
    if misunderstood_turns(events) >= 2:
        return human_help(slots, "En valitettavasti ymmärtänyt. Ihminen voi auttaa paremmin:")
    buttons = [{"title": title, "payload": f'/inform{{"theme": "{theme}"}}'} for title, theme in THEME_BUTTONS]
    return Reply([{"text": "En ole varma, mitä tarkoitit. Kerro toisin sanoin, tai valitse aihe:",
                   "buttons": buttons}], {})
