"""One search turn of the conversation: decide what is still missing, search, and answer.

Used by the thin Rasa SDK actions in ``actions/``. Slots follow the contract: ``theme``,
``municipality`` (3-digit code), ``target_group``; ``county`` is this project's extension for
county-wide searches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from bot.catalog.client import CatalogUnavailable, search_services
from bot.dialogue.results import cards_payload, choice_buttons, compact_text, print_url, results_text
from bot.finnish.phrases import in_county, in_municipality, search_sentence
from bot.finnish.places import municipalities, municipality_by_name
from bot.finnish.query import search_terms
from bot.finnish.vocabulary import THEME_LABELS

PAGE_SIZE = 5
PROFESSIONAL_PAGE_SIZE = 10
# Where to look next when a theme has nothing in the area.
NEIGHBOUR_THEMES = {
    "liikunta": "luonto", "luonto": "liikunta", "kulttuuri": "osallisuus",
    "ravitsemus": "elintavat", "elintavat": "ravitsemus", "osallisuus": "kulttuuri",
    "mielen_hyvinvointi": "osallisuus", "paihteet": "mielen_hyvinvointi",
    "neuvonta": "toimeentulo", "toimeentulo": "neuvonta", "digituki": "neuvonta",
}
FILTER_NOTES = {"free": "vain maksuttomat", "swedish": "ruotsinkieliset",
                "accessible": "esteettömyystiedot ilmoitettu", "open_today": "auki tänään",
                "this_week": "aukioloajat kerrottu"}
UNAVAILABLE = "Palveluhaku ei juuri nyt toimi. Yritä hetken kuluttua uudelleen."


def today_weekday() -> int:
    return dt.datetime.now(ZoneInfo("Europe/Helsinki")).weekday()


@dataclass
class Reply:
    """What the action sends: messages (text, buttons, custom payload) and slot updates."""

    messages: list[dict[str, Any]]
    slots: dict[str, Any]
    ask: str | None = None  # a response template to utter, e.g. utter_ask_municipality


@dataclass
class Criteria:
    theme: str | None
    municipality: str | None
    county: str | None
    target_group: str | None
    q: str | None
    boost: str | None = None
    filters: tuple[str, ...] = ()
    page_size: int = PAGE_SIZE

    def params(self, offset: int) -> dict[str, Any]:
        params: dict[str, Any] = {
            "theme": self.theme, "municipality": self.municipality,
            "county": None if self.municipality else self.county,
            "target_group": self.target_group, "q": self.q, "boost": self.boost,
            "limit": self.page_size, "offset": offset}
        if "free" in self.filters:
            params["free_only"] = "true"
        if "swedish" in self.filters:
            params["language"] = "sv"
        if "accessible" in self.filters:
            params["accessible"] = "true"
        if "open_today" in self.filters:
            params["open_on"] = today_weekday()
        return params

    def place_phrase(self) -> str | None:
        if self.municipality:
            return in_municipality(self.municipality)
        if self.county:
            return in_county(self.county)
        return None


def criteria_from(slots: dict[str, Any], latest_entities: list[dict[str, Any]],
                  text: str, intent: str = "") -> tuple[Criteria, dict[str, Any]]:
    """The search criteria of this turn, and the slot corrections it implies."""
    corrections: dict[str, Any] = {}
    named = {e.get("entity") for e in latest_entities}
    municipality = slots.get("municipality")
    county = slots.get("county")
    if "county" in named and "municipality" not in named:
        municipality = None
        corrections["municipality"] = None
    elif "municipality" in named:
        county = None
        corrections["county"] = None
    if municipality and municipality not in municipalities():
        municipality = None
        corrections["municipality"] = None
    lone = municipality_by_name(text) if not municipality and not county and " " not in text.strip() else None
    if lone:  # "salo" alone, answering "Missä kunnassa?", is the place, not the word
        municipality = corrections["municipality"] = lone.code
        latest_entities = [*latest_entities, {"entity": "municipality", "value": lone.code,
                                              "start": 0, "end": len(text)}]
    theme = slots.get("theme")
    q = boost = None
    if intent == "filter_results":  # same search as before, narrowed
        q, boost = slots.get("query_text"), slots.get("query_boost")
    elif text and not text.startswith("/"):
        if not theme and not slots.get("target_group"):
            q = search_terms(_without_entities(text, latest_entities)[:300]).strip() or None
        else:  # "velkojen" within the theme puts debt advice before food aid
            places = [e for e in latest_entities if e.get("entity") in ("municipality", "county")]
            boost = search_terms(_without_entities(text, places)[:300]).strip() or None
    # Filters stay while the search is refined; a new search with new words starts without them.
    asked = tuple(e["value"] for e in latest_entities if e.get("entity") == "filter")
    refining = intent in ("filter_results", "inform") or not (named - {"filter"})
    keep = tuple(slots.get("filters") or ()) if refining else ()
    filters = tuple(dict.fromkeys(keep + asked))
    if filters != tuple(slots.get("filters") or ()):
        corrections["filters"] = list(filters)
    return Criteria(theme, municipality, county, slots.get("target_group"), q, boost, filters), corrections


def _without_entities(text: str, entities: list[dict[str, Any]]) -> str:
    """The free text of a message with the recognised place, theme and group words removed."""
    for entity in sorted(entities, key=lambda e: e.get("start", 0), reverse=True):
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int):
            text = text[:start] + " " + text[end:]
    return text


async def _search(criteria: Criteria, offset: int) -> dict[str, Any]:
    return await search_services(criteria.params(offset))


def _result_messages(intro: str, data: dict[str, Any], offset: int,
                     professional: bool = False) -> list[dict[str, Any]]:
    items = data.get("items", [])
    messages: list[dict[str, Any]] = [{"text": intro}]
    if professional:
        messages.append({"text": compact_text(items, offset + 1)})
        messages.append({"json_message": cards_payload(items, offset + 1)})
        messages.append({"text": f"Tulostettava yhteenveto: {print_url([i['id'] for i in items])}",
                         "json_message": {"type": "professional_tools",
                                          "service_ids": [i["id"] for i in items],
                                          "print_url": print_url([i["id"] for i in items])}})
    else:
        messages.append({"text": results_text(items, offset + 1)})
        messages.append({"json_message": cards_payload(items, offset + 1)})
    shown = offset + len(items)
    more = data.get("total", 0) > shown
    prompt = "Valitse palvelu tai kirjoita sen numero, niin kerron lisää."
    if more:
        prompt = f"Löytyi yhteensä {data['total']} palvelua. " + prompt
    messages.append({"text": prompt, "buttons": choice_buttons(items, offset + 1, more)})
    return messages


CLARIFY = "Haluan ymmärtää oikein. Mihin näistä toivoisit apua tai tukea?"


def clarifying_question(need: dict[str, Any] | None, latest_entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One short question with the likeliest themes as buttons, when the message told of a need
    but no theme was sure (bot/rasa/need_classifier.py); None when there is nothing to ask."""
    asked = (need or {}).get("ask_themes") or []
    if not asked or any(e.get("entity") == "theme" for e in latest_entities):
        return None
    buttons = [{"title": THEME_LABELS[t], "payload": f'/inform{{"theme": "{t}"}}'}
               for t, _p in asked if t in THEME_LABELS]
    return {"text": CLARIFY, "buttons": buttons} if buttons else None


async def search_turn(slots: dict[str, Any], latest_entities: list[dict[str, Any]],
                      text: str, intent: str = "", professional: bool = False,
                      need: dict[str, Any] | None = None) -> Reply:
    question = clarifying_question(need, latest_entities)
    if question:  # ask instead of searching with a wrong theme (or the one from before)
        return Reply([question], {"theme": None, "results_offset": 0})
    criteria, slot_updates = criteria_from(slots, latest_entities, text, intent)
    if professional:
        criteria = replace(criteria, page_size=PROFESSIONAL_PAGE_SIZE)
    slot_updates["results_offset"] = 0
    slot_updates["query_text"] = criteria.q
    slot_updates["query_boost"] = criteria.boost
    if not criteria.municipality and not criteria.county:
        return Reply([], slot_updates, ask="utter_ask_municipality")
    if not criteria.theme and not criteria.target_group and not criteria.q:
        return Reply([], slot_updates, ask="utter_ask_theme")
    sentence = search_sentence(criteria.theme, criteria.target_group, criteria.place_phrase())
    notes = [FILTER_NOTES[f] for f in criteria.filters if f in FILTER_NOTES]
    if notes:
        sentence = sentence[:-1] + f" ({', '.join(notes)})."
    try:
        data = await _search(criteria, 0)
        if data.get("items"):
            slot_updates["results_offset"] = len(data["items"])
            slot_updates["result_ids"] = [i["id"] for i in data["items"]]
            return Reply(_result_messages(sentence, data, 0, professional), slot_updates)
        return await _alternatives(criteria, sentence, slot_updates, professional)
    except CatalogUnavailable:
        return Reply([{"text": UNAVAILABLE}], slot_updates)


async def _alternatives(criteria: Criteria, sentence: str, slot_updates: dict[str, Any],
                        professional: bool = False) -> Reply:
    """Nothing found: say so plainly, then offer the nearest alternative."""
    nothing = f"{sentence} En löytänyt sopivia palveluja."
    tries: list[tuple[Criteria, str]] = []
    plain = replace(criteria, boost=None, filters=())
    if criteria.filters:
        tries.append((replace(criteria, filters=()), "Tässä samat palvelut ilman rajausta:"))
    if criteria.target_group:
        tries.append((replace(plain, target_group=None), "Tässä samat palvelut kaikille:"))
    if criteria.q and criteria.theme is None:
        tries.append((replace(plain, q=None), "Tässä muita palveluja samalla alueella:"))
    if criteria.municipality:
        county = municipalities()[criteria.municipality].county_code
        tries.append((replace(plain, municipality=None, county=county), f"Tässä palveluja {in_county(county)}:"))
    neighbour = NEIGHBOUR_THEMES.get(criteria.theme or "")
    if neighbour:
        tries.append((replace(plain, theme=neighbour, q=None), "Tässä läheisen aiheen palveluja:"))
    for alternative, intro in tries:
        data = await _search(alternative, 0)
        if data.get("items"):
            messages = _result_messages(intro, data, 0, professional)
            messages.insert(0, {"text": nothing})
            slot_updates.update(results_offset=len(data["items"]),
                                result_ids=[i["id"] for i in data["items"]],
                                theme=alternative.theme, target_group=alternative.target_group,
                                query_text=alternative.q, query_boost=None)
            return Reply(messages, slot_updates)
    return Reply([{"text": nothing + " Voit kokeilla toista aihetta tai kuntaa."}], slot_updates,
                 ask="utter_ask_theme")


async def more_turn(slots: dict[str, Any], professional: bool = False) -> Reply:
    offset = int(slots.get("results_offset") or 0)
    criteria = Criteria(slots.get("theme"), slots.get("municipality"), slots.get("county"),
                        slots.get("target_group"), slots.get("query_text"), slots.get("query_boost"),
                        tuple(slots.get("filters") or ()),
                        PROFESSIONAL_PAGE_SIZE if professional else PAGE_SIZE)
    if not (criteria.municipality or criteria.county) or offset == 0:
        return Reply([{"text": "Kerro ensin, mitä palvelua etsit ja mistä kunnasta."}], {})
    try:
        data = await _search(criteria, offset)
    except CatalogUnavailable:
        return Reply([{"text": UNAVAILABLE}], {})
    items = data.get("items", [])
    if not items:
        return Reply([{"text": "Muita palveluja ei löytynyt. Voit kokeilla toista aihetta tai kuntaa."}],
                     {})
    messages = _result_messages("Tässä lisää:", data, offset, professional)
    ids = list(slots.get("result_ids") or []) + [i["id"] for i in items]
    return Reply(messages, {"results_offset": offset + len(items), "result_ids": ids})
