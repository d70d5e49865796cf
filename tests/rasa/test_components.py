"""Unit tests of the custom Rasa graph components (run in the Rasa environment)."""

from typing import Any, Dict, List

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bot.rasa.entities import FinnishEntityExtractor
from bot.rasa.safety_net import SafetyNet
from bot.rasa.spacy_nlp import SpacyNLP


def _create(cls: Any, tmp_path: Any, config: Dict[str, Any] | None = None) -> Any:
    return cls.create({**cls.get_default_config(), **(config or {})},
                      LocalModelStorage(tmp_path), Resource("x"),
                      ExecutionContext(graph_schema=None, model_id="m"))  # type: ignore[arg-type]


def _entities(text: str, tmp_path: Any) -> List[Dict[str, Any]]:
    extractor = _create(FinnishEntityExtractor, tmp_path)
    (message,) = extractor.process([Message(data={"text": text})])
    return message.get("entities")


def test_extractor_normalises_values(tmp_path: Any) -> None:
    text = "Mitä liikuntaryhmiä on ikääntyneille Raumalla?"
    entities = {e["entity"]: e for e in _entities(text, tmp_path)}
    assert entities["municipality"]["value"] == "684"
    assert text[entities["municipality"]["start"]:entities["municipality"]["end"]] == "Raumalla"
    assert entities["theme"]["value"] == "liikunta"
    assert entities["target_group"]["value"] == "ikaantyneet"
    assert all(e["extractor"] == "FinnishEntityExtractor" for e in entities.values())


def test_extractor_counties_and_nothing(tmp_path: Any) -> None:
    assert [(e["entity"], e["value"]) for e in _entities("koko Keski-Suomessa", tmp_path)] == [
        ("county", "15")]
    assert _entities("tapan aikaa", tmp_path) == []
    assert isinstance(_entities("ä" * 10000, tmp_path), list)


@pytest.mark.parametrize(("text", "intent"), [
    ("haluan tappaa itseni", "crisis"), ("isällä on kova rintakipu", "medical_emergency"),
])
def test_safety_net_overrides_low_confidence(text: str, intent: str, tmp_path: Any) -> None:
    net = _create(SafetyNet, tmp_path)
    message = Message(data={"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}})
    (out,) = net.process([message])
    assert out.get("intent") == {"name": intent, "confidence": 1.0}


def test_safety_net_leaves_harmless_alone(tmp_path: Any) -> None:
    net = _create(SafetyNet, tmp_path)
    message = Message(data={"text": "tapan aikaa kirjastossa",
                            "intent": {"name": "search_services", "confidence": 0.9}})
    (out,) = net.process([message])
    assert out.get("intent")["name"] == "search_services"


def test_spacy_model_name_from_environment(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import get_settings

    get_settings.cache_clear()
    monkeypatch.setenv("SPACY_MODEL", "no_such_model_xx")
    with pytest.raises(Exception, match="no_such_model_xx"):
        _create(SpacyNLP, tmp_path)
    get_settings.cache_clear()
    monkeypatch.delenv("SPACY_MODEL")
    nlp = _create(SpacyNLP, tmp_path)
    assert nlp.provide().model_name == "spacy_fi_experimental_web_md"


def test_voikko_featurizer_trains_persists_and_featurizes(tmp_path: Any) -> None:
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.rasa.voikko_featurizer import VoikkoFeaturizer, token_features

    assert {"lemma:kuntosaliohjaus", "part:kunto", "part:sali", "concept:theme"} <= set(
        token_features("kuntosaliohjausta"))
    assert "concept:municipality" in token_features("Raumalla")
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(graph_schema=None, model_id="m", node_name="voikko")  # type: ignore[arg-type]
    tokenizer = WhitespaceTokenizer({**WhitespaceTokenizer.get_default_config()})
    data = TrainingData([Message(data={"text": "liikuntaa Raumalla", "intent": "search_services"}),
                         Message(data={"text": "hei", "intent": "greet"})])
    tokenizer.process_training_data(data)
    featurizer = VoikkoFeaturizer.create(VoikkoFeaturizer.get_default_config(), storage,
                                         Resource("voikko"), context)
    featurizer.train(data)
    loaded = VoikkoFeaturizer.load(VoikkoFeaturizer.get_default_config(), storage, Resource("voikko"), context)
    assert loaded.vocabulary == featurizer.vocabulary
    message = Message(data={"text": "kuntosali Porissa"})
    tokenizer.process([message])
    loaded.process([message])
    sequence, sentence = message.get_sparse_features("text")
    assert sentence is not None and sentence.features.shape == (1, len(featurizer.vocabulary))
    assert sequence.features.shape == (2, len(featurizer.vocabulary))
    # "Porissa" was never seen, but shares the concept feature with "Raumalla"
    index = featurizer.vocabulary["concept:municipality"]
    assert sequence.features.tocsr()[1, index] == 1
