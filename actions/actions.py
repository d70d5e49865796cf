"""Rasa SDK actions: thin adapters from the tracker to ``bot.dialogue``."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.access import PROFESSIONAL, latest_user_metadata, verified_claims, verified_role
from bot.dialogue.buttons import choose
from bot.dialogue.choice import choice_turn
from bot.dialogue.crisis import crisis_services
from bot.dialogue.details import details_turn
from bot.dialogue.guidance import human_help, not_understood
from bot.dialogue.referral import END_SLOTS, referral_step, start_referral
from bot.dialogue.search_turn import Reply, more_turn, search_turn
from bot.finnish.query import is_gibberish
from bot.settings import get_settings

SEARCH_ENTITIES = ("municipality", "county", "theme", "target_group")
SLOTS = ("theme", "municipality", "county", "target_group", "results_offset", "query_text", "query_boost",
         "filters", "result_ids", "focused_service", "referral_stage", "referral_service", "referral_draft",
         "referral_filled", "referral_consent_text")


def _portal_municipality(tracker: Tracker, metadata: dict[str, Any] | None) -> str | None:
    claims = verified_claims(metadata, tracker.sender_id, get_settings().channel_secret)
    municipality = claims.get("municipality")
    return str(municipality) if municipality else None


def _slots(tracker: Tracker) -> dict[str, Any]:
    slots = {name: tracker.get_slot(name) for name in SLOTS}
    if not slots["municipality"] and not slots["county"]:  # what the portal already knows
        slots["municipality"] = _portal_municipality(tracker, latest_user_metadata(tracker.events))
    return slots


def _search_entities(latest: dict[str, Any]) -> list[dict[str, Any]]:
    """The message's entities without the language tag (it says nothing about what is searched)."""
    return [e for e in latest.get("entities") or [] if e.get("entity") != "message_language"]


def _portal_proven_sender(tracker: Tracker) -> str:
    """The conversation id, only when this very message came through the portal channel with a valid
    proof for this conversation: the portal's contact details (prefill) are for that user alone."""
    claims = verified_claims(latest_user_metadata(tracker.events), tracker.sender_id, get_settings().channel_secret)
    return str(tracker.sender_id) if claims else ""


def _professional(tracker: Tracker) -> bool:
    metadata = latest_user_metadata(tracker.events)
    return verified_role(metadata, tracker.sender_id, get_settings().channel_secret) == PROFESSIONAL


class ActionSessionStart(Action):  # type: ignore[misc]
    """A new conversation keeps the earlier slots and takes the municipality a portal token proves."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = [SessionStarted()]
        kept = {name: value for name, value in (tracker.current_slot_values() or {}).items()
                if value is not None and name != "session_started_metadata" and not name.startswith("referral_")}
        metadata = tracker.get_slot("session_started_metadata")
        municipality = _portal_municipality(tracker, metadata if isinstance(metadata, dict) else None)
        if municipality and not kept.get("municipality"):
            kept["municipality"] = municipality
        events += [SlotSet(name, value) for name, value in kept.items()]
        return [*events, ActionExecuted("action_listen")]


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
        entities = _search_entities(latest)
        if not entities and is_gibberish(latest.get("text") or ""):
            return _send(dispatcher, not_understood(_slots(tracker), tracker.events))  # no guessing
        reply = await search_turn(_slots(tracker), entities,
                                  latest.get("text") or "", (latest.get("intent") or {}).get("name", ""),
                                  professional=_professional(tracker), need=latest.get("need"))
        return _send(dispatcher, reply)


class ActionMoreResults(Action):  # type: ignore[misc]
    def name(self) -> str:
        return "action_more_results"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return _send(dispatcher, await more_turn(_slots(tracker), professional=_professional(tracker)))


class ActionServiceDetails(Action):  # type: ignore[misc]
    def name(self) -> str:
        return "action_service_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ordinal = next(tracker.get_latest_entity_values("ordinal"), None)
        fact = next(tracker.get_latest_entity_values("service_fact"), None)
        return _send(dispatcher, await details_turn(_slots(tracker), ordinal, fact))


class ActionChooseOption(Action):  # type: ignore[misc]
    """A typed button text or number ("2", "Kulttuuri"), chosen by the ButtonPolicy."""

    def name(self) -> str:
        return "action_choose_option"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        choice = choose(tracker.events, (tracker.latest_message or {}).get("text") or "")
        if choice is None:
            return _send(dispatcher, not_understood(_slots(tracker), tracker.events))
        return _send(dispatcher, await choice_turn(_slots(tracker), choice))


class ActionNotUnderstood(Action):  # type: ignore[misc]
    """A clarifying question first; after two misses in a row, the county's human guidance."""

    def name(self) -> str:
        return "action_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        entities = _search_entities(latest)
        if any(e.get("entity") in SEARCH_ENTITIES for e in entities):
            # the place, theme or group words are certain even when the sentence was not understood
            return _send(dispatcher, await search_turn(_slots(tracker), entities, latest.get("text") or "",
                                                       "inform", professional=_professional(tracker)))
        return _send(dispatcher, not_understood(_slots(tracker), tracker.events))


class ActionHumanGuidance(Action):  # type: ignore[misc]
    def name(self) -> str:
        return "action_human_guidance"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        return _send(dispatcher, human_help(_slots(tracker), "Ihminen auttaa mielellään."))


class ActionCrisisServices(Action):  # type: ignore[misc]
    """After the crisis answer: the mental-health services of the municipality, when known.
    Finnish only: nothing is added to a crisis answered in Swedish, English or another language."""

    def name(self) -> str:
        return "action_crisis_services"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        slots = _slots(tracker)
        events = _send(dispatcher, await crisis_services(slots, tracker.get_slot("message_language")))
        if slots.get("referral_stage"):  # a referral in progress is set aside; its draft expires
            events += [SlotSet(name, value) for name, value in END_SLOTS.items()]
        return events


class ActionStartReferral(Action):  # type: ignore[misc]
    def name(self) -> str:
        return "action_start_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ordinal = next(tracker.get_latest_entity_values("ordinal"), None)
        return _send(dispatcher, await start_referral(_slots(tracker), ordinal))


class ActionReferralStep(Action):  # type: ignore[misc]
    """Every message while a referral is open comes here (chosen by the ReferralPolicy)."""

    def name(self) -> str:
        return "action_referral_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        reply = await referral_step(_slots(tracker), latest.get("text") or "",
                                    (latest.get("intent") or {}).get("name", ""), tracker.events,
                                    _portal_proven_sender(tracker))
        return _send(dispatcher, reply)
