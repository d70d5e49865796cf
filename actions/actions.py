"""Rasa SDK actions: thin adapters from the tracker to ``bot.dialogue``."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.details import details_turn
from bot.dialogue.search_turn import Reply, more_turn, search_turn

SLOTS = ("theme", "municipality", "county", "target_group", "results_offset", "query_text", "query_boost",
         "filters", "result_ids")


def _slots(tracker: Tracker) -> dict[str, Any]:
    return {name: tracker.get_slot(name) for name in SLOTS}


def _send(dispatcher: CollectingDispatcher, reply: Reply) -> list[dict[str, Any]]:
    for message in reply.messages:
        dispatcher.utter_message(**message)
    if reply.ask:
        dispatcher.utter_message(response=reply.ask)
    return [SlotSet(name, value) for name, value in reply.slots.items()]


class ActionSearchServices(Action):  # type: ignore[misc]
    def name(self) -> str:
        return "action_search_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        reply = await search_turn(_slots(tracker), latest.get("entities") or [],
                                  latest.get("text") or "", (latest.get("intent") or {}).get("name", ""))
        return _send(dispatcher, reply)


class ActionMoreResults(Action):  # type: ignore[misc]
    def name(self) -> str:
        return "action_more_results"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return _send(dispatcher, await more_turn(_slots(tracker)))


class ActionServiceDetails(Action):  # type: ignore[misc]
    def name(self) -> str:
        return "action_service_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ordinal = next(tracker.get_latest_entity_values("ordinal"), None)
        return _send(dispatcher, await details_turn(_slots(tracker), ordinal))
