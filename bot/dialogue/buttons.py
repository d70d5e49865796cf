"""Typed answers to buttons: every answer that has buttons also works by typing the button's
text or its number ("2", "kakkonen", "Kulttuuri").

Used in two places: the Rasa ``ButtonPolicy`` decides from it that a typed message chose a
button, and the ``action_choose_option`` action carries the chosen button's payload out.
Events are plain dicts as in the tracker's JSON (``{"event": "bot", "data": {"buttons": ...}}``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.finnish.morphology import fold_diacritics

NUMBER_WORDS = {
    "yksi": 1, "yks": 1, "ykkonen": 1, "eka": 1, "ensimmainen": 1,
    "kaksi": 2, "kaks": 2, "kakkonen": 2, "toka": 2, "toinen": 2,
    "kolme": 3, "kolmonen": 3, "kolmas": 3,
    "nelja": 4, "nelonen": 4, "neljas": 4,
    "viisi": 5, "viis": 5, "vitonen": 5, "viides": 5,
    "kuusi": 6, "kuus": 6, "kutonen": 6, "kuudes": 6,
    "seitseman": 7, "seiska": 7, "seitsemas": 7,
    "kahdeksan": 8, "kasi": 8, "kahdeksas": 8,
    "yhdeksan": 9, "ysi": 9, "yhdeksas": 9,
    "kymmenen": 10, "kymppi": 10, "kymmenes": 10,
}
NUMBER_PREFIXES = ("numero", "nro", "vaihtoehto", "valinta", "nappi")
TEXT_PAYLOAD = "text"  # Choice.intent of a button whose payload is plain text
MAX_TYPED = 80  # a longer message is a sentence, not a button


@dataclass(frozen=True)
class Choice:
    """A chosen button: its title and its payload split into intent and entities."""

    title: str
    intent: str
    entities: dict[str, Any]


def _normal(text: str) -> str:
    text = fold_diacritics(text.casefold())
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def _number(text: str) -> int | None:
    words = _normal(text).split()
    if words and words[0] in NUMBER_PREFIXES:
        words = words[1:]
    if len(words) != 1:
        return None
    word = words[0]
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def offered_buttons(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The buttons of the bot's last turn: every bot message after the user's previous message.

    ``events`` holds the user message being answered (with whatever Rasa logged after it).
    """
    end = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    if end < 0:
        return []
    buttons: list[dict[str, Any]] = []
    for event in reversed(events[:end]):
        kind = event.get("event")
        if kind == "user":
            break
        if kind == "bot":
            found = (event.get("data") or {}).get("buttons") or []
            buttons = [b for b in found if isinstance(b, dict) and b.get("payload")] + buttons
    return buttons


def parse_payload(payload: str) -> tuple[str, dict[str, Any]] | None:
    """'/inform{"theme": "liikunta"}' -> ("inform", {"theme": "liikunta"})."""
    match = re.fullmatch(r"/(\w+)(\{.*\})?", payload.strip(), flags=re.DOTALL)
    if not match:
        return None
    entities: dict[str, Any] = {}
    if match.group(2):
        try:
            loaded = json.loads(match.group(2))
        except json.JSONDecodeError:
            return None
        if not isinstance(loaded, dict):
            return None
        entities = loaded
    return match.group(1), entities


def choose(events: list[dict[str, Any]], text: str) -> Choice | None:
    """The button the typed ``text`` chooses among the buttons offered last, if any."""
    if not text or len(text) > MAX_TYPED or text.startswith("/"):
        return None
    buttons = offered_buttons(events)
    if not buttons:
        return None
    chosen: dict[str, Any] | None = None
    number = _number(text)
    if number is not None:
        # Numbered titles ("6. Kuntosali") win over position: result pages go on counting.
        titles = [_normal(str(b.get("title", ""))) for b in buttons]
        numbered = [b for b, title in zip(buttons, titles, strict=True) if title.startswith(f"{number} ")]
        if numbered:
            chosen = numbered[0]
        elif not any(re.match(r"\d+ ", title) for title in titles) and 1 <= number <= len(buttons):
            chosen = buttons[number - 1]
    else:
        typed = _normal(text)
        for button in buttons:
            title = _normal(str(button.get("title", "")))
            if typed and (typed == title or typed == re.sub(r"^\d+\s+", "", title)):
                chosen = button
                break
    if chosen is None:
        return None
    payload = str(chosen["payload"])
    if not payload.startswith("/"):  # a button that sends its text, as the referral's do
        return Choice(str(chosen.get("title", "")), TEXT_PAYLOAD, {"text": payload})
    parsed = parse_payload(payload)
    if parsed is None:
        return None
    return Choice(str(chosen.get("title", "")), parsed[0], parsed[1])
