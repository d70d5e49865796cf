"""Carry out a button the resident chose by typing its text or number."""

from __future__ import annotations

from typing import Any

from bot.dialogue.buttons import Choice
from bot.dialogue.details import details_turn
from bot.dialogue.search_turn import Reply, more_turn, search_turn

SEARCH_SLOTS = ("theme", "municipality", "target_group", "county")
# Buttons whose payload is answered by a plain response.
RESPONSES = {"greet": "utter_greet", "help": "utter_help", "affirm": "utter_help",
             "deny": "utter_anything_else", "ask_human": "utter_ask_human",
             }


async def choice_turn(slots: dict[str, Any], choice: Choice) -> Reply:
    intent, values = choice.intent, choice.entities
    if intent in ("inform", "search_services", "filter_results"):
        entities = [{"entity": name, "value": value} for name, value in values.items()]
        updates = {name: value for name, value in values.items() if name in SEARCH_SLOTS}
        reply = await search_turn({**slots, **updates}, entities, "/" + intent, intent)
        return Reply(reply.messages, {**updates, **reply.slots}, reply.ask)
    if intent == "more_results":
        return await more_turn(slots)
    if intent == "service_details":
        ordinal = values.get("ordinal")
        return await details_turn(slots, str(ordinal) if ordinal is not None else None)
    if intent == "start_referral":
        from bot.dialogue.referral import start_referral

        ordinal = values.get("ordinal")
        return await start_referral(slots, str(ordinal) if ordinal is not None else None)
    if intent in RESPONSES:
        return Reply([], {}, ask=RESPONSES[intent])
    return Reply([], {}, ask="utter_default")
