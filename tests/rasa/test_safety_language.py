"""The safety answer in the language of the message (run in the Rasa environment).

1. The SafetyNet component sets the crisis / emergency intent and the entity message_language.
2. action_extract_slots fills the slot from that entity (Rasa runs it right after the message
   is parsed and before the next action is predicted: rasa/core/processor.py, handle_message:
   log_message -> run_action_extract_slots -> _run_prediction_loop), and the entity does not
   enter the dialogue state, so the rules work as before.
3. The templated NLG picks the response variation of the slot's value, Finnish by default.
"""

import asyncio
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bot.rasa.language_detector import Detection, decide
from bot.rasa.safety_net import SafetyNet
from bot.safety import CRISIS_ANSWER, EMERGENCY_ANSWER
from tests.safety_cases import CRISIS, HARMLESS, tuning_corpus
from tests.safety_cases.multilingual_insample import CRISIS as CRISIS_ELSEWHERE
from tests.safety_cases.multilingual_insample import EMERGENCY as EMERGENCY_ELSEWHERE

ROOT = Path(__file__).resolve().parents[2]
ANSWERED_IN = {"fi": "fi", "sv": "sv", "en": "en"}


def _create(tmp_path: Path, **config: Any) -> SafetyNet:
    return SafetyNet.create({**SafetyNet.get_default_config(), **config}, LocalModelStorage(tmp_path),
                            Resource("safety"), ExecutionContext(graph_schema=None, model_id="m"))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> SafetyNet:
    return _create(tmp_path_factory.mktemp("safety"))


def _run(net: SafetyNet, text: str, intent: str = "nlu_fallback", confidence: float = 0.3,
         entities: List[Dict[str, Any]] | None = None) -> Message:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "entities": list(entities or [])})
    (out,) = net.process([message])
    return out


def _language(message: Message) -> str | None:
    values = [e["value"] for e in message.get("entities") or [] if e["entity"] == "message_language"]
    assert len(values) <= 1
    return values[0] if values else None


@pytest.mark.parametrize(("text", "intent", "language"), [
    ("I want to kill myself", "crisis", "en"),
    ("Jag vill inte leva längre", "crisis", "sv"),
    ("haluan tappaa itseni", "crisis", "fi"),
    ("Я хочу покончить с собой", "crisis", "other"),
    ("Waxaan doonayaa inaan is dilo", "crisis", "other"),
    ("my dad is having a heart attack", "medical_emergency", "en"),
    ("min pappa andas inte", "medical_emergency", "sv"),
    ("isällä on kova rintakipu", "medical_emergency", "fi"),
])
def test_safety_message_gets_intent_and_language(net: SafetyNet, text: str, intent: str, language: str) -> None:
    out = _run(net, text)
    assert out.get("intent") == {"name": intent, "confidence": 1.0}
    assert _language(out) == language


@pytest.mark.parametrize(("language", "text"), CRISIS_ELSEWHERE + EMERGENCY_ELSEWHERE)
def test_in_sample_wordings_are_answered_in_their_language(net: SafetyNet, language: str, text: str) -> None:
    out = _run(net, text)
    assert out.get("intent")["name"] in ("crisis", "medical_emergency")
    assert _language(out) == ANSWERED_IN.get(language, "other")


TUNING = tuning_corpus()  # in-sample: written together with the lists (tests/finnish/test_safety_tuning.py)


@pytest.mark.parametrize(("language", "kind", "text"),
                         [(m["lang"], m["kind"], m["text"]) for m in TUNING if m["kind"] != "harmless"])
def test_tuning_corpus_is_answered_in_its_language(net: SafetyNet, language: str, kind: str, text: str) -> None:
    """Swedish and English safety messages get the sv / en answer, every other language 'other'."""
    out = _run(net, text)
    intent = out.get("intent")["name"]
    # an emergency answered as a crisis still gets 112 (bench.safety_eval counts it as caught)
    assert intent == "crisis" if kind == "crisis" else intent in ("crisis", "medical_emergency")
    assert _language(out) == ANSWERED_IN.get(language, "other")


@pytest.mark.parametrize(("language", "text"), [(m["lang"], m["text"]) for m in TUNING if m["kind"] == "harmless"])
def test_tuning_corpus_look_alikes_keep_their_intent(net: SafetyNet, language: str, text: str) -> None:
    out = _run(net, text, "search_services", 0.6)
    assert out.get("intent") == {"name": "search_services", "confidence": 0.6}


@pytest.mark.parametrize("text", CRISIS)
def test_finnish_crisis_is_answered_in_finnish(net: SafetyNet, text: str) -> None:
    out = _run(net, text)
    assert out.get("intent")["name"] == "crisis" and _language(out) == "fi"


@pytest.mark.parametrize("text", [*HARMLESS, "Mitä liikuntaryhmiä on ikääntyneille Raumalla?", "2", "ok"])
def test_finnish_message_keeps_its_parse_result(net: SafetyNet, text: str) -> None:
    entities = [{"entity": "theme", "value": "liikunta", "start": 0, "end": 2, "extractor": "FinnishEntityExtractor"}]
    out = _run(net, text, "search_services", 0.9, entities)
    assert out.get("intent") == {"name": "search_services", "confidence": 0.9}
    assert out.get("entities") == entities


@pytest.mark.parametrize(("text", "language"), [
    ("killing time at the library", "en"), ("I'm dying to try yoga", None),
    ("suicide prevention training for volunteers", "en"),
    ("självmordsprevention utbildning för volontärer", "sv"), ("kurs i första hjälp", "sv"),
    ("Quiero hacer deporte en Madrid con mis amigos", "other"),
])
def test_look_alikes_keep_their_intent(net: SafetyNet, text: str, language: str | None) -> None:
    out = _run(net, text, "search_services", 0.6)
    assert out.get("intent") == {"name": "search_services", "confidence": 0.6}
    assert _language(out) == language


def test_language_entity_names_no_words(net: SafetyNet) -> None:
    (entity,) = _run(net, "I want to kill myself").get("entities")
    assert entity == {"entity": "message_language", "value": "en", "start": 0, "end": 0, "extractor": "SafetyNet"}


def test_classifier_crisis_without_rule_match_is_finnish_when_unsure(net: SafetyNet) -> None:
    out = _run(net, "ahdistaa", "crisis", 0.8)
    assert out.get("intent") == {"name": "crisis", "confidence": 0.8} and _language(out) == "fi"


def test_unsupported_language_intent_is_optional(net: SafetyNet, tmp_path: Path) -> None:
    text = "Quiero hacer deporte en Madrid con mis amigos"
    assert _run(net, text, "search_services", 0.6).get("intent")["name"] == "search_services"
    noted = _create(tmp_path, unsupported_language_intent="other_language")
    assert _run(noted, text, "search_services", 0.6).get("intent") == {"name": "other_language", "confidence": 1.0}
    assert _run(noted, "Я хочу покончить с собой").get("intent")["name"] == "crisis"
    assert _run(noted, "liikuntaa Raumalla ikääntyneille", "search_services", 0.9).get("intent")["name"] == \
        "search_services"


def test_without_detection_every_answer_is_finnish(tmp_path: Path) -> None:
    out = _run(_create(tmp_path, detect_language=False), "I want to kill myself")
    assert out.get("intent")["name"] == "crisis" and _language(out) is None


def test_decision_rules() -> None:
    # a list match decides over an unsure detector; several lists: the detector, then fi, en, sv
    assert decide("suicide", Detection("fr", 0.37), ("en", "fr")) == "en"
    assert decide("Ma tahan surra", Detection("fi", 0.24), ("et",)) == "other"
    assert decide("I want to die", Detection("en", 0.6), ("fi", "en")) == "en"
    assert decide("x", None, ("fi", "en")) == "fi"
    # without a safety match: only a sure, long enough guess; Finnish when the message is a crisis
    assert decide("hej", Detection("sv", 0.99)) is None
    assert decide("ahdistaa kovasti", None, (), safety_intent=True) == "fi"
    assert decide("no quiero vivir en Madrid", Detection("es", 0.95)) == "other"
    assert decide("mitä liikuntaa on tarjolla", Detection("et", 0.95)) is None  # Voikko knows the words


# --- The domain: slot, entity and the response variations -----------------------------------------

@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def _tracker(domain: Domain, language: str | None) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen"), UserUttered("x", {"name": "crisis", "confidence": 1.0})]
    if language:
        events.append(SlotSet("message_language", language))
    return DialogueStateTracker.from_events("t", events, domain.slots)


def _answer(domain: Domain, response: str, language: str | None, channel: str = "rest") -> str:
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    generated = asyncio.run(nlg.generate(response, _tracker(domain, language), channel))
    assert generated is not None
    return str(generated["text"])


@pytest.mark.parametrize("channel", ["rest", "socketio", "portal", "professional"])
def test_response_variation_follows_the_slot(domain: Domain, channel: str) -> None:
    assert _answer(domain, "utter_crisis", None, channel) == CRISIS_ANSWER
    assert _answer(domain, "utter_crisis", "fi", channel) == CRISIS_ANSWER
    assert "09 2525 0112" in _answer(domain, "utter_crisis", "sv", channel)
    assert "09 2525 0116" in _answer(domain, "utter_crisis", "en", channel)
    assert _answer(domain, "utter_crisis", "other", channel).startswith("112")
    assert _answer(domain, "utter_medical_emergency", None, channel) == EMERGENCY_ANSWER
    assert "Jourhjälpen" in _answer(domain, "utter_medical_emergency", "sv", channel)
    assert "Medical Helpline" in _answer(domain, "utter_medical_emergency", "en", channel)
    assert _answer(domain, "utter_medical_emergency", "other", channel).startswith("112")


def test_extract_slots_sets_the_language_from_the_entity(domain: Domain) -> None:
    parse = {"intent": {"name": "crisis", "confidence": 1.0},
             "entities": [{"entity": "message_language", "value": "sv", "start": 0, "end": 0}]}
    events = [ActionExecuted("action_listen"),
              UserUttered("jag vill dö", parse["intent"], parse["entities"], parse_data=parse)]
    tracker = DialogueStateTracker.from_events("t", events, domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    extracted = asyncio.run(ActionExtractSlots(None).run(CollectingOutputChannel(), nlg, tracker, domain))
    assert SlotSet("message_language", "sv") in extracted
    tracker.update_with_events(extracted, domain)
    assert _answer_from(tracker, domain).startswith("Jag är orolig för dig")


def _answer_from(tracker: DialogueStateTracker, domain: Domain) -> str:
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    generated = asyncio.run(nlg.generate("utter_crisis", tracker, "rest"))
    assert generated is not None
    return str(generated["text"])


def test_language_entity_does_not_enter_the_dialogue_state(domain: Domain) -> None:
    entities = [{"entity": "message_language", "value": "en", "start": 0, "end": 0},
                {"entity": "theme", "value": "liikunta", "start": 0, "end": 4}]
    message = UserUttered("x", {"name": "search_services", "confidence": 1.0}, entities)
    assert domain._get_featurized_entities(message) == {"theme"}
    assert not domain.slots_for_entities(entities) or all(
        not s.influence_conversation for s in domain.slots if s.name == "message_language")
    slot = next(s for s in domain.slots if s.name == "message_language")
    assert slot.type_name == "categorical" and not slot.influence_conversation
    assert set(slot.values) >= {"fi", "sv", "en", "other"}
